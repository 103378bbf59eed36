package org.myelin.core.backend;

import org.myelin.core.MyelinException;

/**
 * How a backend should run a network (not what the network is). Results never depend on the thread count;
 * they depend on the accumulation mode only through rounding.
 *
 * @param threads      worker threads, or {@link #AUTO} to let the backend choose
 * @param accumulation how synaptic input is summed
 * @param device       backend-specific device selector (OpenCL: platform/device index or name part), or null
 * @param mode         clock-driven or event-driven neuron update ({@link EngineMode}); backends that have only
 *                     the clock refuse the others with {@link #requireClock}
 */
public record SimulationConfig(int threads, Accumulation accumulation, String device, EngineMode mode) {
    /** Let the backend choose the number of threads from the network's size and the processors. */
    public static final int AUTO = 0;

    /** How synaptic input is summed into a target in one step. */
    public enum Accumulation {
        /** The backend's own default: float on the CPU, fixed point on OpenCL. */
        DEFAULT,
        /** Float sums in a fixed order (ascending source): exact for a given backend and any thread count. */
        FLOAT,
        /**
         * Integer sums of weights quantised to {@link FixedPoint#RESOLUTION_MV}: independent of the order of
         * summation, so backends that sum in different orders (GPU atomics) agree bit for bit.
         */
        FIXED_POINT
    }

    public SimulationConfig {
        if (threads < 0 || threads > 1024) {
            throw new MyelinException("simulation config: threads must be in [1, 1024], or 0 for automatic, was "
                    + threads);
        }
        if (accumulation == null) {
            throw new MyelinException("simulation config: accumulation must be DEFAULT, FLOAT or FIXED_POINT, was null");
        }
        if (mode == null) {
            throw new MyelinException("simulation config: mode must be CLOCK, EVENT_GRID, EVENT_PRECISE or AUTO, was null");
        }
    }

    public SimulationConfig(int threads, Accumulation accumulation, String device) {
        this(threads, accumulation, device, EngineMode.CLOCK);
    }

    public SimulationConfig(int threads) {
        this(threads, Accumulation.DEFAULT, null);
    }

    /** Threads chosen by the backend ({@link #AUTO}), default accumulation, default device. */
    public static SimulationConfig defaults() {
        return new SimulationConfig(AUTO);
    }

    public SimulationConfig withThreads(int t) {
        return new SimulationConfig(t, accumulation, device, mode);
    }

    public SimulationConfig withAccumulation(Accumulation a) {
        return new SimulationConfig(threads, a, device, mode);
    }

    public SimulationConfig withDevice(String d) {
        return new SimulationConfig(threads, accumulation, d, mode);
    }

    public SimulationConfig withMode(EngineMode m) {
        return new SimulationConfig(threads, accumulation, device, m);
    }

    /** For backends that advance every neuron at every step: refuses the event-driven modes, naming the backend. */
    public void requireClock(String backend) {
        if (mode != EngineMode.CLOCK) {
            throw new MyelinException("backend '" + backend + "' runs clock-driven only; mode " + mode
                    + " is available on the cpu backend");
        }
    }
}
