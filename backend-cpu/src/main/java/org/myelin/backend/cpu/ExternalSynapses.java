package org.myelin.backend.cpu;

import org.myelin.core.network.Projection;

/**
 * The synapses of one projection computed outside the engine at every step, while the engine keeps the neurons,
 * the spike lists and the delivery order: an analogue crossbar model reads its devices here (each read with fresh
 * noise, conductances drifting during the run, column currents through an ADC). Given to
 * {@link CpuBackend#compile(org.myelin.core.network.Network, org.myelin.core.backend.SimulationConfig,
 * java.util.function.Function)}.
 *
 * <p>The engine calls {@link #row} where it would read a row's weights: for every spike, in the engine's delivery
 * order (ascending global source index, projections in declaration order), once per worker that owns some of the
 * row's targets, for that worker's synapses {@code [from, to)} of the engine's layout. An implementation that
 * returns the layout's weights makes the engine add exactly what it adds without it. An implementation that sums a
 * step's rows before converting them (an ADC on column currents) keeps them instead and adds its results at
 * {@link #endStep}, which each worker calls after delivering a step's spikes, through a {@link Sink}.
 * Workers own disjoint target ranges ({@link Layout#workerStart}), so state indexed by target needs no locking;
 * anything else must be kept per worker.
 */
public interface ExternalSynapses {

    /**
     * A projection's synapses as the engine stores them: CSR by source row (local index), targets (global neuron
     * indices) ascending within a row, one weight per synapse (mV or nA, the projection's units).
     *
     * @param projection   the projection
     * @param sourceSize   rows
     * @param targetOffset global index of the target population's first neuron
     * @param targetSize   neurons of the target population
     * @param rowStart     synapses of row r are {@code [rowStart[r], rowStart[r + 1])}
     * @param target       global target index of each synapse
     * @param weight       weight of each synapse
     * @param delay        delay of each synapse, whole steps (>= 1)
     * @param workerStart  worker t owns global neurons {@code [workerStart[t], workerStart[t + 1])}
     * @param dtMs         the network's time step
     */
    record Layout(Projection projection, int sourceSize, int targetOffset, int targetSize, int[] rowStart,
                  int[] target, float[] weight, int[] delay, int[] workerStart, double dtMs) {
        public int workers() {
            return workerStart.length - 1;
        }

        public int synapses() {
            return target.length;
        }
    }

    /** Where {@link #endStep} adds: the engine puts a value for a target at a delay as it puts a weight there. */
    interface Sink {
        /** Adds {@code value} for global neuron {@code target}, arriving {@code delay} (>= 1) steps after the spikes. */
        void add(int target, int delay, float value);
    }

    /**
     * The values of synapses {@code [from, to)} (targets owned by {@code worker}) for source row {@code row}'s spike of
     * step {@code spikeStep}: writes them to {@code values[0 .. to - from)} and returns true, and the engine adds
     * them as it adds weights (times its scale, at each synapse's delay); or returns false when it keeps them to add
     * at {@link #endStep}.
     */
    boolean row(int worker, long spikeStep, int row, int from, int to, float[] values);

    /**
     * Called by every worker once it delivered the spikes of {@code spikeStep} (to count what a step did); a
     * projection that keeps rows ({@link #sumsRows()}) adds its results for the worker's targets to {@code sink}.
     */
    default void endStep(int worker, long spikeStep, Sink sink) {
    }

    /** Whether {@link #row} keeps rows to sum them before {@link #endStep}. */
    default boolean sumsRows() {
        return false;
    }
}
