package io.jhsm.conformance.suites.concurrency;

import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.conformance.abi.NativeCryptoki;
import io.jhsm.conformance.rules.ChildJvm;
import io.jhsm.conformance.rules.Expect;
import io.jhsm.conformance.target.TokenSetup;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import java.util.ArrayList;
import java.util.List;

/**
 * Wrong-PIN guessers in processes of their own, since a lockout counter kept per process (or updated by a
 * read-modify-write in a shared store) fails only across processes. The child:
 * {@code Guesser MODULE TOKEN-LABEL START-AT-MILLIS ATTEMPTS THREADS} prints one {@code ANSWER rv} per
 * C_Login and {@code DONE}; all children start guessing at the same wall-clock instant.
 */
public final class Guesser {
    private Guesser() {}

    /** Runs {@code processes} children of {@code threads} guessers each; returns every answer's CK_RV. */
    static List<Long> inProcesses(String module, String label, java.util.Map<String, String> env, int processes, int threads,
                                  int attempts) throws InterruptedException {
        long startAt = System.currentTimeMillis() + 5000; // time for every JVM to start and load the module
        List<ChildJvm> children = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            children.add(ChildJvm.start(Guesser.class, env, List.of(module, label, Long.toString(startAt), Integer.toString(attempts),
                    Integer.toString(threads))));
        }
        List<Long> answers = new ArrayList<>();
        try {
            for (ChildJvm child : children) {
                ChildJvm.Result r = child.await(120);
                Expect.isTrue(r.output().contains("DONE"), "a guessing process did not finish (exit " + r.exit() + "):\n" + r.tail());
                r.output().lines().filter(l -> l.startsWith("ANSWER ")).forEach(l -> answers.add(Long.parseLong(l.substring(7))));
            }
        } finally {
            children.forEach(ChildJvm::kill);
        }
        return answers;
    }

    public static void main(String[] args) throws Exception {
        Cryptoki p = new NativeCryptoki(FunctionList.load(args[0]));
        p.C_Initialize(new InitializeArgs(CKF.OS_LOCKING_OK, false, false));
        long slot = TokenSetup.findByLabel(p, args[1]);
        long startAt = Long.parseLong(args[2]);
        int attempts = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
        List<Thread> guessers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread g = new Thread(() -> {
                for (int i = 0; i < attempts; i++) {
                    long s = p.C_OpenSession(slot, CKF.SERIAL_SESSION | CKF.RW_SESSION);
                    long rv = Expect.rvOf(() -> p.C_Login(s, CKU.USER, LockoutRule.WRONG));
                    p.C_CloseSession(s);
                    synchronized (System.out) {
                        System.out.println("ANSWER " + rv);
                    }
                    if (rv != CKR.PIN_INCORRECT) {
                        break;
                    }
                }
            });
            g.start();
            guessers.add(g);
        }
        for (Thread g : guessers) {
            g.join(120_000);
        }
        p.C_Finalize();
        System.out.println("DONE");
        System.out.flush();
        System.exit(0);
    }
}
