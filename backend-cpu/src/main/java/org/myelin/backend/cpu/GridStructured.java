package org.myelin.backend.cpu;

import static org.myelin.backend.cpu.GridRecords.STRIDE;
import static org.myelin.backend.cpu.GridRecords.U;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.core.network.Network;

/**
 * The event-grid engine's membrane projections and spike attention, added as the clock engine adds them: a membrane
 * projection carries its source's v once per update (after the step's spikes, weight times value for every source
 * neuron whose value is not 0); spike attention counts a step's key/value coincidences before its spikes are
 * delivered, and each query spike adds its counts. A membrane projection's source must be a population whose record
 * the engine keeps up to date in every step: multi-rate or clock-driven.
 */
final class GridStructured {
    /** Where input of delay 1 goes (the engine's {@code addNext}). */
    interface Input {
        void next(int neuron, float weight, boolean inhibitory);
    }

    private final ProjectionSynapses[] membranes;
    private final ProjectionSynapses[] attentions;
    private final GridPopulation[] pops;
    private final boolean[] clockPopulation;
    private final int[] st;
    private final DelayedInputLists delayed;
    private final Input input;
    /** With membrane projections, v of their sources as after the last step; else null. */
    private final float[] carried;

    GridStructured(Network net, ProjectionSynapses[] projections, GridPopulation[] pops, boolean[] clockPopulation,
                   int[] st, DelayedInputLists delayed, Input input) {
        this.pops = pops;
        this.clockPopulation = clockPopulation;
        this.st = st;
        this.delayed = delayed;
        this.input = input;
        membranes = Arrays.stream(projections).filter(q -> q.membrane).toArray(ProjectionSynapses[]::new);
        attentions = Arrays.stream(projections).filter(q -> q.attention != null).toArray(ProjectionSynapses[]::new);
        for (ProjectionSynapses q : membranes) {
            if (!pops[q.sourceNode].multiRate() && !clockPopulation[q.sourceNode]) {
                throw new MyelinException("event-grid engine: population '" + net.populations().get(q.sourceNode).name()
                        + "' is the source of a membrane projection but runs event-driven here, where its v is not"
                        + " kept up to date in every step; make it multi-rate (DiscreteLifModel.every) or run in mode"
                        + " CLOCK");
            }
        }
        carried = membranes.length == 0 ? null : new float[net.neuronCount()];
    }

    /** Counts the coincidences of step n - 1 (its spikes: {@code spikes[0, count)}) for the attention it delivers. */
    void count(int[] spikes, int count, int n) {
        for (ProjectionSynapses q : attentions) {
            if (pops[q.attention.keyPopulation].updatesAt(n - 1)) {
                q.attention.count(spikes, count);
            }
        }
    }

    /** A query spike's coincidence counts, as the clock engine adds them ({@link AttentionSynapses}). */
    void attend(ProjectionSynapses q, int row, int n) {
        AttentionSynapses a = q.attention;
        for (int j = 0; j < a.headChannels(); j++) {
            int count = a.countOf(row, j);
            if (count == 0) {
                continue;
            }
            int t = a.target(row, j);
            if (a.delaySteps == 1) {
                input.next(t, count, q.inhibitory);
            } else {
                delayed.add((n - 1 + a.delaySteps) % delayed.slots, q.inhibitory ? -t - 1 : t, count);
            }
        }
    }

    /** v of the membrane projections' sources that updated in step n, for the next step's delivery. */
    void keep(int n) {
        for (ProjectionSynapses q : membranes) {
            GridPopulation p = pops[q.sourceNode];
            if (p.updatesAt(n) || clockPopulation[q.sourceNode]) {
                for (int i = p.from; i < p.to; i++) {
                    carried[i] = Float.intBitsToFloat(st[i * STRIDE + U]);
                }
            }
        }
    }

    /**
     * The membrane projections' values of step n - 1, after its spikes, as the clock engine adds them: weight times
     * value for every source neuron whose value is not 0, from sources that updated in that step.
     */
    void deliverMembranes(int n) {
        for (ProjectionSynapses q : membranes) {
            if (!pops[q.sourceNode].updatesAt(n - 1) && !clockPopulation[q.sourceNode]) {
                continue;
            }
            if (n == 0) {
                continue;
            }
            boolean inh = q.inhibitory;
            int rows = q.rowStart.length - 1;
            for (int r = 0; r < rows; r++) {
                float x = carried[q.sourceOffset + r];
                if (x == 0f) {
                    continue;
                }
                for (int k = q.rowStart[r]; k < q.rowStart[r + 1]; k++) {
                    int d = q.delaySteps > 0 ? q.delaySteps : q.delayByte != null ? q.delayByte[k] : q.delayShort[k];
                    float w = (q.weight == null ? q.weightMv : q.weight[k]) * x;
                    if (d == 1) {
                        input.next(q.target[k], w, inh);
                    } else {
                        delayed.add((n - 1 + d) % delayed.slots, inh ? -q.target[k] - 1 : q.target[k], w);
                    }
                }
            }
        }
    }

    /** After a restore to {@code step}: what the sources carry next is their v (nothing before the first step). */
    void restored(long step) {
        if (carried == null) {
            return;
        }
        for (ProjectionSynapses q : membranes) {
            GridPopulation p = pops[q.sourceNode];
            for (int i = p.from; i < p.to; i++) {
                carried[i] = step > 0 ? Float.intBitsToFloat(st[i * STRIDE + U]) : 0f;
            }
        }
    }

    /** Neuron g's v was set to u between steps (before step {@code step}). */
    void written(int g, float u, long step) {
        if (carried != null && step > 0) {
            carried[g] = u;
        }
    }
}
