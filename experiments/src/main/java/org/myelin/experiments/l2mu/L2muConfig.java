package org.myelin.experiments.l2mu;

import java.nio.file.Path;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.EngineMode;
import org.myelin.learning.lmu.L2mu;

/**
 * An L2MU training run on HAR windows. {@link #defaults} gives the settings of {@code myelin train l2mu}.
 *
 * @param data           {@code synthetic-har} or {@code wisdm:FOLDER} (raw watch files, accel/ and gyro/)
 * @param neuron         LIF, CUBA, or the non-spiking LMU baseline
 * @param encoder        raw values, or the input module
 * @param epochs         passes over the training windows
 * @param batchSize      windows per batch
 * @param lr             Adam's learning rate
 * @param order          the Legendre memory's order
 * @param theta          the memory's window, in samples
 * @param hidden         hidden neurons
 * @param memory         memory neurons
 * @param alpha          CUBA: the synaptic decay of every population
 * @param immediateReset neurons reset in the step they spike (else at the next step, snnTorch's default; the core
 *                       runs both)
 * @param coreCheck      after training, the first N test windows exported to core networks and compared (0: none)
 * @param save           null, or where to write the trained model with its input standardisation
 * @param stride         training window stride, samples
 * @param subjects       synthetic-har: subjects
 * @param seconds        synthetic-har: seconds per activity
 * @param seed           seed of the data, the weights and the batches
 * @param trainLimit     at most this many training windows, evenly spaced over them (every activity kept)
 * @param testLimit      at most this many test windows, evenly spaced over them
 * @param coreMode       the cpu engine the core check runs in: CLOCK, EVENT_GRID or AUTO (the multi-rate cell runs
 *                       alike in all three)
 */
public record L2muConfig(String data, L2mu.Neuron neuron, L2mu.Encoder encoder, int epochs, int batchSize, double lr,
                         int order, double theta, int hidden, int memory, float alpha, boolean immediateReset,
                         int coreCheck, Path save, int stride, int subjects, int seconds, long seed, int trainLimit,
                         int testLimit, EngineMode coreMode) {
    /** The core check in the clock engine. */
    public L2muConfig(String data, L2mu.Neuron neuron, L2mu.Encoder encoder, int epochs, int batchSize, double lr,
                      int order, double theta, int hidden, int memory, float alpha, boolean immediateReset,
                      int coreCheck, Path save, int stride, int subjects, int seconds, long seed, int trainLimit,
                      int testLimit) {
        this(data, neuron, encoder, epochs, batchSize, lr, order, theta, hidden, memory, alpha, immediateReset,
                coreCheck, save, stride, subjects, seconds, seed, trainLimit, testLimit, EngineMode.CLOCK);
    }

    /** All the windows. */
    public L2muConfig(String data, L2mu.Neuron neuron, L2mu.Encoder encoder, int epochs, int batchSize, double lr,
                      int order, double theta, int hidden, int memory, float alpha, boolean immediateReset,
                      int coreCheck, Path save, int stride, int subjects, int seconds, long seed) {
        this(data, neuron, encoder, epochs, batchSize, lr, order, theta, hidden, memory, alpha, immediateReset,
                coreCheck, save, stride, subjects, seconds, seed, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** Checks the settings, the core check's needs included. */
    public L2muConfig {
        if (trainLimit < 1 || testLimit < 1) {
            throw new MyelinException("--train-limit and --test-limit must be >= 1, were " + trainLimit + " and "
                    + testLimit);
        }
        if (data == null || neuron == null || encoder == null) {
            throw new MyelinException("l2mu: data, neuron and encoder must be given, were " + data + ", " + neuron
                    + ", " + encoder);
        }
        if (epochs < 1 || stride < 1) {
            throw new MyelinException("--epochs and --stride must be >= 1");
        }
        if (coreCheck < 0 || (coreCheck > 0 && neuron == L2mu.Neuron.ANN)) {
            throw new MyelinException("--core-check needs a spiking neuron (lif or cuba; the ANN baseline has no"
                    + " spikes to run on the core), and N >= 0");
        }
        if (batchSize < 1 || order < 1 || hidden < 1 || memory < 1 || subjects < 1 || seconds < 1) {
            throw new MyelinException("l2mu: batchSize, order, hidden, memory, subjects and seconds must be >= 1, were "
                    + batchSize + ", " + order + ", " + hidden + ", " + memory + ", " + subjects + ", " + seconds);
        }
        if (!(lr > 0) || !(theta > 0)) {
            throw new MyelinException("l2mu: lr and theta must be > 0, were " + lr + ", " + theta);
        }
        if (coreMode != EngineMode.CLOCK && coreMode != EngineMode.EVENT_GRID && coreMode != EngineMode.AUTO) {
            throw new MyelinException("--core-mode must be CLOCK, EVENT_GRID or AUTO (the engines that run multi-rate"
                    + " populations in float), was " + coreMode);
        }
    }

    /**
     * The defaults of {@code myelin train l2mu}: LIF neurons, plain inputs, 10 epochs of batches of 64, lr 1.45e-3,
     * order 7, theta 10, 120 hidden and 70 memory neurons, stride 40; synthetic data of 20 subjects x 60 s.
     */
    public static L2muConfig defaults(String data) {
        return new L2muConfig(data, L2mu.Neuron.LIF, L2mu.Encoder.PLAIN, 10, 64, 1.45e-3, 7, 10, 120, 70, 0.3f, false,
                0, null, 40, 20, 60, 1);
    }

    /** The same run with another size: epochs, order, hidden and memory neurons. */
    public L2muConfig withSize(int epochs, int order, int hidden, int memory) {
        return new L2muConfig(data, neuron, encoder, epochs, batchSize, lr, order, theta, hidden, memory, alpha,
                immediateReset, coreCheck, save, stride, subjects, seconds, seed, trainLimit, testLimit,
                coreMode);
    }

    /** The same run on {@code subjects} synthetic subjects of {@code seconds} s per activity. */
    public L2muConfig withSyntheticData(int subjects, int seconds) {
        return new L2muConfig(data, neuron, encoder, epochs, batchSize, lr, order, theta, hidden, memory, alpha,
                immediateReset, coreCheck, save, stride, subjects, seconds, seed, trainLimit, testLimit,
                coreMode);
    }

    /** The same run with the core check in engine mode {@code mode}. */
    public L2muConfig withCoreMode(EngineMode mode) {
        return new L2muConfig(data, neuron, encoder, epochs, batchSize, lr, order, theta, hidden, memory, alpha,
                immediateReset, coreCheck, save, stride, subjects, seconds, seed, trainLimit, testLimit, mode);
    }

    /** The same run with another neuron and encoder, the core's reset, and {@code coreCheck} windows checked. */
    public L2muConfig withCoreCheck(L2mu.Neuron neuron, L2mu.Encoder encoder, int coreCheck) {
        return new L2muConfig(data, neuron, encoder, epochs, batchSize, lr, order, theta, hidden, memory, alpha, true,
                coreCheck, save, stride, subjects, seconds, seed, trainLimit, testLimit,
                coreMode);
    }
}
