package org.myelin.experiments.mlp;

import java.nio.file.Path;
import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.train.Encoding;

/**
 * A spiking-MLP training run. {@link #defaults} gives the settings of {@code myelin train mlp}.
 *
 * @param data           {@code fashion-mnist} (Debian's package) or a folder of train-/t10k- IDX pairs
 * @param epochs         passes over the training set
 * @param timeSteps      time steps per sample
 * @param batchSize      samples per batch
 * @param hidden         hidden layer sizes
 * @param neuron         {@code leaky}, {@code synaptic}, {@code lif}, {@code dsr-if} or {@code dsr-lif} (DSR
 *                       training makes any other {@code dsr-if})
 * @param beta           membrane decay
 * @param alpha          synaptic decay (synaptic neuron)
 * @param threshold      firing threshold
 * @param learnBeta      train the decay too
 * @param learnThreshold train the threshold too
 * @param recurrent      recurrent hidden layers
 * @param immediateReset reset in the step a neuron spikes, as the core does
 * @param surrogate      the surrogate gradient: {@code atan}, {@code sigmoid}, {@code fast-sigmoid} or {@code
 *                       rectangular}, {@code [:alpha]}
 * @param readout        spike counts, mean membrane or rate (DSR training uses the membrane)
 * @param method         BPTT, online training through time, or DSR (BPTT of DSR neurons)
 * @param encoding       direct or rate coding of the pixels
 * @param optimizer      Adam, AdamW or SGD
 * @param lr             peak learning rate
 * @param schedule       constant, cosine (with {@code warmup}) or step decay (x0.1 every third of the run)
 * @param warmup         warm-up steps of the cosine schedule
 * @param weightDecay    weight decay
 * @param momentum       SGD's momentum
 * @param seed           seed of the weights, batches and rate coding
 * @param trainLimit     at most this many training samples
 * @param testLimit      at most this many test samples
 * @param checkpointDir  null, or where to write {@code epoch-N.ckpt} after every epoch
 * @param resume         null, or the epoch checkpoint to continue from
 * @param stopAfter      null, or stop after this epoch (an interrupted run)
 * @param metrics        null, or a file to append one JSON line per epoch to
 * @param save           null, or where to write the trained model
 * @param progress       show a progress bar
 */
