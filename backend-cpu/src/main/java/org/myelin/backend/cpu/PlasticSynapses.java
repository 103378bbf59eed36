package org.myelin.backend.cpu;

import org.myelin.core.MyelinException;
import org.myelin.core.network.Network;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.plasticity.PlasticityRule;

/**
 * The learning state of one plastic projection on the clock engine: the per-synapse weights (the projection's own
 * weight array, changed in place), two traces per target neuron and, per worker, a private copy of the two traces
 * per source neuron. A trace is held as its value just after the last spike and that spike's step, and decayed
 * exactly when read ({@code x exp(-(n - last) dt / tau)}).
 *
 * <p>Why it needs no locks: every synapse onto a target lies in the row piece of the worker that owns the target
 * ({@link ProjectionSynapses#split}), and the synapses onto a target are listed by target ({@code colStart},
 * {@code colSynapse}), so both updates of a synapse (on its source's spike and on its target's spike) are made by
 * that worker; the target's traces are written by it alone; and each worker bumps its own copy of the source traces
 * for every spike it delivers, so they are the same in every worker. Updates of a synapse come in the same order for
 * any thread count, so the weights are bit-identical.
 *
 * <p>Timing (the package comment of {@code org.myelin.core.plasticity}): at the start of step n, the engine handles
 * the spikes of step n-1 at the synapse: first the potentiation of the targets that spiked
 * ({@link #potentiate}), then, row by row while delivering, the depression of the sources' synapses
 * ({@link #depress}) with the weight after it delivered, and the source traces' jump ({@link #bumpSource}); last the
 * target traces' jump ({@link #bumpTargets}). Delay 1 only (dendritic delay 0) for now.
 *
 * <p>Potentiation is applied late, NEST's way, with the same result: a target's spike is only noted in its list of
 * pending post spikes ({@link #pending}); the synapse takes the growth of the pending spikes later than its source's
 * last spike when that source next spikes, just before its depression, walking the row in weight order. Between
 * two spikes of a source its fast trace is one value and one step, so each pending spike's growth is computed from
 * exactly the trace it would have read on time, and a synapse's updates come in the same order as before (growth
 * by growth, then the depression; growth first at equal steps), so every float is the one the eager rule gives.
 * A target whose list is full, and every target before the weights are read or saved ({@link #flush}), applies its
 * list to all its synapses through the column. Reading the weights therefore changes them to what the eager rule
 * holds at that point, and nothing later. Why: applying each post spike at once walked the target's column, 64
 * synapses scattered through the weight array (13 MB on CUBA 64k) per spike; now nearly all updates walk the rows,
 * and what the row walk reads per synapse at random is the target's 16-byte trace record and, where growth is due,
 * its 64-byte list.
 */
