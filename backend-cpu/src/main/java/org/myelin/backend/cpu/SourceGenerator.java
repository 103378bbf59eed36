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
 * multiplicity is listed once per event ({@link #maxSpikes} bounds the list), its count read from the source's
 * cumulative table ({@link PoissonSource#eventTable}, the same counts as {@link PoissonSource#events(double, double)}).
 *
 * <p>The generators are numbered 0 .. {@link #generators()} - 1 in the network's order (their global index minus the
 * neuron count), and {@link #spikes(long, int[], int, int, int, int)} draws a contiguous range of them, so that
 * several workers can draw one step together; a slice keeps its own positions in the spike trains. The lists of
 * consecutive ranges, one after the other, are the list of the whole.
 */
final class SourceGenerator {
    private final Network net;
    private final int[] streams;
    /** Per slice, per source: the position in a spike train. */
    private final int[][] cursor;
    /** Per source: its first generator's number. */
    private final int[] first;
    /** Per source with multiplicity: the cumulative event table; else null. */
    private final double[][] tables;
    private final int generators;

    SourceGenerator(Network network) {
        this(network, 1);
    }

    /** A generator that {@code slices} workers may call at once, each with its own slice number. */
    SourceGenerator(Network network, int slices) {
        this.net = network;
        List<SpikeSource> sources = network.sources();
        streams = sources.stream().mapToInt(src -> CounterRandom.streamOf(src.name())).toArray();
        cursor = new int[slices][sources.size()];
        first = new int[sources.size() + 1];
        tables = new double[sources.size()][];
        double dtS = network.dtMs() / 1000.0;
        for (int s = 0; s < sources.size(); s++) {
            first[s + 1] = first[s] + sources.get(s).size();
            if (sources.get(s) instanceof PoissonSource ps && ps.multiplicity() && ps.rateHz() * dtS > 0) {
                tables[s] = PoissonSource.eventTable(ps.rateHz() * dtS);
            }
        }
        generators = first[sources.size()];
    }

    /** The number of generators (all sources' sizes). */
    int generators() {
        return generators;
    }

    /** Writes the generators' spikes of step n to {@code out} from index {@code at}; returns the new end. */
    int spikes(long n, int[] out, int at) {
        return spikes(n, out, at, 0, generators, 0);
    }

    /**
     * Writes the spikes of step n of generators {@code [lo, hi)} to {@code out} from {@code at}, as slice
     * {@code slice}; returns the new end.
     */
    int spikes(long n, int[] out, int at, int lo, int hi, int slice) {
        int c = at;
        double dtS = net.dtMs() / 1000.0;
        List<SpikeSource> sources = net.sources();
        int pops = net.populations().size();
        for (int s = 0; s < sources.size(); s++) {
            int from = Math.max(lo, first[s]) - first[s];
            int to = Math.min(hi, first[s + 1]) - first[s];
            if (from >= to) {
                continue;
            }
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
                    double[] table = tables[s];
                    for (int i = from; i < to; i++) {
                        int k = PoissonSource.events(CounterRandom.uniform(seed, stream, i, n), table);
                        for (int e = 0; e < k; e++) {
                            out[c++] = off + i;
                        }
                    }
                    continue;
                }
                for (int i = from; i < to; i++) {
                    if (CounterRandom.uniform(seed, stream, i, n) < pSpike) {
                        out[c++] = off + i;
                    }
                }
            } else if (src instanceof SpikeTrainSource st) {
                int k = cursor[slice][s];
                long[] steps = st.steps();
                int[] neurons = st.neurons();
                while (k < steps.length && steps[k] < n) {
                    k++;
                }
                while (k < steps.length && steps[k] == n) {
                    if (neurons[k] >= from && neurons[k] < to) {
                        out[c++] = off + neurons[k];
                    }
                    k++;
                }
                cursor[slice][s] = k;
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

    /** The most entries generators {@code [lo, hi)} write in one step. */
    int maxSpikes(int lo, int hi) {
        long m = 0;
        List<SpikeSource> sources = net.sources();
        for (int s = 0; s < sources.size(); s++) {
            int n = Math.min(hi, first[s + 1]) - Math.max(lo, first[s]);
            if (n > 0) {
                m += sources.get(s) instanceof PoissonSource ps && ps.multiplicity()
                        ? (long) n * PoissonSource.maxEvents(ps.rateHz() * (net.dtMs() / 1000.0)) : n;
            }
        }
        return (int) Math.min(m, Integer.MAX_VALUE - 8);
    }

    /** Forgets the spike trains' positions (after a restore, which may go back in time): they are found again. */
    void rewind() {
        for (int[] c : cursor) {
            java.util.Arrays.fill(c, 0);
        }
    }
}
