package org.myelin.core.monitor;

import java.util.ArrayList;
import java.util.List;

/** Samples of a state monitor: one row of values (in the monitor's neuron order) per sampled step. */
public final class StateTrace {
    private final List<double[]> rows = new ArrayList<>();
    private long[] steps = new long[64];

    void add(long step, double[] values) {
        if (rows.size() == steps.length) {
            steps = java.util.Arrays.copyOf(steps, steps.length * 2);
        }
        steps[rows.size()] = step;
        rows.add(values.clone());
    }

    public int samples() {
        return rows.size();
    }

    public long step(int sample) {
        return steps[sample];
    }

    public double value(int sample, int neuron) {
        return rows.get(sample)[neuron];
    }

    /** The time series of the monitor's {@code k}-th neuron. */
    public double[] series(int k) {
        double[] s = new double[rows.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = rows.get(i)[k];
        }
        return s;
    }
}
