package org.myelin.experiments.bench;

import java.util.function.Supplier;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/**
 * One timed run: network construction and compile ({@code buildSeconds}), then the simulation loop alone ({@code
 * simSeconds}), optionally after a JIT warm-up run timed apart.
 *
 * @param network       the network run
 * @param recording     what it recorded (every spike)
 * @param threads       the compiled network's worker threads
 * @param device        where it ran, in words
 * @param steps         steps simulated
 * @param synapses      synapses of the compiled network
 * @param synapseBytes  bytes the compiled network's synapses take
 * @param warmupSeconds wall time of the warm-up run (0 without one)
 * @param buildSeconds  wall time of construction and compile
 * @param simSeconds    wall time of the simulation loop
 * @param spikes        every spike, merged over the populations
 * @param meanPlasticWeightMv mean weight (mV) at the end of the run over the synapses of every plastic projection,
 *                      read after the timed loop; NaN when the network has none
 */
public record BenchmarkRun(Network network, Recording recording, int threads, String device, long steps,
                           long synapses, long synapseBytes, double warmupSeconds, double buildSeconds,
                           double simSeconds, SpikeRecord spikes, double meanPlasticWeightMv) {

    /** Steps of the warm-up run, a 2000-neuron CUBA network of another seed. */
    public static final long WARMUP_STEPS = 5000;

    /** Told how far a run is: {@code done} of {@code steps} steps, after every tenth of the run. */
    @FunctionalInterface
    public interface Progress {
        void simulated(long done, long steps);
    }

    /**
     * Runs CUBA (the classic 4000-neuron network, or one scaled to {@code neurons}) for {@code durationS} seconds of
     * biological time. With {@code warmup}, a small CUBA network of another seed is simulated first, so that the JIT
     * has compiled the engine before the timed run (the counterpart of Brian2's compilation, which its loop timer
     * leaves out as well); its wall time is reported apart. {@code progress} may be null.
     */
    public static BenchmarkRun cuba(int neurons, double durationS, SimulationConfig config, long seed, String backend,
                                    boolean warmup, Progress progress) {
        if (neurons < 5) {
            throw new MyelinException("cuba: neurons must be >= 5, was " + neurons);
        }
        return of(() -> neurons == 4000 ? CubaNetwork.classic(seed) : CubaNetwork.scaled(neurons, seed), durationS,
                config, seed, backend, warmup, progress);
    }

    /**
     * As {@link #cuba}, with the excitatory-to-excitatory synapses plastic ({@link #stdpExcitatory}): what plasticity
     * costs on the same network.
     */
    public static BenchmarkRun cubaStdp(int neurons, double durationS, SimulationConfig config, long seed,
                                        String backend, boolean warmup, Progress progress) {
        if (neurons < 5) {
            throw new MyelinException("cuba: neurons must be >= 5, was " + neurons);
        }
        return of(() -> stdpExcitatory(neurons == 4000 ? CubaNetwork.classic(seed) : CubaNetwork.scaled(neurons, seed)),
                durationS, config, seed, backend, warmup, progress);
    }

    /**
     * A CUBA network with its "exc->exc" projection under additive all-to-all pair STDP (tau 20 ms, A+ = 1 % and
     * A- = 1.05 % of the initial weight, hard bounds [0, 2 w]: Song et al.'s proportions).
     */
    public static org.myelin.core.network.Network stdpExcitatory(org.myelin.core.network.Network net) {
        java.util.List<org.myelin.core.network.Projection> ps = new java.util.ArrayList<>();
        for (org.myelin.core.network.Projection p : net.projections()) {
            if (p.name().equals("exc->exc")) {
                double w = CubaNetwork.EXC_WEIGHT_MV;
                p = new org.myelin.core.network.Projection(p.name(), p.source(), p.target(), p.rule(), p.weightMv(),
                        p.delaySteps(), p.receptor(), org.myelin.core.plasticity.PairStdp.additive(0.01 * w,
                        0.0105 * w, 0, 2 * w));
            }
            ps.add(p);
        }
        return net.withProjections(ps);
    }

    /**
     * Refuses more than one thread in the event-driven modes: their engines run on one thread, and a run must not
     * quietly do otherwise than asked.
     */
    public static void requireThreads(SimulationConfig config) {
        EngineMode m = config.mode();
        if ((m == EngineMode.EVENT_GRID || m == EngineMode.EVENT_PRECISE) && config.threads() > 1) {
            throw new MyelinException("--mode " + m.cliName() + " runs on one thread (the event-driven engine is"
                    + " single-threaded), but --threads " + config.threads() + " was given: give --threads 1, or"
                    + " --mode clock or auto for several threads");
        }
    }

    /** Times any network: built by {@code network}, warm-up on a small CUBA network as above. */
    public static BenchmarkRun of(Supplier<Network> network, double durationS, SimulationConfig config, long seed,
                                  String backend, boolean warmup, Progress progress) {
        if (!(durationS > 0)) {
            throw new MyelinException("benchmark: durationS must be > 0, was " + durationS);
        }
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
                    progress.simulated(done, steps);
                }
            }
            long t2 = System.nanoTime();
            return new BenchmarkRun(net, rec, c.threads(), c.device(), steps, c.synapseCount(), c.synapseBytes(),
                    warm, (t1 - t0) / 1e9, (t2 - t1) / 1e9, SpikeStatistics.merged(net, rec.memory()),
                    meanPlasticWeight(net, c));
        }
    }

    /** Mean weight over the synapses of every plastic projection of {@code net}, NaN when it has none. */
    static double meanPlasticWeight(Network net, CompiledNetwork c) {
        double sum = 0;
        long n = 0;
        for (org.myelin.core.network.Projection p : net.projections()) {
            if (p.plasticity() != null) {
                for (double w : c.weights(p.name()).weightMv()) {
                    sum += w;
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Mean firing rate over all neurons, Hz. */
    public double meanRateHz() {
        return SpikeStatistics.meanRateHz(spikes, network.neuronCount(), steps, network.dtMs());
    }

    /** Synaptic events per second of simulation loop: spikes x mean out-degree / sim time (Brian2's measure). */
    public double synapticEventsPerSecond() {
        return spikes.size() * ((double) synapses / network.neuronCount()) / simSeconds;
    }

    /** Neuron updates per second of simulation loop. */
    public double neuronUpdatesPerSecond() {
        return (double) network.neuronCount() * steps / simSeconds;
    }
}
