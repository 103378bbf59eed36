package org.myelin.core.monitor;

/**
 * Where recorded data goes. Every method has an empty default, so a sink implements what it stores. Calls
 * come in step order from one thread; arrays passed in are reused by the caller and must be copied.
 */
public interface RecordingSink extends AutoCloseable {

    /** Spikes of one step: {@code neurons[0..count)} are indices local to the monitored node, ascending. */
    default void spikes(SpikeMonitor monitor, long step, int[] neurons, int count) {
    }

    /**
     * Spikes of one step with their exact times (the event-driven precise mode): {@code timesMs[k]} is the time of
     * {@code neurons[k]}'s spike, in ((step) dt, (step + 1) dt]. Sinks that keep only steps get {@link #spikes}.
     */
    default void spikeTimes(SpikeMonitor monitor, long step, int[] neurons, double[] timesMs, int count) {
        spikes(monitor, step, neurons, count);
    }

    /** One sample: {@code values[k]} belongs to {@code monitor.neurons()[k]}. */
    default void state(StateMonitor monitor, long step, double[] values) {
    }

    /** One completed bin of a rate monitor. */
    default void rate(RateMonitor monitor, long binStartStep, double rateHz) {
    }

    @Override
    default void close() {
    }
}
