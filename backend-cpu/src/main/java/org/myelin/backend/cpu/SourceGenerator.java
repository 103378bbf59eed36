package org.myelin.backend.cpu;

import java.util.List;
import org.myelin.core.network.Network;
import org.myelin.core.network.PoissonSource;
import org.myelin.core.network.SpikeSource;
import org.myelin.core.network.SpikeTrainSource;
import org.myelin.core.random.CounterRandom;

/**
 * The spikes of a network's generators in one step, as every CPU engine draws them: a Poisson generator i spikes in
 * step n when the uniform draw (seed, stream of its name, i, n) is below rate x dt; a spike train gives its spikes
 * of step n (stored sorted by step, then neuron). Global indices, ascending per generator; a generator with
 * multiplicity is listed once per event ({@link #maxSpikes} bounds the list).
 */
final class SourceGenerator {
    private final Network net;
    private final int[] streams;
    private final int[] cursor;

    SourceGenerator(Network network) {
        this.net = network;
        streams = network.sources().stream().mapToInt(src -> CounterRandom.streamOf(src.name())).toArray();
        cursor = new int[network.sources().size()];
    }

    /** Writes the generators' spikes of step n to {@code out} from index {@code at}; returns the new end. */
    int spikes(long n, int[] out, int at) {
        int c = at;
        double dtS = net.dtMs() / 1000.0;
        List<SpikeSource> sources = net.sources();
        int pops = net.populations().size();
        for (int s = 0; s < sources.size(); s++) {
            SpikeSource src = sources.get(s);
            int off = net.offset(pops + s);
            if (src instanceof PoissonSource ps) {
                double pSpike = ps.rateHz() * dtS;
                if (pSpike <= 0) {
                    continue;
                }
                long seed = net.seed();
                int stream = streams[s];
                if (ps.multiplicity()) {
                    // k events: the generator is listed k times, so every target receives its weight k times
                    for (int i = 0; i < ps.size(); i++) {
                        int k = PoissonSource.events(CounterRandom.uniform(seed, stream, i, n), pSpike);
                        for (int e = 0; e < k; e++) {
                            out[c++] = off + i;
                        }
                    }
                    continue;
                }
                for (int i = 0; i < ps.size(); i++) {
                    if (CounterRandom.uniform(seed, stream, i, n) < pSpike) {
                        out[c++] = off + i;
                    }
                }
            } else if (src instanceof SpikeTrainSource st) {
                int k = cursor[s];
                long[] steps = st.steps();
                while (k < steps.length && steps[k] < n) {
                    k++;
                }
                while (k < steps.length && steps[k] == n) {
                    out[c++] = off + st.neurons()[k];
                    k++;
                }
                cursor[s] = k;
            }
        }
        return c;
    }

    /**
     * The most entries {@link #spikes} writes in one step: one per generator, or the cap of a generator with
     * multiplicity ({@link PoissonSource#maxEvents}), which is listed once per event.
     */
    static int maxSpikes(Network network) {
        long m = 0;
        for (SpikeSource src : network.sources()) {
            m += src instanceof PoissonSource ps ? ps.maxSpikesPerStep(network.dtMs()) : src.size();
        }
        if (m > Integer.MAX_VALUE - 8 - network.neuronCount()) {
            throw new org.myelin.core.MyelinException("the spike sources can emit " + m + " events in a step, more"
                    + " than the cpu engines hold");
        }
        return (int) m;
    }

    /** Forgets the spike trains' positions (after a restore, which may go back in time): they are found again. */
    void rewind() {
        java.util.Arrays.fill(cursor, 0);
    }
}
