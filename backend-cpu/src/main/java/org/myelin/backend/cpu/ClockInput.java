package org.myelin.backend.cpu;

import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;

/**
 * Where the clock engine's synaptic input goes, and the code that adds a row of synapses there. Delay-1 input adds
 * straight into the synaptic variables {@code ge}/{@code gi} (times the worker's inverse lazy decay scale, see
 * {@link CpuLifKernel#integrateLazy}); longer delays add into ring buffers with one slot per step of the longest
 * delay, drained by the step that the input is due in. With fixed-point accumulation every delay goes through
 * integer rings (one slot more, as the step drains its slot before the spikes of the same step are delivered).
 *
 * <p>The rings hold the owned neurons only (all of them in one process): slot s of global neuron g is at
 * {@code s * owned + g - ownFirst} ({@link #slot}). Workers own disjoint target ranges, so adding needs no locking,
 * and each target receives its input in the order the engine delivers it (ascending source).
 */
final class ClockInput {
    final float[] ge;
    final float[] gi;
    /** Float rings (0 slots when every delay is 1 or in fixed point). */
    final int ringSlots;
    final float[] ringE;
    final float[] ringI;
    /** Integer rings of fixed-point accumulation (0 slots in float). */
    final int fixedSlots;
    final int[] fixedE;
    final int[] fixedI;
    private final int ownFirst;
    private final int owned;

    ClockInput(float[] ge, float[] gi, int maxDelay, boolean fixedPoint, int ownFirst, int ownEnd, boolean distributed) {
        this.ge = ge;
        this.gi = gi;
        this.ownFirst = ownFirst;
        this.owned = ownEnd - ownFirst;
        ringSlots = !fixedPoint && maxDelay > 1 ? maxDelay : 0;
        fixedSlots = fixedPoint ? maxDelay + 1 : 0;
        if ((long) Math.max(ringSlots, fixedSlots) * owned > Integer.MAX_VALUE - 8) {
            throw new MyelinException("cpu backend: ring buffers of " + Math.max(ringSlots, maxDelay + 1) + " slots x "
                    + owned + " neurons exceed an array; reduce the largest delay (" + maxDelay + " steps)"
                    + (distributed ? " or add ranks" : ""));
        }
        ringE = ringSlots > 0 ? new float[ringSlots * owned] : null;
        ringI = ringSlots > 0 ? new float[ringSlots * owned] : null;
        fixedE = fixedPoint ? new int[fixedSlots * owned] : null;
        fixedI = fixedPoint ? new int[fixedSlots * owned] : null;
    }

    /**
     * Where the ring slot of step {@code t} starts, as an offset to add to a global neuron index: the rings hold the
     * owned neurons only, slot by slot.
     */
    int slot(long t, int slots) {
        return (int) (t % slots) * owned - ownFirst;
    }

    /**
     * Adds synapses {@code [from, to)} of projection {@code q} for a spike of {@code spikeStep}: float weights times
     * {@code scale} (the target population's inverse lazy scale of the receptor) when they arrive in the next step,
     * unscaled into the ring otherwise; or integer weights into the fixed-point ring.
     */
    void addRow(ProjectionSynapses q, int from, int to, long spikeStep, float scale, boolean fixedPoint) {
        if (fixedPoint) {
            addFixed(q, from, to, spikeStep);
        } else if (q.delaySteps == 1) {
            float[] dst = q.inhibitory ? gi : ge;
            if (q.weight == null) {
                addConstant(dst, 0, q.target, from, to, q.weightMv * scale);
            } else {
                addWeighted(dst, 0, q.target, q.weight, from, to, scale);
            }
        } else if (q.delaySteps > 1) {
            float[] dst = q.inhibitory ? ringI : ringE;
            int slot = slot(spikeStep + q.delaySteps, ringSlots);
            if (q.weight == null) {
                addConstant(dst, slot, q.target, from, to, q.weightMv);
            } else {
                addWeighted(dst, slot, q.target, q.weight, from, to, 1f);
            }
        } else {
            addDelayed(q, from, to, spikeStep, scale);
        }
    }

