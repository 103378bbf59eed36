/**
 * Liquid state machines on event data, on the cpu or the crossbar model: a reservoir's per-neuron spike counts read
 * out by a linear classifier ({@link org.myelin.experiments.lsm.LsmExperiment}), the same once per device setting
 * ({@link org.myelin.experiments.lsm.LsmSweep}), and audio-to-image zero-shot retrieval through contrastive heads
 * ({@link org.myelin.experiments.lsm.LsmZeroShot}); what {@code myelin experiment lsm} runs.
 */
package org.myelin.experiments.lsm;
