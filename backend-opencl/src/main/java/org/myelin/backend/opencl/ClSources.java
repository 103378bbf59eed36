package org.myelin.backend.opencl;

import java.util.List;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.myelin.core.network.Network;
import org.myelin.core.network.PoissonSource;
import org.myelin.core.network.SpikeSource;
import org.myelin.core.network.SpikeTrainSource;
import org.myelin.core.random.CounterRandom;

/**
 * The network's spike sources on the device: Poisson sources draw on the device from the counter-based generator
 * (the same draws as every engine: a spike where the 53-bit uniform is below rate * dt), spike trains are uploaded
 * once and appended step by step from a host-side cursor.
 */
final class ClSources {
    private final Network net;
    private final long[] poissonThreshold;
    private final int[] sourceStream;
    private final int[] trainCursor;
    private final cl_mem[] trains;

    ClSources(Network network, ClMemory memory) {
        this.net = network;
        List<SpikeSource> sources = network.sources();
        poissonThreshold = new long[sources.size()];
        sourceStream = new int[sources.size()];
        trainCursor = new int[sources.size()];
        trains = new cl_mem[sources.size()];
        for (int s = 0; s < sources.size(); s++) {
            sourceStream[s] = CounterRandom.streamOf(sources.get(s).name());
            if (sources.get(s) instanceof PoissonSource ps) {
                double pSpike = ps.rateHz() * network.dtMs() / 1000.0;
                poissonThreshold[s] = (long) Math.ceil(pSpike * 0x1.0p53);
            }
        }
        for (int s = 0; s < sources.size(); s++) {
            if (sources.get(s) instanceof SpikeTrainSource st && st.spikeCount() > 0) {
                trains[s] = memory.of(st.neurons());
            }
        }
    }

    /** Refuses, before anything is allocated, the sources the kernels do not hold. */
    static void check(Network network) {
        for (SpikeSource src : network.sources()) {
            if (src instanceof PoissonSource ps && ps.multiplicity()) {
                throw new org.myelin.core.MyelinException("opencl backend: spike source '" + ps.name() + "' is a"
                        + " Poisson generator with multiplicity (several spikes per step), which the kernels do not"
                        + " hold; run it on the cpu backend");
            }
        }
    }

    /** Enqueues step {@code n}'s source spikes into the spike list at {@code listBase} (count slot {@code slot}). */
    void enqueue(long n, ClLaunch launch, cl_kernel poisson, cl_kernel train, cl_mem spikes, int listBase, cl_mem counts,
                 int slot, int local) {
        List<SpikeSource> sources = net.sources();
        int pops = net.populations().size();
        for (int s = 0; s < sources.size(); s++) {
            SpikeSource src = sources.get(s);
            int offset = net.offset(pops + s);
            if (src instanceof PoissonSource ps) {
                if (poissonThreshold[s] == 0) {
                    continue;
                }
                launch.argLong(poisson, 0, net.seed());
                launch.arg(poisson, 1, sourceStream[s]);
                launch.argLong(poisson, 2, n);
                launch.argLong(poisson, 3, poissonThreshold[s]);
                launch.arg(poisson, 4, offset);
                launch.arg(poisson, 5, ps.size());
                launch.arg(poisson, 6, spikes);
                launch.arg(poisson, 7, listBase);
                launch.arg(poisson, 8, counts);
                launch.arg(poisson, 9, slot);
                launch.run(poisson, ps.size(), local);
            } else if (src instanceof SpikeTrainSource st) {
                int k = trainCursor[s];
                long[] at = st.steps();
                while (k < at.length && at[k] < n) {
                    k++;
                }
                int first = k;
                while (k < at.length && at[k] == n) {
                    k++;
                }
                trainCursor[s] = k;
                if (k > first) {
                    launch.arg(train, 0, trains[s]);
                    launch.arg(train, 1, first);
                    launch.arg(train, 2, k - first);
                    launch.arg(train, 3, offset);
                    launch.arg(train, 4, spikes);
                    launch.arg(train, 5, listBase);
                    launch.arg(train, 6, counts);
                    launch.arg(train, 7, slot);
                    launch.run(train, k - first, local);
                }
            }
        }
    }
}
