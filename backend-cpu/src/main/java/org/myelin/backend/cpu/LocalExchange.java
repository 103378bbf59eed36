package org.myelin.backend.cpu;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import org.myelin.core.MyelinException;

/**
 * Ranks as threads of one JVM: {@link #group(int)} makes the exchanges of {@code size} ranks that share memory,
 * one per rank, each to be used by one thread. The same collective semantics as MPI (every rank calls every
 * operation in the same order), so a distributed run can be tested, and compared with one process, without MPI.
 */
public final class LocalExchange implements SpikeExchange {
    private final Shared shared;
    private final int rank;

    private static final class Shared {
        final int size;
        final CyclicBarrier barrier;
        final int[][] blocks;
        final long[][] values;

        Shared(int size) {
            this.size = size;
            barrier = new CyclicBarrier(size);
            blocks = new int[size][];
            values = new long[size][];
        }

        void await() {
            try {
                barrier.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MyelinException("local exchange interrupted", e);
            } catch (BrokenBarrierException e) {
                throw new MyelinException("local exchange: another rank failed", e);
            }
        }
    }

    private LocalExchange(Shared shared, int rank) {
        this.shared = shared;
        this.rank = rank;
    }

    /** The exchanges of {@code size} ranks, index = rank. */
    public static LocalExchange[] group(int size) {
        if (size < 1) {
            throw new MyelinException("ranks must be >= 1, was " + size);
        }
        Shared s = new Shared(size);
        LocalExchange[] all = new LocalExchange[size];
        for (int r = 0; r < size; r++) {
            all[r] = new LocalExchange(s, r);
        }
        return all;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return shared.size;
    }

    @Override
    public int[][] allGather(int[] block, int length) {
        shared.blocks[rank] = java.util.Arrays.copyOf(block, length);
        shared.await();
        int[][] out = shared.blocks.clone();
        shared.await();
        return out;
    }

    @Override
    public long[] allReduceSum(long[] values) {
        shared.values[rank] = values.clone();
        shared.await();
        long[] sum = new long[values.length];
        for (long[] v : shared.values) {
            for (int k = 0; k < sum.length; k++) {
                sum[k] += v[k];
            }
        }
        shared.await();
        return sum;
    }

    /** Breaks the group's barrier (a rank that failed), so the others fail instead of waiting forever. */
    public void abort() {
        shared.barrier.reset();
    }
}
