package io.jhsm.bridge;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.CkInfo;
import io.jhsm.pkcs11.CkMechanismInfo;
import io.jhsm.pkcs11.CkSessionInfo;
import io.jhsm.pkcs11.CkSlotInfo;
import io.jhsm.pkcs11.CkTokenInfo;
import io.jhsm.pkcs11.CkVersion;

/**
 * Writes the info structs at their LP64 offsets (checked against the C layout by the tests). Field
 * writes instead of JNA Structure keep the hot calls free of reflection.
 */
final class InfoCodec {
    private InfoCodec() {}

    /** CK_INFO: version@0, manufacturerID[32]@2, flags@40, libraryDescription[32]@48, libraryVersion@80; 88 bytes. */
    static void write(long p, CkInfo info) {
        Pointer out = target(p);
        version(out, 0, info.cryptokiVersion());
        out.write(2, PaddedString.encode(info.manufacturerId(), 32), 0, 32);
        out.setLong(40, info.flags());
        out.write(48, PaddedString.encode(info.libraryDescription(), 32), 0, 32);
        version(out, 80, info.libraryVersion());
    }

    /** CK_SLOT_INFO: slotDescription[64]@0, manufacturerID[32]@64, flags@96, hw@104, fw@106; 112 bytes. */
    static void write(long p, CkSlotInfo info) {
        Pointer out = target(p);
        out.write(0, PaddedString.encode(info.slotDescription(), 64), 0, 64);
        out.write(64, PaddedString.encode(info.manufacturerId(), 32), 0, 32);
        out.setLong(96, info.flags());
        version(out, 104, info.hardwareVersion());
        version(out, 106, info.firmwareVersion());
    }

    /** CK_TOKEN_INFO: four strings (32,32,16,16), eleven CK_ULONGs from 96, versions @184/186, utcTime[16]@188; 208 bytes. */
    static void write(long p, CkTokenInfo t) {
        Pointer out = target(p);
        out.write(0, PaddedString.encode(t.label(), 32), 0, 32);
        out.write(32, PaddedString.encode(t.manufacturerId(), 32), 0, 32);
        out.write(64, PaddedString.encode(t.model(), 16), 0, 16);
        out.write(80, PaddedString.encode(t.serialNumber(), 16), 0, 16);
        long[] ulongs = {t.flags(), t.maxSessionCount(), t.sessionCount(), t.maxRwSessionCount(), t.rwSessionCount(),
                t.maxPinLen(), t.minPinLen(), t.totalPublicMemory(), t.freePublicMemory(), t.totalPrivateMemory(),
                t.freePrivateMemory()};
        out.write(96, ulongs, 0, ulongs.length);
        version(out, 184, t.hardwareVersion());
        version(out, 186, t.firmwareVersion());
        out.write(188, PaddedString.encode(t.utcTime(), 16), 0, 16);
    }

    /** CK_SESSION_INFO: slotID, state, flags, ulDeviceError; 32 bytes. */
    static void write(long p, CkSessionInfo s) {
        Pointer out = target(p);
        out.setLong(0, s.slotId());
        out.setLong(8, s.state());
        out.setLong(16, s.flags());
        out.setLong(24, s.deviceError());
    }

    /** CK_MECHANISM_INFO: ulMinKeySize, ulMaxKeySize, flags; 24 bytes. */
    static void write(long p, CkMechanismInfo m) {
        Pointer out = target(p);
        out.setLong(0, m.minKeySize());
        out.setLong(8, m.maxKeySize());
        out.setLong(16, m.flags());
    }

    private static Pointer target(long p) {
        NativeMem.requireNonNull(p);
        return NativeMem.at(p);
    }

    private static void version(Pointer out, long offset, CkVersion v) {
        out.setByte(offset, (byte) (v == null ? 0 : v.major()));
        out.setByte(offset + 1, (byte) (v == null ? 0 : v.minor()));
    }
}
