package org.myelin.core.backend;

/**
 * How a backend advances neurons. Every mode uses the same network, the same propagators and the same step
 * semantics (see {@link org.myelin.core.model.Propagators}); they differ in which neurons are visited when.
 */
public enum EngineMode {
    /** Every neuron is integrated at every step; spikes are delivered by event. The default. */
    CLOCK,
    /**
     * A neuron is advanced analytically only when input reaches it or when it is predicted to cross threshold
     * (CuBa: the first grid step at which the trajectory without further input exceeds it). Spikes fall on the
     * same grid as {@link #CLOCK}; the two differ only by rounding (k analytic steps round differently from k
     * single steps).
     */
    EVENT_GRID,
    /**
     * Off-grid spike times: threshold crossings found by a bracketing root finder on the analytic trajectory,
     * events ordered in a priority queue.
     */
    EVENT_PRECISE,
    /** Clock or event-driven per population, chosen from the population's measured activity. */
    AUTO;

    /** The command-line spelling: clock, event, precise, auto. */
    public String cliName() {
        return switch (this) {
            case CLOCK -> "clock";
            case EVENT_GRID -> "event";
            case EVENT_PRECISE -> "precise";
            case AUTO -> "auto";
        };
    }

    /** Parses clock, event (or event-grid), precise (or event-precise) and auto, case-insensitively. */
    public static EngineMode parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return switch (k) {
            case "clock" -> CLOCK;
            case "event", "event-grid" -> EVENT_GRID;
            case "precise", "event-precise" -> EVENT_PRECISE;
            case "auto" -> AUTO;
            default -> throw new org.myelin.core.MyelinException("engine mode must be clock, event, precise or auto, was '"
                    + s + "'");
        };
    }
}
