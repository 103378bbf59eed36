package org.myelin.backend.cpu;

/**
 * The neuron-update loops of the CPU engine, kept free of branches, allocation and object access so that
 * the JIT vectorises them. One step of a population segment {@code [from, to)} is {@link #integrate} (every
 * neuron, refractory ones too; their v is restored afterwards) followed by {@link #threshold}.
 */
public final class CpuLifKernel {
    private CpuLifKernel() {
    }

    /**
     * u = u * dv + ge * pe + gi * pi; ge *= de; gi *= di, where u is the membrane potential relative to rest
     * (v - restingMv): small numbers keep float32 rounding small. The decay is applied as two floats,
     * {@code dv + dvLo} (dvLo the float32 rounding error of exp(-dt/tau)): with dv alone the membrane would decay
     * too fast or too slow by that error (about 1e-8) compounded over tau/dt steps, a bias of up to 1e-4 mV that
     * the double-precision engines do not have.
     */
    public static void integrate(float[] u, float[] ge, float[] gi, int from, int to, float dv, float dvLo,
                                 float pe, float pi, float de, float di) {
        for (int i = from; i < to; i++) {
            float e = ge[i];
            float h = gi[i];
            float x = u[i];
            u[i] = x * dv + (x * dvLo + e * pe + h * pi);
            ge[i] = e * de;
            gi[i] = h * di;
        }
    }

    /**
     * One step of {@code [from, to)} in fixed-point accumulation mode, written as one scalar pass whose float
     * operations are exactly those of the OpenCL kernel, in the same order, so the two agree bit for bit:
     * <pre>
     *   e = ge + (float) ringE * RESOLUTION;  h = gi + (float) ringI * RESOLUTION   (ring slot cleared)
     *   if refractory: count down, u unchanged
     *   else: u = u * dv + e * pe + h * pi [+ current * pc]; a pending delayed reset (count -1): u = u - subtractMv;
     *         if u &gt; vt: spike, then reset and start the count, or (delayed reset) mark the reset pending
     *   ge = e * de;  gi = h * di
     * </pre>
     *
     * @param delayed the delayed reset ({@link org.myelin.core.model.Propagators#delayedReset}): the count holds -1
     *                while the reset is pending
     * @param form    the membrane step: 0 linear (above), 1 SpikingJelly's decay_input {@code u + (in - u) * inv}, 2
     *                SpikingJelly's {@code u - u * inv + in}, with {@code in = e + h [+ current]} ({@link #integrateJelly});
     *                the OpenCL kernel has the linear step only (it refuses the others by name)
     * @return the new spike count
     */
    public static int stepFixed(float[] u, float[] ge, float[] gi, int[] refractoryLeft, int[] ringE, int[] ringI,
                                int slotBase, float[] current, int from, int to, float dv, float pe, float pi,
                                float de, float di, float pc, float vt, float reset, float subtractMv,
                                boolean subtract, boolean delayed, int form, float inv, int refractorySteps,
                                int[] spikes, int spikeCount) {
        final float res = org.myelin.core.backend.FixedPoint.RESOLUTION_MV;
        for (int i = from; i < to; i++) {
            int ae = ringE[slotBase + i];
            int ai = ringI[slotBase + i];
            ringE[slotBase + i] = 0;
            ringI[slotBase + i] = 0;
            float e = ge[i] + (float) ae * res;
            float h = gi[i] + (float) ai * res;
            int r = refractoryLeft[i];
            if (r > 0) {
                refractoryLeft[i] = r - 1;
            } else {
                float x;
                if (form == 0) {
                    x = u[i] * dv + e * pe + h * pi;
                    if (current != null) {
                        x = x + current[i] * pc;
                    }
                } else {
                    float in = current == null ? e + h : e + h + current[i];
                    float y = u[i];
                    x = form == 1 ? y + (in - y) * inv : y - y * inv + in;
                }
                if (r < 0) {
                    x = x - subtractMv;
                    refractoryLeft[i] = 0;
                }
                if (x > vt) {
                    if (delayed) {
                        refractoryLeft[i] = -1;
                    } else {
                        x = subtract ? x - subtractMv : reset;
                        if (refractorySteps > 1) {
                            refractoryLeft[i] = refractorySteps - 1;
                        }
                    }
                    spikes[spikeCount++] = i;
                }
                u[i] = x;
            }
            ge[i] = e * de;
            gi[i] = h * di;
        }
        return spikeCount;
    }

