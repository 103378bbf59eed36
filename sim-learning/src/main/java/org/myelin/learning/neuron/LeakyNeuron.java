package org.myelin.learning.neuron;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * snnTorch's {@code Leaky} and {@code Synaptic} neurons (and {@code RLeaky}), with their conventions exactly:
 *
 * <pre>
 *   R[t]   = H(U[t-1] - theta)                       reset from the previous step, no gradient through it
 *   I[t]   = X[t] + S[t-1] V                         V: recurrent weights (RLeaky), optional
 *   syn[t] = alpha syn[t-1] + I[t]                   Synaptic only; otherwise syn[t] = I[t]
 *   U[t]   = beta U[t-1] + syn[t] - R[t] theta       reset SUBTRACT
 *          = beta (1 - R[t]) U[t-1] + syn[t]         reset ZERO
 *          = beta U[t-1] + syn[t]                    reset NONE
 *   S[t]   = H(U[t] - theta), H(x) = 1 if x &gt; 0;   backward through the {@link Surrogate}
 * </pre>
 * with U[-1] = syn[-1] = 0 and beta, alpha clamped to [0, 1] (zero gradient outside).
 *
 * <table>
 * <caption>Parameters</caption>
 * <tr><th>parameter</th><th>default</th><th>meaning</th></tr>
 * <tr><td>beta</td><td>0.9</td><td>membrane decay per step; learnable, scalar or one per neuron</td></tr>
 * <tr><td>threshold</td><td>1</td><td>firing threshold theta; learnable, scalar or one per neuron</td></tr>
 * <tr><td>alpha</td><td>none</td><td>synaptic current decay per step (Synaptic)</td></tr>
 * <tr><td>reset</td><td>SUBTRACT</td><td>reset mechanism</td></tr>
 * <tr><td>surrogate</td><td>atan(2)</td><td>backward of the spike function</td></tr>
 * <tr><td>recurrent</td><td>off</td><td>all-to-all recurrent weights from the layer's own spikes</td></tr>
 * </table>
 */
public final class LeakyNeuron implements SpikingLayer {
    /** Reset mechanisms of snnTorch. */
    public enum Reset { SUBTRACT, ZERO, NONE }

    private final int features;
    private final Tensor beta;
    private final Tensor threshold;
    private final Tensor alpha;
    private final Tensor recurrent;
    private final Reset reset;
    private final boolean delayed;
    private final Surrogate surrogate;
    boolean smoothForTesting;
    boolean generalForTesting;

    private LeakyNeuron(Builder b) {
        this.features = b.features;
        this.beta = constantOrParameter(b.name + ".beta", b.beta, b.learnBeta, b.perNeuron ? b.features : 1);
        this.threshold = constantOrParameter(b.name + ".threshold", b.threshold, b.learnThreshold,
                b.perNeuron ? b.features : 1);
        this.alpha = Float.isNaN(b.alpha) ? null
                : constantOrParameter(b.name + ".alpha", b.alpha, b.learnAlpha, b.perNeuron ? b.features : 1);
        this.recurrent = b.recurrent ? Tensor.parameter(b.name + ".recurrent", b.features, b.features) : null;
        this.reset = b.reset;
        this.delayed = b.resetDelay;
        this.surrogate = b.surrogate;
    }

    private static Tensor constantOrParameter(String name, float value, boolean learn, int n) {
        Tensor t = learn ? Tensor.parameter(name, n) : Tensor.zeros(n).named(name);
        Arrays.fill(t.data(), value);
        return t;
    }

    public static Builder builder(int features) {
        return new Builder(features);
    }

    @Override
    public int features() {
        return features;
    }

    public Tensor beta() {
        return beta;
    }

    public Tensor threshold() {
        return threshold;
    }

    /** Synaptic decay, or null for a Leaky neuron. */
    public Tensor alpha() {
        return alpha;
    }

    /** Recurrent weights (features, features), or null. */
    public Tensor recurrent() {
        return recurrent;
    }

    public Reset reset() {
        return reset;
    }

    /** Whether the reset happens at the next step (snnTorch's default) rather than in the spike's step. */
    public boolean resetDelay() {
        return delayed;
    }

    public Surrogate surrogate() {
        return surrogate;
    }

    @Override
    public String describe() {
        return (alpha != null ? "synaptic" : "leaky") + "(features=" + features + ", beta=" + values(beta)
                + ", threshold=" + values(threshold) + (alpha != null ? ", alpha=" + values(alpha) : "")
                + ", reset=" + reset + (delayed ? "" : " immediate") + ", surrogate=" + surrogate
                + (recurrent != null ? ", recurrent" : "") + ")";
    }

    /** A constant's value; "learned" for a trained one (its value changes, the architecture does not). */
    private static String values(Tensor t) {
        if (t.requiresGrad()) {
            return t.size() == 1 ? "learned" : "learned per neuron";
        }
        return t.size() == 1 ? Float.toString(t.data()[0]) : "per neuron";
    }

