package org.myelin.experiments.l2mu;

import java.util.List;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.lmu.L2muTraining;

/**
 * What an L2MU run measured.
 *
 * @param model        the trained model
 * @param data         the windows it was trained and tested on
 * @param epochs       per-epoch figures
 * @param testAccuracy the last epoch's test accuracy (a fraction)
 * @param trainSeconds wall time of the training
 * @param core         the core check, or null when none was asked for
 */
public record L2muResult(L2mu model, HarWindows data, List<L2muTraining.Epoch> epochs, double testAccuracy,
                         double trainSeconds, org.myelin.learning.export.CoreCheck core) {
}
