package org.myelin.benchmarks;

import java.util.concurrent.TimeUnit;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.connect.SynapseExpansion;
import org.myelin.core.model.LifModel;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.RecordingSink;
import org.myelin.core.monitor.SpikeMonitor;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Synaptic events per second of the CPU engine's spike delivery. 10,000 driver neurons fire regularly
 * (a bias current of 0.3 nA makes each fire at about 42 Hz; initial potentials, hence phases, are random), each with about {@code fanOut}
 * synapses onto {@code targets} silent neurons. The {@code synapticEvents} counter is synaptic events per
 * second; the time also covers the update of drivers and targets (see {@link NeuronUpdateBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpikeDeliveryBenchmark {
    static final int DRIVERS = 10_000;
    static final int STEPS = 100;

    @Param({"10000", "256000"})
    public int targets;

    @Param({"100"})
    public int fanOut;

    @Param({"1"})
    public int threads;

    private CompiledNetwork compiled;
    private Recording recording;
    private long[] outDegree;
    private long events;

    @Setup(Level.Trial)
    public void setup() {
        // tau 20 ms, threshold 20 mV above rest, 100 MOhm: 0.3 nA gives an interval of 2 + 20 ln 3 = 24 ms
        LifModel driver = LifModel.builder().restingMv(-70).thresholdMv(-50).resetMv(-70).refractoryMs(2)
                .biasCurrentNa(0.3).build();
        LifModel silent = LifModel.builder().thresholdMv(1e9).refractoryMs(0).build();
        Network net = Network.builder().seed(7)
                .population("drivers", DRIVERS, driver, Distribution.uniform(-70, -50))
                .population("targets", targets, silent)
                .projection(Projection.between("drivers", "targets")
                        .connect(Connectivity.fixedProbability((double) fanOut / targets)).weightMv(1e-3))
                .monitorSpikes("drivers")
                .build();
        outDegree = new long[DRIVERS];
        SynapseExpansion.expand(net, net.projections().get(0), false, (a, b, w, d) -> outDegree[a]++);
        compiled = Backends.find("cpu").compile(net, new SimulationConfig(threads));
        recording = Recording.none().route("drivers", new RecordingSink() {
            @Override
            public void spikes(SpikeMonitor monitor, long step, int[] neurons, int count) {
                for (int i = 0; i < count; i++) {
                    events += outDegree[neurons[i]];
                }
            }
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        compiled.close();
    }

    /** Counts synaptic events, so JMH reports them per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long synapticEvents;
    }

    /** One call advances {@value #STEPS} steps. */
    @Benchmark
    public long deliver(Counters counters) {
        long before = events;
        compiled.run(STEPS, recording);
        counters.synapticEvents += events - before;
        return compiled.currentStep();
    }
}
