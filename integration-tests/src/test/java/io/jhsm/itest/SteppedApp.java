package io.jhsm.itest;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * cluster_app's {@code steps} mode: one PKCS#11 application, logged in once, that runs one step per line and
 * answers one result line each ("find LABEL 0x0 1"), so a test can watch what a running application sees while
 * its HSM is faulted. Every step is bounded; {@link #close()} ends the process.
 */
final class SteppedApp implements AutoCloseable {
    /** The 32 bytes cluster_app signs: 0x01 … 0x20. */
    static final byte[] SIGNED = new byte[32];

    static {
        for (int i = 0; i < SIGNED.length; i++) SIGNED[i] = (byte) (i + 1);
    }

    private final Background process;
    private int ready;

    SteppedApp(Background process) {
        this.process = process;
        awaitReady();
    }

    /** The step's result as its words: [step, argument…, 0x<rv>, …]. */
    List<String> run(String step) {
        process.send(step);
        awaitReady();
        String[] lines = process.output().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            if (lines[i].startsWith(step + " ")) {
                return List.of(lines[i].split(" "));
            }
        }
        throw new AssertionError("no result line for '" + step + "':\n" + process.output());
    }

    /** The CK_RV of a step ("0x0"). */
    String rv(String step) {
        List<String> words = run(step);
        return words.stream().filter(w -> w.startsWith("0x")).findFirst()
                .orElseThrow(() -> new AssertionError("no CK_RV in " + words + ":\n" + process.output()));
    }

    /** Private keys labelled {@code label} that the application finds; fails unless C_FindObjects returned CKR_OK. */
    long found(String label) {
        List<String> words = run("find " + label);
        if (!words.get(2).equals("0x0")) throw new AssertionError("C_FindObjects failed: " + words + "\n" + process.output());
        return Long.parseLong(words.get(3));
    }

    /** Signs with the private key {@code label}; true when it returned CKR_OK and the JDK verifies it with {@code key}. */
    boolean signsVerifiably(String label, PublicKey key) throws GeneralSecurityException {
        List<String> words = run("sign " + label);
        if (!words.get(2).equals("0x0")) throw new AssertionError("C_Sign failed: " + words + "\n" + process.output());
        Signature v = Signature.getInstance("NONEwithECDSAinP1363Format");
        v.initVerify(key);
        v.update(SIGNED);
        return v.verify(HexFormat.of().parseHex(words.get(3)));
    }

    String output() {
        return process.output();
    }

    private void awaitReady() {
        ready++;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (process.output().lines().filter("ready"::equals).count() < ready) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new AssertionError("cluster_app did not finish its step:\n" + process.output());
            }
            NetworkNode.sleep(20);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) process.send("quit");
        process.awaitExit(Duration.ofSeconds(30));
        process.close();
    }
}
