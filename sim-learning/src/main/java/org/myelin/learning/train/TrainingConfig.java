package org.myelin.learning.train;

import java.nio.file.Path;
import org.myelin.core.MyelinException;

/**
 * How to train.
 *
 * @param epochs        passes over the training set
 * @param batchSize     samples per optimiser step
 * @param timeSteps     steps each sample is presented for
 * @param seed          fixes shuffling and encoding draws (the model's initial weights have their own seed)
 * @param encoding      how values become input
 * @param checkpointDir where a checkpoint is written after every epoch ({@code epoch-N.ckpt}); null for none
 * @param metricsLog    a JSON-lines file with one {@link EpochMetrics} per epoch; null for none
 * @param progress      whether a progress bar is drawn on standard error
 * @param method        how gradients are computed
 */
public record TrainingConfig(int epochs, int batchSize, int timeSteps, long seed, Encoding encoding,
                             Path checkpointDir, Path metricsLog, boolean progress, Method method) {
    /** How gradients are computed. */
    public enum Method {
        /**
         * Backpropagation through time over the recorded sequence (DSR neurons differentiate their rates
         * instead, within the same pass).
         */
        BPTT,
        /** Online training through time: per-step losses and eligibility traces, see {@link OnlineThroughTime}. */
        ONLINE
    }

    /** With BPTT. */
    public TrainingConfig(int epochs, int batchSize, int timeSteps, long seed, Encoding encoding, Path checkpointDir,
                          Path metricsLog, boolean progress) {
        this(epochs, batchSize, timeSteps, seed, encoding, checkpointDir, metricsLog, progress, Method.BPTT);
    }

    public TrainingConfig {
        if (method == null) {
            throw new MyelinException("training: method must be BPTT or ONLINE");
        }
        if (epochs < 1) {
            throw new MyelinException("training: epochs must be >= 1, was " + epochs);
        }
        if (batchSize < 1) {
            throw new MyelinException("training: batch size must be >= 1, was " + batchSize);
        }
        if (timeSteps < 1) {
            throw new MyelinException("training: time steps must be >= 1, was " + timeSteps);
        }
        if (encoding == null) {
            throw new MyelinException("training: encoding must be DIRECT or RATE");
        }
    }

    public TrainingConfig withEpochs(int e) {
        return new TrainingConfig(e, batchSize, timeSteps, seed, encoding, checkpointDir, metricsLog, progress, method);
    }
}
