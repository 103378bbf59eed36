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
 */
final class PlasticSynapses {
    private static final int TABLE = 4096;
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
     * Target traces: {@code post[2 j]} the fast trace just after the last spike, {@code post[2 j + 1]} that step (as a
     * double, exact below 2^53): one cache line per read.
     */
    private final double[] post;
    private final double[] postSlow;
    /** Per worker, the source traces laid out as {@link #post}. */
    private final double[][] pre;
    private final double[][] preSlow;
    private final double[] decayPreFast;
    private final double[] decayPreSlow;
    private final double[] decayPostFast;
    private final double[] decayPostSlow;
    private final double dtMs;
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
        post = new double[2 * targets];
        postSlow = new double[targets];
        pre = new double[threads][2 * rows];
        preSlow = new double[threads][rows];
        decayPreFast = table(rule.preFastTauMs());
        decayPreSlow = table(rule.preSlowTauMs());
        decayPostFast = table(rule.postFastTauMs());
        decayPostSlow = table(rule.postSlowTauMs());
    }

    private double[] table(double tauMs) {
        double[] t = new double[TABLE];
        for (int k = 0; k < TABLE; k++) {
            t[k] = Math.exp(-k * dtMs / tauMs);
        }
        return t;
    }

    /** exp(-steps dt / tau), from the table when it holds it. */
    private double decay(double[] table, double tauMs, long steps) {
        return steps < TABLE ? table[(int) steps] : Math.exp(-steps * dtMs / tauMs);
    }

    /** A trace of value {@code x} just after step {@code last}, read at step {@code n} (0 before any spike). */
    private double at(double x, double last, long n, double[] table, double tauMs) {
        return x == 0 ? 0 : x * decay(table, tauMs, n - (long) last);
    }

    /** The targets among {@code spikes[0, count)} (global, ascending) that spiked at step n: their synapses grow. */
    void potentiate(int worker, int[] spikes, int count, long n) {
        double[] rf = pre[worker];
        double tp = rule.preFastTauMs();
        double ty = rule.postSlowTauMs();
        for (int s = 0; s < count; s++) {
            int j = spikes[s] - targetOffset;
            if (j < 0 || j >= targets) {
                continue;
            }
            double o2 = slow ? at(postSlow[j], post[2 * j + 1], n, decayPostSlow, ty) : 0;
            for (int c = colStart[j]; c < colStart[j + 1]; c++) {
                int r = colRow[c];
                int k = colSynapse[c];
                weight[k] = (float) rule.potentiate(weight[k], at(rf[2 * r], rf[2 * r + 1], n, decayPreFast, tp), o2);
            }
        }
    }

    /** Source row {@code row} spiked at step n: synapses {@code [from, to)} (the worker's piece) shrink. */
    void depress(int worker, int row, int from, int to, long n) {
        double r2 = slow ? at(preSlow[worker][row], pre[worker][2 * row + 1], n, decayPreSlow, rule.preSlowTauMs())
                : 0;
        double tm = rule.postFastTauMs();
        int[] target = q.target;
        for (int k = from; k < to; k++) {
            int j = target[k] - targetOffset;
            weight[k] = (float) rule.depress(weight[k], at(post[2 * j], post[2 * j + 1], n, decayPostFast, tm), r2);
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

    /** The targets among {@code spikes[0, count)} that spiked at step n: their traces jump. */
    void bumpTargets(int[] spikes, int count, long n) {
        for (int s = 0; s < count; s++) {
            int j = spikes[s] - targetOffset;
            if (j < 0 || j >= targets) {
                continue;
            }
            double last = post[2 * j + 1];
            post[2 * j] = rule.bump(at(post[2 * j], last, n, decayPostFast, rule.postFastTauMs()));
            if (slow) {
                postSlow[j] = rule.bump(at(postSlow[j], last, n, decayPostSlow, rule.postSlowTauMs()));
            }
            post[2 * j + 1] = n;
        }
    }

    /** Writes the weights and traces (the source traces of worker 0: every worker's copy is the same). */
    void save(Checkpoint c, int index) {
        String k = "plastic." + index + ".";
        c.put(k + "weight", weight.clone());
        c.put(k + "post", post.clone()).put(k + "postSlow", postSlow.clone());
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

    /** A plastic projection's part of a checkpoint. */
    record Saved(float[] weight, double[] post, double[] postSlow, double[] pre, double[] preSlow) {
        void apply(PlasticSynapses p) {
            System.arraycopy(weight, 0, p.weight, 0, weight.length);
            System.arraycopy(post, 0, p.post, 0, post.length);
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
