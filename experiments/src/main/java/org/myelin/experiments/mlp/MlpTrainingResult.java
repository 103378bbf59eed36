package org.myelin.experiments.mlp;

import java.util.List;
import org.myelin.learning.model.MlpSpec;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.train.EpochMetrics;

/**
 * What a spiking-MLP training run gave.
 *
 * @param spec         the model's description (as saved)
 * @param model        the trained model
 * @param history      every epoch's figures, those of a resumed checkpoint first
 * @param resumedAfter the epochs the resumed checkpoint had done (0 without one)
 * @param trainSize    training samples
 * @param testSize     test samples
 */
public record MlpTrainingResult(MlpSpec spec, SpikingMlp model, List<EpochMetrics> history, int resumedAfter,
                                int trainSize, int testSize) {
    /** The last epoch's test accuracy (a fraction). */
    public double testAccuracy() {
        return history.get(history.size() - 1).testAccuracy();
    }
}
