package org.myelin.learning.hlop;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.myelin.core.MyelinException;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.DsrNeuron;
import org.myelin.learning.neuron.LeakyNeuron;
import org.myelin.learning.neuron.NeuronOutput;
import org.myelin.learning.neuron.Surrogate;
import org.myelin.learning.ops.Linear;
import org.myelin.learning.ops.Losses;
import org.myelin.learning.optim.LearningRateSchedule;
import org.myelin.learning.optim.Optimizer;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;
import org.myelin.learning.train.OnlineThroughTime;
import org.myelin.learning.train.Trainer;

/**
 * Learns a sequence of tasks with one spiking MLP and measures forgetting: the accuracy matrix R[i][j] (accuracy
 * on task j after learning task i), ACC = mean_j R[T-1][j] and BWT = mean_{j<T-1} (R[T-1][j] - R[j][j]).
 *
 * <p>The network follows the HLOP paper's MLP: linear layers without bias, spiking hidden layers (DSR-LIF with
 * threshold 0.3, tau 1, dt 0.05, alpha 0.3, a threshold learned in the first task only, as the reference; or
 * snnTorch leaky neurons for BPTT), and a linear read-out averaged over the steps. Methods: plain fine-tuning,
 * HLOP (a {@link HebbianSubspace} on the input of every linear layer: Hebbian updates on every batch, weight
 * gradients projected against the earlier tasks' subspace from the second task on), EWC (a quadratic penalty
 * weighted by each earlier task's diagonal Fisher), GPM (exact orthogonal projection against singular vectors of
 * stored activity) and the multitask upper bound (all tasks' data at once). Plain SGD, a fresh optimiser per task.
 */
public final class ContinualLearning {
    /** The continual-learning method. */
    public enum Method { FINETUNE, HLOP, EWC, GPM, MULTITASK }

    /**
     * How hidden neurons are trained: DSR-LIF neurons with the rate backward, snnTorch leaky neurons with BPTT
     * (beta 0.9, threshold 1, atan surrogate 2), or leaky neurons as the reference's OTTT model (tau 2, threshold 1,
     * reset by subtraction in the spike's step, sigmoid surrogate 4) trained online through time
     * ({@link OnlineThroughTime}).
     */
    public enum Neurons { DSR, BPTT, OTTT }

    /**
     * One task: its training and test sets, and the output units that answer it ({@code classes}, a head of its
     * own in the task-incremental setting: scores and loss over those units only, labels given as their
     * classes), or null for all.
     */
    public record Task(String name, LabelledData train, LabelledData test, int[] classes) {
        public Task(String name, LabelledData train, LabelledData test) {
            this(name, train, test, null);
        }
    }

