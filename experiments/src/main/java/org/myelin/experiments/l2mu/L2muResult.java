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
                         double trainSeconds, CoreCheck core) {
    /**
     * The trained model's first test windows run as core networks on the cpu backend.
     *
     * @param windows   windows run
     * @param identical of them, with the training graph's spikes in every population
     * @param sameClass of them, classified as the training graph does
     * @param accuracy  the core's accuracy on them
     * @param spikes    spikes of all windows
     * @param differing spikes that differ
     * @param first     the first difference in words ({@code none} without one)
     * @param seconds   wall time of the check
     */
    public record CoreCheck(int windows, int identical, int sameClass, double accuracy, long spikes, long differing,
                            String first, double seconds) {
    }
}
