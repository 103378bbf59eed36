package org.myelin.backend.cpu;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.monitor.Recording;

/**
 * The spike window of a clock engine distributed over ranks ({@link SpikeExchange}). Spikes are not delivered at
 * the next step but once per window of D steps (D = the network's shortest delay, so no spike is due before its
 * window ends): each worker keeps its spikes of the window's steps ({@link #keep}), worker 0 the generators'
 * ({@link #keepSources}); after the window's last step worker 0 all-gathers them ({@link #exchange}), reports them
 * to the recording, and the next step delivers them step by step ({@link #deliver}), each step's spikes in
 * ascending global index (ranks own ascending ranges), then the generators' (every rank draws them alike). Every
 * target thus receives exactly the sums of one process, in the same order: spikes are identical for any number of
 * ranks and threads.
 *
 * <p>A rank's block in the all-gather: the step count m, m per-step counts, then each step's spikes (the workers'
 * lists in order, so ascending).
 */
final class SpikeWindow {
    /** The longest window, steps (a network without delays up to this). */
    static final int MAX_STEPS = 1024;
    private final SpikeExchange exchange;
    /** Steps per window. */
    final int steps;
    private final int neurons;
    private final int sourceEnd;
    /** Per worker: its spikes of the window being run, where each step's begin, and the steps kept. */
    private final int[][] kept;
    private final int[][] keptStart;
    private final int[] keptSteps;
    /** Generators' spikes of the window being run (worker 0). */
    private int[] sources = new int[16];
    private int[] sourceStart;
    private int sourceSteps;
    private int[] packed = new int[16];
    /** The last gathered window: every rank's block, where each step begins in it, its first step and length. */
    private int[][] gathered;
    private int[][] gatheredOffset;
    private long gatheredFrom;
    private int gatheredSteps;
    private int[] gatheredSources = new int[0];
    private int[] gatheredSourceStart = new int[1];
    /** The step that delivers the gathered window (-1: none pending). */
    private volatile long deliverAt = -1;
    private long exchanges;
    private long exchangeNanos;
    private long exchangedInts;

    /**
     * @param shortestDelay this rank's shortest delay ({@link #MAX_STEPS} without synapses); the window is the
     *                      shortest over all ranks
     */
    SpikeWindow(SpikeExchange exchange, long shortestDelay, int neurons, int sources, int workers) {
        this.exchange = exchange;
        this.steps = (int) exchange.allReduceMin(new long[] {Math.min(shortestDelay, MAX_STEPS)})[0];
        this.neurons = neurons;
        this.sourceEnd = neurons + sources;
        kept = new int[workers][16];
        keptStart = new int[workers][steps + 1];
        keptSteps = new int[workers];
        sourceStart = new int[steps + 1];
    }

    int rank() {
        return exchange.rank();
    }

    int ranks() {
        return exchange.size();
    }

    long exchanges() {
        return exchanges;
    }

    double exchangeSeconds() {
        return exchangeNanos * 1e-9;
    }

    long exchangedInts() {
        return exchangedInts;
    }

    /** Whether the window ends after step n of an advance over [from, to). */
    boolean endsAfter(long n, long from, long to) {
        return n + 1 == to || (n + 1 - from) % steps == 0;
    }

    /** Steps in the window that ends after step n (windows start at the advance's first step). */
    int stepsEndingAfter(long n, long from) {
        return (int) ((n - from) % steps) + 1;
    }

    /** Appends worker {@code worker}'s spikes of this step ({@code spikes[0, count)}) to its window. */
    void keep(int worker, int[] spikes, int count) {
        int k = keptSteps[worker]++;
        int at = keptStart[worker][k];
        if (kept[worker].length < at + count) {
            kept[worker] = Arrays.copyOf(kept[worker], Math.max(2 * kept[worker].length, at + count));
        }
        System.arraycopy(spikes, 0, kept[worker], at, count);
        keptStart[worker][k + 1] = at + count;
    }

    /** Worker 0: appends the generators' spikes of this step to the window. */
    void keepSources(int[] spikes, int count) {
        int k = sourceSteps++;
        int at = sourceStart[k];
        if (sources.length < at + count) {
            sources = Arrays.copyOf(sources, Math.max(2 * sources.length, at + count));
        }
        System.arraycopy(spikes, 0, sources, at, count);
        sourceStart[k + 1] = at + count;
    }

