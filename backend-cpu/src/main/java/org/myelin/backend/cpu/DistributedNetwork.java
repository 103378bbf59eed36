package org.myelin.backend.cpu;

import org.myelin.core.backend.CompiledNetwork;

/**
 * One rank's part of a network distributed over several processes ({@link CpuBackend#compileDistributed}). It is
 * advanced like any compiled network, by every rank with the same steps; the recording of every rank receives the
 * spikes of the whole network (they are all-gathered anyway), so rank 0 can report the run. {@link #read} answers for
 * the owned neurons only, and {@link #synapseCount} counts this rank's synapses (those onto its neurons).
 */
public interface DistributedNetwork extends CompiledNetwork {
    /** This rank and the number of ranks. */
    int rank();

    int ranks();

    /** The neurons this rank owns: global indices [first, end). */
    int ownedFirst();

    int ownedEnd();

    /** The exchange window: the shortest synaptic delay of the whole network, in steps. */
    int windowSteps();

    /** All-gathers done so far (one per window, and one at the end of every advance). */
    long exchanges();

    /** Wall time spent in them, seconds (waiting for slower ranks included). */
    double exchangeSeconds();

    /** Ints this rank sent in them (spike indices plus per-step counts). */
    long exchangedInts();
}