    /**
     * An external projection's values for synapses [from, to) ({@code values[k - from]}), added exactly as the
     * weights would be: the same products and sums in the same order.
     */
    void addValues(ProjectionSynapses q, float[] values, int from, int to, long spikeStep, float scale) {
        int[] target = q.target;
        if (q.delaySteps == 1) {
            float[] dst = q.inhibitory ? gi : ge;
            for (int k = from; k < to; k++) {
                dst[target[k]] += values[k - from] * scale;
            }
        } else if (q.delaySteps > 1) {
            float[] dst = q.inhibitory ? ringI : ringE;
            int slot = slot(spikeStep + q.delaySteps, ringSlots);
            for (int k = from; k < to; k++) {
                dst[slot + target[k]] += values[k - from];
            }
        } else {
            float[] direct = q.inhibitory ? gi : ge;
            float[] ring = q.inhibitory ? ringI : ringE;
            for (int k = from; k < to; k++) {
                int d = q.delayByte != null ? q.delayByte[k] : q.delayShort[k];
                if (d == 1) {
                    direct[target[k]] += values[k - from] * scale;
                } else {
                    ring[slot(spikeStep + d, ringSlots) + target[k]] += values[k - from];
                }
            }
        }
    }

    /**
     * A membrane projection's row for a source value {@code x}: each synapse adds {@code weight * x} (times
     * {@code scale} when it arrives in the next step), as a spike's row adds {@code weight}; float accumulation only.
     */
    void addScaled(ProjectionSynapses q, float x, int from, int to, long spikeStep, float scale) {
        int[] target = q.target;
        float[] direct = q.inhibitory ? gi : ge;
        float[] ring = q.inhibitory ? ringI : ringE;
        for (int k = from; k < to; k++) {
            float w = q.weight == null ? q.weightMv : q.weight[k];
            int d = q.delaySteps >= 1 ? q.delaySteps : q.delayByte != null ? q.delayByte[k] : q.delayShort[k];
            if (d == 1) {
                direct[target[k]] += w * x * scale;
            } else {
                ring[slot(spikeStep + d, ringSlots) + target[k]] += w * x;
            }
        }
    }

    /** Adds one summed value for a target at a delay (an external projection's results, {@link ExternalSynapses}). */
    void addValue(boolean inhibitory, int target, int delay, float value, long spikeStep, float scale) {
        if (delay == 1) {
            (inhibitory ? gi : ge)[target] += value * scale;
        } else {
            (inhibitory ? ringI : ringE)[slot(spikeStep + delay, ringSlots) + target] += value;
        }
    }

    /** Fixed point: integer weights into the integer ring, slot of step spikeStep + delay. */
    private void addFixed(ProjectionSynapses q, int from, int to, long spikeStep) {
        int[] ring = q.inhibitory ? fixedI : fixedE;
        int[] target = q.target;
        if (q.delaySteps > 0) {
            int slot = slot(spikeStep + q.delaySteps, fixedSlots);
            if (q.weightFixed == null) {
                int w = q.weightFixedConstant;
                for (int k = from; k < to; k++) {
                    ring[slot + target[k]] += w;
                }
            } else {
                for (int k = from; k < to; k++) {
                    ring[slot + target[k]] += q.weightFixed[k];
                }
            }
            return;
        }
        for (int k = from; k < to; k++) {
            int d = q.delayByte != null ? q.delayByte[k] : q.delayShort[k];
            int w = q.weightFixed == null ? q.weightFixedConstant : q.weightFixed[k];
            ring[slot(spikeStep + d, fixedSlots) + target[k]] += w;
        }
    }

