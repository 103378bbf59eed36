package org.myelin.backend.opencl;

import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clFinish;
import static org.jocl.CL.clReleaseEvent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_mem;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateMonitor;
import org.myelin.core.network.Network;

/**
 * Reads a finished batch of steps back on the engine's second queue (after the batch's event) and reports it to the
 * recording in step order: the per-step spike counts and the spikes packed by {@code compact_batch}, or, when a batch
 * had more spikes than the packed buffer holds, each step's list where the kernels left it; then the state samples.
 */
final class ClBatchReader {
    private final Network net;
    private final cl_command_queue readQueue;
    /** Host memory the spike lists of a batch are read into (direct, as non-blocking reads need). */
    private ByteBuffer readArea;

    ClBatchReader(Network net, cl_command_queue readQueue) {
        this.net = net;
        this.readQueue = readQueue;
    }

    /**
     * Reports steps {@code [from, to)}, finished when {@code done} is; releases {@code done}.
     *
     * @param staged          the batch's packed buffer (counts, then spikes) of {@code stagingCapacity} ints
     * @param spikes          the per-step spike lists, {@code rows} ints per slot, {@code slots} slots
     * @param sampleRowBase   the row of the batch's first step in the sample buffers
     */
    void read(Recording.Bound rec, long from, long to, cl_event done, cl_mem staged, long stagingCapacity,
              cl_mem spikes, int slots, int rows, int sampleRowBase, boolean spikesWanted, StateMonitor[] sm,
              int[] monitorPopulation, cl_mem[] sampleBuffers) {
        cl_event[] after = {done};
        int steps = (int) (to - from);
        int[] stepCounts = new int[steps];
        if (spikesWanted) {
            clEnqueueReadBuffer(readQueue, staged, CL_TRUE, 0, (long) Sizeof.cl_int * steps, Pointer.to(stepCounts), 1,
                    after, null);
        }
        float[][] samples = new float[sm.length][];
        for (int k = 0; k < sm.length; k++) {
            int m = sm[k].neurons().length;
            samples[k] = new float[steps * m];
            clEnqueueReadBuffer(readQueue, sampleBuffers[k], CL_TRUE, (long) Sizeof.cl_float * sampleRowBase * m,
                    (long) Sizeof.cl_float * samples[k].length, Pointer.to(samples[k]), 1, after, null);
        }
        int total = 0;
        int[] at = new int[steps + 1];
        if (spikesWanted) {
            for (int j = 0; j < steps; j++) {
                at[j] = total;
                total += stepCounts[j];
            }
        }
        at[steps] = total;
        int[] all = new int[Math.max(1, total)];
        if (total > 0 && steps + (long) total <= stagingCapacity) {
            clEnqueueReadBuffer(readQueue, staged, CL_TRUE, (long) Sizeof.cl_int * steps, (long) Sizeof.cl_int * total,
                    Pointer.to(all), 1, after, null);
        } else if (total > 0) {
            // more spikes than the packed buffer holds: read each step's list where the kernels left it (the
            // slots of this batch are not written again before the batch after next)
            if (readArea == null || readArea.capacity() < 4L * total) {
                readArea = ByteBuffer.allocateDirect(Math.max(1 << 16, 4 * total * 2)).order(ByteOrder.nativeOrder());
            }
            for (long n = from; n < to; n++) {
                int c = stepCounts[(int) (n - from)];
                if (c > 0) {
                    clEnqueueReadBuffer(readQueue, spikes, false, (long) Sizeof.cl_int * (n % slots) * rows,
                            (long) Sizeof.cl_int * c,
                            Pointer.toBuffer(readArea).withByteOffset((long) Sizeof.cl_int * at[(int) (n - from)]),
                            1, after, null);
                }
            }
            clFinish(readQueue);
            readArea.asIntBuffer().get(all, 0, total);
        }
        clReleaseEvent(done);
        for (long n = from; n < to; n++) {
            if (spikesWanted) {
                int a = at[(int) (n - from)];
                int c = at[(int) (n - from) + 1] - a;
                if (c > 0) {
                    Arrays.sort(all, a, a + c);
                    rec.stepSpikes(n, all, a, c);
                }
            }
            for (int k = 0; k < sm.length; k++) {
                if (rec.samples(k, n)) {
                    int m = sm[k].neurons().length;
                    double[] values = new double[m];
                    boolean v = sm[k].variable().equals("v");
                    double shift = v ? net.populations().get(monitorPopulation[k]).model().membrane().restingMv() : 0.0;
                    int base = (int) (n - from) * m;
                    for (int j = 0; j < m; j++) {
                        values[j] = samples[k][base + j] * 1.0 + shift;
                    }
                    rec.state(k, n, values);
                }
            }
        }
    }
}
