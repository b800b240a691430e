package io.jhsm.engine.mechanism.pqc;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.Mechanism;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows ML-DSA and SLH-DSA share: key pair generation, the pure signature, the pre-hash signature
 * over the caller's digest, and one pre-hash signature per hash function (in {@link PreHash} order).
 * Key sizes are public key lengths in bytes, as PKCS#11 3.2 specifies for these mechanisms.
 */
final class PqcSignatureRows {
    private PqcSignatureRows() {}

    static List<MechanismEntry> rows(long keyType, long keyPairGen, long pure, long preHashed, long... hashedOnToken) {
        int min = PqcParameterSet.minPublicBytes(keyType);
        int max = PqcParameterSet.maxPublicBytes(keyType);
        List<MechanismEntry> rows = new ArrayList<>();
        rows.add(new PqcKeyPairGen(keyType).row(keyPairGen));
        rows.add(row(pure, min, max, CKF.SIGN | CKF.VERIFY, new Signing(keyType, PqcSigner.Input.MESSAGE, null)));
        rows.add(row(preHashed, min, max, CKF.SIGN | CKF.VERIFY, new Signing(keyType, PqcSigner.Input.DIGEST, null)));
        PreHash[] hashes = PreHash.values();
        for (int i = 0; i < hashedOnToken.length; i++) {
            rows.add(row(hashedOnToken[i], min, max, CKF.SIGN | CKF.VERIFY, new Signing(keyType, PqcSigner.Input.HASHED_ON_TOKEN, hashes[i])));
        }
        return rows;
    }

    private record Signing(long keyType, PqcSigner.Input input, PreHash hash) implements MechanismImpl {
        @Override
        public SignOperation sign(Mechanism mechanism, KeyView key) {
            return PqcSigner.create(mechanism, PqcSchemes.forSigning(key, keyType), input, hash, false);
        }

        @Override
        public VerifyOperation verify(Mechanism mechanism, KeyView key) {
            return PqcSigner.create(mechanism, PqcSchemes.forVerifying(key, keyType), input, hash, true);
        }
    }
}
