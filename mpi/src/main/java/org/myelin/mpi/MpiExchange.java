package org.myelin.mpi;

import org.myelin.backend.cpu.SpikeExchange;

/**
 * {@link SpikeExchange} over MPI_COMM_WORLD: every rank of an {@code mpirun} job holds one. Collectives are
 * MPI_Allgather + MPI_Allgatherv (spikes) and MPI_Allreduce (counters), called from the thread that initialized MPI.
 */
public final class MpiExchange implements SpikeExchange {
    private final int rank;
    private final int size;
    private final int[] lengths;

    /** Initializes MPI if needed. */
    public MpiExchange() {
        Mpi.init();
        rank = Mpi.rank();
        size = Mpi.size();
        lengths = new int[size];
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int[][] allGather(int[] block, int length) {
        Mpi.requireInit();
        int[] all = Mpi.allGather(block, length, lengths);
        int[][] out = new int[size][];
        int at = 0;
        for (int r = 0; r < size; r++) {
            out[r] = java.util.Arrays.copyOfRange(all, at, at + lengths[r]);
            at += lengths[r];
        }
        return out;
    }

    @Override
    public long[] allReduceSum(long[] values) {
        Mpi.requireInit();
        return Mpi.allReduceSum(values);
    }

    @Override
    public long[] allReduceMin(long[] values) {
        Mpi.requireInit();
        return Mpi.allReduceMin(values);
    }

    /** Element-wise maximum over ranks. */
    public long[] allReduceMax(long[] values) {
        Mpi.requireInit();
        return Mpi.allReduceMax(values);
    }

    /** Waits for every rank. */
    public void barrier() {
        Mpi.requireInit();
        Mpi.barrier();
    }
}
