package org.myelin.core.backend;

import org.myelin.core.MyelinException;

/**
 * How a backend should run a network (not what the network is).
 *
 * @param threads worker threads; results never depend on it
 */
public record SimulationConfig(int threads) {

    public SimulationConfig {
        if (threads < 1 || threads > 1024) {
            throw new MyelinException("simulation config: threads must be in [1, 1024], was " + threads);
        }
    }

    /** One thread per available processor. */
    public static SimulationConfig defaults() {
        return new SimulationConfig(Runtime.getRuntime().availableProcessors());
    }

    public SimulationConfig withThreads(int t) {
        return new SimulationConfig(t);
    }
}
