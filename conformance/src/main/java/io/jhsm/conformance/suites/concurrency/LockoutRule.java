package io.jhsm.conformance.suites.concurrency;

import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.rules.Rule;
import io.jhsm.conformance.rules.RuleContext;
import io.jhsm.conformance.rules.Skip;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The login-failure lockout holds under parallel guessing. A module that locks a user (CKR_PIN_LOCKED, or
 * CKF_USER_PIN_LOCKED in C_GetTokenInfo) after some number of wrong PINs must not answer more wrong guesses
 * CKR_PIN_INCORRECT when they arrive from several threads at once, and a correct PIN must not unlock the
 * user. The limit is measured first with guesses one at a time. The suite's own user is locked on purpose,
 * so the rule needs the SO PIN, which restores the user PIN (C_InitPIN) afterwards, whatever happens.
 */
final class LockoutRule {
    private LockoutRule() {}

    static final int THREADS = 8;
    static final int PROCESSES = 4;
    static final int THREADS_EACH = 2;
    /** Guesses one at a time before concluding the module has no lockout. */
    static final int MAX_SEQUENTIAL = 24;
    static final byte[] WRONG = "conformance-wrong-pin".getBytes(StandardCharsets.UTF_8);

    static Rule rule() {
        return new Rule("concurrency.login-lockout-race", ConcurrencyRules.SUITE,
                "PKCS#11 3.0 §5.1 (CKR_PIN_LOCKED), §5.5 (CKF_USER_PIN_LOCKED), §5.6 (C_Login)",
                "Guessers (" + PROCESSES + " processes x " + THREADS_EACH + " threads for a shared object, " + THREADS
                        + " threads in-process) trying wrong user PINs at once get at most as many CKR_PIN_INCORRECT answers as the module "
                        + "allows one at a time, then CKR_PIN_LOCKED; the correct PIN does not unlock the user afterwards. "
                        + "Skipped when the module reports no lockout.", LockoutRule::check);
    }

    private static void check(RuleContext ctx) throws Exception {
        byte[] so = ctx.target().soPin();
        if (so == null) {
            throw new Skip("locking the user on purpose needs --so-pin, to restore the user PIN afterwards");
        }
        Cryptoki p = ctx.p();
        try {
            int limit = sequentialLimit(ctx, p);
            ctx.note("one guess at a time: " + limit + " x CKR_PIN_INCORRECT, then locked");
            restore(ctx, p, so);
            Map<Long, AtomicLong> answers = parallelGuesses(ctx, p, limit);
            ctx.note("guessers at once: " + names(answers));
            for (long rv : answers.keySet()) {
                Expect.isTrue(rv == CKR.PIN_INCORRECT || rv == CKR.PIN_LOCKED, "a wrong PIN answered " + CKR.name(rv));
            }
            long incorrect = answers.getOrDefault(CKR.PIN_INCORRECT, new AtomicLong()).get();
            Expect.isTrue(incorrect <= limit, incorrect + " parallel wrong PINs were answered CKR_PIN_INCORRECT; one at a time the "
                    + "module locks after " + limit);
            long correct = login(p, ctx, ctx.target().userPin());
            Expect.equal(CKR.name(CKR.PIN_LOCKED), CKR.name(correct), "the correct PIN after the lockout");
        } finally {
            restore(ctx, p, so);
        }
    }

    /** Wrong guesses one at a time until the module locks the user; skips when it never does. */
    private static int sequentialLimit(RuleContext ctx, Cryptoki p) {
        int incorrect = 0;
        for (int i = 0; i < MAX_SEQUENTIAL; i++) {
            long rv = login(p, ctx, WRONG);
            if (rv == CKR.PIN_INCORRECT) {
                incorrect++;
            } else {
                Expect.equal(CKR.name(CKR.PIN_LOCKED), CKR.name(rv), "a wrong PIN");
            }
            if (rv == CKR.PIN_LOCKED || (p.C_GetTokenInfo(ctx.slot()).flags() & CKF.USER_PIN_LOCKED) != 0) {
                return incorrect;
            }
        }
        throw new Skip("the module reports no lockout after " + MAX_SEQUENTIAL + " wrong PINs (no CKR_PIN_LOCKED, no CKF_USER_PIN_LOCKED)");
    }

    /**
     * Shared objects: {@link #PROCESSES} processes of {@link #THREADS_EACH} threads (the race a counter kept per process,
     * or written back after the check, loses); in-process: {@link #THREADS} threads.
     */
    private static Map<Long, AtomicLong> parallelGuesses(RuleContext ctx, Cryptoki p, int limit) throws Exception {
        Map<Long, AtomicLong> answers = new ConcurrentHashMap<>();
        if (ctx.target().functions() != null) {
            for (long rv : Guesser.inProcesses(ctx.target().functions().path(), p.C_GetTokenInfo(ctx.slot()).label().strip(),
                    ctx.target().childEnvironment(), PROCESSES, THREADS_EACH, limit + 2)) {
                answers.computeIfAbsent(rv, k -> new AtomicLong()).incrementAndGet();
            }
            return answers;
        }
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                work.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i <= limit + 1; i++) { // bounded: a few more than the limit each
                        long rv = login(p, ctx, WRONG);
                        answers.computeIfAbsent(rv, k -> new AtomicLong()).incrementAndGet();
                        if (rv != CKR.PIN_INCORRECT) {
                            break;
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return answers;
    }

    /** C_Login as the user in a session of its own; returns the CK_RV (a success is logged out again). */
    private static long login(Cryptoki p, RuleContext ctx, byte[] pin) {
        long s = p.C_OpenSession(ctx.slot(), CKF.SERIAL_SESSION | CKF.RW_SESSION);
        try {
            long rv = Expect.rvOf(() -> p.C_Login(s, CKU.USER, pin));
            if (rv == CKR.OK) {
                p.C_Logout(s);
            }
            return rv;
        } finally {
            p.C_CloseSession(s);
        }
    }

    /** The SO sets the user PIN again, which unlocks the user (C_InitPIN), and the user can log in. */
    private static void restore(RuleContext ctx, Cryptoki p, byte[] so) {
        ctx.reset();
        long s = p.C_OpenSession(ctx.slot(), CKF.SERIAL_SESSION | CKF.RW_SESSION);
        try {
            p.C_Login(s, CKU.SO, so);
            p.C_InitPIN(s, ctx.target().userPin());
            p.C_Logout(s);
        } catch (CkException e) {
            throw new AssertionError("could not restore the user PIN with the SO's C_InitPIN: " + CKR.name(e.rv()), e);
        } finally {
            p.C_CloseSession(s);
        }
    }

    private static String names(Map<Long, AtomicLong> answers) {
        return answers.entrySet().stream().map(e -> e.getValue().get() + " x " + CKR.name(e.getKey())).sorted().toList().toString();
    }
}
