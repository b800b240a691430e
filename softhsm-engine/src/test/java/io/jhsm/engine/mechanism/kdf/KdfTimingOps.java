package io.jhsm.engine.mechanism.kdf;

import com.amazon.corretto.crypto.provider.HkdfSpec;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.engine.timing.Timings;
import java.security.Provider;
import javax.crypto.SecretKeyFactory;

/** HKDF (extract and expand, 32 bytes out) as CKM_HKDF_DERIVE runs it, and ACCP's HkdfWithHmacSHA256, for EcDigestMacTimings. */
public final class KdfTimingOps {
    private KdfTimingOps() {}

    public static Timings.Op hkdfSha256(Provider accp, byte[] ikm, byte[] salt, byte[] info) {
        return accp == null ? () -> HkdfFamily.expand(HashAlg.SHA256, HkdfFamily.extract(HashAlg.SHA256, salt, ikm), info, 32)
                : () -> SecretKeyFactory.getInstance("HkdfWithHmacSHA256", accp)
                        .generateSecret(HkdfSpec.hkdfSpec(ikm, salt, info, 32, "AES")).getEncoded();
    }
}