    /**
     * Fixed point, a population between its updates (multi-rate): the ring slot's input is added to the synaptic
     * variables as {@link #stepFixed} would add it (and cleared), nothing else changes.
     */
    public static void holdFixed(float[] ge, float[] gi, int[] ringE, int[] ringI, int slotBase, int from, int to) {
        final float res = org.myelin.core.backend.FixedPoint.RESOLUTION_MV;
        for (int i = from; i < to; i++) {
            ge[i] = ge[i] + (float) ringE[slotBase + i] * res;
            gi[i] = gi[i] + (float) ringI[slotBase + i] * res;
            ringE[slotBase + i] = 0;
            ringI[slotBase + i] = 0;
        }
    }

    /**
     * SpikingJelly's LIF step in its own float order, for rest 0 and delta synapses: with the step's input
     * {@code in = ge + gi (+ current)}, {@code u = u + (in - u) * inv} (decay_input) or {@code u = (u - u * inv) + in}
     * (not); ge and gi are consumed (times de, di: 0).
     */
    public static void integrateJelly(float[] u, float[] ge, float[] gi, float[] current, int from, int to,
                                      boolean decayInput, float inv, float de, float di) {
        for (int i = from; i < to; i++) {
            float e = ge[i];
            float h = gi[i];
            float in = current == null ? e + h : e + h + current[i];
            float x = u[i];
            u[i] = decayInput ? x + (in - x) * inv : x - x * inv + in;
            ge[i] = e * de;
            gi[i] = h * di;
        }
    }

    /** As {@link #integrate} plus an external current: u += current[i] * pc. */
    public static void integrateWithCurrent(float[] u, float[] ge, float[] gi, float[] current, int from, int to,
                                            float dv, float dvLo, float pe, float pi, float de, float di, float pc) {
        for (int i = from; i < to; i++) {
            float e = ge[i];
            float h = gi[i];
            float x = u[i];
            u[i] = x * dv + (x * dvLo + e * pe + h * pi + current[i] * pc);
            ge[i] = e * de;
            gi[i] = h * di;
        }
    }

    /**
     * The CuBa update with lazily decayed synaptic variables: the true values are {@code ge[i] * scaleE} and
     * {@code gi[i] * scaleI}, with one scale per population that decays instead of every neuron's variable, so
     * only u is written: u = u * dv + ge * (pe * scaleE) + gi * (pi * scaleI).
     */
    public static void integrateLazy(float[] u, float[] ge, float[] gi, int from, int to, float dv, float dvLo,
                                     float peScaled, float piScaled) {
        for (int i = from; i < to; i++) {
            float x = u[i];
            u[i] = x * dv + (x * dvLo + ge[i] * peScaled + gi[i] * piScaled);
        }
    }

    /** As {@link #integrateLazy} plus an external current: u += current[i] * pc. */
    public static void integrateLazyWithCurrent(float[] u, float[] ge, float[] gi, float[] current, int from, int to,
                                                float dv, float dvLo, float peScaled, float piScaled, float pc) {
        for (int i = from; i < to; i++) {
            float x = u[i];
            u[i] = x * dv + (x * dvLo + ge[i] * peScaled + gi[i] * piScaled + current[i] * pc);
        }
    }

    /** Multiplies {@code g[from..to)} by {@code factor}: folds a decayed scale back into the variables. */
    public static void rescale(float[] g, int from, int to, float factor) {
        for (int i = from; i < to; i++) {
            g[i] *= factor;
        }
    }

    /**
     * Adds ring-buffer slot {@code slotBase + [from, to)}, times {@code scale} (1, or the inverse of a lazy
     * decay scale), into the synaptic variables and clears it.
     */
    public static void drainRing(float[] g, float[] ring, int from, int to, int slotBase, float scale) {
        for (int i = from; i < to; i++) {
            g[i] += ring[slotBase + i] * scale;
            ring[slotBase + i] = 0f;
        }
    }

