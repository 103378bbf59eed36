package org.myelin.backend.cpu;

import org.myelin.core.model.Propagators;
import org.myelin.core.model.ResetMode;

/**
 * One population as the clock engine steps it: its propagators in float (the membrane decay as two floats, dv + dvLo,
 * dvLo the rounding error of exp(-dt/tau) in float32), threshold, reset and refractory period relative to rest, the
 * exact values the lazy decay scales are kept with, and its update rate (a multi-rate population updates every
 * {@code every} steps, at phase {@code phase}), and whether a spike's reset waits for the next update (delayed
 * reset: the refractory flag of such a neuron, which has no refractory period, marks the reset still to take).
 */
record ClockPopulation(int from, int to, double restingMv, float dv, float dvLo, float pe, float pi, float de, float di, float pc,
                       float vt, float reset, float subtract, boolean bySubtraction, int refractorySteps,
                       float bias, double peExact, double piExact, double deExact, double diExact,
                       boolean lazy, int every, int phase, boolean delayedReset,
                       org.myelin.core.model.Propagators.Integration integration, float inverseTau) {
    /** Whether the population updates in step n (a multi-rate population holds still in the others). */
    boolean updatesAt(long n) {
        return every == 1 || n % every == phase;
    }

    /** The population of global neurons [from, to) with propagators {@code pr}. */
    static ClockPopulation of(int from, int to, Propagators pr, boolean fixedPoint) {
        double el = pr.restingMv();
        return new ClockPopulation(from, to, el, (float) pr.decayV(),
                (float) (pr.decayV() - (float) pr.decayV()),
                (float) pr.excToV(), (float) pr.inhToV(), (float) pr.decayExc(), (float) pr.decayInh(),
                (float) pr.currentToV(), (float) (pr.thresholdMv() - el), (float) (pr.resetMv() - el),
                (float) pr.subtractMv(), pr.resetMode() == ResetMode.SUBTRACT, pr.refractorySteps(),
                (float) pr.biasCurrentNa(), pr.excToV(), pr.inhToV(), pr.decayExc(), pr.decayInh(),
                // CuBa populations keep their synaptic variables lazily decayed (CpuLifKernel.integrateLazy);
                // delta synapses (decay 0) consume them every step, fixed point keeps the plain update, and so
                // do models that ask for plain synaptic sums (discrete-time models reproducing a training graph)
                !fixedPoint && !pr.plainSynapses() && pr.decayExc() > 0 && pr.decayInh() > 0,
                pr.updateEvery(), pr.updatePhase(), pr.delayedReset(), pr.integration(), (float) pr.inverseTau());
    }
}
