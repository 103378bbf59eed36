package org.myelin.viz.live;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.myelin.core.MyelinException;
import org.myelin.core.monitor.RecordingSink;
import org.myelin.core.monitor.SpikeMonitor;
import org.myelin.core.network.Network;

/**
 * The bounded hand-over from the simulation thread to the view: a single-producer, single-consumer ring of spikes
 * (step and layout index, packed in a long). The simulation never waits: when the view has not drained the ring and
 * it is full, the spikes that do not fit are dropped and counted ({@link #dropped()}), never lost silently. The view
 * drains whatever is there on each frame.
 */
public final class SpikeFeed implements RecordingSink {
    private final long[] ring;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private final Map<String, Integer> layoutOffset = new HashMap<>();

    /**
     * @param network  the network whose spike monitors feed this; each monitored node's neurons get the layout
     *                 indices {@code layout(node) + i}
     * @param layout   layout offset of every monitored node
     * @param capacity spikes held at most (rounded up to a power of two, at least 1024)
     */
    public SpikeFeed(Network network, Map<String, Integer> layout, int capacity) {
        if (capacity < 1 || capacity > (1 << 28)) {
            throw new MyelinException("spike feed: capacity must be in [1, 2^28] spikes, was " + capacity);
        }
        int c = ceilPow2(Math.max(1024, capacity));
        ring = new long[c];
        mask = c - 1;
        for (SpikeMonitor m : network.spikeMonitors()) {
            Integer off = layout.get(m.node());
            if (off != null) {
                layoutOffset.put(m.name(), off);
            }
        }
    }

    static int ceilPow2(int n) {
        int c = Integer.highestOneBit(n);
        return c == n ? c : c << 1;
    }

    public int capacity() {
        return ring.length;
    }

    /** Simulation side. Spikes beyond the free space are dropped and counted. */
    @Override
    public void spikes(SpikeMonitor monitor, long step, int[] neurons, int count) {
        Integer off = layoutOffset.get(monitor.name());
        if (off == null || count == 0) {
            return;
        }
        offered.addAndGet(count);
        long h = head.get();
        int free = (int) (ring.length - (h - tail.get()));
        int n = Math.min(free, count);
        long hi = step << 32;
        for (int k = 0; k < n; k++) {
            ring[(int) (h + k) & mask] = hi | (off + neurons[k]);
        }
        head.lazySet(h + n);
        if (n < count) {
            dropped.addAndGet(count - n);
        }
    }

    /**
     * View side: hands every spike waiting to {@code sink} (step, layout index), oldest first, and frees their space.
     * Returns how many.
     */
    public int drain(SpikeConsumer sink) {
        long t = tail.get();
        long h = head.get();
        for (long i = t; i < h; i++) {
            long e = ring[(int) i & mask];
            sink.spike(e >>> 32, (int) e);
        }
        tail.lazySet(h);
        return (int) (h - t);
    }

    /** Spikes dropped because the view fell behind. */
    public long dropped() {
        return dropped.get();
    }

    /** Spikes the simulation handed over, dropped ones included. */
    public long offered() {
        return offered.get();
    }

    /** Receives drained spikes. */
    @FunctionalInterface
    public interface SpikeConsumer {
        void spike(long step, int neuron);
    }
}
