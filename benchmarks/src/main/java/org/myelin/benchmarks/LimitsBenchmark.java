package org.myelin.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What this machine can do at most, measured the way the engines use it, single thread, in plain Java loops (what
 * the JIT makes of them): streaming (the STREAM triad a = b + s c over three float arrays of {@code floats}
 * each: 12 bytes per element, read and written; at the sizes of {@link NeuronUpdateBenchmark}, so that the cache
 * level is the same), random scatter-add into a float array of {@code targets} (one read-modify-write at a random
 * index per element, the access pattern of spike delivery; at the sizes of {@link SpikeDeliveryBenchmark}), and float
 * throughput (multiply-add over an array held in L1). {@link LimitsReport} divides the engines' rates by these.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LimitsBenchmark {
    /** Three arrays for the triad. */
    @State(Scope.Thread)
    public static class Streams {
        @Param({"4000", "256000", "16777216"})
        public int floats;
        float[] a;
        float[] b;
        float[] c;

        @Setup(Level.Trial)
        public void setup() {
            a = new float[floats];
            b = new float[floats];
            c = new float[floats];
            SplittableRandom r = new SplittableRandom(1);
            for (int i = 0; i < floats; i++) {
                b[i] = (float) r.nextDouble();
                c[i] = (float) r.nextDouble();
            }
        }
    }

    /** A target array and 2^20 random indices into it. */
    @State(Scope.Thread)
    public static class Scatter {
        @Param({"10000", "256000"})
        public int targets;
        float[] target;
        int[] index;

        @Setup(Level.Trial)
        public void setup() {
            target = new float[targets];
            index = new int[1 << 20];
            SplittableRandom r = new SplittableRandom(2);
            for (int k = 0; k < index.length; k++) {
                index[k] = r.nextInt(targets);
            }
        }
    }

    /** An L1-resident array for the multiply-adds. */
    @State(Scope.Thread)
    public static class Flops {
        final float[] x = new float[1024];
    }

    /** Elements, scatter-adds and floating-point operations done, so that JMH reports them per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        /** Triad elements (12 bytes each). */
        public long triadElements;
        public long scatterAdds;
        public long flops;
    }

    /** One pass of the triad over the arrays. */
    @Benchmark
    public float triad(Streams s, Counters n) {
        float[] a = s.a;
        float[] b = s.b;
        float[] c = s.c;
        for (int i = 0; i < a.length; i++) {
            a[i] = b[i] + 0.5f * c[i];
        }
        n.triadElements += a.length;
        return a[a.length - 1];
    }

    /** 2^20 scatter-adds at random indices. */
    @Benchmark
    public float scatterAdd(Scatter s, Counters n) {
        float[] t = s.target;
        int[] idx = s.index;
        for (int k = 0; k < idx.length; k++) {
            t[idx[k]] += 1e-3f;
        }
        n.scatterAdds += idx.length;
        return t[0];
    }

    /** 64 passes of x = x * a + b over 1024 floats: 2 operations each, vectorised by the JIT. */
    @Benchmark
    public float multiplyAdd(Flops f, Counters n) {
        float[] x = f.x;
        for (int pass = 0; pass < 64; pass++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = x[i] * 0.999f + 1e-4f;
            }
        }
        n.flops += 2L * 64 * x.length;
        return x[0];
    }
}
