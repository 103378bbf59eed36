package org.myelin.viz.live;

import org.myelin.core.MyelinException;

/**
 * The spikes the view keeps for panning and zooming back in time: the newest {@link #capacity()} spikes, in step
 * order, in a ring of packed longs (step, layout index). Owned by the view's thread.
 */
public final class SpikeHistory {
    private final long[] ring;
    private final int mask;
    private long head;

    /** @param capacity spikes kept (rounded up to a power of two, at least 1024) */
    public SpikeHistory(int capacity) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new MyelinException("spike history: capacity must be in [1, 2^28] spikes, was " + capacity);
        }
        ring = new long[SpikeFeed.ceilPow2(Math.max(1024, capacity))];
        mask = ring.length - 1;
    }

    public int capacity() {
        return ring.length;
    }

    /** Appends a spike; steps must not decrease. */
    public void add(long step, int neuron) {
        ring[(int) head & mask] = step << 32 | neuron;
        head++;
    }

    /** Spikes held. */
    public int size() {
        return (int) Math.min(head, ring.length);
    }

    /** First step still held completely (earlier steps may have lost spikes to the ring), or 0. */
    public long firstCompleteStep() {
        if (head <= ring.length) {
            return 0;
        }
        return (ring[(int) (head - ring.length) & mask] >>> 32) + 1;
    }

    public void clear() {
        head = 0;
    }

    /** Hands the spikes of steps {@code [fromStep, toStep)} to {@code sink}, in order. */
    public void forEach(long fromStep, long toStep, SpikeFeed.SpikeConsumer sink) {
        long lo = head - size();
        long hi = head;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if ((ring[(int) mid & mask] >>> 32) < fromStep) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (long i = lo; i < head; i++) {
            long e = ring[(int) i & mask];
            long s = e >>> 32;
            if (s >= toStep) {
                break;
            }
            sink.spike(s, (int) e);
        }
    }
}
