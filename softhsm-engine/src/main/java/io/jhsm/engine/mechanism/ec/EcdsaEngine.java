package io.jhsm.engine.mechanism.ec;

/**
 * The arithmetic behind one ECDSA operation, over signatures in PKCS#11's form: r || s, each left-padded to the
 * order's byte length. {@link BcEcdsa} is the portable code, {@link AccpEcdsa} AWS-LC's; {@link EcdsaSigner}
 * holds the input and PKCS#11's rules around either.
 */
interface EcdsaEngine {

    /** Signs a hash (or raw CKM_ECDSA input of any length, truncated to the order's bit length as FIPS 186-4 §6.4 says). */
    byte[] sign(byte[] hash);

    /** False for any signature that does not verify, including r or s outside [1, n-1]; never throws for a bad signature. */
    boolean verify(byte[] hash, byte[] rs);

    /** An engine over the same key with no state of its own, for C_GetOperationState copies. */
    EcdsaEngine copy();
}
