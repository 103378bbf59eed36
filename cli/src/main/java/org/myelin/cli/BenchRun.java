package org.myelin.cli;

import java.io.PrintWriter;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/**
 * One timed benchmark run (CUBA, sparse): network construction and compile ({@code buildSeconds}), then the simulation loop
 * alone ({@code simSeconds}), shared by {@code demo} and {@code bench cuba}.
 */
record BenchRun(Network network, Recording recording, int threads, String device, long steps, long synapses, long synapseBytes,
               double warmupSeconds, double buildSeconds, double simSeconds, SpikeRecord spikes) {

    /** Steps of the warm-up run, a 2000-neuron CUBA network of another seed. */
    static final long WARMUP_STEPS = 5000;

    /**
     * Runs CUBA. With {@code warmup}, a small CUBA network of another seed is simulated first, so that the
     * JIT has compiled the engine before the timed run (the counterpart of Brian2's compilation, which its
     * loop timer leaves out as well); its wall time is reported apart.
     */
    static BenchRun execute(int neurons, double durationS, SimulationConfig config, long seed, String backend,
                           boolean warmup, PrintWriter progress) {
        return execute(() -> neurons == 4000 ? CubaNetwork.classic(seed) : CubaNetwork.scaled(neurons, seed), durationS,
                config, seed, backend, warmup, progress);
    }

    /**
     * Refuses more than one thread in the event-driven modes: their engines run on one thread, and a run must not
     * quietly do otherwise than asked.
     */
    static void requireThreads(SimulationConfig config) {
        EngineMode m = config.mode();
        if ((m == EngineMode.EVENT_GRID || m == EngineMode.EVENT_PRECISE) && config.threads() > 1) {
            throw new MyelinException("--mode " + m.cliName() + " runs on one thread (the event-driven engine is"
                    + " single-threaded), but --threads " + config.threads() + " was given: give --threads 1, or"
                    + " --mode clock or auto for several threads");
        }
    }

    /** Times any network: built by {@code network}, warm-up on a small CUBA network as above. */
    static BenchRun execute(java.util.function.Supplier<Network> network, double durationS, SimulationConfig config,
                           long seed, String backend, boolean warmup, PrintWriter progress) {
        requireThreads(config);
        double warm = 0;
        if (warmup) {
            long w0 = System.nanoTime();
            Network small = CubaNetwork.scaled(2000, seed + 1);
            try (CompiledNetwork c = Backends.find(backend).compile(small, config)) {
                c.run(WARMUP_STEPS, Recording.inMemory());
            }
            warm = (System.nanoTime() - w0) / 1e9;
        }
        long t0 = System.nanoTime();
        Network net = network.get();
        long steps = Math.round(durationS * 1000.0 / net.dtMs());
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find(backend).compile(net, config)) {
            long t1 = System.nanoTime();
            long chunk = Math.max(1, steps / 10);
            long done = 0;
            while (done < steps) {
                long n = Math.min(chunk, steps - done);
                c.run(n, rec);
                done += n;
                if (progress != null) {
                    progress.printf("\r  simulated %5.1f %% (%d of %d steps)", 100.0 * done / steps, done, steps);
                    progress.flush();
                }
            }
            long t2 = System.nanoTime();
            if (progress != null) {
                progress.print("\r" + " ".repeat(50) + "\r");
                progress.flush();
            }
            return new BenchRun(net, rec, c.threads(), c.device(), steps, c.synapseCount(), c.synapseBytes(), warm, (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, SpikeStatistics.merged(net, rec.memory()));
        }
    }

    /** Where to show progress: stderr when the process runs in a terminal, else nowhere. */
    static PrintWriter progressStream(picocli.CommandLine.Model.CommandSpec spec) {
        return System.console() != null ? spec.commandLine().getErr() : null;
    }

    double meanRateHz() {
        return SpikeStatistics.meanRateHz(spikes, network.neuronCount(), steps, network.dtMs());
    }

    /** Synaptic events per second of simulation loop: spikes x mean out-degree / sim time (Brian2's measure). */
    double synapticEventsPerSecond() {
        return spikes.size() * ((double) synapses / network.neuronCount()) / simSeconds;
    }

    double neuronUpdatesPerSecond() {
        return (double) network.neuronCount() * steps / simSeconds;
    }
}
