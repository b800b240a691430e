package io.jhsm.engine.mechanism;

import io.jhsm.engine.mechanism.ec.EcCurves;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.List;

/**
 * Per-call cost through the mechanism SPI with cached keys (what the engine pays per C_Sign etc.).
 * Not a JUnit test: run with {@code java -cp <test+main classes + bcprov> io.jhsm.engine.mechanism.MechanismBench}
 * on each JDK. Plain loop, warm-up first, best of three rounds.
 */
public final class MechanismBench {
    interface Op {
        void run();
    }

    static void time(String name, int iters, Op op) {
        long end = System.nanoTime() + 700_000_000L;
        while (System.nanoTime() < end) {
            op.run();
        }
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) {
                op.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / iters);
        }
        System.out.printf("%-34s %9.1f us%n", name, best / 1000.0);
    }

    public static void main(String[] args) throws Exception {
        byte[] m64 = TestKeys.bytes(64, 1);
        byte[] m8k = TestKeys.bytes(8192, 2);
        KeyView aes = TestKeys.secret(CKK.AES, TestKeys.bytes(32, 3));
        KeyView hmac = TestKeys.secret(CKK.GENERIC_SECRET, TestKeys.bytes(32, 4));
        MechanismParams.Bytes iv = new MechanismParams.Bytes(new byte[16]);
        for (byte[] m : new byte[][] {m64, m8k}) {
            String n = " " + m.length + "B";
            time("SHA256" + n, 20000, () -> {
                DigestOperation d = TestKeys.impl(CKM.SHA256).digest(Mechanism.of(CKM.SHA256));
                d.update(m);
                d.digest();
            });
            time("SHA256_HMAC sign" + n, 20000, () -> {
                SignOperation s = TestKeys.impl(CKM.SHA256_HMAC).sign(Mechanism.of(CKM.SHA256_HMAC), hmac);
                s.update(m);
                s.sign();
            });
            time("AES_CBC encrypt" + n, 20000, () -> TestKeys.run(TestKeys.impl(CKM.AES_CBC).encrypt(Mechanism.of(CKM.AES_CBC, iv), aes), m));
            time("AES_CTR encrypt" + n, 20000, () -> TestKeys.run(TestKeys.impl(CKM.AES_CTR).encrypt(
                    Mechanism.of(CKM.AES_CTR, new MechanismParams.Ctr(128, new byte[16])), aes), m));
            time("AES_GCM encrypt" + n, 20000, () -> TestKeys.run(TestKeys.impl(CKM.AES_GCM).encrypt(
                    Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(new byte[12], 96, new byte[0], 128)), aes), m));
        }
        for (EcCurves.Curve c : EcCurves.ALL) {
            GeneratedKeyPair kp = TestKeys.impl(CKM.EC_KEY_PAIR_GEN).generateKeyPair(Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                    new TemplateView(List.of(Attribute.of(CKA.EC_PARAMS, c.encodedOid()))), new TemplateView(List.of()));
            KeyView pub = TestKeys.key(CKO.PUBLIC_KEY, CKK.EC, kp.publicKey());
            KeyView priv = TestKeys.key(CKO.PRIVATE_KEY, CKK.EC, kp.privateKey());
            byte[] sig = sign(CKM.ECDSA_SHA256, priv, m64);
            time("ECDSA_SHA256 sign " + c.names().get(0), 300, () -> sign(CKM.ECDSA_SHA256, priv, m64));
            time("ECDSA_SHA256 verify " + c.names().get(0), 300, () -> verify(CKM.ECDSA_SHA256, pub, m64, sig));
        }
        GeneratedKeyPair rsa = TestKeys.impl(CKM.RSA_PKCS_KEY_PAIR_GEN).generateKeyPair(Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
                new TemplateView(List.of(Attribute.of(CKA.MODULUS_BITS, 2048L))), new TemplateView(List.of()));
        KeyView pub = TestKeys.key(CKO.PUBLIC_KEY, CKK.RSA, rsa.publicKey());
        KeyView priv = TestKeys.key(CKO.PRIVATE_KEY, CKK.RSA, rsa.privateKey());
        byte[] sig = sign(CKM.SHA256_RSA_PKCS, priv, m64);
        time("SHA256_RSA_PKCS sign 2048", 200, () -> sign(CKM.SHA256_RSA_PKCS, priv, m64));
        time("SHA256_RSA_PKCS verify 2048", 3000, () -> verify(CKM.SHA256_RSA_PKCS, pub, m64, sig));
    }

    private static byte[] sign(long ckm, KeyView key, byte[] data) {
        SignOperation s = TestKeys.impl(ckm).sign(Mechanism.of(ckm), key);
        s.update(data);
        return s.sign();
    }

    private static void verify(long ckm, KeyView key, byte[] data, byte[] sig) {
        VerifyOperation v = TestKeys.impl(ckm).verify(Mechanism.of(ckm), key);
        v.update(data);
        v.verify(sig);
    }
}
