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
 * of step n (stored sorted by step, then neuron). Global indices, ascending per generator.
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

    /** Forgets the spike trains' positions (after a restore, which may go back in time): they are found again. */
    void rewind() {
        java.util.Arrays.fill(cursor, 0);
    }
}
