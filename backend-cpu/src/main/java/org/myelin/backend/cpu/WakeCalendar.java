package org.myelin.backend.cpu;

import java.util.Arrays;

/**
 * The event-grid engine's scheduled wake-ups: a calendar of 4096 slots, slot {@code step mod 4096} listing the
 * neurons to visit at that step. A neuron is listed again when its prediction changes and is never removed; a
 * listing counts only if the neuron's record still names that step (its current prediction), so stale entries and
 * entries for a later lap of the calendar are skipped. Predictions reach at most {@link EventGridEngine#SCAN} steps
 * ahead, less than a lap.
 */
final class WakeCalendar {
    private static final int SLOTS = 4096;
    private final int[][] list = new int[SLOTS][];
    private final int[] count = new int[SLOTS];

    WakeCalendar() {
        for (int s = 0; s < SLOTS; s++) {
            list[s] = new int[8];
        }
    }

    /** Lists neuron {@code i} for step {@code m}. */
    void add(int i, int m) {
        int slot = m & (SLOTS - 1);
        int c = count[slot];
        if (c == list[slot].length) {
            list[slot] = Arrays.copyOf(list[slot], c * 2);
        }
        list[slot][c] = i;
        count[slot] = c + 1;
    }

    /**
     * Empties step {@code n}'s slot and returns how many neurons it listed; they are {@link #listed}{@code (n)[0 ..
     * count)} until the slot is next added to.
     */
    int drain(int n) {
        int slot = n & (SLOTS - 1);
        int c = count[slot];
        count[slot] = 0;
        return c;
    }

    /** The list of step {@code n}'s slot (valid up to the count {@link #drain} returned). */
    int[] listed(int n) {
        return list[n & (SLOTS - 1)];
    }

    /** Forgets every listing (a restore lists the restored predictions again). */
    void clear() {
        Arrays.fill(count, 0);
    }
}
