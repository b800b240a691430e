package io.jhsm.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentAnswerTest {
    @Test
    void aYesIsKeptForItsMomentAndANoIsAskedEveryTime() {
        AtomicBoolean state = new AtomicBoolean(false);
        AtomicInteger asked = new AtomicInteger();
        AtomicLong now = new AtomicLong(0);
        RecentAnswer initialized = new RecentAnswer(() -> {
            asked.incrementAndGet();
            return state.get();
        }, 1_000, now::get);

        assertFalse(initialized.getAsBoolean());
        assertFalse(initialized.getAsBoolean());
        assertEquals(2, asked.get(), "a no is never kept: initialization must be seen at once");

        state.set(true);
        assertTrue(initialized.getAsBoolean());
        now.set(999);
        assertTrue(initialized.getAsBoolean());
        assertEquals(3, asked.get(), "a yes is kept for its moment");

        state.set(false); // zeroized
        now.set(1_000);
        assertFalse(initialized.getAsBoolean(), "after its moment the yes is asked again");
        assertEquals(4, asked.get());
    }
}