    /**
     * Threshold and reset of {@code [from, to)}. A neuron spikes when v &gt; vt and it is not refractory; the
     * refractory flag is read only for neurons above threshold, so the common path reads v alone. Spiking
     * neurons are appended to {@code spikes}; when {@code refractorySteps > 1} they are flagged refractory and
     * appended to the dead list (index, post-reset v, frozen steps left) at {@code dead.count}.
     *
     * @return the new spike count
     */
    public static int threshold(float[] v, boolean[] refractory, int from, int to, float vt, float reset,
                                float subtractMv, boolean subtract, int refractorySteps, int[] spikes, int spikeCount,
                                DeadList dead) {
        for (int i = from; i < to; i++) {
            if (v[i] > vt) {
                spikeCount = fire(v, refractory, i, reset, subtractMv, subtract, refractorySteps, spikes,
                        spikeCount, dead);
            }
        }
        return spikeCount;
    }

    /**
     * Delayed reset, after integration: takes {@code subtractMv} off v of the neurons flagged in {@code pending}
     * (they spiked at their last update) and clears the flags: v = (beta v + input) - subtractMv, as snnTorch's
     * reset_delay computes it.
     */
    public static void takeDelayedReset(float[] v, boolean[] pending, int from, int to, float subtractMv) {
        for (int i = from; i < to; i++) {
            if (pending[i]) {
                v[i] = v[i] - subtractMv;
                pending[i] = false;
            }
        }
    }

    /**
     * Threshold with a delayed reset: a neuron spikes when v &gt; vt; v stays as it is and the neuron is flagged
     * in {@code pending} for {@link #takeDelayedReset} at its next update.
     *
     * @return the new spike count
     */
    public static int thresholdDelayed(float[] v, boolean[] pending, int from, int to, float vt, int[] spikes,
                                       int spikeCount) {
        for (int i = from; i < to; i++) {
            if (v[i] > vt) {
                spikes[spikeCount++] = i;
                pending[i] = true;
            }
        }
        return spikeCount;
    }

    private static int fire(float[] v, boolean[] refractory, int i, float reset, float subtractMv, boolean subtract,
                            int refractorySteps, int[] spikes, int spikeCount, DeadList dead) {
        if (refractory[i]) {
            return spikeCount;
        }
        float after = subtract ? v[i] - subtractMv : reset;
        v[i] = after;
        spikes[spikeCount++] = i;
        if (refractorySteps > 1) {
            refractory[i] = true;
            dead.add(i, after, refractorySteps - 1);
        }
        return spikeCount;
    }

    /**
     * Neurons in their refractory period, with the value v is frozen at and the frozen steps left, in one
     * sequential list: the per-step restore touches only v at random.
     */
    public static final class DeadList {
        int[] index;
        float[] hold;
        int[] left;
        int count;

        public DeadList(int capacity) {
            index = new int[Math.max(1, capacity)];
            hold = new float[index.length];
            left = new int[index.length];
        }

        public int count() {
            return count;
        }

        void add(int i, float v, int steps) {
            index[count] = i;
            hold[count] = v;
            left[count] = steps;
            count++;
        }

        /**
         * Restores v of the first {@code old} entries (those frozen in this step), drops the entries whose
         * period ends with this step (clearing their flag) and keeps the entries added after them.
         */
        public void restore(float[] v, boolean[] refractory, int old) {
            int w = 0;
            for (int r = 0; r < old; r++) {
                int i = index[r];
                v[i] = hold[r];
                int l = left[r] - 1;
                if (l > 0) {
                    index[w] = i;
                    hold[w] = hold[r];
                    left[w] = l;
                    w++;
                } else {
                    refractory[i] = false;
                }
            }
            if (w != old) {
                int added = count - old;
                System.arraycopy(index, old, index, w, added);
                System.arraycopy(hold, old, hold, w, added);
                System.arraycopy(left, old, left, w, added);
                count = w + added;
            }
        }
    }
}
