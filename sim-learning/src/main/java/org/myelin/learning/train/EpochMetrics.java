package org.myelin.learning.train;

/**
 * What one training epoch measured.
 *
 * @param epoch            1-based
 * @param trainLoss        mean loss over the epoch's batches (weighted by batch size)
 * @param trainAccuracy    fraction of training samples classified correctly during the epoch
 * @param testAccuracy     fraction of the test set classified correctly after the epoch (NaN without one)
 * @param samplesPerSecond training samples per second of wall time (evaluation excluded)
 * @param seconds          wall time of the epoch's training
 * @param learningRate     the learning rate at the end of the epoch
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testAccuracy,
                           double samplesPerSecond, double seconds, double learningRate) {

    /** One JSON object on one line. */
    public String toJson() {
        return json().toString();
    }

    /** The figures as a JSON object (a test accuracy that was not measured is null). */
    public org.myelin.core.io.Json json() {
        return org.myelin.core.io.Json.object().put("epoch", epoch).put("train_loss", trainLoss)
                .put("train_accuracy", trainAccuracy).put("test_accuracy", testAccuracy)
                .put("samples_per_s", samplesPerSecond).put("seconds", seconds).put("learning_rate", learningRate);
    }

    double[] pack() {
        return new double[] {epoch, trainLoss, trainAccuracy, testAccuracy, samplesPerSecond, seconds, learningRate};
    }

    static EpochMetrics unpack(double[] a, int o) {
        return new EpochMetrics((int) a[o], a[o + 1], a[o + 2], a[o + 3], a[o + 4], a[o + 5], a[o + 6]);
    }

    static final int PACKED = 7;
}
