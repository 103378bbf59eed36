package org.myelin.core.monitor;

import java.util.Arrays;

/**
 * Spikes as parallel (step, neuron) columns in time order, neurons ascending within a step, and, from engines
 * that know them (the event-driven precise mode), each spike's exact time in ms (NaN where unknown).
 */
public final class SpikeRecord {
    private long[] steps;
    private int[] neurons;
    private double[] times;
    private int size;

    public SpikeRecord() {
        this(1024);
    }

    public SpikeRecord(int capacity) {
        steps = new long[Math.max(16, capacity)];
        neurons = new int[Math.max(16, capacity)];
    }

    public void add(long step, int neuron) {
        if (size == steps.length) {
            int n = steps.length * 2;
            steps = Arrays.copyOf(steps, n);
            neurons = Arrays.copyOf(neurons, n);
            if (times != null) {
                times = Arrays.copyOf(times, n);
                Arrays.fill(times, size, n, Double.NaN);
            }
        }
        steps[size] = step;
        neurons[size] = neuron;
        size++;
    }

    /** Adds a spike with its exact time in ms. */
    public void add(long step, int neuron, double timeMs) {
        add(step, neuron);
        if (times == null) {
            times = new double[steps.length];
            Arrays.fill(times, Double.NaN);
        }
        times[size - 1] = timeMs;
    }

    /** True when some spike has an exact time. */
    public boolean hasTimes() {
        return times != null;
    }

    /** The exact time of spike i in ms, or NaN when the engine gave only its step. */
    public double timeMs(int i) {
        return times == null ? Double.NaN : times[i];
    }

    public int size() {
        return size;
    }

    public long step(int i) {
        return steps[i];
    }

    public int neuron(int i) {
        return neurons[i];
    }

    public long[] steps() {
        return Arrays.copyOf(steps, size);
    }

    public int[] neurons() {
        return Arrays.copyOf(neurons, size);
    }

    /** Spikes per neuron for a node of {@code nodeSize} neurons. */
    public int[] countsPerNeuron(int nodeSize) {
        int[] c = new int[nodeSize];
        for (int i = 0; i < size; i++) {
            c[neurons[i]]++;
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SpikeRecord r) || r.size != size) {
            return false;
        }
        return Arrays.equals(steps, 0, size, r.steps, 0, size) && Arrays.equals(neurons, 0, size, r.neurons, 0, size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = h * 31 + Long.hashCode(steps[i]) * 17 + neurons[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "SpikeRecord[" + size + " spikes]";
    }
}
