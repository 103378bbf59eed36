package org.myelin.backend.opencl;

import static org.jocl.CL.CL_MEM_COPY_HOST_PTR;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clEnqueueWriteBuffer;
import static org.jocl.CL.clReleaseMemObject;

import java.util.ArrayList;
import java.util.List;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_mem;

/** The device buffers of one engine: created from host arrays or zeroed, released one by one or all at close. */
final class ClMemory {
    private final cl_context context;
    private final cl_command_queue queue;
    private final List<cl_mem> buffers = new ArrayList<>();

    ClMemory(cl_context context, cl_command_queue queue) {
        this.context = context;
        this.queue = queue;
    }

    private cl_mem track(cl_mem m) {
        buffers.add(m);
        return m;
    }

    /** A buffer holding a copy of {@code a} (one element when {@code a} is empty). */
    cl_mem of(float[] a) {
        if (a.length == 0) {
            a = new float[1];
        }
        return track(clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_float * a.length,
                Pointer.to(a), null));
    }

    /** A buffer holding a copy of {@code a} (one element when {@code a} is empty). */
    cl_mem of(int[] a) {
        if (a.length == 0) {
            a = new int[1];
        }
        return track(clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_int * a.length,
                Pointer.to(a), null));
    }

    /** A buffer holding a copy of {@code a}. */
    cl_mem of(short[] a) {
        return track(clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_short * a.length,
                Pointer.to(a), null));
    }

    /** An uninitialised buffer of {@code bytes}. */
    cl_mem bytes(long bytes) {
        return track(clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null));
    }

    /** A zeroed int buffer, filled in chunks so that no host array of its size is needed. */
    cl_mem zeroInts(long n) {
        cl_mem m = bytes(Sizeof.cl_int * Math.max(1, n));
        int chunk = (int) Math.min(n, 1 << 22);
        int[] zeros = new int[Math.max(1, chunk)];
        for (long at = 0; at < n; at += chunk) {
            long len = Math.min(chunk, n - at);
            clEnqueueWriteBuffer(queue, m, CL_TRUE, at * Sizeof.cl_int, len * Sizeof.cl_int, Pointer.to(zeros), 0, null,
                    null);
        }
        return m;
    }

    void release(cl_mem m) {
        buffers.remove(m);
        clReleaseMemObject(m);
    }

    /** Releases every buffer still held. */
    void releaseAll() {
        for (cl_mem m : buffers) {
            clReleaseMemObject(m);
        }
        buffers.clear();
    }
}
