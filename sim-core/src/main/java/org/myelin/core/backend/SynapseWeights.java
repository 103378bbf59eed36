package org.myelin.core.backend;

/**
 * The weights of one projection's synapses, as a backend holds them between two steps: synapse {@code k} goes from
 * source neuron {@code source[k]} to target neuron {@code target[k]} (indices within their nodes) with weight
 * {@code weightMv[k]}. The order is the backend's (for the cpu engine: by source, then ascending target).
 */
public record SynapseWeights(String projection, int[] source, int[] target, double[] weightMv) {
}
