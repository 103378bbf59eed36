package org.myelin.backend.cpu;

import static org.myelin.backend.cpu.EventGridEngine.TABLE;

import org.myelin.core.model.Propagators;
import org.myelin.core.model.ResetMode;
import org.myelin.core.network.Network;

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
    final double bias;
    /** Per gap k, at 8 k: dv^k, P_k, Q_k, C_k, de^k, di^k (two slots unused). */
    final double[] packed = new double[(TABLE + 1) * 8];
    final double[] dvPow = new double[TABLE + 1];
    final double[] dePow = new double[TABLE + 1];
    final double[] diPow = new double[TABLE + 1];
    final double pMax;
    final double qMax;
    final double cMax;

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
        bias = pr.biasCurrentNa();
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

    /** The first population that does not update in every step, or null. */
    static String multiRatePopulation(Network network) {
        for (var pop : network.populations()) {
            if (pop.model().discretize(network.dtMs()).updateEvery() != 1) {
                return pop.name();
            }
        }
        return null;
    }
}
