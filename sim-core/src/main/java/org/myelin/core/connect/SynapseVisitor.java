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

    /**
     * As above, with the delay as drawn before rounding ({@code exactDelaySteps}): what the event-driven precise
     * mode uses; everything else takes the rounded delay, which this default passes on.
     */
    default void synapse(int pre, int post, double weightMv, int delaySteps, double exactDelaySteps) {
        synapse(pre, post, weightMv, delaySteps);
    }
}
