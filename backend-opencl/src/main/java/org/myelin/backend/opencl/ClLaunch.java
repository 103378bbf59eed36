package org.myelin.backend.opencl;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clReleaseEvent;
import static org.jocl.CL.clSetKernelArg;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * Setting kernel arguments and launching kernels on one in-order queue, with optional profiling: when on, the
 * kernels of every 100th step that the caller marks (slot 0 the update, slot 1 the delivery) are timed.
 */
final class ClLaunch {
    private final cl_command_queue queue;
    private final boolean profile;
    private final int[] intArg = new int[1];
    private final long[] longArg = new long[1];
    private final float[] floatArg = new float[1];
    private final long[] globalSize = new long[1];
    private final long[] localSize = new long[1];
    private boolean timedStep;
    private final List<cl_event> timerEvents = new ArrayList<>();
    private final List<Integer> timerSlots = new ArrayList<>();
    /** Summed device time of the timed kernels per slot, and how many were timed. */
    final long[] kernelNanos = new long[2];
    final long[] kernelCount = new long[2];

    ClLaunch(cl_command_queue queue, boolean profile) {
        this.queue = queue;
        this.profile = profile;
    }

    void arg(cl_kernel k, int i, cl_mem m) {
        clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
    }

    void arg(cl_kernel k, int i, int v) {
        intArg[0] = v;
        clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(intArg));
    }

    void argLong(cl_kernel k, int i, long v) {
        longArg[0] = v;
        clSetKernelArg(k, i, Sizeof.cl_ulong, Pointer.to(longArg));
    }

    void arg(cl_kernel k, int i, float v) {
        floatArg[0] = v;
        clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(floatArg));
    }

    /** Marks whether the kernels of the step being enqueued are timed. */
    void step(long n) {
        timedStep = profile && n % 100 == 0;
    }

    /** Launches {@code k} over {@code items} work items (rounded up to whole groups of {@code local}). */
    void run(cl_kernel k, long items, int local) {
        runTimed(k, items, local, -1);
    }

    /** Launches k; with profiling on, a marked step's kernel is timed into {@code timerSlot}. */
    void runTimed(cl_kernel k, long items, int local, int timerSlot) {
        localSize[0] = local;
        globalSize[0] = Math.max(local, (items + local - 1) / local * local);
        cl_event ev = null;
        if (timerSlot >= 0 && profile && timedStep) {
            ev = new cl_event();
        }
        clEnqueueNDRangeKernel(queue, k, 1, null, globalSize, localSize, 0, null, ev);
        if (ev != null) {
            timerEvents.add(ev);
            timerSlots.add(timerSlot);
        }
    }

    /** Launches exactly {@code global} work items in groups of {@code local}, signalling {@code done}. */
    void runExactly(cl_kernel k, long global, int local, cl_event done) {
        localSize[0] = local;
        globalSize[0] = global;
        clEnqueueNDRangeKernel(queue, k, 1, null, globalSize, localSize, 0, null, done);
    }

    /** Adds the durations of finished timed kernels. */
    void collectTimers() {
        long[] start = new long[1];
        long[] end = new long[1];
        for (int i = 0; i < timerEvents.size(); i++) {
            cl_event ev = timerEvents.get(i);
            CL.clWaitForEvents(1, new cl_event[] {ev});
            CL.clGetEventProfilingInfo(ev, CL.CL_PROFILING_COMMAND_START, Sizeof.cl_ulong, Pointer.to(start), null);
            CL.clGetEventProfilingInfo(ev, CL.CL_PROFILING_COMMAND_END, Sizeof.cl_ulong, Pointer.to(end), null);
            kernelNanos[timerSlots.get(i)] += end[0] - start[0];
            kernelCount[timerSlots.get(i)]++;
            clReleaseEvent(ev);
        }
        timerEvents.clear();
        timerSlots.clear();
    }
}