    private static void addConstant(float[] dst, int offset, int[] target, int from, int to, float w) {
        for (int k = from; k < to; k++) {
            dst[offset + target[k]] += w;
        }
    }

    private static void addWeighted(float[] dst, int offset, int[] target, float[] weight, int from, int to,
                                    float scale) {
        for (int k = from; k < to; k++) {
            dst[offset + target[k]] += weight[k] * scale;
        }
    }

    /** Per-synapse delays: delay 1 straight into the (lazily scaled) variables, longer ones into the ring. */
    private void addDelayed(ProjectionSynapses q, int from, int to, long spikeStep, float scale) {
        float[] direct = q.inhibitory ? gi : ge;
        float[] ring = q.inhibitory ? ringI : ringE;
        for (int k = from; k < to; k++) {
            int d = q.delayByte != null ? q.delayByte[k] : q.delayShort[k];
            float w = q.weight == null ? q.weightMv : q.weight[k];
            if (d == 1) {
                direct[q.target[k]] += w * scale;
            } else {
                ring[slot(spikeStep + d, ringSlots) + q.target[k]] += w;
            }
        }
    }

    /** Writes the input in flight: the rings. */
    void save(Checkpoint c) {
        if (ringSlots > 0) {
            c.put("ringE", ringE).put("ringI", ringI);
        }
        if (fixedSlots > 0) {
            c.put("fixedE", fixedE).put("fixedI", fixedI);
        }
    }

    /** The rings of a checkpoint, read and checked by {@link #read}, applied by {@link #load}. */
    record Rings(float[] e, float[] i, int[] fixedE, int[] fixedI) {
    }

    /** Reads the rings of a checkpoint (each of this engine's size); changes nothing. */
    Rings read(Checkpoint c) {
        return new Rings(ringSlots > 0 ? c.floats("ringE", ringSlots * owned) : null,
                ringSlots > 0 ? c.floats("ringI", ringSlots * owned) : null,
                fixedSlots > 0 ? c.ints("fixedE", fixedSlots * owned) : null,
                fixedSlots > 0 ? c.ints("fixedI", fixedSlots * owned) : null);
    }

    /**
     * Continues with the rings read by {@link #read}, copying only the float ring slots of the populations that
     * {@code holding} marks (per population, then slot) and clearing those that {@code now} marks but the checkpoint
     * does not: the others are empty on both sides.
     */
    void load(Rings r, boolean[] holding, boolean[] now, ClockPopulation[] segments) {
        if (fixedSlots > 0) {
            System.arraycopy(r.fixedE(), 0, fixedE, 0, fixedE.length);
            System.arraycopy(r.fixedI(), 0, fixedI, 0, fixedI.length);
        }
        for (int q = 0; q < segments.length; q++) {
            int a = Math.max(segments[q].from(), ownFirst);
            int b = Math.min(segments[q].to(), ownFirst + owned);
            if (a >= b) {
                continue;
            }
            for (int s = 0; s < ringSlots; s++) {
                int flag = q * ringSlots + s;
                int at = s * owned + a - ownFirst;
                if (holding[flag]) {
                    System.arraycopy(r.e(), at, ringE, at, b - a);
                    System.arraycopy(r.i(), at, ringI, at, b - a);
                } else if (now[flag]) {
                    java.util.Arrays.fill(ringE, at, at + b - a, 0f);
                    java.util.Arrays.fill(ringI, at, at + b - a, 0f);
                }
            }
        }
    }

    /** Continues with the rings read by {@link #read}. */
    void load(Rings r) {
        if (ringSlots > 0) {
            System.arraycopy(r.e(), 0, ringE, 0, ringE.length);
            System.arraycopy(r.i(), 0, ringI, 0, ringI.length);
        }
        if (fixedSlots > 0) {
            System.arraycopy(r.fixedE(), 0, fixedE, 0, fixedE.length);
            System.arraycopy(r.fixedI(), 0, fixedI, 0, fixedI.length);
        }
    }
}
