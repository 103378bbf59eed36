package org.myelin.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import org.myelin.core.MyelinException;

/**
 * A reusable barrier for a fixed number of threads that spins briefly, then yields. Steps are short (tens
 * of microseconds), so parking would cost more than the step; the spin is short too, so that a waiting
 * worker gives its core away quickly when the machine has more runnable threads than cores (the JIT
 * compiler, other processes). Breaks, and makes every waiter throw, when a party fails.
 */
final class SpinBarrier {
    private static final int SPINS = 256;
    private final int parties;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int generation;
    private volatile boolean broken;

    SpinBarrier(int parties) {
        this.parties = parties;
    }

    void await() {
        int g = generation;
        if (arrived.incrementAndGet() == parties) {
            arrived.set(0);
            generation = g + 1;
            return;
        }
        int spins = 0;
        while (generation == g) {
            if (broken) {
                throw new MyelinException("a worker thread of the CPU engine failed");
            }
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    void breakBarrier() {
        broken = true;
    }
}
