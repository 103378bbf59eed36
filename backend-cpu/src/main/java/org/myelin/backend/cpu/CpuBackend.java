package org.myelin.backend.cpu;

import org.myelin.core.MyelinException;
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
        return "float32 CPU engines: multi-threaded clock-driven update with event-driven spike delivery"
                + " (accumulation: float by default, or fixed point); event-driven modes: event (neurons visited only"
                + " by input or a predicted threshold crossing), precise (off-grid spike times), auto";
    }

    /**
     * Compiles for the clock-driven engine with some projections' synapses computed outside it at every step
     * ({@link ExternalSynapses}; {@code external} returns null for a projection the engine keeps). This is how the
     * crossbar model puts its devices in the loop while the neurons run here.
     */
    public static CompiledNetwork compile(Network network, SimulationConfig config,
                                          java.util.function.Function<ExternalSynapses.Layout, ExternalSynapses> external) {
        config.requireClock("cpu with external synapses");
        if (config.accumulation() == SimulationConfig.Accumulation.FIXED_POINT) {
            throw new MyelinException("cpu backend: external synapses add float values; fixed-point accumulation"
                    + " cannot take them");
        }
        return new CpuEngine(network, config.threads(), false, external);
    }

    /**
     * This rank's part of a network distributed over the ranks of {@code exchange} (clock mode; every rank calls this
     * with the same network and config, which is collective). See {@link DistributedNetwork}.
     */
    public static DistributedNetwork compileDistributed(Network network, SimulationConfig config,
                                                        SpikeExchange exchange) {
        config.requireClock("distributed cpu");
        java.util.Objects.requireNonNull(exchange, "exchange");
        return new CpuEngine(network, config.threads(),
                config.accumulation() == SimulationConfig.Accumulation.FIXED_POINT, null, exchange);
    }

    @Override
    public CompiledNetwork compile(Network network, SimulationConfig config) {
        boolean fixed = config.accumulation() == SimulationConfig.Accumulation.FIXED_POINT;
        return switch (config.mode()) {
            case CLOCK -> CpuEngine.clock(network, config.threads(), fixed);
            case EVENT_GRID -> {
                if (fixed) {
                    throw new MyelinException("cpu backend: mode EVENT_GRID accumulates in float;"
                            + " fixed-point accumulation is a clock-mode option");
                }
                yield new EventGridEngine(network);
            }
            case AUTO -> {
                if (fixed) {
                    throw new MyelinException("cpu backend: mode AUTO may switch to the event-driven engine, which"
                            + " accumulates in float; fixed-point accumulation is a clock-mode option");
                }
                yield new AutoEngine(network, config.threads());
            }
            case EVENT_PRECISE -> {
                if (fixed) {
                    throw new MyelinException("cpu backend: mode EVENT_PRECISE works in double precision;"
                            + " fixed-point accumulation is a clock-mode option");
                }
                yield new EventPreciseEngine(network);
            }
        };
    }
}
