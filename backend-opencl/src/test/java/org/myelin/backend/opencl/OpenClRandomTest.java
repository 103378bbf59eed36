package org.myelin.backend.opencl;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_MEM_WRITE_ONLY;
import static org.jocl.CL.CL_TRUE;
import static org.jocl.CL.clBuildProgram;
import static org.jocl.CL.clCreateBuffer;
import static org.jocl.CL.clCreateCommandQueue;
import static org.jocl.CL.clCreateContext;
import static org.jocl.CL.clCreateKernel;
import static org.jocl.CL.clCreateProgramWithSource;
import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clEnqueueReadBuffer;
import static org.jocl.CL.clReleaseContext;
import static org.jocl.CL.clSetKernelArg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myelin.core.random.CounterRandom;

/** The OpenCL C Philox gives the very numbers of the Java one. */
class OpenClRandomTest {
    @BeforeAll
    static void platform() {
        OpenClAvailable.require();
    }

    @Test
    @SuppressWarnings("deprecation")
    void kernelRandomBitsEqualJavaCounterRandom() throws Exception {
        OpenClDevices.Device d = OpenClDevices.select(null);
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, d.platformId());
        cl_context ctx = clCreateContext(props, 1, new org.jocl.cl_device_id[] {d.deviceId()}, null, null, null);
        try {
            cl_command_queue q = clCreateCommandQueue(ctx, d.deviceId(), 0, null);
            String src;
            try (InputStream in = OpenClEngine.class.getResourceAsStream("myelin.cl")) {
                src = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            cl_program prog = clCreateProgramWithSource(ctx, 1, new String[] {src}, null, null);
            clBuildProgram(prog, 0, null, null, null, null);
            cl_kernel k = clCreateKernel(prog, "random_bits", null);
            int n = 4096;
            long[][] keys = {{12345L, 7, 0, 0}, {-1L, -1, 100_000, 0xFFFF_FFFFL + 3}, {0x243F6A8885A308D3L, 0x13198A2E, 5, 99}};
            for (long[] key : keys) {
                cl_mem out = clCreateBuffer(ctx, CL_MEM_WRITE_ONLY, (long) Sizeof.cl_ulong * n, null, null);
                clSetKernelArg(k, 0, Sizeof.cl_ulong, Pointer.to(new long[] {key[0]}));
                clSetKernelArg(k, 1, Sizeof.cl_uint, Pointer.to(new int[] {(int) key[1]}));
                clSetKernelArg(k, 2, Sizeof.cl_uint, Pointer.to(new int[] {(int) key[2]}));
                clSetKernelArg(k, 3, Sizeof.cl_ulong, Pointer.to(new long[] {key[3]}));
                clSetKernelArg(k, 4, Sizeof.cl_mem, Pointer.to(out));
                clSetKernelArg(k, 5, Sizeof.cl_int, Pointer.to(new int[] {n}));
                clEnqueueNDRangeKernel(q, k, 1, null, new long[] {n}, null, 0, null, null);
                long[] got = new long[n];
                clEnqueueReadBuffer(q, out, CL_TRUE, 0, (long) Sizeof.cl_ulong * n, Pointer.to(got), 0, null, null);
                for (int i = 0; i < n; i++) {
                    assertEquals(CounterRandom.bits(key[0], (int) key[1], key[2] + i, key[3]), got[i],
                            "draw " + i + " of key " + java.util.Arrays.toString(key));
                }
                org.jocl.CL.clReleaseMemObject(out);
            }
        } finally {
            clReleaseContext(ctx);
        }
    }
}