    /**
     * Worker 0 while the others wait: all-gathers the spikes of steps [first, end), reports them to {@code rec}
     * ({@code scratch} holds one step's spikes of every rank) and arms their delivery at step {@code end}.
     */
    void exchange(long first, long end, Recording.Bound rec, int[] scratch) {
        int m = (int) (end - first);
        int total = 0;
        for (int w = 0; w < kept.length; w++) {
            if (keptSteps[w] != m) {
                throw new IllegalStateException("window of " + m + " steps, worker " + w + " kept " + keptSteps[w]);
            }
            total += keptStart[w][m];
        }
        int length = 1 + m + total;
        if (packed.length < length) {
            packed = new int[Math.max(length, 2 * packed.length)];
        }
        packed[0] = m;
        int at = 1 + m;
        for (int k = 0; k < m; k++) {
            int c = 0;
            for (int w = 0; w < kept.length; w++) {
                int from = keptStart[w][k];
                int n = keptStart[w][k + 1] - from;
                System.arraycopy(kept[w], from, packed, at, n);
                at += n;
                c += n;
            }
            packed[1 + k] = c;
        }
        long t0 = System.nanoTime();
        int[][] blocks = exchange.allGather(packed, length);
        exchangeNanos += System.nanoTime() - t0;
        exchanges++;
        exchangedInts += length;
        take(blocks, offsets(blocks, m, "spike exchange"), first, m);
        int[] swap = gatheredSources;
        gatheredSources = sources;
        sources = swap.length == 0 ? new int[16] : swap;
        int[] swapStart = gatheredSourceStart;
        gatheredSourceStart = sourceStart;
        sourceStart = swapStart.length == steps + 1 ? swapStart : new int[steps + 1];
        sourceSteps = 0;
        Arrays.fill(keptSteps, 0);
        if (rec.wantsAnySpikes()) {
            for (int k = 0; k < m; k++) {
                int c = 0;
                for (int r = 0; r < gathered.length; r++) {
                    int from = gatheredOffset[r][k];
                    int n = gatheredOffset[r][k + 1] - from;
                    System.arraycopy(gathered[r], from, scratch, c, n);
                    c += n;
                }
                int from = gatheredSourceStart[k];
                int n = gatheredSourceStart[k + 1] - from;
                System.arraycopy(gatheredSources, from, scratch, c, n);
                rec.stepSpikes(first + k, scratch, 0, c + n);
            }
        }
        deliverAt = end;
    }

    /** Whether step {@code n} delivers the gathered window. */
    boolean deliversAt(long n) {
        return n == deliverAt;
    }

    /** Delivers the gathered window, step by step, to worker p's targets. */
    void deliver(CpuEngine engine, ClockWorker p) {
        for (int k = 0; k < gatheredSteps; k++) {
            long spikeStep = gatheredFrom + k;
            for (int r = 0; r < gathered.length; r++) {
                int from = gatheredOffset[r][k];
                engine.deliver(p, gathered[r], from, gatheredOffset[r][k + 1] - from, spikeStep);
            }
            int from = gatheredSourceStart[k];
            engine.deliver(p, gatheredSources, from, gatheredSourceStart[k + 1] - from, spikeStep);
        }
    }

    /** Where each step of each rank's block begins (checked: m steps, counts that add up, neurons in range). */
    private int[][] offsets(int[][] blocks, int m, String source) {
        int[][] offsets = new int[blocks.length][m + 1];
        for (int r = 0; r < blocks.length; r++) {
            int[] b = blocks[r];
            if (b.length < 1 + m || b[0] != m) {
                throw new MyelinException(source + ": rank " + r + " sent a window of "
                        + (b.length == 0 ? "nothing" : b[0] + " steps") + ", this rank ran " + m
                        + " (every rank must advance over the same steps)");
            }
            int o = 1 + m;
            for (int k = 0; k < m; k++) {
                offsets[r][k] = o;
                if (b[1 + k] < 0) {
                    throw new MyelinException(source + ": rank " + r + " sent a negative spike count");
                }
                o += b[1 + k];
            }
            offsets[r][m] = o;
            if (o != b.length) {
                throw new MyelinException(source + ": rank " + r + " sent a malformed block");
            }
            for (int i = 1 + m; i < b.length; i++) {
                if (b[i] < 0 || b[i] >= neurons) {
                    throw new MyelinException(source + ": spiking neuron " + b[i] + " is out of range");
                }
            }
        }
        return offsets;
    }

    private void take(int[][] blocks, int[][] offsets, long first, int m) {
        gatheredOffset = offsets;
        gathered = blocks;
        gatheredFrom = first;
        gatheredSteps = m;
    }

