package org.myelin.learning.train;

import org.myelin.core.MyelinException;

/**
 * A labelled dataset held in memory: {@code size} samples of {@code features} float values (for images,
 * intensities in [0, 1]) and one class label each.
 */
public record LabelledData(float[] values, int[] labels, int features, int classes) {
    public LabelledData {
        if (features < 1 || classes < 2) {
            throw new MyelinException("dataset: needs >= 1 feature and >= 2 classes, had " + features + " and "
                    + classes);
        }
        if (values.length != (long) labels.length * features) {
            throw new MyelinException("dataset: " + labels.length + " labels need " + (long) labels.length * features
                    + " values, found " + values.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new MyelinException("dataset: label " + labels[i] + " of sample " + i + " is outside [0, "
                        + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /** The first {@code n} samples (or all, if fewer). */
    public LabelledData head(int n) {
        int m = Math.min(n, size());
        return new LabelledData(java.util.Arrays.copyOf(values, m * features), java.util.Arrays.copyOf(labels, m),
                features, classes);
    }
}
