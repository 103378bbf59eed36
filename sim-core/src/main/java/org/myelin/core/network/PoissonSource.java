package org.myelin.core.network;

/**
 * Independent Poisson spike generators on the time grid: generator {@code i} spikes in step {@code n} when
 * {@code CounterRandom.uniform(seed, stream(name), i, n) < rateHz * dt}, so the spikes are the same on every
 * backend.
 */
public record PoissonSource(String name, int size, double rateHz) implements SpikeSource {
}