    /**
     * @param hidden          hidden layer sizes
     * @param neurons         DSR-LIF neurons (rate backward) or snnTorch leaky neurons (BPTT)
     * @param timeSteps       steps per sample
     * @param batchSize       samples per SGD step
     * @param lr              SGD learning rate
     * @param epochsPerTask   passes over each task
     * @param seed            initial weights, shuffling, lateral rows
     * @param lateralFirst    lateral neurons per layer (inputs of each linear layer) for the first task
     * @param lateralAdded    lateral neurons added per layer for each later task (index task - 1; the last
     *                        entry repeats)
     * @param hebbianLr       Hebbian learning rate per layer
     * @param hebbianIterations Hebbian updates per batch
     * @param ewcLambda       EWC's penalty weight: the loss gains (lambda / 2) sum_i F_i (w - w_i)^2 over earlier
     *                        tasks i, F_i the diagonal empirical Fisher of task i (mean squared batch gradient)
     * @param gpmThreshold    GPM's energy criterion: after each task a layer's basis grows until it holds this
     *                        fraction of the energy of the task's activity (300 samples)
     * @param signal          what the lateral neurons of the hidden layers learn from: the firing rate (DSR's
     *                        weighted rate, BPTT's mean over the steps, OTTT's traces) or the per-step spikes (with
     *                        OTTT, the spikes and their traces stacked); null for the trainer's reference choice
     *                        ({@link Signal#referenceFor})
     * @param subspaceReport  HLOP: after each task, compare every layer's lateral subspace with the SVD of the
     *                        same activity ({@link SubspaceReport}; costs an eigendecomposition per layer and task)
     * @param cosinePerTask   anneal the learning rate from {@code lr} to 0 over each task (cosine), instead of
     *                        keeping it constant as the reference does
     * @param feedback        how errors travel back through the layers above the first (exact gradient, feedback
     *                        alignment or sign symmetry)
     * @param taskLrScale     a factor on {@code lr} for each task in turn (the last entry repeats for the tasks
     *                        after it), so that later tasks can learn more gently; null or empty for 1 throughout
     *                        (the reference). Multitask training counts as task 0.
     */
    public record Settings(int[] hidden, Neurons neurons, int timeSteps, int batchSize, double lr, int epochsPerTask,
                           long seed, int[] lateralFirst, int[][] lateralAdded, float[] hebbianLr,
                           int hebbianIterations, double ewcLambda, double gpmThreshold, Signal signal,
                           boolean subspaceReport, boolean cosinePerTask, Feedback feedback, double[] taskLrScale) {
        public Settings {
            if (feedback == null) {
                throw new MyelinException("continual learning: feedback must be given (EXACT for the gradient)");
            }
            if (signal == null) {
                signal = Signal.referenceFor(neurons);
            }
            taskLrScale = taskLrScale == null ? new double[0] : taskLrScale.clone();
            for (double f : taskLrScale) {
                if (!(f > 0) || Double.isInfinite(f)) {
                    throw new MyelinException("continual learning: every task's learning-rate factor must be > 0"
                            + " and finite, were " + java.util.Arrays.toString(taskLrScale));
                }
            }
        }

        /** With the same learning rate for every task. */
        public Settings(int[] hidden, Neurons neurons, int timeSteps, int batchSize, double lr, int epochsPerTask,
                        long seed, int[] lateralFirst, int[][] lateralAdded, float[] hebbianLr, int hebbianIterations,
                        double ewcLambda, double gpmThreshold, Signal signal, boolean subspaceReport,
                        boolean cosinePerTask, Feedback feedback) {
            this(hidden, neurons, timeSteps, batchSize, lr, epochsPerTask, seed, lateralFirst, lateralAdded,
                    hebbianLr, hebbianIterations, ewcLambda, gpmThreshold, signal, subspaceReport, cosinePerTask,
                    feedback, null);
        }

        /** The learning rate of task {@code task}: {@code lr} times its factor. */
        public double lrOf(int task) {
            return taskLrScale.length == 0 ? lr : lr * taskLrScale[Math.min(task, taskLrScale.length - 1)];
        }

        /** With the exact gradient. */
        public Settings(int[] hidden, Neurons neurons, int timeSteps, int batchSize, double lr, int epochsPerTask,
                        long seed, int[] lateralFirst, int[][] lateralAdded, float[] hebbianLr, int hebbianIterations,
                        double ewcLambda, double gpmThreshold, Signal signal, boolean subspaceReport,
                        boolean cosinePerTask) {
            this(hidden, neurons, timeSteps, batchSize, lr, epochsPerTask, seed, lateralFirst, lateralAdded,
                    hebbianLr, hebbianIterations, ewcLambda, gpmThreshold, signal, subspaceReport, cosinePerTask,
                    Feedback.EXACT);
        }

        /** With the reference's signal (the weighted rate under DSR), no report, a constant learning rate. */
        public Settings(int[] hidden, Neurons neurons, int timeSteps, int batchSize, double lr, int epochsPerTask,
                        long seed, int[] lateralFirst, int[][] lateralAdded, float[] hebbianLr, int hebbianIterations,
                        double ewcLambda, double gpmThreshold) {
            this(hidden, neurons, timeSteps, batchSize, lr, epochsPerTask, seed, lateralFirst, lateralAdded,
                    hebbianLr, hebbianIterations, ewcLambda, gpmThreshold, null, false, false);
        }
    }

    /**
     * How a layer's error reaches the layer below: through its weights (the gradient), a fixed random matrix
     * (feedback alignment) or the weights' signs scaled by 1/sqrt(inputs) (sign symmetry), as the reference's
     * FALinear and SSLinear layers. HLOP needs no change: it projects the weight gradient, which is formed the same
     * way in all three.
     */
    public enum Feedback { EXACT, RANDOM, SIGN }

