package io.jhsm.bridge;

import io.jhsm.pkcs11.CKM;
import java.util.Map;

/**
 * Which parameter struct each mechanism takes, by its PKCS#11 definition. A mechanism not listed
 * takes a plain byte string (an IV, or a struct we do not decode: passed raw, the engine judges).
 */
final class MechanismParamTable {
    private MechanismParamTable() {}

    enum Kind { GCM, CCM, CTR, PSS, OAEP, ECDH1, MAC_GENERAL }

    private static final Map<Long, Kind> KINDS = Map.ofEntries(
            Map.entry(CKM.AES_GCM, Kind.GCM),
            Map.entry(CKM.AES_CCM, Kind.CCM),
            Map.entry(CKM.AES_CTR, Kind.CTR),
            Map.entry(CKM.RSA_PKCS_PSS, Kind.PSS),
            Map.entry(CKM.SHA1_RSA_PKCS_PSS, Kind.PSS),
            Map.entry(CKM.SHA224_RSA_PKCS_PSS, Kind.PSS),
            Map.entry(CKM.SHA256_RSA_PKCS_PSS, Kind.PSS),
            Map.entry(CKM.SHA384_RSA_PKCS_PSS, Kind.PSS),
            Map.entry(CKM.SHA512_RSA_PKCS_PSS, Kind.PSS),
            Map.entry(CKM.SHA3_224_RSA_PKCS_PSS, Kind.PSS),
            Map.entry(CKM.SHA3_256_RSA_PKCS_PSS, Kind.PSS),
            Map.entry(CKM.SHA3_384_RSA_PKCS_PSS, Kind.PSS),
            Map.entry(CKM.SHA3_512_RSA_PKCS_PSS, Kind.PSS),
            Map.entry(CKM.RSA_PKCS_OAEP, Kind.OAEP),
            Map.entry(CKM.ECDH1_DERIVE, Kind.ECDH1),
            Map.entry(CKM.ECDH1_COFACTOR_DERIVE, Kind.ECDH1),
            Map.entry(CKM.AES_MAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.AES_CMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.DES3_MAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.DES3_CMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.MD5_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA_1_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA224_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA256_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA384_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA512_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA512_224_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA512_256_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA3_224_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA3_256_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA3_384_HMAC_GENERAL, Kind.MAC_GENERAL),
            Map.entry(CKM.SHA3_512_HMAC_GENERAL, Kind.MAC_GENERAL));

    /** The struct kind, or null for "raw bytes". */
    static Kind kindOf(long mechanism) {
        return KINDS.get(mechanism);
    }

    /** sizeof the C struct on LP64 (CK_ULONG and pointers 8 bytes, no padding in any of these). */
    static int sizeOf(Kind kind) {
        return switch (kind) {
            case GCM, CCM -> 48;
            case CTR, PSS -> 24;
            case OAEP, ECDH1 -> 40;
            case MAC_GENERAL -> 8;
        };
    }
}
