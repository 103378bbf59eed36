package org.myelin.backend.opencl;

import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.clGetProgramBuildInfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_program;
import org.myelin.core.MyelinException;

/** The kernels' source (the resource myelin.cl), their build log, and the launch sizes the environment may tune. */
final class ClProgram {
    private ClProgram() {
    }

    /** The kernel source. */
    static String source() {
        try (InputStream in = ClProgram.class.getResourceAsStream("myelin.cl")) {
            if (in == null) {
                throw new MyelinException("opencl backend: kernel source myelin.cl is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MyelinException("opencl backend: cannot read myelin.cl: " + e.getMessage(), e);
        }
    }

    /** What the compiler said about {@code program} on {@code device}. */
    static String buildLog(cl_program program, cl_device_id device) {
        long[] size = new long[1];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
        return new String(buf, StandardCharsets.UTF_8).trim();
    }

    /** The environment variable {@code name} as a size in [1, 1024], or {@code fallback} when it is unset. */
    static int tuning(String name, int fallback) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int x = Integer.parseInt(v.trim());
            if (x < 1 || x > 1024) {
                throw new MyelinException(name + " must be in [1, 1024], was " + x);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new MyelinException(name + " must be an integer, was '" + v + "'");
        }
    }
}
