package org.myelin.backend.cpu;

/**
 * One worker of the clock engine: its range of neurons [lo, hi), its spike lists (double-buffered by step parity),
 * its refractory list, its lazy decay scales per population and what it counts; nothing in it is shared.
 */
final class ClockWorker {
    final int index;
    final int lo;
    final int hi;
    final int[][] spikes;
    final int[] spikeCount = new int[2];
    final CpuLifKernel.DeadList dead;
    int changeCursor;
    /** Synaptic events delivered to each population's neurons owned by this worker, when counting. */
    final long[] inputEvents;
    /** Lazy decay scales per population (true ge = ge * scaleE), kept per worker: no sharing. */
    final double[] scaleE;
    final double[] scaleI;
    final float[] inverseE;
    final float[] inverseI;
    /**
     * Per population and float ring slot, whether this worker added input there that no step drained yet, so a
     * multi-rate population between its updates drains only slots that hold something.
     */
    boolean[] ringDirty = new boolean[0];
    /** Scratch for an external projection's values of one row. */
    float[] values;
    /** Where external projections add what they summed. */
    ExternalSink sink;

    ClockWorker(int index, int lo, int hi, int populations) {
        this.index = index;
        this.lo = lo;
        this.hi = hi;
        spikes = new int[][] {new int[hi - lo], new int[hi - lo]};
        dead = new CpuLifKernel.DeadList(hi - lo);
        scaleE = new double[populations];
        scaleI = new double[populations];
        java.util.Arrays.fill(scaleE, 1.0);
        java.util.Arrays.fill(scaleI, 1.0);
        inverseE = new float[populations];
        inverseI = new float[populations];
        inputEvents = new long[populations];
    }
}