    /**
     * What trains the lateral neurons of the layers above the first: the firing rate (DSR's exponentially weighted
     * rate, BPTT's mean over the steps, OTTT's presynaptic traces at each step) or the per-step spikes (OTTT: the
     * spikes and their traces as one batch of 2B rows, the reference's [spike; rate]).
     */
    public enum Signal {
        RATE, STEPS;

        /** The reference code's choice: the weighted rate under DSR, the per-step spikes under BPTT and OTTT. */
        public static Signal referenceFor(Neurons neurons) {
            return neurons == Neurons.DSR ? RATE : STEPS;
        }
    }

    /** Diagonal Fisher and anchor weights of one finished task (EWC). */
    private record Anchor(float[][] fisher, float[][] weights) {
    }

    /**
     * How well one layer's lateral subspace holds a task's activity at the layer's input (the same signal as GPM's)
     * when the task ends, on 300 of the task's training samples other than the 300 the singular vectors come from:
     * {@code captured}, the fraction of its energy inside the span of all the layer's rows (what later projections
     * protect); {@code svdCaptured}, the same with the rows added for this task replaced by as many leading singular
     * vectors of the activity left outside the earlier rows (what an exact SVD, GPM's estimate, would hold with
     * the same number of neurons); and the principal angles in degrees between those added rows and those singular
     * vectors (median and largest), the measure of how far Oja's rule is from the principal subspace.
     */
    public record SubspaceReport(int task, int layer, int rows, double captured, double svdCaptured,
                                 double medianAngle, double maxAngle) {
    }

    /** The outcome: R, ACC, BWT (in fractions), the wall time, and the HLOP subspace reports if asked for. */
    public record Result(double[][] accuracy, double acc, double bwt, double seconds, List<SubspaceReport> subspace) {
        public Result(double[][] accuracy, double acc, double bwt, double seconds) {
            this(accuracy, acc, bwt, seconds, List.of());
        }
    }

    /** DSR-LIF time constant and step of the hidden layers, as the reference's permuted-MNIST run. */
    private static final float DSR_TAU = 1f;
    private static final float DSR_DT = 0.05f;

    private ContinualLearning() {
    }

    static SpikingMlp model(int inputs, int classes, Settings s) {
        int[] sizes = java.util.Arrays.copyOf(s.hidden(), s.hidden().length + 1);
        sizes[s.hidden().length] = classes;
        String last = "layer" + s.hidden().length;
        SpikingMlp m = new SpikingMlp(inputs, sizes, (name, n) -> {
            if (name.equals(last)) {
                return LeakyNeuron.builder(n).name(name).beta(0f, false).reset(LeakyNeuron.Reset.NONE).build();
            }
            if (s.neurons() == Neurons.DSR) {
                return DsrNeuron.of(n, true, 0.3f, DSR_TAU, DSR_DT, 0.3f, true, 1f, 0.0005f).named(name);
            }
            if (s.neurons() == Neurons.OTTT) {
                return LeakyNeuron.builder(n).name(name).beta(0.5f, false).threshold(1f, false)
                        .reset(LeakyNeuron.Reset.SUBTRACT).resetDelay(false).surrogate(Surrogate.sigmoid(4f)).build();
            }
            return LeakyNeuron.builder(n).name(name).beta(0.9f, false).threshold(1f, false)
                    .surrogate(Surrogate.atan(2f)).build();
        }, SpikingMlp.Readout.MEMBRANE_MEAN, s.seed());
        for (Tensor b : m.biases()) {
            java.util.Arrays.fill(b.data(), 0f);
        }
        for (int l = 1; l < sizes.length; l++) {
            int in = m.weights().get(l).dim(0);
            int out = m.weights().get(l).dim(1);
            m.feedback(l, switch (s.feedback()) {
                case EXACT -> null;
                case RANDOM -> Linear.Feedback.random(in, out, s.seed(), 1009 + l);
                case SIGN -> Linear.Feedback.signSymmetric(in);
            });
        }
        return m;
    }

    /** The signal that trains the lateral neurons of layer l's input: the input itself, or the spikes' rate. */
    private static Tensor hebbianSignal(Tensor input, List<NeuronOutput> outs, int l, Settings s) {
        if (l == 0) {
            return input;
        }
        Tensor spikes = outs.get(l - 1).spikes();
        if (s.signal() == Signal.RATE) {
            return rateOf(spikes, s);
        }
        return Tensor.of(spikes.data(), spikes.dim(0) * spikes.dim(1), spikes.dim(2));
    }

