package org.myelin.backend.opencl;

import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.network.Network;

/** The OpenCL backend, registered as {@code opencl}; the device comes from {@link SimulationConfig#device()}. */
public final class OpenClBackend implements Backend {
    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String description() {
        return "OpenCL (JOCL) on GPUs or PoCL, fixed-point accumulation, bit-identical to the cpu backend's fixed point";
    }

    @Override
    public CompiledNetwork compile(Network network, SimulationConfig config) {
        config.requireClock(name());
        org.myelin.core.plasticity.FixedWeights.require(network, "opencl backend");
        org.myelin.core.network.Transmission.requireSpikes(network, "opencl backend");
        if (config.accumulation() == SimulationConfig.Accumulation.FLOAT) {
            throw new MyelinException("opencl backend: accumulation FLOAT is not supported (its sums would depend on the"
                    + " order of GPU atomics); use FIXED_POINT, the default");
        }
        OpenClDevices.Device device = OpenClDevices.select(config.device());
        warnWithoutSignalChaining(device);
        return new OpenClEngine(network, device);
    }

    private static boolean warned;

    /**
     * NVIDIA's OpenCL driver installs its own SIGSEGV handler; the JVM, which raises SIGSEGV on purpose (implicit
     * null checks), then dies at random with "Segmentation fault" unless the JVM's signal-chaining library is
     * preloaded. The {@code myelin} launcher preloads it; API users are told once.
     */
    private static synchronized void warnWithoutSignalChaining(OpenClDevices.Device device) {
        String preload = System.getenv("LD_PRELOAD");
        if (!warned && device.vendor().toUpperCase(java.util.Locale.ROOT).contains("NVIDIA")
                && (preload == null || !preload.contains("libjsig"))) {
            warned = true;
            System.err.println("myelin: warning: on NVIDIA's OpenCL driver the JVM needs signal chaining, or it can"
                    + " crash with a segmentation fault: start it with LD_PRELOAD=" + System.getProperty("java.home")
                    + "/lib/libjsig.so (the myelin launcher does)");
        }
    }
}
