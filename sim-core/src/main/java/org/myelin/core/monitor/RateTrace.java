package org.myelin.core.monitor;

import java.util.Arrays;

/** Completed bins of a rate monitor: start step and mean rate per neuron in Hz. */
public final class RateTrace {
    private long[] starts = new long[64];
    private double[] rates = new double[64];
    private int size;

    void add(long start, double rateHz) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            rates = Arrays.copyOf(rates, size * 2);
        }
        starts[size] = start;
        rates[size] = rateHz;
        size++;
    }

    public int bins() {
        return size;
    }

    public long binStart(int i) {
        return starts[i];
    }

    public double rateHz(int i) {
        return rates[i];
    }
}
