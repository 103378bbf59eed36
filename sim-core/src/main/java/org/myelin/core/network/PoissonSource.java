package org.myelin.core.network;

import org.myelin.core.random.CounterRandom;

/**
 * Independent Poisson spike generators on the time grid, the same on every backend. Without multiplicity generator
 * {@code i} spikes in step {@code n} when {@code u = CounterRandom.uniform(seed, stream(name), i, n) < rateHz * dt}
 * (at most one spike per step: rate * dt &lt;= 1). With multiplicity (NEST's poisson_generator, for summed inputs
 * such as the microcircuit's background) it emits k spikes in the step, k ~ Poisson(rate * dt) drawn from the same
 * u by inversion ({@link #events}), and a target receives the weight k times; rates are then unbounded up to
 * {@link #MAX_EVENTS_PER_STEP} events per step in expectation.
 */
public record PoissonSource(String name, int size, double rateHz, boolean multiplicity) implements SpikeSource {
    /** The largest expected number of events per step of a generator with multiplicity. */
    public static final double MAX_EVENTS_PER_STEP = 100;

    /** Without multiplicity: at most one spike per step. */
    public PoissonSource(String name, int size, double rateHz) {
        this(name, size, rateHz, false);
    }

    /**
     * The events of a generator with multiplicity whose uniform draw is {@code u}, for {@code lambda} expected
     * events per step: the smallest k with P(X &lt;= k) &gt; u, X ~ Poisson(lambda), at most {@link #maxEvents}.
     */
    public static int events(double u, double lambda) {
        double p = Math.exp(-lambda);
        double cdf = p;
        int k = 0;
        int cap = maxEvents(lambda);
        while (u >= cdf && k < cap) {
            k++;
            p *= lambda / k;
            cdf += p;
        }
        return k;
    }

    /**
     * The cumulative distribution that {@link #events(double, double)} walks, computed once for a lambda with the same
     * arithmetic in the same order: entry k is P(X &lt;= k) as that method sums it, for k in [0, {@link #maxEvents}].
     * With it {@link #events(double, double[])} gives the same count for every draw without an exponential per call.
     */
    public static double[] eventTable(double lambda) {
        int cap = maxEvents(lambda);
        double[] cdf = new double[cap + 1];
        double p = Math.exp(-lambda);
        double c = p;
        cdf[0] = c;
        for (int k = 1; k <= cap; k++) {
            p *= lambda / k;
            c += p;
            cdf[k] = c;
        }
        return cdf;
    }

    /** {@link #events(double, double)} for the lambda whose {@link #eventTable} is {@code cdf}: the same result. */
    public static int events(double u, double[] cdf) {
        int cap = cdf.length - 1;
        int k = 0;
        while (k < cap && u >= cdf[k]) {
            k++;
        }
        return k;
    }

    /** The most events one generator emits in a step: lambda + 12 sqrt(lambda) + 12 (a tail below 1e-20). */
    public static int maxEvents(double lambda) {
        return (int) Math.ceil(lambda + 12 * Math.sqrt(lambda) + 12);
    }

    /** The most spike events the source emits in one step, all its generators together. */
    public long maxSpikesPerStep(double dtMs) {
        return multiplicity ? (long) size * maxEvents(rateHz * (dtMs / 1000.0)) : size;
    }

    /** Generator {@code i}'s events in step {@code n} (0 or 1 without multiplicity). */
    public int eventsAt(long seed, int stream, int i, long n, double dtMs) {
        double lambda = rateHz * (dtMs / 1000.0);
        double u = CounterRandom.uniform(seed, stream, i, n);
        return multiplicity ? events(u, lambda) : u < lambda ? 1 : 0;
    }
}
