package org.myelin.core.reference;

import org.myelin.core.backend.Backend;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.network.Network;

/** The double-precision single-thread oracle, registered as {@code reference}. */
public final class ReferenceBackend implements Backend {
    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String description() {
        return "double-precision single-thread reference engine (test oracle)";
    }

    @Override
    public CompiledNetwork compile(Network network, SimulationConfig config) {
        config.requireClock(name());
        return new ReferenceEngine(network);
    }
}
