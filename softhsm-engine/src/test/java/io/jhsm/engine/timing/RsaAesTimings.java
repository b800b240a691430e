package io.jhsm.engine.timing;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.CryptoBackend;
import io.jhsm.engine.mechanism.JcaBlockCipher;
import io.jhsm.engine.mechanism.JcaKeys;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.Providers;
import io.jhsm.engine.mechanism.aes.AesBackends;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.engine.mechanism.rsa.RsaBackends;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKZ;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The RSA and AES rows of the per-primitive table (issue 16), docs/performance/primitives-rsa-aes.md. Switched
 * primitives run the mechanisms' own operation classes with each backend (keys parsed once, as the engine caches
 * them per key object; one operation object per C_xxxInit + C_xxx, as the engine makes them). CBC-PAD, kept on
 * SunJCE, compares today's class with ACCP's JCA cipher, to show why.
 * Run: {@code java -cp <test classpath> io.jhsm.engine.timing.RsaAesTimings} (-Dtimings.ms, -Dtimings.rounds,
 * -Dtimings.keygen.ms).
 */
public final class RsaAesTimings {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Optional<Provider> PORTABLE = Optional.empty();

    private RsaAesTimings() {}

    public static void main(String[] args) throws Exception {
        Provider accp = CryptoBackend.accp().orElseThrow(() -> new IllegalStateException("ACCP did not load: " + CryptoBackend.describe()));
        Timings t = Timings.fromSystemProperties();
        rsa(t, Optional.of(accp));
        aes(t, accp);
        t.print(System.out);
        // Key generation takes tens to hundreds of ms and varies with the primes found: longer rounds, printed apart.
        Timings slow = new Timings(Long.getLong("timings.keygen.ms", 5000), 2);
        RSAKeyGenParameterSpec spec = new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4);
        slow.compare("RSA-2048 CKM_RSA_PKCS_KEY_PAIR_GEN (SunRsaSign vs ACCP)", () -> RsaBackends.generate(PORTABLE, spec),
                () -> RsaBackends.generate(Optional.of(accp), spec));
        System.out.println();
        slow.print(System.out);
    }

    private static void rsa(Timings t, Optional<Provider> accp) throws Exception {
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) JcaKeys.RSA.getPrivate();
        RSAPublicKey pub = (RSAPublicKey) JcaKeys.RSA.getPublic();
        // One KeyView per backend: each caches its own parsed key, as a key object does in the engine.
        KeyView bcPriv = JcaKeys.rsaPrivate(priv);
        KeyView bcPub = JcaKeys.rsaPublic(pub);
        KeyView accpPriv = JcaKeys.rsaPrivate(priv);
        KeyView accpPub = JcaKeys.rsaPublic(pub);
        byte[] data = random(64);
        byte[] digestInfo = concat(hex("3031300d060960864801650304020105000420"), java.security.MessageDigest.getInstance("SHA-256").digest(data));

        t.compare("RSA-2048 CKM_RSA_PKCS sign (51-byte DigestInfo)", () -> RsaBackends.sign(RsaBackends.pkcs1Signer(null, bcPriv, PORTABLE), digestInfo),
                () -> RsaBackends.sign(RsaBackends.pkcs1Signer(null, accpPriv, accp), digestInfo));
        byte[] sig = RsaBackends.sign(RsaBackends.pkcs1Signer(HashAlg.SHA256, bcPriv, PORTABLE), data);
        t.compare("RSA-2048 CKM_SHA256_RSA_PKCS sign 64 B", () -> RsaBackends.sign(RsaBackends.pkcs1Signer(HashAlg.SHA256, bcPriv, PORTABLE), data),
                () -> RsaBackends.sign(RsaBackends.pkcs1Signer(HashAlg.SHA256, accpPriv, accp), data));
        t.compare("RSA-2048 CKM_SHA256_RSA_PKCS verify 64 B", () -> RsaBackends.verify(RsaBackends.pkcs1Verifier(HashAlg.SHA256, bcPub, PORTABLE), data, sig),
                () -> RsaBackends.verify(RsaBackends.pkcs1Verifier(HashAlg.SHA256, accpPub, accp), data, sig));

        Mechanism pss = Mechanism.of(CKM.SHA256_RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA256, CKG.MGF1_SHA256, 32));
        byte[] pssSig = RsaBackends.sign(RsaBackends.pssSigner(pss, HashAlg.SHA256, bcPriv, PORTABLE), data);
        t.compare("RSA-2048 CKM_SHA256_RSA_PKCS_PSS sign 64 B", () -> RsaBackends.sign(RsaBackends.pssSigner(pss, HashAlg.SHA256, bcPriv, PORTABLE), data),
                () -> RsaBackends.sign(RsaBackends.pssSigner(pss, HashAlg.SHA256, accpPriv, accp), data));
        t.compare("RSA-2048 CKM_SHA256_RSA_PKCS_PSS verify 64 B", () -> RsaBackends.verify(RsaBackends.pssVerifier(pss, HashAlg.SHA256, bcPub, PORTABLE), data, pssSig),
                () -> RsaBackends.verify(RsaBackends.pssVerifier(pss, HashAlg.SHA256, accpPub, accp), data, pssSig));

        Mechanism oaep = Mechanism.of(CKM.RSA_PKCS_OAEP, new MechanismParams.Oaep(CKM.SHA256, CKG.MGF1_SHA256, CKZ.DATA_SPECIFIED, null));
        byte[] secret = random(32);
        byte[] oaepCt = crypt(RsaBackends.cipher(oaep, bcPub, true, PORTABLE), secret);
        t.compare("RSA-2048 CKM_RSA_PKCS_OAEP (SHA-256) decrypt 32 B", () -> crypt(RsaBackends.cipher(oaep, bcPriv, false, PORTABLE), oaepCt),
                () -> crypt(RsaBackends.cipher(oaep, accpPriv, false, accp), oaepCt));
        Mechanism pkcs = Mechanism.of(CKM.RSA_PKCS);
        t.compare("RSA-2048 CKM_RSA_PKCS encrypt 32 B", () -> crypt(RsaBackends.cipher(pkcs, bcPub, true, PORTABLE), secret),
                () -> crypt(RsaBackends.cipher(pkcs, accpPub, true, accp), secret));

        // For the record: ACCP's own SHA256withRSA (padding in AWS-LC too) against ours (BC's encoding over ACCP's raw RSA).
        PrivateKey accpKey = KeyFactory.getInstance("RSA", accp.get()).generatePrivate(new RSAPrivateCrtKeySpec(priv.getModulus(),
                priv.getPublicExponent(), priv.getPrivateExponent(), priv.getPrimeP(), priv.getPrimeQ(), priv.getPrimeExponentP(),
                priv.getPrimeExponentQ(), priv.getCrtCoefficient()));
        t.compare("RSA-2048 SHA-256 PKCS#1 sign: ours over ACCP (portable column) vs ACCP's own Signature",
                () -> RsaBackends.sign(RsaBackends.pkcs1Signer(HashAlg.SHA256, accpPriv, accp), data), () -> {
                    Signature s = Signature.getInstance("SHA256withRSA", accp.get());
                    s.initSign(accpKey);
                    s.update(data);
                    s.sign();
                });
    }

    private static void aes(Timings t, Provider accp) throws Exception {
        SecretKeySpec key = new SecretKeySpec(random(32), "AES");
        MechanismParams.Gcm gcm = new MechanismParams.Gcm(random(12), 96, new byte[0], 128);
        byte[] kib = random(1024);
        byte[] mib = random(1 << 20);
        for (byte[] in : new byte[][] {kib, mib}) {
            String size = in.length == 1024 ? "1 KiB" : "1 MiB";
            t.compare("AES-256 CKM_AES_GCM encrypt " + size, () -> crypt(AesBackends.gcm(Providers.SUN_JCE, key, gcm, true), in),
                    () -> crypt(AesBackends.gcm(accp, key, gcm, true), in));
        }
        byte[] ct = crypt(AesBackends.gcm(Providers.SUN_JCE, key, gcm, true), kib);
        t.compare("AES-256 CKM_AES_GCM decrypt 1 KiB", () -> crypt(AesBackends.gcm(Providers.SUN_JCE, key, gcm, false), ct),
                () -> crypt(AesBackends.gcm(accp, key, gcm, false), ct));

        IvParameterSpec iv = new IvParameterSpec(random(16));
        t.compare("AES-256 CKM_AES_CBC_PAD encrypt 1 MiB (kept: SunJCE)", () -> crypt(new JcaBlockCipher("AES/CBC/PKCS5Padding", true, key, iv), mib),
                () -> jca(accp, "AES/CBC/PKCS5Padding", Cipher.ENCRYPT_MODE, key, iv, mib));
        byte[] cbcCt = crypt(new JcaBlockCipher("AES/CBC/PKCS5Padding", true, key, iv), mib);
        t.compare("AES-256 CKM_AES_CBC_PAD decrypt 1 MiB (kept: SunJCE)", () -> crypt(new JcaBlockCipher("AES/CBC/PKCS5Padding", false, key, iv), cbcCt),
                () -> jca(accp, "AES/CBC/PKCS5Padding", Cipher.DECRYPT_MODE, key, iv, cbcCt));

        byte[] target = random(32);
        t.compare("AES-256 CKM_AES_KEY_WRAP_KWP wrap 32 B", () -> crypt(AesBackends.kwp(null, key, true), target),
                () -> crypt(AesBackends.kwp(accp, key, true), target));
        byte[] wrapped = crypt(AesBackends.kwp(null, key, true), target);
        t.compare("AES-256 CKM_AES_KEY_WRAP_KWP unwrap 32 B", () -> crypt(AesBackends.kwp(null, key, false), wrapped),
                () -> crypt(AesBackends.kwp(accp, key, false), wrapped));

        byte[] xtsKey = random(64);
        byte[] tweak = random(16);
        byte[] sector = random(4096);
        t.compare("AES-256 CKM_AES_XTS encrypt 4 KiB", () -> crypt(AesBackends.xts(null, xtsKey, tweak, true), sector),
                () -> crypt(AesBackends.xts(accp, xtsKey, tweak, true), sector));
    }


    /** Single-part C_Encrypt/C_Decrypt: update then final. */
    private static byte[] crypt(CipherOperation op, byte[] in) {
        byte[] a = op.update(in);
        byte[] b = op.doFinal();
        return concat(a, b);
    }

    private static byte[] jca(Provider p, String transformation, int mode, SecretKeySpec key, IvParameterSpec iv, byte[] in) throws Exception {
        Cipher c = Cipher.getInstance(transformation, p);
        c.init(mode, key, iv);
        return c.doFinal(in);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        return io.jhsm.engine.mechanism.Bytes.concat(a, b);
    }
}
