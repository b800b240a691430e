package io.jhsm.node;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A yes that stays yes for a moment. Whether the cluster is initialized is asked on every call, and the
 * answer costs a file stat; once it is yes it changes only by zeroizing the cluster, so a yes is kept for
 * {@code keepNanos} (a no is asked again every time: initialization must be seen at once).
 */
final class RecentAnswer implements BooleanSupplier {
    private final BooleanSupplier source;
    private final long keepNanos;
    private final LongSupplier clock;
    private volatile long yesUntil;
    private volatile boolean yes;

    RecentAnswer(BooleanSupplier source, long keepNanos, LongSupplier clock) {
        this.source = source;
        this.keepNanos = keepNanos;
        this.clock = clock;
    }

    static RecentAnswer forOneSecond(BooleanSupplier source) {
        return new RecentAnswer(source, 1_000_000_000L, System::nanoTime);
    }

    @Override
    public boolean getAsBoolean() {
        long now = clock.getAsLong();
        if (yes && now - yesUntil < 0) {
            return true;
        }
        boolean answer = source.getAsBoolean();
        yesUntil = now + keepNanos;
        yes = answer;
        return answer;
    }
}
