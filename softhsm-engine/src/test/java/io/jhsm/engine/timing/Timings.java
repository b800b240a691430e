package io.jhsm.engine.timing;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * In-process timing of one primitive under both backends, for the per-primitive table in docs/performance
 * (issue 16). Not a test and never asserts a time: mains in this package print Markdown rows.
 * Each row runs the operation for a warm-up, then takes the best of a few timed rounds (the machine is shared).
 */
public final class Timings {
    /** One measured primitive: what it is, and operations per second with the portable code and with ACCP. */
    public record Row(String primitive, double portable, double accp) {
        double ratio() {
            return accp / portable;
        }
    }

    /** An operation that may throw (JCA does). */
    @FunctionalInterface
    public interface Op {
        void run() throws Exception;
    }

    private final long roundMillis;
    private final int rounds;
    private final List<Row> rows = new ArrayList<>();

    public Timings(long roundMillis, int rounds) {
        this.roundMillis = roundMillis;
        this.rounds = rounds;
    }

    /** Reads {@code -Dtimings.ms} (default 500) and {@code -Dtimings.rounds} (default 3). */
    public static Timings fromSystemProperties() {
        return new Timings(Long.getLong("timings.ms", 500), Integer.getInteger("timings.rounds", 3));
    }

    /** Best operations per second over the rounds, after one warm-up round. */
    public double opsPerSecond(Op op) throws Exception {
        round(op);
        double best = 0;
        for (int i = 0; i < rounds; i++) {
            best = Math.max(best, round(op));
        }
        return best;
    }

    private double round(Op op) throws Exception {
        long deadline = System.nanoTime() + roundMillis * 1_000_000L;
        long start = System.nanoTime();
        long n = 0;
        long now;
        do {
            op.run();
            n++;
            now = System.nanoTime();
        } while (now < deadline);
        return n * 1e9 / (now - start);
    }

    /**
     * Measures both and keeps the row. The rounds alternate (portable, ACCP, portable, …) after a warm-up round of
     * each, so a busy moment of the shared machine hits both sides rather than one.
     */
    public Row compare(String primitive, Op portable, Op accp) throws Exception {
        round(portable);
        round(accp);
        double bestPortable = 0;
        double bestAccp = 0;
        for (int i = 0; i < rounds; i++) {
            bestPortable = Math.max(bestPortable, round(portable));
            bestAccp = Math.max(bestAccp, round(accp));
        }
        Row row = new Row(primitive, bestPortable, bestAccp);
        rows.add(row);
        return row;
    }

    /** The Markdown table of every row so far. */
    public void print(PrintStream out) {
        out.println("| primitive | portable ops/s | ACCP ops/s | ACCP / portable |");
        out.println("|---|--:|--:|--:|");
        for (Row r : rows) {
            out.printf("| %s | %.0f | %.0f | %.2f |%n", r.primitive(), r.portable(), r.accp(), r.ratio());
        }
        out.printf("%nJVM %s %s; %d ms rounds, alternating, best of %d after a warm-up round each.%n",
                System.getProperty("java.vm.vendor"), System.getProperty("java.runtime.version"), roundMillis, rounds);
    }
}
