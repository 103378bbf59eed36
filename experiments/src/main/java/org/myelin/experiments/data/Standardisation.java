package org.myelin.experiments.data;

import org.myelin.learning.train.LabelledData;

/**
 * Standardisation with the training set's statistics, applied alike to the sets evaluated: per feature (a z-score
 * of every column, as a linear readout wants) or with one mean and standard deviation over all values (as
 * torchvision's {@code Normalize} does for images).
 */
public final class Standardisation {
    private Standardisation() {
    }

    /**
     * Standardises every feature (column) of {@code train} in place to mean 0 and standard deviation 1 (population
     * spread, plus 1e-9 so that a constant feature stays finite), and every row of {@code others} with the same
     * figures.
     */
    public static void perFeature(double[][] train, double[][]... others) {
        int n = train[0].length;
        for (int j = 0; j < n; j++) {
            double m = 0;
            double s = 0;
            for (double[] x : train) {
                m += x[j];
            }
            m /= train.length;
            for (double[] x : train) {
                s += (x[j] - m) * (x[j] - m);
            }
            s = Math.sqrt(s / train.length) + 1e-9;
            for (double[] x : train) {
                x[j] = (x[j] - m) / s;
            }
            for (double[][] other : others) {
                for (double[] x : other) {
                    x[j] = (x[j] - m) / s;
                }
            }
        }
    }

    /** The mean and standard deviation of every value of a set (one figure each), {mean, sd}. */
    public static double[] meanSd(LabelledData d) {
        double sum = 0;
        double sum2 = 0;
        for (float v : d.values()) {
            sum += v;
            sum2 += (double) v * v;
        }
        double mean = sum / d.values().length;
        return new double[] {mean, Math.sqrt(Math.max(1e-12, sum2 / d.values().length - mean * mean))};
    }

    /** A copy of {@code d} with every value standardised by {@code meanSd} ({mean, sd}, from {@link #meanSd}). */
    public static LabelledData global(LabelledData d, double[] meanSd) {
        float[] v = new float[d.values().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((d.values()[i] - meanSd[0]) / meanSd[1]);
        }
        return new LabelledData(v, d.labels(), d.features(), d.classes());
    }
}
