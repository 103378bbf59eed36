package org.myelin.benchmarks;

import java.util.concurrent.TimeUnit;
import org.myelin.core.random.CounterRandom;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.nmnist.NmnistFormat;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * N-MNIST parsing throughput on one core: a buffer of one million 5-byte events (about 200 samples' worth),
 * decoded into an event stream. The {@code events} counter is events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NmnistParseBenchmark {
    static final int EVENTS = 1_000_000;
    private byte[] bytes;

    @Setup(Level.Trial)
    public void setup() {
        bytes = new byte[5 * EVENTS];
        long t = 0;
        for (int i = 0; i < EVENTS; i++) {
            t = (t + (long) (CounterRandom.uniform(1, 0, i, 0) * 8)) % (1L << 23);
            bytes[5 * i] = (byte) (CounterRandom.uniform(1, 1, i, 0) * 34);
            bytes[5 * i + 1] = (byte) (CounterRandom.uniform(1, 2, i, 0) * 34);
            bytes[5 * i + 2] = (byte) (((i & 1) << 7) | ((t >>> 16) & 0x7F));
            bytes[5 * i + 3] = (byte) (t >>> 8);
            bytes[5 * i + 4] = (byte) t;
        }
    }

    /** Counts parsed events, so JMH reports them per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long events;
    }

    @Benchmark
    public EventStream parse(Counters counters) {
        EventStream s = NmnistFormat.parse(bytes, "benchmark");
        counters.events += s.size();
        return s;
    }
}
