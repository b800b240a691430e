package io.jhsm.conformance.suites.concurrency;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.suites.Keys;
import io.jhsm.conformance.suites.Oracle;
import io.jhsm.conformance.suites.Parts;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.Mechanism;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** Several threads at once (PKCS#11 3.0 §5.1 multi-threading with CKF_OS_LOCKING_OK). */
public final class ConcurrencyRules {
    private ConcurrencyRules() {}

    public static final String SUITE = "concurrency";
    static final int THREADS = 4;

    public static List<Rule> rules() {
        return List.of(
                new Rule("concurrency.session-per-thread", SUITE, "PKCS#11 3.0 §2.5.2, §5.4 (CKF_OS_LOCKING_OK)",
                        "Threads each with their own session sign (ECDSA P-256) and encrypt (AES-ECB) at the same time; every result "
                                + "verifies under Bouncy Castle.", ConcurrencyRules::perThread),
                new Rule("concurrency.shared-session", SUITE, "PKCS#11 3.0 §2.5.2, §5.2",
                        "Threads sharing one session get either correct results or CKR_OPERATION_ACTIVE / "
                                + "CKR_OPERATION_NOT_INITIALIZED, never a wrong digest or another error.", ConcurrencyRules::shared),
                LockoutRule.rule());
    }

    private static void perThread(RuleContext ctx) throws Exception {
        ctx.requireMechanisms(CKM.EC_KEY_PAIR_GEN, CKM.ECDSA, CKM.AES_ECB);
        Cryptoki p = ctx.p();
        long s0 = ctx.userSession();
        long[] pair = Keys.ecPair(ctx, s0, "secp256r1", Keys.P256);
        PublicKey pub = Oracle.ecPublic(p, s0, pair[0], "secp256r1");
        byte[] aes = new byte[16];
        new Random(ctx.seed()).nextBytes(aes);
        long key = Keys.aes(p, s0, aes, Attribute.of(CKA.ENCRYPT, true));
        int rounds = ctx.examples(15);
        List<Future<?>> work = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(ctx.seed() + t);
                work.add(pool.submit(() -> {
                    long s = ctx.userSession();
                    for (int i = 0; i < rounds; i++) {
                        byte[] data = new byte[32 + random.nextInt(64) / 16 * 16];
                        random.nextBytes(data);
                        byte[] hash = MessageDigest.getInstance("SHA-256").digest(data);
                        p.C_SignInit(s, Mechanism.of(CKM.ECDSA), pair[1]);
                        Signature v = Signature.getInstance("NONEwithECDSA", Oracle.BC);
                        v.initVerify(pub);
                        v.update(hash);
                        Expect.isTrue(v.verify(Oracle.rawToDer(Parts.signOnce(p, s, hash))), "a concurrent signature does not verify");
                        p.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), key);
                        Cipher c = Cipher.getInstance("AES/ECB/NoPadding", Oracle.BC);
                        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aes, "AES"));
                        Expect.bytes(c.doFinal(data), Parts.encryptOnce(p, s, data), "a concurrent encryption");
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                unwrap(f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void shared(RuleContext ctx) throws Exception {
        ctx.requireMechanisms(CKM.SHA256);
        Cryptoki p = ctx.p();
        long s = ctx.rwSession();
        int rounds = ctx.examples(100);
        Set<Long> allowed = Set.of(CKR.OPERATION_ACTIVE, CKR.OPERATION_NOT_INITIALIZED);
        List<Future<?>> work = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(ctx.seed() * 31 + t);
                work.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        byte[] data = new byte[random.nextInt(100)];
                        random.nextBytes(data);
                        try {
                            p.C_DigestInit(s, Mechanism.of(CKM.SHA256));
                        } catch (CkException e) {
                            Expect.isTrue(allowed.contains(e.rv()), "C_DigestInit on a shared session: " + CKR.name(e.rv()));
                        }
                        try {
                            byte[] out = new byte[32];
                            int n = p.C_Digest(s, data, out);
                            Expect.bytes(MessageDigest.getInstance("SHA-256").digest(data), java.util.Arrays.copyOf(out, n),
                                    "C_Digest on a shared session returned another thread's or a corrupt digest");
                        } catch (CkException e) {
                            Expect.isTrue(allowed.contains(e.rv()), "C_Digest on a shared session: " + CKR.name(e.rv()));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                unwrap(f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void unwrap(Future<?> f) throws Exception {
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw (Exception) e.getCause();
        }
    }
}
