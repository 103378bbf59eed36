package org.myelin.benchmarks;

import java.util.concurrent.TimeUnit;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;
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
 * Neuron updates per second of the CPU engine: CuBa-LIF neurons without synapses, integrated and checked
 * for threshold every step. The {@code neuronUpdates} counter is neuron updates per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NeuronUpdateBenchmark {
    static final int STEPS = 100;

    @Param({"4000", "256000"})
    public int neurons;

    @Param({"1"})
    public int threads;

    private CompiledNetwork compiled;
    private Recording recording;

    @Setup(Level.Trial)
    public void setup() {
        CubaLifModel model = CubaLifModel.builder().tauMembraneMs(20).restingMv(-49).thresholdMv(-50)
                .resetMv(-60).refractoryMs(5).build();
        Network net = Network.builder().seed(1)
                .population("n", neurons, model, Distribution.uniform(-60, -50)).build();
        compiled = Backends.find("cpu").compile(net, new SimulationConfig(threads));
        recording = Recording.none();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        compiled.close();
    }

    /** Counts neuron updates, so JMH reports them per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long neuronUpdates;
    }

    /** One call advances every neuron {@value #STEPS} steps. */
    @Benchmark
    public long update(Counters counters) {
        compiled.run(STEPS, recording);
        counters.neuronUpdates += (long) neurons * STEPS;
        return compiled.currentStep();
    }
}
