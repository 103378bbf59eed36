package org.myelin.core.monitor;

/** Records every spike of a population or spike source. */
public record SpikeMonitor(String name, String node) {
}