public record MlpConfig(String data, int epochs, int timeSteps, int batchSize, int[] hidden, String neuron,
                        float beta, float alpha, float threshold, boolean learnBeta, boolean learnThreshold,
                        boolean recurrent, boolean immediateReset, String surrogate, SpikingMlp.Readout readout,
                        Method method, Encoding encoding, OptimizerKind optimizer, double lr, Schedule schedule,
                        long warmup, double weightDecay, double momentum, long seed, int trainLimit, int testLimit,
                        Path checkpointDir, Path resume, Integer stopAfter, Path metrics, Path save,
                        boolean progress) {
    /** How the network is trained. */
    public enum Method {
        /** Backpropagation through time. */
        BPTT,
        /** Online training through time. */
        ONLINE,
        /** DSR hidden neurons (BPTT of their rates), a linear output on the membrane. */
        DSR
    }

    /** The optimiser. */
    public enum OptimizerKind {
        /** Adam. */
        ADAM,
        /** AdamW (decoupled weight decay). */
        ADAMW,
        /** SGD with momentum. */
        SGD
    }

    /** The learning-rate schedule. */
    public enum Schedule {
        /** The same rate throughout. */
        CONSTANT,
        /** Cosine annealing to 0, after a linear warm-up. */
        COSINE,
        /** x0.1 after every third of the steps. */
        STEP
    }

    /** Checks the counts and rates and copies the hidden sizes. */
    public MlpConfig {
        if (data == null || neuron == null || surrogate == null || readout == null || method == null
                || encoding == null || optimizer == null || schedule == null) {
            throw new MyelinException("mlp: data, neuron, surrogate, readout, method, encoding, optimizer and schedule"
                    + " must be given");
        }
        if (epochs < 1 || timeSteps < 1 || batchSize < 1 || trainLimit < 1 || testLimit < 1) {
            throw new MyelinException("mlp: epochs, timeSteps, batchSize, trainLimit and testLimit must be >= 1, were "
                    + epochs + ", " + timeSteps + ", " + batchSize + ", " + trainLimit + ", " + testLimit);
        }
        if (hidden == null || hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h < 1)) {
            throw new MyelinException("mlp: hidden must be one or more layer sizes >= 1, was "
                    + Arrays.toString(hidden));
        }
        if (!(lr > 0) || warmup < 0) {
            throw new MyelinException("mlp: lr must be > 0 and warmup >= 0, were " + lr + ", " + warmup);
        }
        if (stopAfter != null && stopAfter < 1) {
            throw new MyelinException("mlp: stopAfter must be >= 1 (or null for every epoch), was " + stopAfter);
        }
        hidden = hidden.clone();
        if (method == Method.DSR) {
            neuron = neuron.startsWith("dsr") ? neuron : "dsr-if";
            readout = SpikingMlp.Readout.MEMBRANE_MEAN;
        }
    }

    /**
     * The defaults of {@code myelin train mlp} on {@code data}: 5 epochs, T = 8, batches of 128, one hidden layer of
     * 800 leaky neurons (beta 0.9, threshold 1), atan surrogate, membrane readout, BPTT, direct coding, Adam at 1e-3
     * with a cosine schedule.
     */
    public static MlpConfig defaults(String data) {
        return new MlpConfig(data, 5, 8, 128, new int[] {800}, "leaky", 0.9f, 0.8f, 1.0f, false, false, false, false,
                "atan:2", SpikingMlp.Readout.MEMBRANE_MEAN, Method.BPTT, Encoding.DIRECT, OptimizerKind.ADAM, 1e-3,
                Schedule.COSINE, 0, 0, 0.9, 1, Integer.MAX_VALUE, Integer.MAX_VALUE, null, null, null, null, null,
                true);
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /**
     * The same run with another size and budget: {@code epochs} epochs of batches of {@code batchSize}, T = {@code
     * timeSteps}, the given hidden sizes, rate {@code lr}, rate-coded pixels, no progress bar.
     */
    public MlpConfig withBudget(int epochs, int timeSteps, int batchSize, int[] hidden, double lr) {
        return new MlpConfig(data, epochs, timeSteps, batchSize, hidden, neuron, beta, alpha, threshold, learnBeta,
                learnThreshold, recurrent, immediateReset, surrogate, readout, method, Encoding.RATE, optimizer, lr,
                schedule, warmup, weightDecay, momentum, seed, trainLimit, testLimit, checkpointDir, resume, stopAfter,
                metrics, save, false);
    }

    /** The same run trained by {@code method} with the {@code schedule}. */
    public MlpConfig withMethod(Method method, Schedule schedule) {
        return new MlpConfig(data, epochs, timeSteps, batchSize, hidden, neuron, beta, alpha, threshold, learnBeta,
                learnThreshold, recurrent, immediateReset, surrogate, readout, method, encoding, optimizer, lr,
                schedule, warmup, weightDecay, momentum, seed, trainLimit, testLimit, checkpointDir, resume, stopAfter,
                metrics, save, progress);
    }

    /** The same run with checkpoints in {@code checkpointDir}, resumed from {@code resume}, stopped after an epoch. */
    public MlpConfig withCheckpoints(Path checkpointDir, Path resume, Integer stopAfter, Path save) {
        return new MlpConfig(data, epochs, timeSteps, batchSize, hidden, neuron, beta, alpha, threshold, learnBeta,
                learnThreshold, recurrent, immediateReset, surrogate, readout, method, encoding, optimizer, lr,
                schedule, warmup, weightDecay, momentum, seed, trainLimit, testLimit, checkpointDir, resume, stopAfter,
                metrics, save, progress);
    }
}
