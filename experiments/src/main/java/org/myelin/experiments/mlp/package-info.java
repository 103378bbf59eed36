/**
 * Surrogate-gradient training of a spiking MLP on an MNIST-like IDX data set, with checkpoints and resumption
 * ({@link org.myelin.experiments.mlp.MlpTraining}), and the test accuracy of a saved model ({@link
 * org.myelin.experiments.mlp.MlpEvaluation}); what {@code myelin train mlp} and {@code myelin eval} run.
 */
package org.myelin.experiments.mlp;
