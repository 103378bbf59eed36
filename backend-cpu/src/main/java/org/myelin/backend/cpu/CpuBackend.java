package org.myelin.backend.cpu;

import org.myelin.core.backend.Backend;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.network.Network;

/** The multi-threaded float32 engine, registered as {@code cpu}. */
public final class CpuBackend implements Backend {
    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String description() {
        return "multi-threaded float32 CPU engine, clock-driven update with event-driven spike delivery"
                + " (accumulation: float by default, or fixed point)";
    }

    @Override
    public CompiledNetwork compile(Network network, SimulationConfig config) {
        return new CpuEngine(network, config.threads(),
                config.accumulation() == SimulationConfig.Accumulation.FIXED_POINT);
    }
}
