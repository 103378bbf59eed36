package org.myelin.backend.cpu;

/**
 * The collective operations a network distributed over several processes (ranks) needs: each rank owns a
 * contiguous range of neurons ({@link #range}), builds only the synapses onto them, and once per minimum-delay
 * window all ranks all-gather the window's spikes. Ranks are numbered 0..size-1 and own ascending ranges, so
 * concatenating the ranks' blocks in rank order gives every step's spikes in ascending global index: the order
 * in which a single process adds them. With counter-based random numbers this makes the spikes identical for any
 * number of ranks and threads.
 *
 * <p>Implementations: {@link LocalExchange} (ranks as threads of one JVM, for tests and for machines without
 * MPI) and Open MPI in the optional {@code mpi} module. Every rank must call every operation, in the same order.
 */
public interface SpikeExchange {
    /** This process's rank, 0..size-1. */
    int rank();

    /** The number of ranks. */
    int size();

    /**
     * All-gather of variable-length blocks: {@code block[0, length)} from this rank; returns every rank's block in
     * rank order (exact lengths).
     */
    int[][] allGather(int[] block, int length);

    /** Element-wise sum over ranks (every rank gets the result). */
    long[] allReduceSum(long[] values);

    /** Element-wise minimum over ranks (every rank gets the result). */
    default long[] allReduceMin(long[] values) {
        int[] block = new int[values.length * 2];
        for (int k = 0; k < values.length; k++) {
            block[2 * k] = (int) (values[k] >>> 32);
            block[2 * k + 1] = (int) values[k];
        }
        long[] min = values.clone();
        for (int[] b : allGather(block, block.length)) {
            for (int k = 0; k < values.length; k++) {
                min[k] = Math.min(min[k], ((long) b[2 * k] << 32) | (b[2 * k + 1] & 0xFFFFFFFFL));
            }
        }
        return min;
    }

    /** The neurons rank r of {@code ranks} owns among {@code neurons}: [first, end), as even as integers allow. */
    static int[] range(int neurons, int r, int ranks) {
        return new int[] {(int) ((long) neurons * r / ranks), (int) ((long) neurons * (r + 1) / ranks)};
    }
}
