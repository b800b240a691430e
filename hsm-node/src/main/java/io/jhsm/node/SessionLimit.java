package io.jhsm.node;

import java.util.concurrent.atomic.AtomicInteger;

/** The node-wide count of open PKCS#11 sessions against its maximum (CloudHSM: HsmSessionCount, 2,048). */
final class SessionLimit {
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    SessionLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxSessions must be at least 1, got " + max);
        }
        this.max = max;
    }

    boolean reserve() {
        int n;
        do {
            n = open.get();
            if (n >= max) {
                return false;
            }
        } while (!open.compareAndSet(n, n + 1));
        return true;
    }

    void release(int n) {
        open.addAndGet(-n);
    }

    int open() {
        return open.get();
    }

    int max() {
        return max;
    }
}
