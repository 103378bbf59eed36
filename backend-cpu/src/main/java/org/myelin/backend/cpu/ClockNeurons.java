package org.myelin.backend.cpu;

import org.myelin.core.backend.InitialState;
import org.myelin.core.model.Propagators;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateMonitor;
import org.myelin.core.network.Network;
import org.myelin.core.network.Population;

/**
 * The clock engine's neurons and their numerics: the state arrays (v relative to rest, ge, gi, refractory flags,
 * fixed-point refractory counters, external currents), the populations' propagators ({@link ClockPopulation}) and
 * the step of a worker's range ({@link #advance}), with the lazily decayed synaptic scales of CuBa populations
 * ({@link #prepareScales}). The engine around it owns the threads, the delivery of spikes and the exchange.
 */
final class ClockNeurons {
    /** Neurons per block of the integrate-and-threshold pass (fits L1). */
    static final int BLOCK = 1024;
    /** Lazy decay scales are folded back before they fall below this (about 1e-12): floats keep their range. */
    static final double RESCALE_BELOW = 0x1.0p-40;
    /** Membrane potential relative to the population's resting potential, mV. */
    final float[] v;
    final float[] ge;
    final float[] gi;
    final boolean[] refractory;
    /** Fixed-point accumulation mode: refractory counters (no lazy decay). */
    final int[] refractoryLeft;
    /** External current per neuron (bias and current inputs), or null when there is none. */
    final float[] current;
    final ClockPopulation[] segments;
    final boolean fixedPoint;

    ClockNeurons(Network network, boolean fixedPoint) {
        this.fixedPoint = fixedPoint;
        int neurons = network.neuronCount();
        v = new float[neurons];
        ge = new float[neurons];
        gi = new float[neurons];
        refractory = new boolean[neurons];
        java.util.List<Population> pops = network.populations();
        segments = new ClockPopulation[pops.size()];
        boolean needCurrent = !network.currents().isEmpty();
        for (int p = 0; p < pops.size(); p++) {
            Population pop = pops.get(p);
            Propagators pr = pop.model().discretize(network.dtMs());
            int off = network.offset(p);
            segments[p] = ClockPopulation.of(off, off + pop.size(), pr, fixedPoint);
            needCurrent |= pr.biasCurrentNa() != 0;
        }
        InitialState.fill(network, v, ge, gi);
        current = needCurrent ? new float[neurons] : null;
        refractoryLeft = fixedPoint ? new int[neurons] : null;
    }

    /**
     * Folds a lazy scale that has decayed below {@link #RESCALE_BELOW} back into the worker's own synaptic
     * variables, and sets the inverse scales that input of this step is multiplied by. Depends only on the
     * step count, so every worker and every thread count does the same.
     */
    void prepareScales(ClockWorker p) {
        for (int q = 0; q < segments.length; q++) {
            ClockPopulation s = segments[q];
            if (!s.lazy()) {
                p.inverseE[q] = 1f;
                p.inverseI[q] = 1f;
                continue;
            }
            int a = Math.max(s.from(), p.lo);
            int b = Math.min(s.to(), p.hi);
            if (p.scaleE[q] < RESCALE_BELOW) {
                CpuLifKernel.rescale(ge, a, b, (float) p.scaleE[q]);
                p.scaleE[q] = 1.0;
            }
            if (p.scaleI[q] < RESCALE_BELOW) {
                CpuLifKernel.rescale(gi, a, b, (float) p.scaleI[q]);
                p.scaleI[q] = 1.0;
            }
            p.inverseE[q] = (float) (1.0 / p.scaleE[q]);
            p.inverseI[q] = (float) (1.0 / p.scaleI[q]);
        }
    }

