package org.myelin.experiments.hlop;

import java.util.List;
import org.myelin.learning.hlop.ContinualLearning;

/**
 * A run's prepared tasks: what {@link HlopExperiment#prepare} made of a {@link HlopConfig}.
 *
 * @param tasks       the tasks in order, each a training and an evaluation set
 * @param description the benchmark in words (tasks, images per task, test or validation)
 * @param pixelMeanSd with {@link HlopConfig#normalize}, the training images' mean and standard deviation the pixels
 *                    were standardised with; else null
 * @param settings    the training settings, checked
 */
public record HlopTasks(List<ContinualLearning.Task> tasks, String description, double[] pixelMeanSd,
                        ContinualLearning.Settings settings) {
}