final class PlasticSynapses {
    /** Steps covered by the decay tables (1.6 s at dt 0.1 ms); longer gaps call exp, which gives the same values. */
    private static final int TABLE = 16384;
    /** Ints per target in {@link #pending} (64 bytes: the count, the oldest step, 13 offsets). */
    private static final int STRIDE = 16;
    /** Post spikes a target holds pending at most; one more applies them through the target's column first. */
    private static final int PENDING = STRIDE - 2;
    /** The span of one target's pending steps, at most (they are held as int offsets from the oldest). */
    private static final long MAX_SPAN = Integer.MAX_VALUE;
    /** Flag of {@link #post}'s step word: the target has pending post spikes, the newest at that step. */
    private static final long PENDING_AT_STEP = 1;
    /** Flag of {@link #post}'s step word: the target's spike of the step being handled is pending. */
    private static final long PENDING_NOW = 2;
    final ProjectionSynapses q;
    final PlasticityRule rule;
    final String name;
    final float[] weight;
    private final int targetOffset;
    private final int targets;
    private final int[] colStart;
    private final int[] colSynapse;
    private final int[] colRow;
    /**
     * Target traces, 16 bytes a target: {@code post[2 j]} the bits of the fast trace just after the last spike,
     * {@code post[2 j + 1]} that step shifted left by 2, with the flags {@link #PENDING_AT_STEP} and
     * {@link #PENDING_NOW}: what the depression walk reads for a synapse lies in one record.
     */
    private final long[] post;
    /**
     * Per target j, from {@code STRIDE (j + 1)} (record 0 stays empty): the count of pending post spikes, the
     * oldest one's step (high and low int), then the others' offsets from it, ascending.
     */
    private final int[] pending;
    private final double[] postSlow;
    /** Triplet: the slow post trace before each pending post spike ({@code PENDING j + i}), its potentiation's o2. */
    private final double[] pendingSlow;
    /**
     * Per worker, the source traces: {@code [2 r]} the fast trace just after the last spike, {@code [2 r + 1]} its
     * step.
     */
    private final double[][] pre;
    private final double[][] preSlow;
    private final double[] decayPreFast;
    private final double[] decayPreSlow;
    private final double[] decayPostFast;
    private final double[] decayPostSlow;
    private final double dtMs;
    /** Per worker, the post traces and pending counts of one row's targets (the first pass of {@link #depress}). */
    private final double[][] rowTrace;
    private final int[][] rowPending;
    /** Per worker, the source traces and weights of a target's synapses (first pass of {@link #catchUpTarget}). */
    private final double[][] colTrace;
    private final float[][] colWeight;
    /** Whether the rule reads the slow traces (triplet); pair STDP leaves them at 0. */
    private final boolean slow;

    PlasticSynapses(String name, ProjectionSynapses q, PlasticityRule rule, int targetOffset, int targets, int threads,
                    double dtMs) {
        this.name = name;
        this.q = q;
        this.rule = rule;
        this.weight = q.weight;
        this.targetOffset = targetOffset;
        this.targets = targets;
        this.dtMs = dtMs;
        this.slow = rule instanceof org.myelin.core.plasticity.TripletStdp;
        int rows = q.rowStart.length - 1;
        int total = q.target.length;
        colStart = new int[targets + 1];
        for (int k = 0; k < total; k++) {
            colStart[q.target[k] - targetOffset + 1]++;
        }
        for (int j = 0; j < targets; j++) {
            colStart[j + 1] += colStart[j];
        }
        colSynapse = new int[total];
        colRow = new int[total];
        int[] fill = java.util.Arrays.copyOf(colStart, targets);
        for (int r = 0; r < rows; r++) {
            for (int k = q.rowStart[r]; k < q.rowStart[r + 1]; k++) {
                int at = fill[q.target[k] - targetOffset]++;
                colSynapse[at] = k;
                colRow[at] = r;
            }
        }
        post = new long[2 * targets];
        pending = new int[STRIDE * (targets + 1)];
        int longest = 0;
        for (int r = 0; r < rows; r++) {
            longest = Math.max(longest, q.rowStart[r + 1] - q.rowStart[r]);
        }
        rowTrace = new double[threads][longest];
        rowPending = new int[threads][longest];
        int widest = 0;
        for (int j = 0; j < targets; j++) {
            widest = Math.max(widest, colStart[j + 1] - colStart[j]);
        }
        colTrace = new double[threads][2 * widest];
        colWeight = new float[threads][widest];
        postSlow = new double[targets];
        pendingSlow = new double[slow ? PENDING * targets : 0];
        pre = new double[threads][2 * rows];
        preSlow = new double[threads][rows];
        java.util.Map<Double, double[]> tables = new java.util.HashMap<>();
        decayPreFast = table(tables, rule.preFastTauMs());
        decayPreSlow = table(tables, rule.preSlowTauMs());
        decayPostFast = table(tables, rule.postFastTauMs());
        decayPostSlow = table(tables, rule.postSlowTauMs());
    }

