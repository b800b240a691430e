package io.jhsm.engine.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CkMechanismInfo;
import org.junit.jupiter.api.Test;

/** The one mechanism filter: CloudHSM's vendor mechanisms exist only under its profile, SDK 5's functions only there. */
class CloudHsmMechanismsTest {
    private static MechanismEntry row(long type, long flags) {
        return new MechanismEntry(type, new CkMechanismInfo(16, 32, flags), null);
    }

    @Test
    void cloudHsmsVendorMechanismsAreOfferedOnlyOnACloudHsmToken() {
        for (long vendor : new long[] {CKM.CLOUDHSM_AES_GCM, CKM.CLOUDHSM_AES_KEY_WRAP_NO_PAD,
                CKM.CLOUDHSM_AES_KEY_WRAP_PKCS5_PAD, CKM.CLOUDHSM_AES_KEY_WRAP_ZERO_PAD}) {
            MechanismEntry e = row(vendor, CKF.WRAP | CKF.UNWRAP);
            assertNull(CloudHsmMechanisms.onPkcs11Token(e), CKM.name(vendor));
            assertSame(e, CloudHsmMechanisms.onCloudHsmToken(e), CKM.name(vendor));
        }
    }

    @Test
    void aStandardMechanismKeepsEveryFlagOnAPkcs11TokenAndOnlySdk5sFunctionsOnACloudHsmOne() {
        MechanismEntry gcm = row(CKM.AES_GCM, CKF.ENCRYPT | CKF.DECRYPT | CKF.WRAP | CKF.UNWRAP | CKF.MESSAGE_ENCRYPT
                | CKF.MESSAGE_DECRYPT | CKF.HW);
        assertSame(gcm, CloudHsmMechanisms.onPkcs11Token(gcm));
        assertEquals(CKF.ENCRYPT | CKF.DECRYPT | CKF.WRAP | CKF.UNWRAP | CKF.HW,
                CloudHsmMechanisms.onCloudHsmToken(gcm).info().flags());
        // listed for sign/verify only: a row offering it for nothing SDK 5 lists is absent
        assertNull(CloudHsmMechanisms.onCloudHsmToken(row(CKM.SHA256_HMAC, CKF.MESSAGE_SIGN)));
        assertNull(CloudHsmMechanisms.onCloudHsmToken(row(CKM.EDDSA, CKF.SIGN | CKF.VERIFY)));
    }
}
