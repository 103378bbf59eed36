package org.myelin.learning.neuron;

import java.util.Arrays;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * SpikingJelly's {@code LIFNode} in multi-step mode, with its conventions exactly:
 *
 * <pre>
 *   decay_input:      H[t] = V[t-1] + (X[t] - (V[t-1] - V_reset)) / tau
 *   not decay_input:  H[t] = V[t-1] - (V[t-1] - V_reset) / tau + X[t]
 *   S[t] = H(H[t] - V_th), H(x) = 1 if x &gt;= 0                 backward through the {@link Surrogate}
 *   hard reset:  V[t] = H[t] (1 - S[t]) + V_reset S[t]
 *   soft reset:  V[t] = H[t] - V_th S[t]                          (V_reset = none; then V_reset reads 0 above)
 *   detach_reset: the S[t] of the reset carries no gradient
 * </pre>
 * with V[-1] = V_reset (0 for soft reset). The membrane output is H[t].
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>parameter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>tau</td><td>2</td><td>membrane time constant in steps (&gt; 1)</td></tr>
 * <tr><td>decayInput</td><td>true</td><td>whether the input is divided by tau</td></tr>
 * <tr><td>vThreshold</td><td>1</td><td>threshold</td></tr>
 * <tr><td>vReset</td><td>0</td><td>hard-reset value; NaN selects soft reset</td></tr>
 * <tr><td>detachReset</td><td>false</td><td>no gradient through the reset</td></tr>
 * <tr><td>surrogate</td><td>sigmoid(4)</td><td>backward of the spike function</td></tr>
 * </table>
 */
public final class JellyLifNeuron implements SpikingLayer {
    private final int features;
    private final float tau;
    private final boolean decayInput;
    private final float vThreshold;
    private final float vReset;
    private final boolean detachReset;
    private final Surrogate surrogate;
    boolean smoothForTesting;

    /** A layer of {@code features} neurons. */
    public JellyLifNeuron(int features, float tau, boolean decayInput, float vThreshold, float vReset,
                          boolean detachReset, Surrogate surrogate) {
        if (features < 1) {
            throw new MyelinException("lif neuron: features must be >= 1, was " + features);
        }
        if (!(tau > 1f) || Float.isInfinite(tau)) {
            throw new MyelinException("lif neuron: tau must be > 1 step and finite, was " + tau);
        }
        if (!Float.isFinite(vThreshold)) {
            throw new MyelinException("lif neuron: vThreshold must be finite, was " + vThreshold);
        }
        this.features = features;
        this.tau = tau;
        this.decayInput = decayInput;
        this.vThreshold = vThreshold;
        this.vReset = vReset;
        this.detachReset = detachReset;
        this.surrogate = surrogate;
    }

    /** SpikingJelly's defaults: tau 2, decay_input, threshold 1, hard reset to 0, sigmoid(4). */
    public static JellyLifNeuron withDefaults(int features) {
        return new JellyLifNeuron(features, 2f, true, 1f, 0f, false, Surrogate.sigmoid(4f));
    }

    /**
     * For gradient checks only: a copy whose forward pass emits the surrogate's smooth function instead of the
     * step (and resets through it), so that finite differences see the function the backward pass
     * differentiates. Needs {@code detachReset} off.
     */
    public JellyLifNeuron smoothForGradientChecks() {
        if (detachReset) {
            throw new MyelinException("lif neuron: a gradient check through the reset needs detachReset off");
        }
        JellyLifNeuron n = new JellyLifNeuron(features, tau, decayInput, vThreshold, vReset, false, surrogate);
        n.smoothForTesting = true;
        return n;
    }

    @Override
    public int features() {
        return features;
    }

    public float tau() {
        return tau;
    }

    public boolean decayInput() {
        return decayInput;
    }

    public float vThreshold() {
        return vThreshold;
    }

    /** The hard-reset value, NaN for soft reset. */
    public float vReset() {
        return vReset;
    }

    public boolean detachReset() {
        return detachReset;
    }

    public Surrogate surrogate() {
        return surrogate;
    }

    @Override
    public String describe() {
        return "lif(features=" + features + ", tau=" + tau + ", decayInput=" + decayInput + ", vThreshold="
                + vThreshold + ", vReset=" + (Float.isNaN(vReset) ? "none" : Float.toString(vReset))
                + ", detachReset=" + detachReset + ", surrogate=" + surrogate + ")";
    }

    @Override
    public List<Tensor> parameters() {
        return List.of();
    }

    @Override
    public NeuronOutput forward(Tape tape, Tensor x, int stepsIfHeld) {
        int[] s = x.shape();
        boolean held = s.length == 2;
        if (!(held || s.length == 3) || s[s.length - 1] != features) {
            throw new MyelinException("lif neuron: current must be (time, batch, " + features + ") or (batch, "
                    + features + "), shape was " + Arrays.toString(s));
        }
        int steps = held ? stepsIfHeld : s[0];
        if (steps < 1) {
            throw new MyelinException("lif neuron: needs at least one time step, was " + steps);
        }
        int batch = held ? s[0] : s[1];
        int n = batch * features;
        Tensor spikes = Tensor.result(x.requiresGrad(), steps, batch, features);
        Tensor membrane = Tensor.result(x.requiresGrad(), steps, batch, features);
        float[] xd = x.data();
        float[] h = membrane.data();
        float[] sp = spikes.data();
        boolean soft = Float.isNaN(vReset);
        float vr = soft ? 0f : vReset;
        float inv = 1f / tau;
        Parallel.forRange(n, 4096, (from, to) -> {
            for (int k = from; k < to; k++) {
                float v = vr;
                for (int t = 0; t < steps; t++) {
                    float in = xd[(held ? 0 : t * n) + k];
                    float hv = decayInput ? v + (in - (v - vr)) * inv : v - (v - vr) * inv + in;
                    float hard = hv - vThreshold >= 0f ? 1f : 0f;
                    float out = smoothForTesting ? surrogate.smooth(hv - vThreshold) : hard;
                    float r = smoothForTesting && !detachReset ? out : hard;
                    h[t * n + k] = hv;
                    sp[t * n + k] = out;
                    v = soft ? hv - vThreshold * r : hv * (1f - r) + vr * r;
                }
            }
        });
        tape.record(spikes, () -> {
            if (!x.requiresGrad()) {
                return;
            }
            float[] gs = spikes.hasGrad() ? spikes.grad() : null;
            float[] gh = membrane.hasGrad() ? membrane.grad() : null;
            float[] gx = x.grad();
            float inScale = decayInput ? inv : 1f;
            Parallel.forRange(n, 4096, (from, to) -> {
                for (int k = from; k < to; k++) {
                    float gv = 0f;
                    for (int t = steps - 1; t >= 0; t--) {
                        int i = t * n + k;
                        float hv = h[i];
                        float d = surrogate.derivative(hv - vThreshold);
                        float hard = hv - vThreshold >= 0f ? 1f : 0f;
                        float r = smoothForTesting && !detachReset ? sp[i] : hard;
                        float gS = gs == null ? 0f : gs[i];
                        if (!detachReset) {
                            gS += gv * (soft ? -vThreshold : vr - hv);
                        }
                        float gH = gS * d + gv * (soft ? 1f : 1f - r) + (gh == null ? 0f : gh[i]);
                        gx[(held ? 0 : t * n) + k] += gH * inScale;
                        gv = gH * (1f - inv);
                    }
                }
            });
        });
        return new NeuronOutput(spikes, membrane);
    }
}