    /** exp(-k dt / tau) for k below {@link #TABLE}, one table per time constant. */
    private double[] table(java.util.Map<Double, double[]> tables, double tauMs) {
        return tables.computeIfAbsent(tauMs, this::table);
    }

    private double[] table(double tauMs) {
        double[] t = new double[TABLE];
        for (int k = 0; k < TABLE; k++) {
            t[k] = Math.exp(-k * dtMs / tauMs);
        }
        return t;
    }

    /** exp(-steps dt / tau), from the table when it holds it (the table holds the same values). */
    private double decay(double[] table, double tauMs, long steps) {
        return steps < TABLE ? table[(int) steps] : Math.exp(-steps * dtMs / tauMs);
    }

    /** A trace of value {@code x} just after step {@code last}, read at step {@code n} (0 before any spike). */
    private double at(double x, double last, long n, double[] table, double tauMs) {
        return x == 0 ? 0 : x * decay(table, tauMs, n - (long) last);
    }

    /** Target j's fast trace value. */
    private double postValue(int j) {
        return Double.longBitsToDouble(post[2 * j]);
    }

    /** Target j's last spike step. */
    private long postStep(int j) {
        return post[2 * j + 1] >> 2;
    }

    /**
     * The targets among {@code spikes[0, count)} (global, ascending) that spiked at step n: their synapses' growth
     * becomes pending (a target already holding {@link #PENDING} applies those first, {@link #catchUpTarget}).
     */
    void potentiate(int worker, int[] spikes, int count, long n) {
        double ty = rule.postSlowTauMs();
        for (int s = 0; s < count; s++) {
            int j = spikes[s] - targetOffset;
            if (j < 0 || j >= targets) {
                continue;
            }
            int b = STRIDE * (j + 1);
            int i = pending[b];
            if (i == PENDING || i > 0 && n - oldest(b) > MAX_SPAN) {
                catchUpTarget(worker, j);
                i = 0;
            }
            if (i == 0) {
                pending[b + 1] = (int) (n >>> 32);
                pending[b + 2] = (int) n;
            } else {
                pending[b + 2 + i] = (int) (n - oldest(b));
            }
            if (slow) {
                pendingSlow[PENDING * j + i] = at(postSlow[j], postStep(j), n, decayPostSlow, ty);
            }
            pending[b] = i + 1;
            post[2 * j + 1] |= PENDING_NOW;
        }
    }

    /** The oldest pending step of the record at {@code b}. */
    private long oldest(int b) {
        return (long) pending[b + 1] << 32 | pending[b + 2] & 0xffffffffL;
    }

    /**
     * Source row {@code row} spiked at step n: synapses {@code [from, to)} (the worker's piece) first take the
     * pending growth of their target's post spikes since the row's previous spike, then shrink. Two passes: the
     * first only reads each target's trace and, where a spike is due, its pending count (loads that do not wait
     * for each other), the second computes from what is then in cache.
     */
    void depress(int worker, int row, int from, int to, long n) {
        double[] rf = pre[worker];
        double x = rf[2 * row];
        double last = rf[2 * row + 1];
        long since = x == 0 ? -1 : (long) last;
        double r2 = slow ? at(preSlow[worker][row], last, n, decayPreSlow, rule.preSlowTauMs()) : 0;
        double tm = rule.postFastTauMs();
        int[] target = q.target;
        double[] o1 = rowTrace[worker];
        int[] due = rowPending[worker];
        for (int k = from; k < to; k++) {
            int j = target[k] - targetOffset;
            long word = post[2 * j + 1];
            long step = word >> 2;
            double value = Double.longBitsToDouble(post[2 * j]);
            o1[k - from] = value == 0 ? 0 : value * decay(decayPostFast, tm, n - step);
            boolean hit = (word & PENDING_NOW) != 0 | (word & PENDING_AT_STEP) != 0 & step > since;
            due[k - from] = pending[hit ? STRIDE * (j + 1) : 0];
        }
        for (int k = from; k < to; k++) {
            float w = weight[k];
            int c = due[k - from];
            if (c > 0) {
                w = catchUp(w, target[k] - targetOffset, c, since, x, last);
            }
            weight[k] = (float) rule.depress(w, o1[k - from], r2);
        }
    }

