package io.jhsm.engine.mechanism.des;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.mechanism.aes.AesModesFamily;
import io.jhsm.engine.mechanism.mac.BcMacSigner;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Mechanism;
import java.util.List;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Three-key Triple DES (CKK_DES3, 24 bytes with odd parity), for interoperating with legacy systems
 * (payment HSM key blocks, old tokens): key generation, ECB, CBC, CBC_PAD (SunJCE) and CMAC (BC).
 * Two-key DES2 is not offered, single DES only by legacy tokens ({@link DesFamily}): their keys are
 * too short to protect anything. Key sizes in bytes.
 */
public final class Des3Family implements MechanismFamily {
    private static final long CRYPT = CKF.ENCRYPT | CKF.DECRYPT;
    private static final long WRAP = CKF.WRAP | CKF.UNWRAP;
    private static final DesBlock ECB = new DesBlock(DesKeys.DES3, "ECB/NoPadding", false);
    private static final DesBlock CBC = new DesBlock(DesKeys.DES3, "CBC/NoPadding", true);

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.DES3_KEY_GEN, 24, 24, CKF.GENERATE, DesKeys.DES3.generator()),
                row(CKM.DES3_ECB, 24, 24, CRYPT, ECB),
                row(CKM.DES3_CBC, 24, 24, CRYPT, CBC),
                row(CKM.DES3_CBC_PAD, 24, 24, CRYPT | WRAP, new DesBlock(DesKeys.DES3, "CBC/PKCS5Padding", true)),
                row(CKM.DES3_CMAC, 24, 24, CKF.SIGN | CKF.VERIFY, new Cmac(false)),
                row(CKM.DES3_CMAC_GENERAL, 24, 24, CKF.SIGN | CKF.VERIFY, new Cmac(true)));
    }

    /** ECB and CBC wrapping (key values null-padded to whole blocks, no integrity), which older applications use. */
    @Override
    public List<MechanismEntry> legacyEntries() {
        return List.of(row(CKM.DES3_ECB, 24, 24, CRYPT | WRAP, ECB), row(CKM.DES3_CBC, 24, 24, CRYPT | WRAP, CBC));
    }

    private record Cmac(boolean general) implements MechanismImpl {
        @Override
        public SignOperation sign(Mechanism mechanism, KeyView key) {
            return open(mechanism, key);
        }

        @Override
        public VerifyOperation verify(Mechanism mechanism, KeyView key) {
            return open(mechanism, key);
        }

        private BcMacSigner open(Mechanism mechanism, KeyView key) {
            CMac mac = new CMac(new DESedeEngine());
            mac.init(new KeyParameter(DesKeys.DES3.of(key).getEncoded()));
            return new BcMacSigner(mac, AesModesFamily.macLength(mechanism, general, 8));
        }
    }
}
