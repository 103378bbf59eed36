package org.myelin.backend.opencl;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.clGetDeviceIDs;
import static org.jocl.CL.clGetDeviceInfo;
import static org.jocl.CL.clGetPlatformIDs;
import static org.jocl.CL.clGetPlatformInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;
import org.myelin.core.MyelinException;

/** The OpenCL platforms and devices of this machine, and the choice of one. */
public final class OpenClDevices {
    private OpenClDevices() {
    }

    /** One device: where it is, what it is, and how much it holds. */
    public record Device(int platformIndex, int deviceIndex, String platform, String name, String vendor,
                         String version, boolean gpu, int computeUnits, long globalMemoryBytes, long maxAllocationBytes,
                         long maxWorkGroupSize, cl_platform_id platformId, cl_device_id deviceId) {

        /** {@code platform:device} indices, as {@code --device} takes them. */
        public String id() {
            return platformIndex + ":" + deviceIndex;
        }

        /** One line for listings and reports. */
        public String describe() {
            return String.format(Locale.ROOT, "%s  %s (%s, %s), %d compute units, %.1f GiB, platform %s", id(), name,
                    vendor, gpu ? "GPU" : "not a GPU", computeUnits, globalMemoryBytes / 1073741824.0, platform);
        }
    }

    /**
     * Every device of every platform. Throws {@link MyelinException} with the reason when OpenCL cannot be
     * used at all (no ICD loader, no platform).
     */
    public static List<Device> list() {
        List<Device> out = new ArrayList<>();
        try {
            CL.setExceptionsEnabled(true);
            int[] n = new int[1];
            clGetPlatformIDs(0, null, n);
            cl_platform_id[] platforms = new cl_platform_id[n[0]];
            clGetPlatformIDs(n[0], platforms, null);
            for (int p = 0; p < platforms.length; p++) {
                String pname = platformString(platforms[p], CL_PLATFORM_NAME);
                int[] nd = new int[1];
                clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, null, nd);
                cl_device_id[] devices = new cl_device_id[nd[0]];
                clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, nd[0], devices, null);
                for (int d = 0; d < devices.length; d++) {
                    cl_device_id dev = devices[d];
                    long type = deviceLong(dev, CL_DEVICE_TYPE);
                    out.add(new Device(p, d, pname, deviceString(dev, CL_DEVICE_NAME).trim(),
                            deviceString(dev, CL_DEVICE_VENDOR).trim(), deviceString(dev, CL_DEVICE_VERSION).trim(),
                            (type & CL_DEVICE_TYPE_GPU) != 0, deviceInt(dev, CL_DEVICE_MAX_COMPUTE_UNITS),
                            deviceLong(dev, CL_DEVICE_GLOBAL_MEM_SIZE), deviceLong(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                            deviceSize(dev, CL_DEVICE_MAX_WORK_GROUP_SIZE), platforms[p], dev));
                }
            }
        } catch (RuntimeException | LinkageError e) {
            throw new MyelinException("no OpenCL platform is usable here (" + e.getMessage()
                    + "); on Debian: apt-get install pocl-opencl-icd ocl-icd-libopencl1, or a GPU vendor's driver", e);
        }
        if (out.isEmpty()) {
            throw new MyelinException("no OpenCL device found; on Debian: apt-get install pocl-opencl-icd ocl-icd-libopencl1,"
                    + " or a GPU vendor's driver");
        }
        return out;
    }

    /**
     * The device {@code selector} names: null or empty for the first GPU (else the first device),
     * {@code "P:D"} for platform P's device D, {@code "D"} for device D of the first platform, or any part of a
     * device's name, case-insensitive.
     */
    public static Device select(String selector) {
        List<Device> all = list();
        if (selector == null || selector.isBlank()) {
            return all.stream().filter(Device::gpu).findFirst().orElse(all.get(0));
        }
        String s = selector.trim();
        if (s.matches("\\d+:\\d+") || s.matches("\\d+")) {
            String id = s.contains(":") ? s : "0:" + s;
            return all.stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow(() -> new MyelinException(
                    "no OpenCL device " + id + "; found: " + ids(all)));
        }
        String low = s.toLowerCase(Locale.ROOT);
        return all.stream().filter(d -> d.name().toLowerCase(Locale.ROOT).contains(low)
                        || d.platform().toLowerCase(Locale.ROOT).contains(low)).findFirst()
                .orElseThrow(() -> new MyelinException("no OpenCL device matches '" + s + "'; found: " + ids(all)));
    }

    private static String ids(List<Device> all) {
        List<String> l = new ArrayList<>();
        all.forEach(d -> l.add(d.id() + " " + d.name()));
        return l.toString();
    }

    private static String platformString(cl_platform_id p, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(p, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(p, param, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String deviceString(cl_device_id d, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(d, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(d, param, buf.length, Pointer.to(buf), null);
        return new String(buf, 0, Math.max(0, buf.length - 1), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static long deviceLong(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.cl_long, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceSize(cl_device_id d, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(d, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }

    private static int deviceInt(cl_device_id d, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(d, param, Sizeof.cl_int, Pointer.to(v), null);
        return v[0];
    }
}