    /**
     * Step n of worker p's neurons: drains the ring slot of step n, integrates, thresholds and resets (in blocks small
     * enough for L1), restores v of the neurons that were refractory and decays the lazy scales; writes the spikes to
     * {@code p.spikes[par]} and returns their count.
     */
    int advance(ClockWorker p, ClockInput input, long n, int par) {
        int spikeCount = 0;
        CpuLifKernel.DeadList dead = p.dead;
        int oldDead = dead.count;
        int ringSlots = input.ringSlots;
        int fixedSlots = input.fixedSlots;
        float[] ringE = input.ringE;
        float[] ringI = input.ringI;
        int[] fixedE = input.fixedE;
        int[] fixedI = input.fixedI;
        int slotBase = ringSlots > 0 ? input.slot(n, ringSlots) : 0;
        for (int q = 0; q < segments.length; q++) {
            ClockPopulation s = segments[q];
            int a = Math.max(s.from(), p.lo);
            int b = Math.min(s.to(), p.hi);
            boolean lazy = s.lazy();
            if (!s.updatesAt(n)) {
                // a multi-rate population between its updates: input that arrives now waits in ge/gi
                if (fixedPoint) {
                    CpuLifKernel.holdFixed(ge, gi, fixedE, fixedI, input.slot(n, fixedSlots), a, b);
                } else if (ringSlots > 0) {
                    int flag = q * ringSlots + (int) (n % ringSlots);
                    if (p.ringDirty[flag]) {
                        CpuLifKernel.drainRing(ge, ringE, a, b, slotBase, p.inverseE[q]);
                        CpuLifKernel.drainRing(gi, ringI, a, b, slotBase, p.inverseI[q]);
                        p.ringDirty[flag] = false;
                    }
                }
                continue;
            }
            if (fixedPoint) {
                spikeCount = CpuLifKernel.stepFixed(v, ge, gi, refractoryLeft, fixedE, fixedI,
                        input.slot(n, fixedSlots), current, a, b, s.dv(), s.pe(), s.pi(), s.de(), s.di(), s.pc(), s.vt(),
                        s.reset(), s.subtract(), s.bySubtraction(), s.delayedReset(), s.integration().ordinal(),
                        s.inverseTau(), s.refractorySteps(), p.spikes[par], spikeCount);
                continue;
            }
            if (ringSlots > 0) {
                p.ringDirty[q * ringSlots + (int) (n % ringSlots)] = false;
            }
            float peScaled = (float) (s.peExact() * p.scaleE[q]);
            float piScaled = (float) (s.piExact() * p.scaleI[q]);
            // blocks small enough for L1, so the threshold scan reads what integration just wrote
            for (int from = a; from < b; from += BLOCK) {
                int to = Math.min(b, from + BLOCK);
                if (ringSlots > 0) {
                    CpuLifKernel.drainRing(ge, ringE, from, to, slotBase, p.inverseE[q]);
                    CpuLifKernel.drainRing(gi, ringI, from, to, slotBase, p.inverseI[q]);
                }
                if (s.integration() != Propagators.Integration.LINEAR) {
                    CpuLifKernel.integrateJelly(v, ge, gi, current, from, to,
                            s.integration() == Propagators.Integration.DECAY_INPUT, s.inverseTau(), s.de(), s.di());
                } else if (lazy && current == null) {
                    CpuLifKernel.integrateLazy(v, ge, gi, from, to, s.dv(), s.dvLo(), peScaled, piScaled);
                } else if (lazy) {
                    CpuLifKernel.integrateLazyWithCurrent(v, ge, gi, current, from, to, s.dv(), s.dvLo(), peScaled, piScaled,
                            s.pc());
                } else if (current == null) {
                    CpuLifKernel.integrate(v, ge, gi, from, to, s.dv(), s.dvLo(), s.pe(), s.pi(), s.de(), s.di());
                } else {
                    CpuLifKernel.integrateWithCurrent(v, ge, gi, current, from, to, s.dv(), s.dvLo(), s.pe(), s.pi(), s.de(), s.di(),
                            s.pc());
                }
                if (s.delayedReset()) {
                    CpuLifKernel.takeDelayedReset(v, refractory, from, to, s.subtract());
                    spikeCount = CpuLifKernel.thresholdDelayed(v, refractory, from, to, s.vt(), p.spikes[par],
                            spikeCount);
                } else {
                    spikeCount = CpuLifKernel.threshold(v, refractory, from, to, s.vt(), s.reset(), s.subtract(),
                            s.bySubtraction(), s.refractorySteps(), p.spikes[par], spikeCount, dead);
                }
            }
        }
        dead.restore(v, refractory, oldDead);
        for (int q = 0; q < segments.length; q++) {
            if (segments[q].lazy() && segments[q].updatesAt(n)) {
                p.scaleE[q] *= segments[q].deExact();
                p.scaleI[q] *= segments[q].diExact();
            }
        }
        return spikeCount;
    }

    /** Worker p's part of the state samples of step n: into {@code samples[k][par]} for monitor k. */
    void sample(ClockWorker p, Recording.Bound rec, long n, double[][][] samples, int par) {
        StateMonitor[] sm = rec.stateMonitors();
        for (int k = 0; k < sm.length; k++) {
            if (!rec.samples(k, n)) {
                continue;
            }
            int pop = rec.statePopulation(k);
            int off = segments[pop].from();
            float[] src = switch (sm[k].variable()) {
                case "v" -> v;
                case "ge" -> ge;
                default -> gi;
            };
            double shift = src == v ? segments[pop].restingMv() : 0.0;
            double scale = src == ge ? p.scaleE[pop] : src == gi ? p.scaleI[pop] : 1.0;
            int[] idx = sm[k].neurons();
            double[] out = samples[k][par];
            for (int j = 0; j < idx.length; j++) {
                int g = off + idx[j];
                if (g >= p.lo && g < p.hi) {
                    out[j] = src[g] * scale + shift;
                }
            }
        }
    }
}