    /**
     * Weight {@code w} of a synapse onto target j after the growth of the target's {@code count} pending post spikes
     * that are later than step {@code since}, in order, with the source's fast trace {@code x} of step {@code last}
     * (the source has not spiked since, so this is the trace each of those spikes read).
     */
    private float catchUp(float w, int j, int count, long since, double x, double last) {
        int b = STRIDE * (j + 1);
        long first = oldest(b);
        double tp = rule.preFastTauMs();
        int i = count;
        while (i > 0 && (i == 1 ? first : first + pending[b + 1 + i]) > since) {
            i--;
        }
        for (; i < count; i++) {
            long e = i == 0 ? first : first + pending[b + 2 + i];
            double o2 = slow ? pendingSlow[PENDING * j + i] : 0;
            w = (float) rule.potentiate(w, at(x, last, e, decayPreFast, tp), o2);
        }
        return w;
    }

    /**
     * Applies target j's pending growth to every synapse onto it (through the column), with the worker's source
     * traces; two passes as in {@link #depress}.
     */
    private void catchUpTarget(int worker, int j) {
        int b = STRIDE * (j + 1);
        int count = pending[b];
        if (count == 0) {
            return;
        }
        double[] rf = pre[worker];
        double[] tr = colTrace[worker];
        float[] cw = colWeight[worker];
        int c0 = colStart[j];
        int c1 = colStart[j + 1];
        for (int c = c0; c < c1; c++) {
            int r = colRow[c];
            tr[2 * (c - c0)] = rf[2 * r];
            tr[2 * (c - c0) + 1] = rf[2 * r + 1];
            cw[c - c0] = weight[colSynapse[c]];
        }
        for (int c = c0; c < c1; c++) {
            double x = tr[2 * (c - c0)];
            double last = tr[2 * (c - c0) + 1];
            weight[colSynapse[c]] = catchUp(cw[c - c0], j, count, x == 0 ? -1 : (long) last, x, last);
        }
        pending[b] = 0;
        post[2 * j + 1] &= ~(PENDING_AT_STEP | PENDING_NOW);
    }

    /**
     * Applies all pending growth, between two steps (worker 0's source traces: every copy is the same then): the
     * weights are those of the eager rule afterwards. Called before the weights are read or saved.
     */
    void flush() {
        for (int j = 0; j < targets; j++) {
            catchUpTarget(0, j);
        }
    }

    /** Source row {@code row} spiked at step n: the worker's copy of its traces jumps. */
    void bumpSource(int worker, int row, long n) {
        double[] f = pre[worker];
        double[] sl = preSlow[worker];
        double last = f[2 * row + 1];
        f[2 * row] = rule.bump(at(f[2 * row], last, n, decayPreFast, rule.preFastTauMs()));
        if (slow) {
            sl[row] = rule.bump(at(sl[row], last, n, decayPreSlow, rule.preSlowTauMs()));
        }
        f[2 * row + 1] = n;
    }

    /**
     * The targets among {@code spikes[0, count)} that spiked at step n: their traces jump (their spike of step n,
     * pending since {@link #potentiate}, is now the newest pending one at the trace's step).
     */
    void bumpTargets(int[] spikes, int count, long n) {
        for (int s = 0; s < count; s++) {
            int j = spikes[s] - targetOffset;
            if (j < 0 || j >= targets) {
                continue;
            }
            long last = postStep(j);
            post[2 * j] = Double.doubleToRawLongBits(rule.bump(at(postValue(j), last, n, decayPostFast,
                    rule.postFastTauMs())));
            if (slow) {
                postSlow[j] = rule.bump(at(postSlow[j], last, n, decayPostSlow, rule.postSlowTauMs()));
            }
            post[2 * j + 1] = n << 2 | PENDING_AT_STEP;
        }
    }

