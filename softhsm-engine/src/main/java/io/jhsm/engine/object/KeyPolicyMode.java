package io.jhsm.engine.object;

import java.util.Locale;

/**
 * Which key rules a token enforces. DEFAULT is exactly PKCS#11 (plus CloudHSM's documented rules on a
 * cluster token); STRICT adds the defences against Tookan / Caml Crush-style key extraction: a wrapping
 * key must be local or trusted and must not decrypt (nor the private half of a public wrapping key), an
 * unwrapping key must not encrypt, CKA_ENCRYPT/DECRYPT/WRAP/UNWRAP only turn off, and a key derived by a
 * one-way KDF from a sensitive (unextractable) base must be sensitive (unextractable) too.
 */
public enum KeyPolicyMode {
    DEFAULT, STRICT;

    /** {@code default} or {@code strict} (case-insensitive); anything else is an error naming {@code where}. */
    public static KeyPolicyMode parse(String value, String where) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "default" -> DEFAULT;
            case "strict" -> STRICT;
            default -> throw new IllegalArgumentException(where + ": key-policy must be 'default' or 'strict', not '" + value + "'");
        };
    }

    /** When the configuration and the token each name a policy, the stricter one applies. */
    public KeyPolicyMode stricter(KeyPolicyMode other) {
        return this == STRICT || other == STRICT ? STRICT : DEFAULT;
    }

    public boolean strict() {
        return this == STRICT;
    }

    /** As written in JHSM_CONF, the key-policy file and the CLI: lower case. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
