package org.myelin.viz.raster;

import java.util.ArrayList;
import java.util.List;
import org.myelin.core.MyelinException;

/**
 * A training run's curves: the training loss per epoch in one panel, the training and test accuracy (%) per epoch
 * in the other, each panel with its own y range; written as PNG or SVG by {@link LineChart#write}.
 */
public final class TrainingCurves {
    private TrainingCurves() {
    }

    /**
     * The chart of these epochs. {@code trainAccuracy} and {@code testAccuracy} are fractions; a test accuracy that
     * was not measured (NaN) is left out, and the test line with it when no epoch has one.
     */
    public static LineChart of(String title, int[] epoch, double[] trainLoss, double[] trainAccuracy,
                               double[] testAccuracy) {
        int n = epoch.length;
        if (n == 0 || trainLoss.length != n || trainAccuracy.length != n || testAccuracy.length != n) {
            throw new MyelinException("training curves: need the same number (at least one) of epochs, losses and"
                    + " accuracies");
        }
        double[] x = new double[n];
        double[] train = new double[n];
        double[] test = new double[n];
        boolean anyTest = false;
        for (int i = 0; i < n; i++) {
            x[i] = epoch[i];
            train[i] = 100 * trainAccuracy[i];
            test[i] = 100 * testAccuracy[i];
            anyTest |= !Double.isNaN(testAccuracy[i]);
        }
        List<LineChart.Series> acc = new ArrayList<>();
        acc.add(LineChart.Series.of("train", x, train));
        if (anyTest) {
            acc.add(LineChart.Series.of("test", x, test));
        }
        return new LineChart(title).ownYRanges()
                .panel(new LineChart.Panel("loss", "epoch", "training loss",
                        List.of(LineChart.Series.of("train", x, trainLoss)), false))
                .panel(new LineChart.Panel("accuracy", "epoch", "accuracy (%)", acc, false));
    }
}
