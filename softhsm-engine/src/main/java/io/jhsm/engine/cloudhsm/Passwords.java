package io.jhsm.engine.cloudhsm;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * CloudHSM's rules for users made through the management path (CLI, cluster activation): names of
 * 1..31 letters, digits and underscores (CloudHSM's alphabet, which also keeps share lists and PINs
 * unambiguous), passwords of 8..32 characters. PKCS#11's C_InitPIN keeps the engine's looser
 * 4..64 rule so SoftHSM-style tools keep working.
 */
public final class Passwords {
    private Passwords() {}

    public static final int MIN = 8;
    public static final int MAX = 32;
    public static final int MAX_NAME = 31;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1," + MAX_NAME + "}");

    public static void check(byte[] password) {
        int n = password == null ? 0 : new String(password, StandardCharsets.UTF_8).length();
        if (n < MIN || n > MAX) {
            throw new CkException(CKR.PIN_LEN_RANGE, "passwords are " + MIN + " to " + MAX + " characters, this one has " + n);
        }
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new HsmException(HsmException.Code.BAD_INPUT,
                    "user names are 1 to " + MAX_NAME + " letters, digits or underscores: '" + name + "'");
        }
    }
}