    /** Writes the weights and traces (the source traces of worker 0: every worker's copy is the same). */
    void save(Checkpoint c, int index) {
        flush();
        String k = "plastic." + index + ".";
        double[] traces = new double[2 * targets];
        for (int j = 0; j < targets; j++) {
            traces[2 * j] = postValue(j);
            traces[2 * j + 1] = postStep(j);
        }
        c.put(k + "weight", weight.clone());
        c.put(k + "post", traces).put(k + "postSlow", postSlow.clone());
        c.put(k + "pre", pre[0].clone()).put(k + "preSlow", preSlow[0].clone());
    }

    /** The state of a checkpoint, read and checked; {@link Saved#apply} changes this projection. */
    Saved read(Checkpoint c, int index) {
        String k = "plastic." + index + ".";
        if (!c.has(k + "weight")) {
            throw new MyelinException("checkpoint: holds no weights of plastic projection '" + name + "'");
        }
        int rows = preSlow[0].length;
        return new Saved(c.floats(k + "weight", weight.length), c.doubles(k + "post", 2 * targets),
                c.doubles(k + "postSlow", targets), c.doubles(k + "pre", 2 * rows), c.doubles(k + "preSlow", rows));
    }

    /** A plastic projection's part of a checkpoint (saved with nothing pending). */
    record Saved(float[] weight, double[] post, double[] postSlow, double[] pre, double[] preSlow) {
        void apply(PlasticSynapses p) {
            System.arraycopy(weight, 0, p.weight, 0, weight.length);
            for (int j = 0; j < p.targets; j++) {
                p.post[2 * j] = Double.doubleToRawLongBits(post[2 * j]);
                p.post[2 * j + 1] = (long) post[2 * j + 1] << 2;
            }
            java.util.Arrays.fill(p.pending, 0);
            System.arraycopy(postSlow, 0, p.postSlow, 0, postSlow.length);
            for (int t = 0; t < p.pre.length; t++) {
                System.arraycopy(pre, 0, p.pre[t], 0, pre.length);
                System.arraycopy(preSlow, 0, p.preSlow[t], 0, preSlow.length);
            }
        }
    }

    /**
     * Binds the rules of the network's plastic projections to their synapses ({@code projections}, in declaration
     * order), refusing what the clock engine cannot run with the projection's name; returns them in order.
     */
    static PlasticSynapses[] bind(Network network, ProjectionSynapses[] projections, int threads, boolean fixedPoint,
                                  boolean distributed, boolean external) {
        java.util.List<PlasticSynapses> bound = new java.util.ArrayList<>();
        for (int k = 0; k < projections.length; k++) {
            org.myelin.core.network.Projection p = network.projections().get(k);
            if (p.plasticity() == null) {
                continue;
            }
            String owner = "cpu engine: projection '" + p.name() + "' is plastic (" + p.plasticity().label() + ")";
            if (fixedPoint) {
                throw new MyelinException(owner + "; fixed-point accumulation holds integer weights that cannot"
                        + " learn, use float accumulation");
            }
            if (distributed) {
                throw new MyelinException(owner + "; plastic projections cannot be distributed over ranks yet");
            }
            if (external) {
                throw new MyelinException(owner + "; synapses computed outside the engine cannot learn");
            }
            ProjectionSynapses q = projections[k];
            if (q.synapses() > 0 && (q.delaySteps != 1 || q.exactDelay != null)) {
                throw new MyelinException(owner + "; the clock engine runs plastic projections with a delay of 1"
                        + " step only (no dendritic delay), this one has delaySteps " + p.delaySteps());
            }
            q.plastic = new PlasticSynapses(p.name(), q, p.plasticity(), network.offset(p.target()),
                    network.node(p.target()).size(), threads, network.dtMs());
            bound.add(q.plastic);
        }
        return bound.toArray(PlasticSynapses[]::new);
    }
}
