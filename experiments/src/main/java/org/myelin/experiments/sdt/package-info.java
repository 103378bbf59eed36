/**
 * The spike-driven transformer (Meta-SpikeFormer) experiments: train a variant on MNIST-like images, export it,
 * check the export on the cpu backend's spike-driven engine against the training graph and cost it with an energy
 * model ({@link org.myelin.experiments.sdt.SdtExperiment}), and the V2 paper's ablations on one training budget
 * ({@link org.myelin.experiments.sdt.SdtAblation}); what {@code myelin train sdt} and {@code myelin experiment
 * sdt-ablation} run.
 */
package org.myelin.experiments.sdt;
