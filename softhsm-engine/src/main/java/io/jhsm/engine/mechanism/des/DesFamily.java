package io.jhsm.engine.mechanism.des;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import java.util.List;
import java.util.Set;

/**
 * Single DES (CKK_DES, 8 bytes with odd parity; a 56-bit key is found by exhaustive search in hours):
 * key generation, ECB, CBC and CBC_PAD, only on tokens with legacy-algorithms = true. Key sizes in bytes.
 */
public final class DesFamily implements MechanismFamily {
    private static final long CRYPT = CKF.ENCRYPT | CKF.DECRYPT;

    @Override
    public List<MechanismEntry> entries() {
        return List.of();
    }

    @Override
    public List<MechanismEntry> legacyEntries() {
        return List.of(
                row(CKM.DES_KEY_GEN, 8, 8, CKF.GENERATE, DesKeys.DES.generator()),
                row(CKM.DES_ECB, 8, 8, CRYPT, new DesBlock(DesKeys.DES, "ECB/NoPadding", false)),
                row(CKM.DES_CBC, 8, 8, CRYPT, new DesBlock(DesKeys.DES, "CBC/NoPadding", true)),
                row(CKM.DES_CBC_PAD, 8, 8, CRYPT, new DesBlock(DesKeys.DES, "CBC/PKCS5Padding", true)));
    }

    @Override
    public Set<Long> legacyKeyTypes() {
        return Set.of(CKK.DES);
    }
}
