package org.myelin.core.monitor;

/** Records the mean firing rate of a node, in Hz, over consecutive bins of {@code binSteps} steps. */
public record RateMonitor(String name, String node, int binSteps) {
}
