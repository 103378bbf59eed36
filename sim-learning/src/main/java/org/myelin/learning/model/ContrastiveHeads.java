package org.myelin.learning.model;

import java.util.ArrayList;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.ops.Elementwise;
import org.myelin.learning.ops.Linear;
import org.myelin.learning.ops.Losses;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Two linear projection heads that map the features of two modalities (e.g. an image reservoir's and an audio
 * reservoir's spike counts) into one embedding space, trained with CLIP's symmetric contrastive loss
 * ({@link Losses#contrastive}) on pairs of the same class, and retrieval by cosine similarity: the zero-shot
 * multimodal setting of Lin et al. (Nature Computational Science 2025), where classes never paired in training are
 * retrieved through the shared space.
 *
 * <p>Training: batches of pairs of the same class drawn by the counter-based generator; Adam.
 */
public final class ContrastiveHeads {
    /** The projection head after each modality's features. */
    public enum Head {
        /** Myelin's former head: one linear map without bias, {@code e = x W}. */
        LINEAR,
        /**
         * The reference's head as its zero-shot script names it ({@code --models OneFC --act gelu}): one fully
         * connected layer with bias, then GELU, {@code e = GELU(x W + b)}; the reference's model file is not public,
         * so this is read from the script's option names.
         */
        FC_GELU;

        /** {@code linear} or {@code fc-gelu}. */
        public String label() {
            return this == LINEAR ? "linear" : "fc-gelu";
        }

        /** The head of a label ({@link #label}). */
        public static Head of(String label) {
            for (Head h : values()) {
                if (h.label().equals(label)) {
                    return h;
                }
            }
            throw new MyelinException("head must be linear or fc-gelu, was '" + label + "'");
        }
    }

    private final Tensor wa;
    private final Tensor wb;
    private final Tensor ba;
    private final Tensor bb;
    private final Head head;
    private final float temperature;

    /**
     * @param featuresA  feature width of modality A
     * @param featuresB  feature width of modality B
     * @param dim        embedding width
     * @param temperature CLIP temperature
     * @param seed       initial weights
     */
    public ContrastiveHeads(int featuresA, int featuresB, int dim, float temperature, long seed) {
        this(featuresA, featuresB, dim, temperature, seed, Head.LINEAR);
    }

    /**
     * Heads of the given kind; weights (and biases) drawn uniformly in +-1/sqrt(fan-in), as PyTorch's linear layers
     * are.
     */
    public ContrastiveHeads(int featuresA, int featuresB, int dim, float temperature, long seed, Head head) {
        if (head == null) {
            throw new MyelinException("contrastive heads: the head kind must be given");
        }
        if (featuresA < 1 || featuresB < 1 || dim < 1 || !(temperature > 0)) {
            throw new MyelinException("contrastive heads: feature widths and the embedding width must be >= 1 and the"
                    + " temperature > 0");
        }
        this.temperature = temperature;
        this.head = head;
        wa = Tensor.parameter("head.a", featuresA, dim);
        wb = Tensor.parameter("head.b", featuresB, dim);
        init(wa, seed, featuresA);
        init(wb, seed, featuresB);
        ba = head == Head.LINEAR ? null : Tensor.parameter("head.a.bias", dim);
        bb = head == Head.LINEAR ? null : Tensor.parameter("head.b.bias", dim);
        if (ba != null) {
            init(ba, seed, featuresA);
            init(bb, seed, featuresB);
        }
    }

    /** The head kind. */
    public Head head() {
        return head;
    }

    /** The head's parameters: the two weight matrices, then the two biases where the head has them. */
    public List<Tensor> parameters() {
        return ba == null ? List.of(wa, wb) : List.of(wa, wb, ba, bb);
    }

    /** The embeddings (rows of {@code x}, before normalisation) of modality A (true) or B. */
    Tensor project(Tape tape, Tensor x, boolean modalityA) {
        Tensor w = modalityA ? wa : wb;
        if (head == Head.LINEAR) {
            return Linear.matmul(tape, x, w);
        }
        return Elementwise.gelu(tape, Linear.apply(tape, x, w, modalityA ? ba : bb));
    }

    private static void init(Tensor w, long seed, int fanIn) {
        CounterRandom.fillSymmetric(w.data(), seed, CounterRandom.streamOf(w.name()), 1 / Math.sqrt(fanIn));
    }

    /** Labelled feature vectors of one modality. */
    public record Samples(double[][] features, int[] labels) {
        public Samples {
            if (features.length != labels.length) {
                throw new MyelinException("contrastive heads: " + features.length + " feature vectors but "
                        + labels.length + " labels");
            }
        }

        /** The samples whose index passes {@code keep}, in order. */
        public Samples select(java.util.function.IntPredicate keep) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (keep.test(i)) {
                    idx.add(i);
                }
            }
            double[][] f = new double[idx.size()][];
            int[] y = new int[idx.size()];
            for (int k = 0; k < idx.size(); k++) {
                f[k] = features[idx.get(k)];
                y[k] = labels[idx.get(k)];
            }
            return new Samples(f, y);
        }

        /** The indices of class c. */
        int[] of(int c) {
            int n = 0;
            for (int y : labels) {
                n += y == c ? 1 : 0;
            }
            int[] idx = new int[n];
            int k = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    idx[k++] = i;
                }
            }
            return idx;
        }
    }

    /**
     * Trains for {@code steps} batches of {@code batch} pairs: each pair one sample of each modality of a class drawn
     * uniformly from {@code classes} (as the reference pairs its lists class by class and shuffles them, other pairs of
     * the same class in a batch count as negatives).
     *
     * @return the loss of each step
     */
    public double[] train(Samples a, Samples b, int[] classes, int batch, int steps, double lr, long seed) {
        return train(a, b, classes, batch, steps, lr, seed, done -> { });
    }

    /**
     * As {@link #train(Samples, Samples, int[], int, int, double, long)}, calling {@code afterStep} with the number of
     * steps done after each step. The batches depend on the step's index only and the optimiser on what came before,
     * so the heads after step s of a longer run are the heads of a run of s steps: one run can be scored at several
     * lengths.
     */
    public double[] train(Samples a, Samples b, int[] classes, int batch, int steps, double lr, long seed,
                          java.util.function.IntConsumer afterStep) {
        int[][] ia = new int[classes.length][];
        int[][] ib = new int[classes.length][];
        for (int k = 0; k < classes.length; k++) {
            ia[k] = a.of(classes[k]);
            ib[k] = b.of(classes[k]);
            if (ia[k].length == 0 || ib[k].length == 0) {
                throw new MyelinException("contrastive heads: class " + classes[k] + " has no training sample in one"
                        + " modality");
            }
        }
        Optimizer opt = Optimizer.adam(parameters(), LearningRateSchedule.constant(lr), 0.9, 0.999, 1e-8, 0);
        int stream = CounterRandom.streamOf("contrastive.pairs");
        double[] losses = new double[steps];
        for (int s = 0; s < steps; s++) {
            float[] xa = new float[batch * wa.dim(0)];
            float[] xb = new float[batch * wb.dim(0)];
            for (int p = 0; p < batch; p++) {
                int k = (int) (CounterRandom.uniform(seed, stream, 3L * p, s) * classes.length);
                int pa = ia[k][(int) (CounterRandom.uniform(seed, stream, 3L * p + 1, s) * ia[k].length)];
                int pb = ib[k][(int) (CounterRandom.uniform(seed, stream, 3L * p + 2, s) * ib[k].length)];
                copy(a.features()[pa], xa, p * wa.dim(0));
                copy(b.features()[pb], xb, p * wb.dim(0));
            }
            Tape tape = new Tape();
            opt.zeroGrad();
            Tensor ea = project(tape, Tensor.of(xa, batch, wa.dim(0)), true);
            Tensor eb = project(tape, Tensor.of(xb, batch, wb.dim(0)), false);
            Tensor loss = Losses.contrastive(tape, ea, eb, temperature);
            tape.backward(loss);
            opt.step();
            losses[s] = loss.data()[0];
            afterStep.accept(s + 1);
        }
        return losses;
    }

    private static void copy(double[] from, float[] to, int offset) {
        for (int i = 0; i < from.length; i++) {
            to[offset + i] = (float) from[i];
        }
    }

    /** L2-normalised embeddings of modality A (true) or B. */
    public float[][] embed(double[][] features, boolean modalityA) {
        Tensor w = modalityA ? wa : wb;
        int f = w.dim(0);
        int d = w.dim(1);
        float[][] out = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            float[] x = new float[f];
            copy(features[i], x, 0);
            float[] e = project(Tape.inference(), Tensor.of(x, 1, f), modalityA).data();
            double n = 0;
            for (float v : e) {
                n += (double) v * v;
            }
            float inv = (float) (1 / Math.sqrt(n + 1e-12));
            for (int j = 0; j < d; j++) {
                e[j] *= inv;
            }
            out[i] = e;
        }
        return out;
    }

    /**
     * Top-1 retrieval from modality B queries to modality A items, as the reference measures it: for each query of a
     * class in {@code classes}, the most similar (cosine) item among all items of A of those classes; right when its
     * class is the query's. Returns the fraction right.
     */
    public double retrieval(Samples a, Samples b, int[] classes) {
        Samples ga = a.select(i -> indexOf(classes, a.labels()[i]) >= 0);
        Samples qb = b.select(i -> indexOf(classes, b.labels()[i]) >= 0);
        if (ga.labels().length == 0 || qb.labels().length == 0) {
            throw new MyelinException("retrieval: no items or no queries of the classes asked for");
        }
        float[][] ea = embed(ga.features(), true);
        float[][] eb = embed(qb.features(), false);
        int right = 0;
        for (int q = 0; q < eb.length; q++) {
            int best = 0;
            double bestSim = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < ea.length; i++) {
                double sim = dot(ea[i], eb[q]);
                if (sim > bestSim) {
                    bestSim = sim;
                    best = i;
                }
            }
            right += ga.labels()[best] == qb.labels()[q] ? 1 : 0;
        }
        return (double) right / eb.length;
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static double dot(float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }
}
