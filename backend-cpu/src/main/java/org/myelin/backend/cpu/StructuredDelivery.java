package org.myelin.backend.cpu;

/**
 * The clock engine's deliveries through structured synapse storage, beside the synapse lists it walks itself:
 * convolutions kept as their kernels ({@link ConvolutionSynapses}), spike attention ({@link AttentionSynapses}) and
 * membrane projections (values carried every step); and the marks of the float ring slots that deliveries fill, so
 * that a multi-rate population between its updates drains only slots that hold input. Every method works on one
 * worker's targets, as the engine's own delivery does.
 */
final class StructuredDelivery {
    private final ClockInput input;
    private final float[] ge;
    private final float[] gi;
    private final boolean fixedPoint;
    private final int threads;
    private final ClockPopulation[] segments;

    StructuredDelivery(ClockInput input, boolean fixedPoint, int threads, ClockPopulation[] segments) {
        this.input = input;
        this.ge = input.ge;
        this.gi = input.gi;
        this.fixedPoint = fixedPoint;
        this.threads = threads;
        this.segments = segments;
    }

    /**
     * Marks the float ring slots that a delivery of q's synapses for a spike of {@code spikeStep} may add to (its
     * delays above 1) as holding input for q's target population in worker p's part.
     */
    void markRing(ClockWorker p, ProjectionSynapses q, long spikeStep) {
        int slots = input.ringSlots;
        if (slots == 0 || q.maxDelay < 2) {
            return;
        }
        int lo = Math.max(2, q.delaySteps >= 1 ? q.delaySteps : q.minDelay);
        int hi = q.delaySteps >= 1 ? q.delaySteps : q.maxDelay;
        boolean[] dirty = p.ringDirty;
        int base = q.targetPopulation * slots;
        for (int k = lo; k <= hi; k++) {
            dirty[base + (int) ((spikeStep + k) % slots)] = true;
        }
    }

    /** A convolution's weights for one spike onto worker p's targets (as its expanded synapses would add them). */
    void convolution(ClockWorker p, ProjectionSynapses q, int row, long spikeStep, boolean counting) {
        ConvolutionSynapses c = q.conv;
        markRing(p, q, spikeStep);
        int added;
        if (fixedPoint) {
            added = c.deliver(row, p.lo, p.hi, null, 0f, null, q.inhibitory ? input.fixedI : input.fixedE,
                    input.slot(spikeStep + c.delaySteps, input.fixedSlots));
        } else if (c.delaySteps == 1) {
            added = c.deliver(row, p.lo, p.hi, q.inhibitory ? gi : ge,
                    q.inhibitory ? p.inverseI[q.targetPopulation] : p.inverseE[q.targetPopulation], null, null, 0);
        } else {
            added = c.deliver(row, p.lo, p.hi, null, 0f, q.inhibitory ? input.ringI : input.ringE, null,
                    input.slot(spikeStep + c.delaySteps, input.ringSlots));
        }
        if (counting) {
            p.inputEvents[q.targetPopulation] += added;
        }
    }

    /** A query spike's coincidence counts onto worker p's targets ({@link AttentionSynapses}). */
    void attention(ClockWorker p, ProjectionSynapses q, int row, long spikeStep, boolean counting) {
        AttentionSynapses a = q.attention;
        markRing(p, q, spikeStep);
        int added = a.delaySteps == 1
                ? a.deliver(p.index, row, p.lo, p.hi, q.inhibitory ? gi : ge,
                        q.inhibitory ? p.inverseI[q.targetPopulation] : p.inverseE[q.targetPopulation], null, 0)
                : a.deliver(p.index, row, p.lo, p.hi, null, 0f, q.inhibitory ? input.ringI : input.ringE,
                        input.slot(spikeStep + a.delaySteps, input.ringSlots));
        if (counting) {
            p.inputEvents[q.targetPopulation] += added;
        }
    }

    /**
     * The membrane projections' input for worker p's targets: every source neuron whose value after step
     * {@code spikeStep} ({@code values}) is not 0 adds weight times value, from sources that updated in that step
     * (a multi-rate population carries its value once per update), as a spike adds a weight (ascending source,
     * projections in declaration order, after the step's spikes).
     */
    void membranes(ClockWorker p, ProjectionSynapses[] membranes, float[] values, long spikeStep,
                   boolean counting) {
        int t = p.index;
        for (ProjectionSynapses q : membranes) {
            if (!segments[q.sourceNode].updatesAt(spikeStep)) {
                continue;
            }
            markRing(p, q, spikeStep);
            float scale = q.inhibitory ? p.inverseI[q.targetPopulation] : p.inverseE[q.targetPopulation];
            int rows = q.rowStart.length - 1;
            int[] split = q.split;
            int stride = threads + 1;
            int src = q.sourceOffset;
            // one weight and one delay (the membrane shortcut's case): the destination and factors once
            boolean uniform = q.weight == null && q.delaySteps >= 1;
            int d = q.delaySteps;
            float[] dst = d == 1 ? (q.inhibitory ? gi : ge) : (q.inhibitory ? input.ringI : input.ringE);
            int off = uniform && d > 1 ? input.slot(spikeStep + d, input.ringSlots) : 0;
            float sc = d == 1 ? scale : 1f;
            float w = q.weightMv;
            int[] target = q.target;
            long n = 0;
            for (int r = 0; r < rows; r++) {
                float x = values[src + r];
                if (x == 0f) {
                    continue;
                }
                int from = split[r * stride + t];
                int to = split[r * stride + t + 1];
                if (uniform) {
                    for (int k = from; k < to; k++) {
                        dst[off + target[k]] += w * x * sc;
                    }
                } else if (from < to) {
                    input.addScaled(q, x, from, to, spikeStep, scale);
                }
                n += to - from;
            }
            if (counting) {
                p.inputEvents[q.targetPopulation] += n;
            }
        }
    }
}
