package io.jhsm.conformance.target;

import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkTokenInfo;
import io.jhsm.pkcs11.Cryptoki;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Initialises a token and its user PIN the way an administrator would, then finds it again by label. */
public final class TokenSetup {
    private TokenSetup() {}

    public static final byte[] SO_PIN = "so-secret-1234".getBytes(StandardCharsets.UTF_8);
    public static final byte[] USER_PIN = "user-secret-1234".getBytes(StandardCharsets.UTF_8);

    /**
     * Initialises the token in {@code slot} with {@code label} and returns the slot that now holds it:
     * SoftHSM moves an initialised token to a new slot id, so the label is what stays.
     */
    public static long initialise(Cryptoki p, long slot, String label, byte[] soPin, byte[] userPin) {
        p.C_InitToken(slot, soPin, padded(label));
        long found = findByLabel(p, label);
        long s = p.C_OpenSession(found, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        try {
            p.C_Login(s, CKU.SO, soPin);
            p.C_InitPIN(s, userPin);
        } finally {
            p.C_CloseSession(s);
        }
        return found;
    }

    /** The first slot without an initialised token: where SoftHSM keeps its spare token. */
    public static long firstUninitialised(Cryptoki p) {
        for (long slot : p.C_GetSlotList(true)) {
            if ((p.C_GetTokenInfo(slot).flags() & CKF.TOKEN_INITIALIZED) == 0) {
                return slot;
            }
        }
        throw new IllegalStateException("no slot with an uninitialised token");
    }

    public static long firstInitialised(Cryptoki p) {
        for (long slot : p.C_GetSlotList(true)) {
            if ((p.C_GetTokenInfo(slot).flags() & CKF.TOKEN_INITIALIZED) != 0) {
                return slot;
            }
        }
        throw new IllegalStateException("no slot with an initialised token");
    }

    public static long findByLabel(Cryptoki p, String label) {
        for (long slot : p.C_GetSlotList(true)) {
            CkTokenInfo info = p.C_GetTokenInfo(slot);
            if (info.label().strip().equals(label)) {
                return slot;
            }
        }
        throw new IllegalStateException("no token labelled " + label);
    }

    static byte[] padded(String label) {
        byte[] l = new byte[32];
        Arrays.fill(l, (byte) ' ');
        byte[] b = label.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, l, 0, Math.min(32, b.length));
        return l;
    }
}