    @Override
    public List<Tensor> parameters() {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : new Tensor[] {beta, threshold, alpha, recurrent}) {
            if (t != null && t.requiresGrad()) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public NeuronOutput forward(Tape tape, Tensor current, int steps) {
        int[] s = current.shape();
        boolean held = s.length == 2;
        if (!(held || s.length == 3) || s[s.length - 1] != features) {
            throw new MyelinException("leaky neuron: current must be (time, batch, " + features + ") or (batch, "
                    + features + "), shape was " + Arrays.toString(s));
        }
        int t1 = held ? steps : s[0];
        if (t1 < 1) {
            throw new MyelinException("leaky neuron: needs at least one time step, was " + t1);
        }
        int batch = held ? s[0] : s[1];
        return new LeakyPass(this, current, held, t1, batch).forward(tape);
    }

    /**
     * Advances {@code batch * features} neurons one step on an external state, with the arithmetic of
     * {@link #forward} (for a layer without synaptic current or recurrence): {@code state} holds U (delayed
     * reset) or the post-reset v (immediate reset), zeros at the start of a sequence, and is updated;
     * {@code membrane} receives U[t] and {@code spikes} S[t]. Used by online training, which keeps no history.
     */
    public void step(float[] in, float[] state, float[] membrane, float[] spikes) {
        if (alpha != null || recurrent != null) {
            throw new MyelinException("leaky neuron: one-step updates need a layer without synaptic current or"
                    + " recurrence");
        }
        float[] betas = beta.data();
        float[] ths = threshold.data();
        for (int k = 0; k < in.length; k++) {
            int pf = betas.length == 1 ? 0 : k % features;
            float b = clamp01(betas[pf]);
            float th = ths[pf];
            float m = state[k];
            float u;
            if (delayed) {
                float r = step(m, th);
                if (reset == Reset.SUBTRACT) {
                    u = b * m + in[k] - r * th;
                } else if (reset == Reset.ZERO) {
                    u = b * ((1f - r) * m) + in[k];
                } else {
                    u = b * m + in[k];
                }
                state[k] = u;
            } else {
                u = b * m + in[k];
                state[k] = afterReset(u, step(u, th), th);
            }
            membrane[k] = u;
            spikes[k] = step(u, th);
        }
    }

    /** The potential after the immediate reset of a step whose spike (0 or 1) was {@code s}. */
    float afterReset(float m, float s, float th) {
        if (reset == Reset.SUBTRACT) {
            return m - s * th;
        }
        return reset == Reset.ZERO ? m * (1f - s) : m;
    }

    /** H(m - th) without a branch: the sign bit of th - m (1 when m &gt; th; th - m is +0 when equal). */
    static float step(float m, float th) {
        return (float) (Float.floatToRawIntBits(th - m) >>> 31);
    }

    static float clamp01(float v) {
        return Math.max(0f, Math.min(1f, v));
    }

    /** Builder; see the class documentation for the parameters. */
    public static final class Builder {
        private final int features;
        private String name = "leaky";
        private float beta = 0.9f;
        private boolean learnBeta;
        private float threshold = 1f;
        private boolean learnThreshold;
        private boolean perNeuron;
        private float alpha = Float.NaN;
        private boolean learnAlpha;
        private boolean recurrent;
        private Reset reset = Reset.SUBTRACT;
        private boolean resetDelay = true;
        private Surrogate surrogate = Surrogate.atan(2f);

        private Builder(int features) {
            if (features < 1) {
                throw new MyelinException("leaky neuron: features must be >= 1, was " + features);
            }
            this.features = features;
        }

        public Builder name(String n) {
            this.name = n;
            return this;
        }

        public Builder beta(float b, boolean learn) {
            if (!(b >= 0f && b <= 1f)) {
                throw new MyelinException(name + ": beta must be in [0, 1], was " + b);
            }
            this.beta = b;
            this.learnBeta = learn;
            return this;
        }

        public Builder threshold(float th, boolean learn) {
            if (!Float.isFinite(th)) {
                throw new MyelinException(name + ": threshold must be finite, was " + th);
            }
            this.threshold = th;
            this.learnThreshold = learn;
            return this;
        }

        /** One beta, threshold (and alpha) per neuron instead of one for the layer. */
        public Builder perNeuron(boolean p) {
            this.perNeuron = p;
            return this;
        }

        /** Makes it a Synaptic (CuBa) neuron with current decay {@code a}. */
        public Builder synaptic(float a, boolean learn) {
            if (!(a >= 0f && a <= 1f)) {
                throw new MyelinException(name + ": alpha must be in [0, 1], was " + a);
            }
            this.alpha = a;
            this.learnAlpha = learn;
            return this;
        }

        /** Adds recurrent weights from the layer's spikes to its input (RLeaky), initialised to zero. */
        public Builder recurrent(boolean r) {
            this.recurrent = r;
            return this;
        }

        public Builder reset(Reset r) {
            this.reset = r;
            return this;
        }

        /**
         * snnTorch's {@code reset_delay}: true (default) resets at the next step from the previous membrane,
         * as above; false resets in the step of the spike, v[t] = U[t] - S[t] theta (or U[t] (1 - S[t])),
         * U[t+1] = beta v[t] + I[t+1], the spike of the reset carrying no gradient. The second is the core
         * engines' own order of operations ({@code DiscreteLifModel}), so such a layer exports exactly.
         */
        public Builder resetDelay(boolean d) {
            this.resetDelay = d;
            return this;
        }

        public Builder surrogate(Surrogate s) {
            this.surrogate = s;
            return this;
        }

        public LeakyNeuron build() {
            return new LeakyNeuron(this);
        }
    }
}
