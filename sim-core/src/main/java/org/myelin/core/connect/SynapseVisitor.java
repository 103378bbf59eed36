package org.myelin.core.connect;

/** Receives the synapses of a projection, one call each, in a deterministic order. */
@FunctionalInterface
public interface SynapseVisitor {
    /**
     * @param pre        source index, local to the source node
     * @param post       target index, local to the target population
     * @param weightMv   weight (0 when values were not asked for)
     * @param delaySteps delay (0 when values were not asked for)
     */
    void synapse(int pre, int post, double weightMv, int delaySteps);
}
