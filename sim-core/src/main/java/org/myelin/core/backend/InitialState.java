package org.myelin.core.backend;

import org.myelin.core.network.Network;
import org.myelin.core.network.Population;
import org.myelin.core.random.CounterRandom;

/**
 * The float32 state at step 0 that every float engine starts from: the membrane potential relative to each
 * population's resting potential, and the synaptic variables, drawn from the streams {@code pop/v0},
 * {@code pop/ge0} and {@code pop/gi0}. One definition, so that float backends start from the same bits.
 */
public final class InitialState {
    private InitialState() {
    }

    /** Fills {@code u} (v - restingMv), {@code ge} and {@code gi}, indexed by global neuron index. */
    public static void fill(Network network, float[] u, float[] ge, float[] gi) {
        long seed = network.seed();
        for (int p = 0; p < network.populations().size(); p++) {
            Population pop = network.populations().get(p);
            int off = network.offset(p);
            double el = pop.model().membrane().restingMv();
            int sv = CounterRandom.streamOf(pop.name() + "/v0");
            int se = CounterRandom.streamOf(pop.name() + "/ge0");
            int si = CounterRandom.streamOf(pop.name() + "/gi0");
            for (int i = 0; i < pop.size(); i++) {
                u[off + i] = (float) (pop.initialV().sample(seed, sv, i) - el);
                ge[off + i] = (float) pop.initialGe().sample(seed, se, i);
                gi[off + i] = (float) pop.initialGi().sample(seed, si, i);
            }
        }
    }

    /**
     * The external current of every neuron in force during {@code step}: the population's bias, then each
     * current input in declaration order, summed in float in that order.
     */
    public static void currents(Network network, long step, float[] current) {
        currents(network, step, current, 0, network.neuronCount());
    }

    /** As {@link #currents(Network, long, float[])}, for the neurons with global index in [lo, hi) only. */
    public static void currents(Network network, long step, float[] current, int lo, int hi) {
        for (int p = 0; p < network.populations().size(); p++) {
            Population pop = network.populations().get(p);
            int a = Math.max(lo, network.offset(p));
            int b = Math.min(hi, network.offset(p) + pop.size());
            float bias = (float) pop.model().membrane().biasCurrentNa();
            for (int i = a; i < b; i++) {
                current[i] = bias;
            }
        }
        for (var in : network.currents()) {
            float amps = (float) in.currentAt(step);
            int off = network.offset(in.target());
            if (in.neurons() == null) {
                int a = Math.max(lo, off);
                int b = Math.min(hi, off + network.node(in.target()).size());
                for (int i = a; i < b; i++) {
                    current[i] += amps;
                }
            } else {
                for (int i : in.neurons()) {
                    if (off + i >= lo && off + i < hi) {
                        current[off + i] += amps;
                    }
                }
            }
        }
    }

    /**
     * As {@link #currents(Network, long, float[])} in double precision, for engines in continuous time: the same
     * terms in the same order, not rounded to float.
     */
    public static void currents(Network network, long step, double[] current) {
        for (int p = 0; p < network.populations().size(); p++) {
            Population pop = network.populations().get(p);
            int off = network.offset(p);
            java.util.Arrays.fill(current, off, off + pop.size(), pop.model().membrane().biasCurrentNa());
        }
        for (var in : network.currents()) {
            double amps = in.currentAt(step);
            int off = network.offset(in.target());
            if (in.neurons() == null) {
                int size = network.node(in.target()).size();
                for (int i = 0; i < size; i++) {
                    current[off + i] += amps;
                }
            } else {
                for (int i : in.neurons()) {
                    current[off + i] += amps;
                }
            }
        }
    }
}
