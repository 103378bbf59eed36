package org.myelin.core.backend;

import org.myelin.core.MyelinException;

/**
 * How a backend should run a network (not what the network is).
 *
 * @param threads worker threads, or {@link #AUTO} to let the backend choose; results never depend on it
 */
public record SimulationConfig(int threads) {
    /** Let the backend choose the number of threads from the network's size and the processors. */
    public static final int AUTO = 0;

    public SimulationConfig {
        if (threads < 0 || threads > 1024) {
            throw new MyelinException("simulation config: threads must be in [1, 1024], or 0 for automatic, was "
                    + threads);
        }
    }

    /** Threads chosen by the backend ({@link #AUTO}). */
    public static SimulationConfig defaults() {
        return new SimulationConfig(AUTO);
    }

    public SimulationConfig withThreads(int t) {
        return new SimulationConfig(t);
    }
}
