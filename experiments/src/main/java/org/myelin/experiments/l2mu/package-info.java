/**
 * The L2MU (a Legendre Memory Unit of spiking populations) on human activity recognition: smartwatch windows from
 * WISDM files or synthetic data of the same form ({@link org.myelin.experiments.l2mu.HarWindows}), training, and the
 * check that the trained model runs as core networks with the training graph's spikes ({@link
 * org.myelin.experiments.l2mu.L2muExperiment}); what {@code myelin train l2mu} runs.
 */
package org.myelin.experiments.l2mu;
