package org.myelin.backend.cpu;

import static org.myelin.backend.cpu.EventGridEngine.TABLE;

import org.myelin.core.model.Propagators;
import org.myelin.core.model.ResetMode;

/**
 * One population of the event-driven grid engine: its propagators in double and their k-step tables, so that a
 * visit advances a neuron over k steps without input in one product per variable ({@link GridCursor#advanceTo}).
 * The tables are built by the one-step recursion itself, up to {@link EventGridEngine#TABLE} steps.
 */
final class GridPopulation {
    final int from;
    final int to;
    final double resting;
    final double dv;
    final double pe;
    final double pi;
    final double de;
    final double di;
    final double pc;
    final float vt;
    final float reset;
    final float subtract;
    final boolean bySubtraction;
    final int refractorySteps;
    /** A spike's reset is taken off at the next update ({@link org.myelin.core.model.Propagators#delayedReset}). */
    final boolean delayedReset;
    final double bias;
    /** Per gap k, at 8 k: dv^k, P_k, Q_k, C_k, de^k, di^k (two slots unused). */
    final double[] packed = new double[(TABLE + 1) * 8];
    final double[] dvPow = new double[TABLE + 1];
    final double[] dePow = new double[TABLE + 1];
    final double[] diPow = new double[TABLE + 1];
    final double pMax;
    final double qMax;
    final double cMax;
    /** The population updates in steps n with n % every == phase (1, 0: every step). */
    final int every;
    final int phase;
    /**
     * A multi-rate population's step in the clock engine's float arithmetic ({@link GridCursor#stepMultiRate}), or
     * null for a population updated in every step.
     */
    final ClockPopulation floatStep;

    GridPopulation(int from, int to, Propagators pr) {
        this.from = from;
        this.to = to;
        resting = pr.restingMv();
        dv = pr.decayV();
        pe = pr.excToV();
        pi = pr.inhToV();
        de = pr.decayExc();
        di = pr.decayInh();
        pc = pr.currentToV();
        vt = (float) (pr.thresholdMv() - resting);
        reset = (float) (pr.resetMv() - resting);
        subtract = (float) pr.subtractMv();
        bySubtraction = pr.resetMode() == ResetMode.SUBTRACT;
        refractorySteps = pr.refractorySteps();
        delayedReset = pr.delayedReset();
        bias = pr.biasCurrentNa();
        every = pr.updateEvery();
        phase = pr.updatePhase();
        floatStep = every == 1 ? null : ClockPopulation.of(from, to, pr, false);
        // the k-step propagators by the one-step recursion itself: u_{k+1} = dv u_k + pe ge de^k + ...
        double[] pk = new double[TABLE + 1];
        double[] qk = new double[TABLE + 1];
        double[] ck = new double[TABLE + 1];
        dvPow[0] = 1;
        dePow[0] = 1;
        diPow[0] = 1;
        double pm = 0;
        double qm = 0;
        double cm = 0;
        for (int k = 0; k < TABLE; k++) {
            dvPow[k + 1] = dvPow[k] * dv;
            dePow[k + 1] = dePow[k] * de;
            diPow[k + 1] = diPow[k] * di;
            pk[k + 1] = dv * pk[k] + pe * dePow[k];
            qk[k + 1] = dv * qk[k] + pi * diPow[k];
            ck[k + 1] = dv * ck[k] + pc;
            pm = Math.max(pm, pk[k + 1]);
            qm = Math.max(qm, qk[k + 1]);
            cm = Math.max(cm, ck[k + 1]);
        }
        pMax = pm;
        // the same tables interleaved, one cache line per gap: what a visit reads
        for (int k = 0; k <= TABLE; k++) {
            int b = k * 8;
            packed[b] = dvPow[k];
            packed[b + 1] = pk[k];
            packed[b + 2] = qk[k];
            packed[b + 3] = ck[k];
            packed[b + 4] = dePow[k];
            packed[b + 5] = diPow[k];
        }
        qMax = qm;
        // beyond the table C keeps growing towards pc / (1 - dv)
        cMax = dv < 1 ? Math.max(cm, pc / (1 - dv)) : Double.POSITIVE_INFINITY;
    }

    /** Whether the population updates in step n. */
    boolean updatesAt(int n) {
        return every == 1 || n % every == phase;
    }

    /** Whether the population updates only every few steps (a multi-rate population). */
    boolean multiRate() {
        return every != 1;
    }

    /**
     * One bit per neuron of the multi-rate populations (ascending global index, 64 to a word), or null when every
     * population updates in every step.
     */
    static long[] multiRateNeurons(GridPopulation[] pops, int neurons) {
        long[] bits = null;
        for (GridPopulation q : pops) {
            if (q.multiRate()) {
                if (bits == null) {
                    bits = new long[(neurons + 63) >>> 6];
                }
                for (int i = q.from; i < q.to; i++) {
                    bits[i >>> 6] |= 1L << i;
                }
            }
        }
        return bits;
    }
}
