package org.myelin.core.model;

/**
 * The synaptic port a projection feeds. CuBa-LIF has one synaptic variable per receptor, each with its own
 * time constant; LIF with delta synapses adds both straight to the membrane.
 */
public enum Receptor {
    EXCITATORY,
    INHIBITORY
}
