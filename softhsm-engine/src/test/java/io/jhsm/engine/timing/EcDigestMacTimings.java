package io.jhsm.engine.timing;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.jhsm.engine.mechanism.Providers;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.engine.mechanism.ec.EcTimingOps;
import io.jhsm.engine.mechanism.kdf.KdfTimingOps;
import java.security.MessageDigest;
import java.security.Provider;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The "EC, digests, MAC, KDF" table of docs/performance/primitives.md (issue 16): each primitive as its mechanism
 * runs it, portable against ACCP, in one process. Run by scripts/primitive-timings.sh; -Dtimings.ms and
 * -Dtimings.rounds set the rounds.
 */
public final class EcDigestMacTimings {
    private EcDigestMacTimings() {}

    public static void main(String[] args) throws Exception {
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        if (accp.getLoadingError() != null) {
            throw new IllegalStateException("ACCP does not load here", accp.getLoadingError());
        }
        Timings t = Timings.fromSystemProperties();
        for (String curve : new String[] {"P-256", "P-384", "P-521"}) {
            EcTimingOps ec = new EcTimingOps(curve);
            t.compare("ECDSA " + curve + " sign (32-byte hash)", ec.sign(null), ec.sign(accp));
            t.compare("ECDSA " + curve + " verify", ec.verify(null), ec.verify(accp));
            t.compare("EC " + curve + " key pair generation", ec.generate(null), ec.generate(accp));
            t.compare("ECDH " + curve + " derive (peer point decoded)", ec.derive(null), ec.derive(accp));
        }
        Random rnd = new Random(1);
        byte[] b64 = bytes(rnd, 64);
        byte[] k1 = bytes(rnd, 1024);
        byte[] m1 = bytes(rnd, 1 << 20);
        Object[][] digests = {{HashAlg.SHA1, b64, "64 B"}, {HashAlg.SHA256, b64, "64 B"}, {HashAlg.SHA256, k1, "1 KiB"},
            {HashAlg.SHA256, m1, "1 MiB"}, {HashAlg.SHA384, b64, "64 B"}, {HashAlg.SHA512, b64, "64 B"}, {HashAlg.SHA512, m1, "1 MiB"}};
        for (Object[] d : digests) {
            HashAlg h = (HashAlg) d[0];
            byte[] data = (byte[]) d[1];
            String name = h.newJcaDigest().getAlgorithm();
            t.compare("Digest " + name + " " + d[2] + " (new digest per call)", () -> h.newJcaDigest().digest(data),
                    () -> MessageDigest.getInstance(name, accp).digest(data));
        }
        SecretKeySpec key = new SecretKeySpec(bytes(rnd, 32), "HMAC");
        Object[][] macs = {{HashAlg.SHA256, b64, "64 B"}, {HashAlg.SHA256, k1, "1 KiB"}, {HashAlg.SHA256, m1, "1 MiB"}, {HashAlg.SHA512, k1, "1 KiB"}};
        for (Object[] m : macs) {
            String name = ((HashAlg) m[0]).hmacName();
            byte[] data = (byte[]) m[1];
            t.compare("HMAC " + name + " " + m[2] + " (init + doFinal per call)", () -> mac(name, Providers.SUN_JCE, key, data),
                    () -> mac(name, accp, key, data));
        }
        byte[] ikm = bytes(rnd, 32);
        byte[] salt = bytes(rnd, 32);
        byte[] info = bytes(rnd, 16);
        t.compare("HKDF-SHA256 extract + expand, 32 B", KdfTimingOps.hkdfSha256(null, ikm, salt, info), KdfTimingOps.hkdfSha256(accp, ikm, salt, info));
        // As AccpEd25519 signs: a JDK key object cached per key object, translated by ACCP at each init (ACCP 2.5 has
        // no EdDSA KeyFactory).
        org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters ed = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(new java.security.SecureRandom());
        java.security.PrivateKey accpEd = java.security.KeyFactory.getInstance("Ed25519").generatePrivate(
                new java.security.spec.EdECPrivateKeySpec(java.security.spec.NamedParameterSpec.ED25519, ed.getEncoded()));
        t.compare("Ed25519 sign 64 B", () -> {
            org.bouncycastle.crypto.signers.Ed25519Signer s = new org.bouncycastle.crypto.signers.Ed25519Signer();
            s.init(true, ed);
            s.update(b64, 0, b64.length);
            s.generateSignature();
        }, () -> {
            java.security.Signature s = java.security.Signature.getInstance("Ed25519", accp);
            s.initSign(accpEd);
            s.update(b64);
            s.sign();
        });
        t.print(System.out);
    }

    private static byte[] mac(String name, Provider p, SecretKeySpec key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance(name, p);
        mac.init(key);
        return mac.doFinal(data);
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
