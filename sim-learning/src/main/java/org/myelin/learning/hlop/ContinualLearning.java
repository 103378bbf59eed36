package org.myelin.learning.hlop;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.myelin.core.MyelinException;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.DsrNeuron;
import org.myelin.learning.neuron.JellyLifNeuron;
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
     * How hidden neurons are trained: DSR-LIF neurons with the rate backward; BPTT with Myelin's snnTorch leaky
     * neurons (beta 0.9, threshold 1, atan surrogate 2, reset by subtraction one step late: Myelin's variant, not
     * the reference's); BPTT_LIF, BPTT with the reference's neuron ({@code spiking_MLP_bptt}: SpikingJelly's
     * LIFNode, tau 2, decay_input false, threshold 1, soft reset, detach_reset, sigmoid surrogate 4, as a {@link
     * JellyLifNeuron}); or leaky neurons as the reference's OTTT model (tau 2, threshold 1, reset by subtraction in
     * the spike's step, sigmoid surrogate 4) trained online through time ({@link OnlineThroughTime}).
     */
    public enum Neurons { DSR, BPTT, OTTT, BPTT_LIF }

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
     * @param projection      HLOP: project with an orthonormalised basis of the frozen lateral rows (Myelin's) or
     *                        with the rows themselves (the reference's); null for orthonormal
     * @param spikingScale    HLOP: the reference's {@code -hlop_spiking_scale} s of spiking lateral neurons (their
     *                        responses round(clamp(y, -s, s) / s T) / T s), or 0 for real-valued responses
     * @param spikingSteps    HLOP: the reference's {@code -hlop_spiking_timesteps} T of spiking lateral neurons
     */
    public record Settings(int[] hidden, Neurons neurons, int timeSteps, int batchSize, double lr, int epochsPerTask,
                           long seed, int[] lateralFirst, int[][] lateralAdded, float[] hebbianLr,
                           int hebbianIterations, double ewcLambda, double gpmThreshold, Signal signal,
                           boolean subspaceReport, boolean cosinePerTask, Feedback feedback, double[] taskLrScale,
                           HebbianSubspace.Projection projection, float spikingScale, float spikingSteps) {
        public Settings {
            if (projection == null) {
                projection = HebbianSubspace.Projection.ORTHONORMAL;
            }
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

        /** With Myelin's orthonormalised projection and real-valued lateral responses. */
        public Settings(int[] hidden, Neurons neurons, int timeSteps, int batchSize, double lr, int epochsPerTask,
                        long seed, int[] lateralFirst, int[][] lateralAdded, float[] hebbianLr, int hebbianIterations,
                        double ewcLambda, double gpmThreshold, Signal signal, boolean subspaceReport,
                        boolean cosinePerTask, Feedback feedback, double[] taskLrScale) {
            this(hidden, neurons, timeSteps, batchSize, lr, epochsPerTask, seed, lateralFirst, lateralAdded,
                    hebbianLr, hebbianIterations, ewcLambda, gpmThreshold, signal, subspaceReport, cosinePerTask,
                    feedback, taskLrScale, null, 0f, 0f);
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
    public record Result(double[][] accuracy, double acc, double bwt, double seconds, List<SubspaceReport> subspace,
                         SpikingMlp model) {
        public Result(double[][] accuracy, double acc, double bwt, double seconds) {
            this(accuracy, acc, bwt, seconds, List.of(), null);
        }
    }

    /**
     * Sample {@code i} of {@code data} as the trained model sees it at test time (the direct encoding: one (inputs)
     * row held for every step), for {@link org.myelin.learning.export.NetworkExport#verify}.
     */
    public static Tensor testSample(LabelledData data, int i, Settings s) {
        Tensor x = Encoding.DIRECT.encode(data, new int[] {i}, 0, 1, s.timeSteps(), s.seed(), 0);
        return Tensor.of(x.data().clone(), data.features());
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
            if (s.neurons() == Neurons.BPTT_LIF) {
                // the reference's spiking_MLP_bptt: LIFNode(tau 2, decay_input False, v_threshold 1, v_reset None,
                // detach_reset True, Sigmoid(alpha 4))
                return new JellyLifNeuron(n, 2f, false, 1f, Float.NaN, true, Surrogate.sigmoid(4f));
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
            lateral.add(new HebbianSubspace(model.weights().get(l).dim(0), s.hebbianLr()[l], s.spikingScale(),
                    s.spikingSteps(), s.projection()));
        }
        int n = tasks.size();
        double[][] r = new double[n][n];
        if (method == Method.MULTITASK) {
            LabelledData all = TaskSequences.concat(tasks);
            train(model, all, null, 0, method, s, lateral, List.of(), List.of(), progress, "all tasks");
            for (int j = 0; j < n; j++) {
                r[n - 1][j] = accuracy(model, tasks.get(j).test(), tasks.get(j).classes(), s);
            }
            double acc = mean(r[n - 1], n);
            return new Result(r, acc, 0, (System.nanoTime() - t0) / 1e9, List.of(), model);
        }
        List<EwcAnchor> anchors = new ArrayList<>();
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
                ActivitySvd.growBases(model, tasks.get(i).train(), s, gpm);
            }
            if (method == Method.EWC) {
                anchors.add(EwcAnchor.of(model, tasks.get(i).train(), tasks.get(i).classes(), s));
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
                    double[][][] act = ActivitySvd.activity(model, tasks.get(i).train(), s);
                    double[][][] held = ActivitySvd.activity(model, tasks.get(i).train(), s, 300, 300);
                    for (int l = 0; l < layers; l++) {
                        SubspaceReport rep = ActivitySvd.report(i, l, lateral.get(l), act[l],
                                held[l].length > 0 ? held[l] : act[l]);
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
        return new Result(r, acc, bwt, (System.nanoTime() - t0) / 1e9, List.copyOf(reports), model);
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
    static Tensor head(Tape tape, Tensor logits, int[] classes) {
        return classes == null ? logits : org.myelin.learning.ops.Elementwise.columns(tape, logits, classes);
    }

    /** Labels as positions within the head. */
    static int headLabel(int label, int[] classes) {
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
                              List<HebbianSubspace> lateral, List<EwcAnchor> anchors, List<OrthogonalBasis> gpm,
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
                for (EwcAnchor a : anchors) {
                    a.addPenaltyGradient(model, (float) s.ewcLambda());
                }
                opt.step();
            }
            if (progress != null) {
                progress.accept(name + ": epoch " + (epoch + 1) + " done");
            }
        }
    }

    static Tensor rateOf(Tensor spikes, Settings s) {
        if (s.neurons() == Neurons.DSR) {
            return DsrNeuron.weightedRate(Tape.inference(), spikes, DSR_TAU, DSR_DT);
        }
        return org.myelin.learning.ops.Reductions.meanFirst(Tape.inference(), spikes);
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

    /**
     * Split tasks (task-incremental): task t holds the samples of classes [t k, (t + 1) k) and answers with
     * those output units only ({@link TaskSequences#split}).
     */
    public static List<Task> split(LabelledData train, LabelledData test, int classesPerTask) {
        return TaskSequences.split(train, test, classesPerTask);
    }

    /**
     * Permuted tasks: task t applies a seeded permutation of the features to every sample, task 0 too
     * ({@link TaskSequences#permuted}).
     */
    public static List<Task> permuted(LabelledData train, LabelledData test, int tasks, long seed) {
        return TaskSequences.permuted(train, test, tasks, seed);
    }
}
