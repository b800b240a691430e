package io.jhsm.engine.token;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A PIN as CloudHSM's PKCS#11 library reads it: {@code name:password} names the user; a bare PIN
 * means the role's default user ("admin" for the crypto officer, "user" for the crypto user), so
 * {@code pkcs11-tool --pin 12345678} works as it does with SoftHSM.
 */
public record Pins(String user, byte[] password) {

    public static final String DEFAULT_OFFICER = "admin";
    public static final String DEFAULT_USER = "user";
    public static final int MIN_LENGTH = 4;
    public static final int MAX_LENGTH = 64;
    static final int MAX_NAME = 31;

    public static Pins parse(byte[] pin, long role) {
        if (pin == null) {
            throw new CkException(CKR.ARGUMENTS_BAD, "no PIN (protected authentication paths are not supported)");
        }
        int colon = indexOf(pin, (byte) ':');
        if (colon < 0) {
            return new Pins(defaultUser(role), pin.clone());
        }
        String name = new String(pin, 0, colon, StandardCharsets.UTF_8);
        return new Pins(name, Arrays.copyOfRange(pin, colon + 1, pin.length));
    }

    /** A PIN being set (C_InitToken, C_InitPIN, C_SetPIN): the length rules apply; CKR_PIN_LEN_RANGE otherwise. */
    public static Pins parseNew(byte[] pin, long role) {
        Pins p = parse(pin, role);
        if (p.password.length < MIN_LENGTH || p.password.length > MAX_LENGTH) {
            throw new CkException(CKR.PIN_LEN_RANGE, "PIN must be " + MIN_LENGTH + ".." + MAX_LENGTH + " bytes");
        }
        if (p.user.isEmpty() || p.user.length() > MAX_NAME) {
            throw new CkException(CKR.PIN_INVALID, "user names are 1.." + MAX_NAME + " characters");
        }
        return p;
    }

    public static String defaultUser(long role) {
        return role == CKU.SO ? DEFAULT_OFFICER : DEFAULT_USER;
    }

    private static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "Pins[" + user + ":***]";
    }
}