    public static Result run(List<Task> tasks, Method method, Settings s, Consumer<String> progress) {
        if (tasks.isEmpty()) {
            throw new MyelinException("continual learning: no tasks");
        }
        long t0 = System.nanoTime();
        int inputs = tasks.get(0).train().features();
        int classes = tasks.get(0).train().classes();
        SpikingMlp model = model(inputs, classes, s);
        int layers = model.layers().size();
        List<HebbianSubspace> lateral = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            lateral.add(new HebbianSubspace(model.weights().get(l).dim(0), s.hebbianLr()[l], 0f, 0f));
        }
        int n = tasks.size();
        double[][] r = new double[n][n];
        if (method == Method.MULTITASK) {
            LabelledData all = concat(tasks);
            train(model, all, null, 0, method, s, lateral, List.of(), List.of(), progress, "all tasks");
            for (int j = 0; j < n; j++) {
                r[n - 1][j] = accuracy(model, tasks.get(j).test(), tasks.get(j).classes(), s);
            }
            double acc = mean(r[n - 1], n);
            return new Result(r, acc, 0, (System.nanoTime() - t0) / 1e9);
        }
        List<Anchor> anchors = new ArrayList<>();
        List<SubspaceReport> reports = new ArrayList<>();
        List<OrthogonalBasis> gpm = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            gpm.add(new OrthogonalBasis(model.weights().get(l).dim(0)));
        }
        for (int i = 0; i < n; i++) {
            if (method == Method.HLOP) {
                for (int l = 0; l < layers; l++) {
                    int k = i == 0 ? s.lateralFirst()[l]
                            : s.lateralAdded()[Math.min(i - 1, s.lateralAdded().length - 1)][l];
                    lateral.get(l).addRows(Math.min(k, lateral.get(l).inputs() - lateral.get(l).size()),
                            s.seed() * 131 + i);
                }
            }
            train(model, tasks.get(i).train(), tasks.get(i).classes(), i, method, s, lateral, anchors, gpm, progress,
                    tasks.get(i).name());
            if (method == Method.GPM) {
                growBases(model, tasks.get(i).train(), s, gpm);
            }
            if (method == Method.EWC) {
                anchors.add(fisher(model, tasks.get(i).train(), tasks.get(i).classes(), s));
            }
            for (int j = 0; j <= i; j++) {
                r[i][j] = accuracy(model, tasks.get(j).test(), tasks.get(j).classes(), s);
            }
            if (progress != null) {
                StringBuilder sb = new StringBuilder("after " + tasks.get(i).name() + ":");
                for (int j = 0; j <= i; j++) {
                    sb.append(String.format(java.util.Locale.ROOT, " %.1f", 100 * r[i][j]));
                }
                progress.accept(sb.toString());
            }
            if (method == Method.HLOP) {
                if (s.subspaceReport()) {
                    double[][][] act = activity(model, tasks.get(i).train(), s);
                    double[][][] held = activity(model, tasks.get(i).train(), s, 300, 300);
                    for (int l = 0; l < layers; l++) {
                        SubspaceReport rep = report(i, l, lateral.get(l), act[l], held[l].length > 0 ? held[l] : act[l]);
                        reports.add(rep);
                        if (progress != null) {
                            progress.accept(String.format(java.util.Locale.ROOT, "  layer %d: %d rows hold %.2f %% of"
                                    + " the task's activity (as many singular vectors: %.2f %%); angles to them median"
                                    + " %.1f, largest %.1f degrees", l, rep.rows(), 100 * rep.captured(),
                                    100 * rep.svdCaptured(), rep.medianAngle(), rep.maxAngle()));
                        }
                    }
                }
                for (HebbianSubspace h : lateral) {
                    h.merge();
                }
            }
        }
        double acc = mean(r[n - 1], n);
        double bwt = 0;
        for (int j = 0; j < n - 1; j++) {
            bwt += r[n - 1][j] - r[j][j];
        }
        bwt = n > 1 ? bwt / (n - 1) : 0;
        return new Result(r, acc, bwt, (System.nanoTime() - t0) / 1e9, List.copyOf(reports));
    }

    /** Two (batch, width) blocks one above the other: (2 batch, width). */
    private static float[] stack(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double mean(double[] row, int n) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += row[j];
        }
        return s / n;
    }

    /** Scores over a task's head (its classes) or over every unit. */
    private static Tensor head(Tape tape, Tensor logits, int[] classes) {
        return classes == null ? logits : org.myelin.learning.ops.Elementwise.columns(tape, logits, classes);
    }

    /** Labels as positions within the head. */
    private static int headLabel(int label, int[] classes) {
        if (classes == null) {
            return label;
        }
        for (int q = 0; q < classes.length; q++) {
            if (classes[q] == label) {
                return q;
            }
        }
        throw new MyelinException("continual learning: label " + label + " is not among the task's classes "
                + java.util.Arrays.toString(classes));
    }

    private static void train(SpikingMlp model, LabelledData data, int[] classes, int task, Method method, Settings s,
                              List<HebbianSubspace> lateral, List<Anchor> anchors, List<OrthogonalBasis> gpm,
                              Consumer<String> progress, String name) {
        List<Tensor> params = new ArrayList<>(model.weights());
        if (task == 0) {
            for (var l : model.layers()) {
                params.addAll(l.parameters());
            }
        }
        long steps = (long) s.epochsPerTask() * ((data.size() + s.batchSize() - 1) / s.batchSize());
        double lr = s.lrOf(task);
        Optimizer opt = Optimizer.sgd(params, s.cosinePerTask() && steps > 1
                ? LearningRateSchedule.cosine(lr, 0, steps, 0) : LearningRateSchedule.constant(lr), 0, false, 0);
        int layers = model.layers().size();
        OnlineThroughTime online = s.neurons() == Neurons.OTTT ? new OnlineThroughTime(model) : null;
        for (int epoch = 0; epoch < s.epochsPerTask(); epoch++) {
            int[] order = Trainer.shuffle(data.size(), s.seed() + 7919L * task, epoch);
            for (int from = 0; from < data.size(); from += s.batchSize()) {
                int to = Math.min(data.size(), from + s.batchSize());
                Tensor x = Encoding.DIRECT.encode(data, order, from, to, s.timeSteps(), s.seed(), epoch);
                int[] labels = new int[to - from];
                for (int i = from; i < to; i++) {
                    labels[i - from] = headLabel(data.labels()[order[i]], classes);
                }
                for (Tensor p : params) {
                    p.zeroGrad();
                }
                if (online != null) {
                    // OTTT: gradients from the per-step losses; the lateral neurons learn at every step from what
                    // enters each layer, its spikes and their traces together (the reference's [spike; rate]
                    // batch) or the traces alone (Signal.RATE), the input layer once per batch (its input is the
                    // same at every step)
                    boolean both = s.signal() == Signal.STEPS;
                    OnlineThroughTime.StepObserver hebbian = method != Method.HLOP ? null
                            : (t, l, in, trace, b, width) -> lateral.get(l).update(l == 0 ? in
                            : both ? stack(in, trace) : trace, l == 0 || !both ? b : 2 * b, s.hebbianIterations());
                    online.run(x, labels, s.timeSteps(), classes, hebbian);
                    if (method == Method.HLOP) {
                        for (int l = 0; l < layers; l++) {
                            Tensor w = model.weights().get(l);
                            lateral.get(l).project(w.grad(), w.dim(1));
                        }
                    }
                } else {
                    Tape tape = new Tape();
                    SpikingMlp.Forward f = model.forward(tape, x, s.timeSteps());
                    Tensor loss = Losses.crossEntropy(tape, head(tape, f.logits(), classes), labels);
                    tape.backward(loss);
                    if (method == Method.HLOP) {
                        for (int l = 0; l < layers; l++) {
                            Tensor signal = hebbianSignal(x, f.layers(), l, s);
                            lateral.get(l).update(signal.data(), signal.size() / signal.dim(-1), s.hebbianIterations());
                            Tensor w = model.weights().get(l);
                            lateral.get(l).project(w.grad(), w.dim(1));
                        }
                    }
                }
                if (method == Method.GPM) {
                    for (int l = 0; l < layers; l++) {
                        Tensor w = model.weights().get(l);
                        gpm.get(l).project(w.grad(), w.dim(1));
                    }
                }
                for (Anchor a : anchors) {
                    for (int l = 0; l < layers; l++) {
                        float[] w = model.weights().get(l).data();
                        float[] g = model.weights().get(l).grad();
                        float lambda = (float) s.ewcLambda();
                        for (int k = 0; k < w.length; k++) {
                            g[k] += lambda * a.fisher()[l][k] * (w[k] - a.weights()[l][k]);
                        }
                    }
                }
                opt.step();
            }
            if (progress != null) {
                progress.accept(name + ": epoch " + (epoch + 1) + " done");
            }
        }
    }

    /**
     * GPM (Saha et al., ICLR 2021): the activity of 300 training samples at each layer's input, R (samples x
     * inputs), its part outside the basis R' = R - R Q^T Q, and the singular vectors of R' (from the eigenvectors
     * of R' R'^T) added, largest first, until the basis holds {@code gpmThreshold} of R's energy.
     */
    private static void growBases(SpikingMlp model, LabelledData data, Settings s, List<OrthogonalBasis> bases) {
        double[][][] act = activity(model, data, s);
        for (int l = 0; l < bases.size(); l++) {
            double[][] r = act[l];
            double total = energy(r);
            if (total == 0) {
                continue;
            }
            OrthogonalBasis basis = bases.get(l);
            removeSpan(r, basis.rows());
            double held = total - energy(r);
            Singular sv = singular(r);
            List<double[]> added = new ArrayList<>();
            for (int c = 0; c < sv.values().length && held < s.gpmThreshold() * total; c++) {
                added.add(sv.vectors()[c]);
                held += sv.values()[c];
            }
            basis.add(added.toArray(new double[0][]), 1e-9);
        }
    }

    /**
     * The activity of (at most) 300 training samples of a task at every layer's input: the input itself for the
     * first layer, the spikes' rate for the others; [layer][sample][input].
     */
    private static double[][][] activity(SpikingMlp model, LabelledData data, Settings s) {
        return activity(model, data, s, 0, 300);
    }

    /** The activity of samples [from, from + count) (as many as there are) at every layer's input. */
    private static double[][][] activity(SpikingMlp model, LabelledData data, Settings s, int from, int count) {
        int m = Math.max(0, Math.min(count, data.size() - from));
        int[] order = new int[m];
        for (int i = 0; i < m; i++) {
            order[i] = from + i;
        }
        Tensor x = Encoding.DIRECT.encode(data, order, 0, m, s.timeSteps(), s.seed(), 0);
        SpikingMlp.Forward f = model.forward(Tape.inference(), x, s.timeSteps());
        int layers = model.layers().size();
        double[][][] out = new double[layers][][];
        for (int l = 0; l < layers; l++) {
            Tensor signal = l == 0 ? x : rateOf(f.layers().get(l - 1).spikes(), s);
            int n = model.weights().get(l).dim(0);
            double[][] r = new double[m][n];
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < n; k++) {
                    r[i][k] = signal.data()[i * n + k];
                }
            }
            out[l] = r;
        }
        return out;
    }

    private static double energy(double[][] r) {
        double e = 0;
        for (double[] row : r) {
            e += SubspaceAngles.dot(row, row);
        }
        return e;
    }

    /** Removes from every row of {@code r} its component in the span of the orthonormal rows {@code q}. */
    private static void removeSpan(double[][] r, double[][] q) {
        for (double[] row : r) {
            for (double[] qi : q) {
                double d = SubspaceAngles.dot(row, qi);
                for (int k = 0; k < row.length; k++) {
                    row[k] -= d * qi[k];
                }
            }
        }
    }

    /** Right singular vectors of a matrix, largest first, with their squared singular values (energies). */
    private record Singular(double[][] vectors, double[] values) {
    }

    /** The right singular vectors of {@code r} (samples x inputs) from the eigenvectors of r r^T. */
    private static Singular singular(double[][] r) {
        int m = r.length;
        int n = m == 0 ? 0 : r[0].length;
        double[][] gram = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = i; j < m; j++) {
                gram[i][j] = SubspaceAngles.dot(r[i], r[j]);
                gram[j][i] = gram[i][j];
            }
        }
        double[][] v = new double[m][m];
        double[] eig = SubspaceAngles.symmetricEigen(gram, v);
        Integer[] idx = new Integer[m];
        for (int i = 0; i < m; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(eig[b], eig[a]));
        List<double[]> vectors = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int c = 0; c < m && eig[idx[c]] > 1e-12; c++) {
            double sigma = Math.sqrt(eig[idx[c]]);
            double[] u = new double[n];
            for (int i = 0; i < m; i++) {
                double w = v[i][idx[c]] / sigma;
                for (int k = 0; k < n; k++) {
                    u[k] += w * r[i][k];
                }
            }
            vectors.add(u);
            values.add(eig[idx[c]]);
        }
        return new Singular(vectors.toArray(new double[0][]), values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * The subspace report of one layer at the end of a task, before its rows are frozen (see {@link SubspaceReport}):
     * the singular vectors come from {@code activity}, the energies are measured on {@code heldOut} (other samples
     * of the task), so that the SVD's fit to its own samples does not flatter it.
     */
    static SubspaceReport report(int task, int layer, HebbianSubspace h, double[][] activity, double[][] heldOut) {
        double[][] all = h.basis(0, h.size());
        SubspaceAngles.orthonormalise(all);
        double[][] old = h.basis(0, h.frozen());
        SubspaceAngles.orthonormalise(old);
        old = nonZero(old);
        double[][] residual = SubspaceAngles.copy(activity);
        removeSpan(residual, old);
        int added = h.size() - h.frozen();
        Singular sv = singular(residual);
        int k = Math.min(added, sv.values().length);
        double[][] svd = java.util.Arrays.copyOf(sv.vectors(), k);
        double total = energy(heldOut);
        double[][] rest = SubspaceAngles.copy(heldOut);
        removeSpan(rest, nonZero(all));
        double captured = total == 0 ? 1 : 1 - energy(rest) / total;
        double[][] oldAndSvd = new double[old.length + k][];
        System.arraycopy(old, 0, oldAndSvd, 0, old.length);
        System.arraycopy(svd, 0, oldAndSvd, old.length, k);
        SubspaceAngles.orthonormalise(oldAndSvd);
        double[][] restSvd = SubspaceAngles.copy(heldOut);
        removeSpan(restSvd, nonZero(oldAndSvd));
        double svdCaptured = total == 0 ? 1 : 1 - energy(restSvd) / total;
        double median = 0;
        double max = 0;
        // the added rows' part outside the earlier rows, against the leading directions of the activity there
        double[][] fresh = h.basis(h.frozen(), h.size());
        removeSpan(fresh, old);
        SubspaceAngles.orthonormalise(fresh);
        fresh = nonZero(fresh);
        if (k > 0 && fresh.length > 0) {
            double[] angles = SubspaceAngles.degrees(fresh, svd);
            double[] sorted = angles.clone();
            java.util.Arrays.sort(sorted);
            median = sorted[sorted.length / 2];
            max = sorted[sorted.length - 1];
        }
        return new SubspaceReport(task, layer, h.size(), captured, svdCaptured, median, max);
    }

    /** The rows of an orthonormalised set that survived (dependent rows come out as zeros). */
    private static double[][] nonZero(double[][] q) {
        return java.util.Arrays.stream(q).filter(row -> SubspaceAngles.dot(row, row) > 0.5).toArray(double[][]::new);
    }

    private static Tensor rateOf(Tensor spikes, Settings s) {
        if (s.neurons() == Neurons.DSR) {
            return DsrNeuron.weightedRate(Tape.inference(), spikes, DSR_TAU, DSR_DT);
        }
        return org.myelin.learning.ops.Reductions.meanFirst(Tape.inference(), spikes);
    }

    /** The diagonal empirical Fisher of the weights on (at most 1,024 samples of) a task, and the weights. */
    private static Anchor fisher(SpikingMlp model, LabelledData data, int[] classes, Settings s) {
        int layers = model.layers().size();
        float[][] f = new float[layers][];
        float[][] w = new float[layers][];
        for (int l = 0; l < layers; l++) {
            f[l] = new float[model.weights().get(l).size()];
            w[l] = model.weights().get(l).data().clone();
        }
        int[] order = new int[Math.min(1024, data.size())];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int batches = 0;
        for (int from = 0; from < order.length; from += s.batchSize()) {
            int to = Math.min(order.length, from + s.batchSize());
            Tensor x = Encoding.DIRECT.encode(data, order, from, to, s.timeSteps(), s.seed(), 0);
            int[] labels = new int[to - from];
            for (int i = from; i < to; i++) {
                labels[i - from] = headLabel(data.labels()[i], classes);
            }
            Tape tape = new Tape();
            Tensor loss = Losses.crossEntropy(tape, head(tape, model.forward(tape, x, s.timeSteps()).logits(),
                    classes), labels);
            for (Tensor p : model.weights()) {
                p.zeroGrad();
            }
            tape.backward(loss);
            for (int l = 0; l < layers; l++) {
                float[] g = model.weights().get(l).grad();
                for (int k = 0; k < g.length; k++) {
                    f[l][k] += g[k] * g[k];
                }
            }
            batches++;
        }
        for (float[] fl : f) {
            for (int k = 0; k < fl.length; k++) {
                fl[k] /= batches;
            }
        }
        for (Tensor p : model.weights()) {
            p.zeroGrad();
        }
        return new Anchor(f, w);
    }

    /** Fraction of {@code data} classified correctly. */
    public static double accuracy(SpikingMlp model, LabelledData data, int[] classes, Settings s) {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        long correct = 0;
        for (int from = 0; from < data.size(); from += 500) {
            int to = Math.min(data.size(), from + 500);
            Tensor x = Encoding.DIRECT.encode(data, order, from, to, s.timeSteps(), s.seed(), 0);
            int[] p = Losses.argmax(head(Tape.inference(), model.forward(Tape.inference(), x, s.timeSteps()).logits(),
                    classes));
            for (int i = from; i < to; i++) {
                correct += p[i - from] == headLabel(data.labels()[i], classes) ? 1 : 0;
            }
        }
        return (double) correct / data.size();
    }

    private static LabelledData concat(List<Task> tasks) {
        int f = tasks.get(0).train().features();
        int total = 0;
        for (Task t : tasks) {
            total += t.train().size();
        }
        float[] v = new float[total * f];
        int[] y = new int[total];
        int at = 0;
        for (Task t : tasks) {
            System.arraycopy(t.train().values(), 0, v, at * f, t.train().size() * f);
            System.arraycopy(t.train().labels(), 0, y, at, t.train().size());
            at += t.train().size();
        }
        return new LabelledData(v, y, f, tasks.get(0).train().classes());
    }

    /**
     * Split tasks (task-incremental): task t holds the samples of classes [t k, (t + 1) k) and answers with
     * those output units only.
     */
    public static List<Task> split(LabelledData train, LabelledData test, int classesPerTask) {
        List<Task> out = new ArrayList<>();
        for (int first = 0; first + classesPerTask <= train.classes(); first += classesPerTask) {
            int[] classes = new int[classesPerTask];
            for (int q = 0; q < classesPerTask; q++) {
                classes[q] = first + q;
            }
            out.add(new Task("classes " + first + "-" + (first + classesPerTask - 1), only(train, classes),
                    only(test, classes), classes));
        }
        return out;
    }

    private static LabelledData only(LabelledData d, int[] classes) {
        int f = d.features();
        int n = 0;
        for (int y : d.labels()) {
            n += java.util.Arrays.stream(classes).anyMatch(c -> c == y) ? 1 : 0;
        }
        float[] v = new float[n * f];
        int[] labels = new int[n];
        int k = 0;
        for (int i = 0; i < d.size(); i++) {
            int y = d.labels()[i];
            if (java.util.Arrays.stream(classes).anyMatch(c -> c == y)) {
                System.arraycopy(d.values(), i * f, v, k * f, f);
                labels[k++] = y;
            }
        }
        return new LabelledData(v, labels, f, d.classes());
    }

    /** Permuted tasks: task t applies a seeded permutation of the features to every sample (task 0 too). */
    public static List<Task> permuted(LabelledData train, LabelledData test, int tasks, long seed) {
        List<Task> out = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int[] perm = Trainer.shuffle(train.features(), seed * 1_000_003L + t, 0);
            out.add(new Task("task " + t, permute(train, perm), permute(test, perm)));
        }
        return out;
    }

    private static LabelledData permute(LabelledData d, int[] perm) {
        int f = d.features();
        float[] v = new float[d.values().length];
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < f; j++) {
                v[i * f + j] = d.values()[i * f + perm[j]];
            }
        }
        return new LabelledData(v, d.labels().clone(), f, d.classes());
    }
}
