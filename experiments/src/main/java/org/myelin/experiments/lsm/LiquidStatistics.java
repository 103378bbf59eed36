package org.myelin.experiments.lsm;

import java.util.Locale;
import org.myelin.backend.memristor.lsm.Reservoir;
import org.myelin.core.random.CounterRandom;

/**
 * What a liquid is made of and what it does with the data: the statistics of its weight matrices (spread, shape,
 * sparsity, sign balance, the spread of each neuron's summed input weight, the recurrent matrix's spectral radius) and
 * of its spike-count features (firing rate, silent and saturated neurons, the effective number of dimensions the
 * features span). These are the figures that tell whether two kinds of liquid differ in gain, balance or collapse.
 */
public final class LiquidStatistics {
    /** A weight counts as effectively nonzero when its magnitude is at least this fraction of the matrix's spread. */
    public static final double NONZERO = 0.25;
    /** A neuron counts as saturated when its mean count over the samples is at least this fraction of the steps. */
    public static final double SATURATED = 0.9;

    private LiquidStatistics() {
    }

    /**
     * Statistics of one weight matrix.
     *
     * @param mean            mean weight
     * @param sd              standard deviation
     * @param excessKurtosis  fourth standardised moment minus 3 (0 for Gaussian, -1 for a symmetric {0, +-a} mixture
     *                        with half zeros)
     * @param nonzero         fraction with |w - mean| >= {@link #NONZERO} sd
     * @param exactZero       fraction exactly zero (the recurrent diagonal included)
     * @param negative        fraction below zero
     * @param columnSumMean   mean over post-synaptic neurons of their summed incoming weight
     * @param columnSumSd     its standard deviation over the neurons
     * @param spectralRadius  largest eigenvalue magnitude (square matrices; NaN otherwise)
     */
    public record Weights(double mean, double sd, double excessKurtosis, double nonzero, double exactZero,
                          double negative, double columnSumMean, double columnSumSd, double spectralRadius) {
        /** One line of the figures. */
        public String describe() {
            return String.format(Locale.ROOT, "mean %.4f, sd %.4f, excess kurtosis %.2f, nonzero (|w| >= %.2f sd)"
                            + " %.3f, exact zeros %.4f, negative %.3f, column sum %.3f +- %.3f, spectral radius %s",
                    mean, sd, excessKurtosis, NONZERO, nonzero, exactZero, negative, columnSumMean, columnSumSd,
                    Double.isNaN(spectralRadius) ? "-" : String.format(Locale.ROOT, "%.3f", spectralRadius));
        }
    }

    /**
     * Statistics of spike-count features (samples x neurons).
     *
     * @param rate          spikes per neuron and step, over all samples
     * @param silent        fraction of neurons that never spike on any sample
     * @param saturated     fraction of neurons whose mean count is >= {@link #SATURATED} of the steps
     * @param constant      fraction of neurons whose count is the same on every sample (no information)
     * @param effectiveRank participation ratio of the counts' covariance eigenvalues, (sum l)^2 / sum l^2
     * @param correlationRank the same of the correlation matrix (the standardised features the heads see)
     */
    public record Activity(double rate, double silent, double saturated, double constant, double effectiveRank,
                           double correlationRank) {
        /** One line of the figures. */
        public String describe() {
            return String.format(Locale.ROOT, "rate %.4f spikes per neuron and step, silent %.3f, saturated %.3f,"
                            + " constant %.3f, effective rank %.1f (covariance) / %.1f (correlation)", rate, silent,
                    saturated, constant, effectiveRank, correlationRank);
        }
    }

    /** The statistics of a matrix {@code w[pre][post]}. */
    public static Weights weights(double[][] w) {
        int rows = w.length;
        int cols = w[0].length;
        double n = (double) rows * cols;
        double sum = 0;
        for (double[] r : w) {
            for (double v : r) {
                sum += v;
            }
        }
        double mean = sum / n;
        double m2 = 0;
        double m4 = 0;
        long zero = 0;
        long neg = 0;
        for (double[] r : w) {
            for (double v : r) {
                double d = v - mean;
                m2 += d * d;
                m4 += d * d * d * d;
                zero += v == 0 ? 1 : 0;
                neg += v < 0 ? 1 : 0;
            }
        }
        m2 /= n;
        m4 /= n;
        double sd = Math.sqrt(m2);
        long nonzero = 0;
        for (double[] r : w) {
            for (double v : r) {
                nonzero += Math.abs(v - mean) >= NONZERO * sd ? 1 : 0;
            }
        }
        double[] colSum = new double[cols];
        for (double[] r : w) {
            for (int j = 0; j < cols; j++) {
                colSum[j] += r[j];
            }
        }
        return new Weights(mean, sd, m2 > 0 ? m4 / (m2 * m2) - 3 : 0, nonzero / n, zero / n, neg / n,
                LsmZeroShot.mean(colSum), LsmZeroShot.sd(colSum), rows == cols ? spectralRadius(w) : Double.NaN);
    }

