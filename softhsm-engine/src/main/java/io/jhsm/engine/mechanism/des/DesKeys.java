package io.jhsm.engine.mechanism.des;

import io.jhsm.engine.mechanism.KeyChecks;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.kdf.SecretKeyLengths;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two DES key types jhsm knows: three-key Triple DES (CKK_DES3, 24 bytes) and, on legacy tokens
 * only, single DES (CKK_DES, 8 bytes). Both carry odd parity in the low bit of each byte.
 */
enum DesKeys {
    DES(CKK.DES, 8, "DES"),
    DES3(CKK.DES3, 24, "DESede");

    final long keyType;
    final int bytes;
    final String jcaName;

    DesKeys(long keyType, int bytes, String jcaName) {
        this.keyType = keyType;
        this.bytes = bytes;
        this.jcaName = jcaName;
    }

    /** The parsed key, cached per object; an object has one key type, so one slot serves both. */
    record DesKey(SecretKeySpec spec) {}

    SecretKeySpec of(KeyView key) {
        KeyChecks.requireKeyType(key, keyType);
        return key.cached(DesKey.class, () -> {
            byte[] v = key.require(CKA.VALUE);
            if (v.length != bytes) {
                throw new CkException(CKR.KEY_SIZE_RANGE, CKK.name(keyType) + " key must be " + bytes + " bytes");
            }
            return new DesKey(new SecretKeySpec(v, jcaName));
        }).spec();
    }

    /** CKM_DES_KEY_GEN / CKM_DES3_KEY_GEN: random bytes with the parity bits set, as PKCS#11 asks of DES keys. */
    MechanismImpl generator() {
        return new MechanismImpl() {
            @Override
            public List<Attribute> generateKey(Mechanism mechanism, TemplateView template) {
                byte[] v = new byte[bytes];
                LazyRandom.get().nextBytes(v);
                return List.of(Attribute.of(CKA.KEY_TYPE, keyType), Attribute.of(CKA.VALUE, SecretKeyLengths.withDesParity(v)));
            }
        };
    }
}
