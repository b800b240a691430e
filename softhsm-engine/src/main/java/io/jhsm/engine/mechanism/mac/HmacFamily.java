package io.jhsm.engine.mechanism.mac;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.ArrayList;
import java.util.List;

/**
 * CKM_xxx_HMAC and CKM_xxx_HMAC_GENERAL sign/verify for SHA-1, SHA-2 (with SHA-512/224 and
 * SHA-512/256), SHA-3 and (legacy) MD5, CKM_GENERIC_SECRET_KEY_GEN and the CKM_SHA3_xxx_KEY_GEN generators. Key sizes
 * are in bytes; 1..800 follows CloudHSM's generic secret range.
 */
public final class HmacFamily implements MechanismFamily {
    public static final int MIN_KEY_BYTES = 1;
    public static final int MAX_KEY_BYTES = 800;

    /** Classic and PKCS#11 3.0 message-based (single- and multi-part messages) MACs. */
    private static final long MAC = CKF.SIGN | CKF.VERIFY | CKF.MESSAGE_SIGN | CKF.MESSAGE_VERIFY | CKF.MULTI_MESSAGE;

    @Override
    public List<MechanismEntry> entries() {
        List<MechanismEntry> rows = new ArrayList<>();
        for (HashAlg h : HashAlg.STANDARD) {
            rows.addAll(hmacRows(h));
        }
        // PKCS#11 3.0 gives each SHA-3 HMAC key type its own generator (SHA-1/SHA-2 keys come from the generic one).
        long[][] sha3KeyGens = {{CKM.SHA3_224_KEY_GEN, CKK.SHA3_224_HMAC}, {CKM.SHA3_256_KEY_GEN, CKK.SHA3_256_HMAC},
            {CKM.SHA3_384_KEY_GEN, CKK.SHA3_384_HMAC}, {CKM.SHA3_512_KEY_GEN, CKK.SHA3_512_HMAC}};
        for (long[] g : sha3KeyGens) {
            rows.add(row(g[0], MIN_KEY_BYTES, MAX_KEY_BYTES, CKF.GENERATE, new MechanismImpl() {
                @Override
                public List<Attribute> generateKey(Mechanism mechanism, TemplateView template) {
                    List<Attribute> generic = generateSecret(template);
                    return List.of(Attribute.of(CKA.KEY_TYPE, g[1]), generic.get(1), generic.get(2));
                }
            }));
        }
        rows.add(row(CKM.GENERIC_SECRET_KEY_GEN, MIN_KEY_BYTES, MAX_KEY_BYTES, CKF.GENERATE, new MechanismImpl() {
            @Override
            public List<Attribute> generateKey(Mechanism mechanism, TemplateView template) {
                return generateSecret(template);
            }
        }));
        return rows;
    }

    /** HMAC-MD5 and its _GENERAL form (RFC 2104), over generic secret keys. */
    @Override
    public List<MechanismEntry> legacyEntries() {
        return hmacRows(HashAlg.MD5);
    }

    private static List<MechanismEntry> hmacRows(HashAlg h) {
        return List.of(row(h.hmac, MIN_KEY_BYTES, MAX_KEY_BYTES, MAC, new HmacImpl(h, h.hmacKeyType, false)),
                row(h.hmacGeneral, MIN_KEY_BYTES, MAX_KEY_BYTES, MAC, new HmacImpl(h, h.hmacKeyType, true)));
    }

    public static List<Attribute> generateSecret(TemplateView template) {
        long len = template.requireLong(CKA.VALUE_LEN);
        if (len < MIN_KEY_BYTES || len > MAX_KEY_BYTES) {
            throw new CkException(CKR.KEY_SIZE_RANGE, "CKA_VALUE_LEN " + len + " outside " + MIN_KEY_BYTES + ".." + MAX_KEY_BYTES);
        }
        byte[] value = new byte[(int) len];
        LazyRandom.get().nextBytes(value);
        return List.of(Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.VALUE, value), Attribute.of(CKA.VALUE_LEN, len));
    }

    private record HmacImpl(HashAlg hash, long ckk, boolean general) implements MechanismImpl {

        @Override
        public SignOperation sign(Mechanism mechanism, KeyView key) {
            return new HmacSigner(hash, HmacSigner.key(key, ckk), macLength(mechanism));
        }

        @Override
        public VerifyOperation verify(Mechanism mechanism, KeyView key) {
            return new HmacSigner(hash, HmacSigner.key(key, ckk), macLength(mechanism));
        }

        /**
         * The _GENERAL length. PKCS#11 allows 0..L; we refuse 0 because an empty MAC would verify
         * any data.
         */
        private int macLength(Mechanism mechanism) {
            if (!general) {
                if (mechanism.params() != null) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " takes no parameter");
                }
                return hash.length;
            }
            long len = mechanism.params(MechanismParams.UlongValue.class).value();
            if (len < 1 || len > hash.length) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "MAC length " + len + " outside 1.." + hash.length);
            }
            return (int) len;
        }
    }
}
