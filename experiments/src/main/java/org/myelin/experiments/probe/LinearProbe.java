package org.myelin.experiments.probe;

import org.myelin.core.random.CounterRandom;

/**
 * Multinomial logistic regression trained by mini-batch SGD, deterministic given a seed: the sanity check that
 * emulated event data still carries its label (features: per-pixel ON and OFF event counts).
 */
public final class LinearProbe {
    private final int features;
    private final int classes;
    private final double[] w;
    private final double[] b;

    /** A probe of {@code features} inputs and {@code classes} outputs, all weights zero. */
    public LinearProbe(int features, int classes) {
        this.features = features;
        this.classes = classes;
        this.w = new double[features * classes];
        this.b = new double[classes];
    }

    /**
     * {@code epochs} passes of per-sample SGD over {@code x} (rows) and labels {@code y}, in an order shuffled by
     * {@code seed} and the epoch, the rate {@code rate / (1 + epoch)}.
     */
    public void train(double[][] x, int[] y, int epochs, double rate, long seed) {
        int n = x.length;
        int[] order = new int[n];
        double[] p = new double[classes];
        for (int e = 0; e < epochs; e++) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = (int) (CounterRandom.uniform(seed, e, i, 0) * (i + 1));
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double lr = rate / (1 + e);
            for (int k : order) {
                scores(x[k], p);
                softmax(p);
                p[y[k]] -= 1;
                for (int c = 0; c < classes; c++) {
                    double g = p[c] * lr;
                    if (g == 0) {
                        continue;
                    }
                    int base = c * features;
                    double[] xk = x[k];
                    for (int f = 0; f < features; f++) {
                        w[base + f] -= g * xk[f];
                    }
                    b[c] -= g;
                }
            }
        }
    }

    /** The class of the highest score for the features {@code x}. */
    public int predict(double[] x) {
        double[] s = new double[classes];
        scores(x, s);
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (s[c] > s[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The fraction of the rows of {@code x} predicted as their label in {@code y} (0 for no rows). */
    public double accuracy(double[][] x, int[] y) {
        int ok = 0;
        for (int i = 0; i < x.length; i++) {
            ok += predict(x[i]) == y[i] ? 1 : 0;
        }
        return x.length == 0 ? 0 : (double) ok / x.length;
    }

    private void scores(double[] x, double[] out) {
        for (int c = 0; c < classes; c++) {
            double s = b[c];
            int base = c * features;
            for (int f = 0; f < features; f++) {
                s += w[base + f] * x[f];
            }
            out[c] = s;
        }
    }

    private static void softmax(double[] s) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            m = Math.max(m, v);
        }
        double z = 0;
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.exp(s[i] - m);
            z += s[i];
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= z;
        }
    }
}
