package org.myelin.learning.lmu;

import java.io.PrintWriter;
import java.util.Locale;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.ops.Losses;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Trains an {@link L2mu} on windows of sensor values with BPTT: cross-entropy on the class scores (summed output
 * spikes; the ANN's last-step output), Adam, batches shuffled by the counter-based generator, inputs standardised
 * per channel with the training set's mean and deviation.
 */
public final class L2muTraining {

    /** Windows (n, steps, channels) and their labels. */
    public record Windows(float[] values, int[] labels, int steps, int channels) {
        public Windows {
            if (values.length != (long) labels.length * steps * channels) {
                throw new MyelinException("windows: " + labels.length + " labels need " + (long) labels.length * steps
                        * channels + " values, have " + values.length);
            }
        }

        public int size() {
            return labels.length;
        }

        /**
         * {@code n} windows evenly spaced over the set (window {@code floor(k * size / n)} for k &lt; n), so that a
         * subset keeps every activity and subject in proportion; all of them when there are no more.
         */
        public Windows spread(int n) {
            if (n >= size()) {
                return this;
            }
            int w = steps * channels;
            float[] v = new float[n * w];
            int[] l = new int[n];
            for (int k = 0; k < n; k++) {
                int i = (int) ((long) k * size() / n);
                System.arraycopy(values, i * w, v, k * w, w);
                l[k] = labels[i];
            }
            return new Windows(v, l, steps, channels);
        }
    }

    /** One epoch's figures. */
    public record Epoch(int epoch, double loss, double trainAccuracy, double testAccuracy, double seconds) {
    }

    private final L2mu model;
    private final Optimizer optimizer;
    private final int batchSize;
    private final long seed;
    private float[] mean;
    private float[] std;

    public L2muTraining(L2mu model, double lr, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new MyelinException("L2MU training: batch size must be >= 1, was " + batchSize);
        }
        this.model = model;
        this.optimizer = Optimizer.adam(model.parameters(), LearningRateSchedule.constant(lr), 0.9, 0.999, 1e-8, 0);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** The per-channel mean of the standardisation (null before {@link #standardiseWith} or fitting). */
    public float[] mean() {
        return mean == null ? null : mean.clone();
    }

    /** The per-channel standard deviation of the standardisation (null before). */
    public float[] std() {
        return std == null ? null : std.clone();
    }

    /** Uses the given per-channel standardisation (a saved model's), or none when both are null. */
    public void standardiseWith(float[] mean, float[] std) {
        if ((mean == null) != (std == null) || (mean != null && (mean.length != model.spec().inputs()
                || std.length != mean.length))) {
            throw new MyelinException("L2MU training: standardisation needs a mean and a deviation per input channel ("
                    + model.spec().inputs() + ")");
        }
        this.mean = mean == null ? null : mean.clone();
        this.std = std == null ? null : std.clone();
    }

    /** Per-channel mean and standard deviation of {@code w}, used for every later batch. */
    public void standardiseWith(Windows w) {
        int c = w.channels();
        mean = new float[c];
        std = new float[c];
        double[] s = new double[c];
        double[] s2 = new double[c];
        long n = (long) w.size() * w.steps();
        float[] v = w.values();
        for (int i = 0; i < v.length; i++) {
            s[i % c] += v[i];
            s2[i % c] += (double) v[i] * v[i];
        }
        for (int k = 0; k < c; k++) {
            mean[k] = (float) (s[k] / n);
            std[k] = (float) Math.max(1e-6, Math.sqrt(Math.max(0, s2[k] / n - (s[k] / n) * (s[k] / n))));
        }
    }

    /** The (steps, batch, channels) input of windows {@code order[from..to)}, standardised. */
    public Tensor batch(Windows w, int[] order, int from, int to) {
        int b = to - from;
        int t = w.steps();
        int c = w.channels();
        float[] x = new float[t * b * c];
        float[] v = w.values();
        for (int i = 0; i < b; i++) {
            int src = order[from + i] * t * c;
            for (int s = 0; s < t; s++) {
                for (int k = 0; k < c; k++) {
                    float val = v[src + s * c + k];
                    x[(s * b + i) * c + k] = mean == null ? val : (val - mean[k]) / std[k];
                }
            }
        }
        return Tensor.of(x, t, b, c);
    }

    /** Trains for {@code epochs}, evaluating on {@code test} after each; progress lines to {@code log} when given. */
    public java.util.List<Epoch> fit(Windows train, Windows test, int epochs, PrintWriter log) {
        if (mean == null) {
            standardiseWith(train);
        }
        java.util.List<Epoch> out = new java.util.ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            long t0 = System.nanoTime();
            int[] order = shuffled(train.size(), e);
            double lossSum = 0;
            int correct = 0;
            for (int from = 0; from < order.length; from += batchSize) {
                int to = Math.min(order.length, from + batchSize);
                Tape tape = new Tape();
                optimizer.zeroGrad();
                Tensor scores = model.forward(tape, batch(train, order, from, to), false).scores();
                int[] y = new int[to - from];
                for (int i = 0; i < y.length; i++) {
                    y[i] = train.labels()[order[from + i]];
                }
                Tensor loss = Losses.crossEntropy(tape, scores, y);
                tape.backward(loss);
                optimizer.step();
                lossSum += loss.data()[0] * y.length;
                correct += correct(scores, y);
            }
            double testAcc = test == null ? Double.NaN : evaluate(test);
            Epoch ep = new Epoch(e, lossSum / train.size(), (double) correct / train.size(), testAcc,
                    (System.nanoTime() - t0) / 1e9);
            out.add(ep);
            if (log != null) {
                log.printf(Locale.ROOT, "epoch %d: loss %.4f, train accuracy %.2f %%, test accuracy %.2f %% (%.1f s)%n",
                        e, ep.loss(), 100 * ep.trainAccuracy(), 100 * ep.testAccuracy(), ep.seconds());
                log.flush();
            }
        }
        return out;
    }

    /** Accuracy on {@code w} (ties in the scores go to the lowest class). */
    public double evaluate(Windows w) {
        int[] order = new int[w.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int correct = 0;
        for (int from = 0; from < order.length; from += 256) {
            int to = Math.min(order.length, from + 256);
            Tensor scores = model.forward(Tape.inference(), batch(w, order, from, to), false).scores();
            int[] y = new int[to - from];
            for (int i = 0; i < y.length; i++) {
                y[i] = w.labels()[from + i];
            }
            correct += correct(scores, y);
        }
        return (double) correct / w.size();
    }

    private static int correct(Tensor scores, int[] y) {
        int c = scores.dim(-1);
        float[] d = scores.data();
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            int best = 0;
            for (int k = 1; k < c; k++) {
                if (d[i * c + k] > d[i * c + best]) {
                    best = k;
                }
            }
            n += best == y[i] ? 1 : 0;
        }
        return n;
    }

    private int[] shuffled(int n, long epoch) {
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        int stream = CounterRandom.streamOf("l2mu.shuffle");
        for (int i = n - 1; i > 0; i--) {
            int j = (int) (CounterRandom.uniform(seed, stream, i, epoch) * (i + 1));
            int tmp = o[i];
            o[i] = o[j];
            o[j] = tmp;
        }
        return o;
    }
}
