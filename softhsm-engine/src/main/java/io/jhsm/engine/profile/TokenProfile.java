package io.jhsm.engine.profile;

import java.util.Locale;

/**
 * Whose behaviour a token reproduces through PKCS#11. PKCS11 is the specification to the letter (the
 * default for tokens made with C_InitToken); CLOUDHSM is AWS CloudHSM's Client SDK 5 PKCS#11 library, quirks
 * included (the default for clusters made with {@code jhsm cluster create} / {@code cluster up}).
 */
public enum TokenProfile {
    PKCS11, CLOUDHSM;

    /** {@code pkcs11} or {@code cloudhsm} (case-insensitive); anything else is an error naming {@code where}. */
    public static TokenProfile parse(String value, String where) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "pkcs11" -> PKCS11;
            case "cloudhsm" -> CLOUDHSM;
            default -> throw new IllegalArgumentException(where + ": profile must be 'pkcs11' or 'cloudhsm', not '" + value + "'");
        };
    }

    public boolean cloudHsm() {
        return this == CLOUDHSM;
    }

    /** As written in JHSM_CONF, the profile file and the CLI: lower case. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
