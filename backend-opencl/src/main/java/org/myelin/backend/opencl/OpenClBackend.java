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
        if (config.accumulation() == SimulationConfig.Accumulation.FLOAT) {
            throw new MyelinException("opencl backend: accumulation FLOAT is not supported (its sums would depend on the"
                    + " order of GPU atomics); use FIXED_POINT, the default");
        }
        return new OpenClEngine(network, OpenClDevices.select(config.device()));
    }
}