    /**
     * The spectral radius of a square matrix by Gelfand's formula: the mean growth of a repeatedly multiplied and
     * renormalised vector, averaged over the later iterations, which converges to the largest eigenvalue magnitude
     * also when that eigenvalue is one of a complex pair (where the plain power iteration's ratio oscillates).
     */
    public static double spectralRadius(double[][] w) {
        int n = w.length;
        double[] x = new double[n];
        int stream = CounterRandom.streamOf("lsm.statistics.power");
        for (int i = 0; i < n; i++) {
            x[i] = CounterRandom.normal(1, stream, i, 0);
        }
        normalise(x);
        int burnIn = 100;
        int measured = 400;
        double logGrowth = 0;
        for (int it = 0; it < burnIn + measured; it++) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += w[i][j] * x[j];
                }
                y[i] = s;
            }
            double norm = normalise(y);
            if (norm == 0) {
                return 0;
            }
            if (it >= burnIn) {
                logGrowth += Math.log(norm);
            }
            x = y;
        }
        return Math.exp(logGrowth / measured);
    }

    private static double normalise(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        double norm = Math.sqrt(s);
        if (norm > 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= norm;
            }
        }
        return norm;
    }

    /** The statistics of {@code counts[sample][neuron]} from a run of {@code steps} steps per sample. */
    public static Activity activity(double[][] counts, int steps) {
        int s = counts.length;
        int n = counts[0].length;
        double[] mean = new double[n];
        double total = 0;
        for (double[] c : counts) {
            for (int j = 0; j < n; j++) {
                mean[j] += c[j] / s;
                total += c[j];
            }
        }
        int silent = 0;
        int saturated = 0;
        int constant = 0;
        for (int j = 0; j < n; j++) {
            silent += mean[j] == 0 ? 1 : 0;
            saturated += mean[j] >= SATURATED * steps ? 1 : 0;
            boolean same = true;
            for (int i = 1; i < s && same; i++) {
                same = counts[i][j] == counts[0][j];
            }
            constant += same ? 1 : 0;
        }
        double[][] cov = new double[n][n];
        for (double[] c : counts) {
            for (int a = 0; a < n; a++) {
                double da = c[a] - mean[a];
                if (da == 0) {
                    continue;
                }
                double[] row = cov[a];
                for (int b = a; b < n; b++) {
                    row[b] += da * (c[b] - mean[b]);
                }
            }
        }
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                cov[b][a] = cov[a][b];
            }
        }
        double[][] corr = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double d = Math.sqrt(cov[a][a] * cov[b][b]);
                corr[a][b] = d > 0 ? cov[a][b] / d : 0;
            }
        }
        return new Activity(total / ((double) s * n * steps), (double) silent / n, (double) saturated / n,
                (double) constant / n, participationRatio(cov), participationRatio(corr));
    }

    /**
     * (trace C)^2 / trace(C^2) of a symmetric matrix: (sum of eigenvalues)^2 / sum of their squares, between 1 (one
     * direction holds all the variance) and n (all directions alike); 0 for the zero matrix.
     */
    public static double participationRatio(double[][] c) {
        double tr = 0;
        double fro = 0;
        for (int a = 0; a < c.length; a++) {
            tr += c[a][a];
            for (int b = 0; b < c.length; b++) {
                fro += c[a][b] * c[a][b];
            }
        }
        return fro > 0 ? tr * tr / fro : 0;
    }

    /** The input and recurrent weight statistics of {@code r}, one line each. */
    public static String describe(Reservoir r) {
        return "input weights: " + weights(r.weightMatrix(false)).describe() + "; recurrent weights: "
                + weights(r.weightMatrix(true)).describe();
    }
}
