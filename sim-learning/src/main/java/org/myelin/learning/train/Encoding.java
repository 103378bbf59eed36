package org.myelin.learning.train;

import org.myelin.core.random.CounterRandom;
import org.myelin.learning.tensor.Tensor;

/** How sample values become the network's input. */
public enum Encoding {
    /** The values, as a constant input current at every step: a (batch, features) input. */
    DIRECT,
    /**
     * Bernoulli rate coding: at each step a feature spikes with probability equal to its value (clamped to
     * [0, 1]); a (time, batch, features) input. The draws are keyed by (seed, sample, feature, epoch, step).
     */
    RATE;

    private static final int STREAM = CounterRandom.streamOf("encoding.rate");

    /** The input for the samples {@code order[from..to)} of {@code data}. */
    public Tensor encode(LabelledData data, int[] order, int from, int to, int steps, long seed, long epoch) {
        int f = data.features();
        int b = to - from;
        float[] v = data.values();
        if (this == DIRECT) {
            float[] x = new float[b * f];
            for (int i = 0; i < b; i++) {
                System.arraycopy(v, order[from + i] * f, x, i * f, f);
            }
            return Tensor.of(x, b, f);
        }
        float[] x = new float[steps * b * f];
        for (int i = 0; i < b; i++) {
            int sample = order[from + i];
            for (int j = 0; j < f; j++) {
                float p = v[sample * f + j];
                if (p <= 0f) {
                    continue;
                }
                for (int t = 0; t < steps; t++) {
                    if (CounterRandom.uniform(seed, STREAM, (long) sample * f + j, epoch * steps + t) < p) {
                        x[(t * b + i) * f + j] = 1f;
                    }
                }
            }
        }
        return Tensor.of(x, steps, b, f);
    }
}
