package io.jhsm.conformance.abi;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.CkInfo;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.CkSessionInfo;
import io.jhsm.pkcs11.CkSlotInfo;
import io.jhsm.pkcs11.CkTokenInfo;
import io.jhsm.pkcs11.CkVersion;
import java.nio.charset.StandardCharsets;

/** The CK_*_INFO structs read at their LP64 offsets; blank padding is stripped from strings. */
final class InfoDecoder {
    private InfoDecoder() {}

    static final int INFO = 88, SLOT_INFO = 112, TOKEN_INFO = 208, SESSION_INFO = 32, MECHANISM_INFO = 24;

    static CkInfo info(Pointer p) {
        return new CkInfo(version(p, 0), text(p, 2, 32), p.getLong(40), text(p, 48, 32), version(p, 80));
    }

    static CkSlotInfo slotInfo(Pointer p) {
        return new CkSlotInfo(text(p, 0, 64), text(p, 64, 32), p.getLong(96), version(p, 104), version(p, 106));
    }

    static CkTokenInfo tokenInfo(Pointer p) {
        long[] u = p.getLongArray(96, 11);
        return new CkTokenInfo(text(p, 0, 32), text(p, 32, 32), text(p, 64, 16), text(p, 80, 16), u[0], u[1], u[2],
                u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], version(p, 184), version(p, 186), text(p, 188, 16));
    }

    static CkSessionInfo sessionInfo(Pointer p) {
        return new CkSessionInfo(p.getLong(0), p.getLong(8), p.getLong(16), p.getLong(24));
    }

    static CkMechanismInfo mechanismInfo(Pointer p) {
        return new CkMechanismInfo(p.getLong(0), p.getLong(8), p.getLong(16));
    }

    private static CkVersion version(Pointer p, long at) {
        return new CkVersion(Byte.toUnsignedInt(p.getByte(at)), Byte.toUnsignedInt(p.getByte(at + 1)));
    }

    private static String text(Pointer p, long at, int width) {
        return new String(p.getByteArray(at, width), StandardCharsets.UTF_8).stripTrailing();
    }
}
