/**
 * Continual learning with HLOP and its baselines (fine-tuning, EWC, GPM, the multitask bound) on permuted MNIST
 * or split Fashion-MNIST: {@link org.myelin.experiments.hlop.HlopConfig} in, {@link
 * org.myelin.experiments.hlop.HlopResult} out, the data preparation of {@code myelin experiment hlop}.
 */
package org.myelin.experiments.hlop;
