/**
 * Spike-driven programs: feed-forward graphs of convolutions, linear layers, spike-driven attention and LIF
 * neurons in which every layer after the first consumes binary spikes, so that a backend runs them with
 * additions only ({@link org.myelin.core.spikedriven.SpikeProgram}). Trained spike-driven transformers are
 * exported to this form.
 */
package org.myelin.core.spikedriven;