    /**
     * Writes this rank's place (rank, ranks, its neurons [first, end), the window) and the window still to be
     * delivered at {@code step} (none when it was delivered).
     */
    void save(Checkpoint c, long step, int first, int end) {
        c.put("rank", new int[] {rank(), ranks(), first, end, steps});
        boolean pending = gathered != null && deliverAt == step;
        int m = pending ? gatheredSteps : 0;
        c.put("pending", new int[] {m, (int) (gatheredFrom >>> 32), (int) gatheredFrom});
        if (!pending) {
            return;
        }
        int[] lengths = new int[gathered.length];
        int sum = 0;
        for (int r = 0; r < gathered.length; r++) {
            lengths[r] = gathered[r].length;
            sum += lengths[r];
        }
        int[] all = new int[sum];
        int at = 0;
        for (int[] b : gathered) {
            System.arraycopy(b, 0, all, at, b.length);
            at += b.length;
        }
        c.put("pending.lengths", lengths).put("pending.blocks", all);
        c.put("pending.sourceStart", Arrays.copyOf(gatheredSourceStart, m + 1));
        c.put("pending.sources", Arrays.copyOf(gatheredSources, gatheredSourceStart[m]));
    }

    /** A checked window read from a checkpoint, applied by {@link #load}. */
    record Pending(int steps, long from, int[][] blocks, int[][] offsets, int[] sourceStart, int[] sources) {
    }

    /** Refuses a checkpoint part unless the same rank of a run with as many ranks wrote it (this rank owns [first, end)). */
    void requirePart(Checkpoint c, int first, int end) {
        if (!c.has("rank")) {
            throw new MyelinException("restore: this checkpoint is of a network run in one process; a distributed network"
                    + " (rank " + rank() + " of " + ranks() + ") restores the parts its ranks wrote");
        }
        int[] info = c.ints("rank", 5);
        if (info[1] != ranks() || info[0] != rank() || info[2] != first || info[3] != end || info[4] != steps) {
            throw new MyelinException("restore: this part was written by rank " + info[0] + " of " + info[1]
                    + " (neurons [" + info[2] + ", " + info[3] + ")); this is rank " + rank() + " of " + ranks()
                    + " (neurons [" + first + ", " + end + ")): restore with the same rank count, each rank"
                    + " its own part");
        }
    }

    /** Reads and checks the window a checkpoint part still has to deliver ({@link #requirePart} first); changes nothing. */
    Pending read(Checkpoint c) {
        int[] pend = c.ints("pending", 3);
        int m = pend[0];
        long from = ((long) pend[1] << 32) | (pend[2] & 0xFFFFFFFFL);
        if (m < 0 || m > steps) {
            throw new MyelinException("checkpoint: a pending window of " + m + " steps (the window is " + steps + ")");
        }
        if (m == 0) {
            return new Pending(0, from, null, null, null, null);
        }
        int[] lengths = c.ints("pending.lengths", ranks());
        int[] all = c.ints("pending.blocks");
        int[][] blocks = new int[ranks()][];
        int at = 0;
        for (int r = 0; r < lengths.length; r++) {
            if (lengths[r] < 0 || at + lengths[r] > all.length) {
                throw new MyelinException("checkpoint: malformed pending window");
            }
            blocks[r] = Arrays.copyOfRange(all, at, at + lengths[r]);
            at += lengths[r];
        }
        int[] srcStart = c.ints("pending.sourceStart", m + 1);
        int[] srcs = c.ints("pending.sources");
        for (int k = 0; k < m; k++) {
            if (srcStart[0] != 0 || srcStart[k + 1] < srcStart[k] || srcStart[m] != srcs.length) {
                throw new MyelinException("checkpoint: malformed pending generator spikes");
            }
        }
        for (int g : srcs) {
            if (g < neurons || g >= sourceEnd) {
                throw new MyelinException("checkpoint: spiking generator " + g + " is out of range");
            }
        }
        if (from + m != c.step()) {
            throw new MyelinException("checkpoint: the pending window does not end at the checkpoint's step");
        }
        return new Pending(m, from, blocks, offsets(blocks, m, "checkpoint"), srcStart, srcs);
    }

    /** Continues from a window read by {@link #read}, at the checkpoint's step. */
    void load(Pending p, long step) {
        Arrays.fill(keptSteps, 0);
        sourceSteps = 0;
        if (p.steps() > 0) {
            take(p.blocks(), p.offsets(), p.from(), p.steps());
            gatheredSources = p.sources();
            gatheredSourceStart = Arrays.copyOf(p.sourceStart(), steps + 1);
            deliverAt = step;
        } else {
            gathered = null;
            deliverAt = -1;
        }
    }
}
