package io.jhsm.bridge;

import static io.jhsm.bridge.ParamDecoder.struct;

import io.jhsm.pkcs11.MechanismParams;

/** The parameter structs of the symmetric ciphers (offsets are LP64). */
final class CipherParamDecoders {
    private CipherParamDecoders() {}

    /** CK_GCM_PARAMS {pIv; ulIvLen; ulIvBits; pAAD; ulAADLen; ulTagBits}. */
    static final ParamDecoder GCM = struct("CK_GCM_PARAMS", 48,
            s -> new MechanismParams.Gcm(s.bytes(0, 8), s.ulong(16), s.bytes(24, 32), s.ulong(40)));

    /**
     * CK_GCM_PARAMS for CloudHSM's CKM_CLOUDHSM_AES_GCM, whose pIv must be NULL (the IV travels in front of the
     * ciphertext): a NULL pIv is no IV whatever ulIvLen says, since CloudHSM documents only the NULL.
     */
    static final ParamDecoder CLOUDHSM_GCM = struct("CK_GCM_PARAMS", 48, s -> new MechanismParams.Gcm(
            s.pointer(0) == 0 ? new byte[0] : s.bytes(0, 8), s.ulong(16), s.bytes(24, 32), s.ulong(40)));

    /** CK_CCM_PARAMS {ulDataLen; pNonce; ulNonceLen; pAAD; ulAADLen; ulMACLen}. */
    static final ParamDecoder CCM = struct("CK_CCM_PARAMS", 48,
            s -> new MechanismParams.Ccm(s.ulong(0), s.bytes(8, 16), s.bytes(24, 32), s.ulong(40)));

    /** CK_AES_CTR_PARAMS {ulCounterBits; CK_BYTE cb[16]}. */
    static final ParamDecoder CTR = struct("CK_AES_CTR_PARAMS", 24,
            s -> new MechanismParams.Ctr(s.ulong(0), s.inline(8, 16)));

    /**
     * CK_CHACHA20_PARAMS {pBlockCounter; blockCounterBits; pNonce; ulNonceBits}: the lengths are in
     * bits and must be whole bytes. A NULL pBlockCounter is passed as null (the engine starts at 0).
     */
    static final ParamDecoder CHACHA20 = struct("CK_CHACHA20_PARAMS", 32, s -> {
        long counterBits = s.ulong(8);
        long nonceBits = s.ulong(24);
        long counterPtr = s.pointer(0);
        byte[] counter = counterPtr == 0 ? null
                : ParamStruct.bytesAt(counterPtr, ParamStruct.bitsToBytes(counterBits, "blockCounterBits"));
        byte[] nonce = ParamStruct.bytesAt(s.pointer(16), ParamStruct.bitsToBytes(nonceBits, "ulNonceBits"));
        return new MechanismParams.ChaCha20(counter, counterBits, nonce, nonceBits);
    });

    /** CK_SALSA20_CHACHA20_POLY1305_PARAMS {pNonce; ulNonceLen; pAAD; ulAADLen}. */
    static final ParamDecoder CHACHA20_POLY1305 = struct("CK_SALSA20_CHACHA20_POLY1305_PARAMS", 32,
            s -> new MechanismParams.ChaCha20Poly1305(s.bytes(0, 8), s.bytes(16, 24)));
}
