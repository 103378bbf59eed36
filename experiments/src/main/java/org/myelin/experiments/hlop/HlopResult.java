package org.myelin.experiments.hlop;

import org.myelin.learning.hlop.ContinualLearning;

/**
 * What a continual-learning run measured.
 *
 * @param tasks       the tasks it ran on, their description and the settings
 * @param run         the accuracy matrix R (row: after task i, column: task j), ACC, BWT (fractions), the wall time
 *                    and the subspace reports
 * @param evaluatedOn {@code test} or {@code validation}: the images the accuracies are of
 */
public record HlopResult(HlopTasks tasks, ContinualLearning.Result run, String evaluatedOn) {
    /** The mean accuracy over all tasks after the last one (a fraction). */
    public double acc() {
        return run.acc();
    }

    /** The backward transfer: the mean change of the earlier tasks' accuracies by the end (a fraction). */
    public double bwt() {
        return run.bwt();
    }
}
