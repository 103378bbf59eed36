package org.myelin.learning.neuron;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.learning.ops.MatrixKernels;
import org.myelin.learning.tensor.Parallel;
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

    /** Neurons processed together step by step, so that each step's values are read contiguously. */
    private static final int TILE = 1024;
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
        return new Run(current, held, t1, batch).forward(tape);
    }

    /** One forward pass and its backward step. */
    private final class Run {
        final Tensor x;
        final boolean held;
        final int steps;
        final int batch;
        final int n;
        final float[] u;
        final float[] spk;
        final float[] syn;
        final float[] rec;
        final Tensor spikes;
        final Tensor membrane;

        Run(Tensor x, boolean held, int steps, int batch) {
            this.x = x;
            this.held = held;
            this.steps = steps;
            this.batch = batch;
            this.n = batch * features;
            boolean grad = x.requiresGrad() || beta.requiresGrad() || threshold.requiresGrad()
                    || (alpha != null && alpha.requiresGrad()) || (recurrent != null);
            this.spikes = Tensor.result(grad, steps, batch, features);
            this.membrane = Tensor.result(grad, steps, batch, features);
            this.u = membrane.data();
            this.spk = spikes.data();
            this.syn = alpha != null ? new float[steps * n] : null;
            this.rec = recurrent != null ? new float[n] : null;
        }

        NeuronOutput forward(Tape tape) {
            if (rowsApply()) {
                new Rows().forward();
            } else if (recurrent == null) {
                Parallel.forRange(n, 2048, (from, to) -> {
                    for (int k0 = from; k0 < to; k0 += TILE) {
                        int k1 = Math.min(to, k0 + TILE);
                        for (int t = 0; t < steps; t++) {
                            forwardRange(t, t + 1, k0, k1);
                        }
                    }
                });
            } else {
                for (int t = 0; t < steps; t++) {
                    if (t == 0) {
                        Arrays.fill(rec, 0f);
                    } else {
                        MatrixKernels.multiply(Arrays.copyOfRange(spk, (t - 1) * n, t * n), batch, features,
                                recurrent.data(), features, rec, false);
                    }
                    int tt = t;
                    Parallel.forRange(n, 2048, (from, to) -> forwardRange(tt, tt + 1, from, to));
                }
            }
            tape.record(spikes, this::backward);
            return new NeuronOutput(spikes, membrane);
        }

        /** Steps [t0, t1) of neurons [k0, k1); the state before t0 is read from the stored sequence. */
        private void forwardRange(int t0, int t1, int k0, int k1) {
            float[] xd = x.data();
            float[] betas = beta.data();
            float[] ths = threshold.data();
            float[] alphas = alpha == null ? null : alpha.data();
            boolean scalar = betas.length == 1;
            int f = k0 % features;
            for (int k = k0; k < k1; k++) {
                int pf = scalar ? 0 : f;
                float b = clamp01(betas[pf]);
                float th = ths[pf];
                float a = alphas == null ? 0f : clamp01(alphas[pf]);
                float m = t0 == 0 ? 0f : u[(t0 - 1) * n + k];
                if (!delayed && t0 > 0) {
                    m = afterReset(m, step(m, th), th);
                }
                float sy = syn == null || t0 == 0 ? 0f : syn[(t0 - 1) * n + k];
                for (int t = t0; t < t1; t++) {
                    int i = t * n + k;
                    float in = xd[held ? k : i];
                    if (syn != null) {
                        sy = a * sy + (rec != null ? in + rec[k] : in);
                        syn[i] = sy;
                        in = sy;
                    } else if (rec != null) {
                        in = in + rec[k];
                    }
                    if (delayed) {
                        float r = step(m, th);
                        if (reset == Reset.SUBTRACT) {
                            m = b * m + in - r * th;
                        } else if (reset == Reset.ZERO) {
                            m = b * ((1f - r) * m) + in;
                        } else {
                            m = b * m + in;
                        }
                    } else {
                        // the core's order: (beta v + feed-forward input) + recurrent input
                        m = syn == null && rec != null ? (b * m + xd[held ? k : i]) + rec[k] : b * m + in;
                    }
                    u[i] = m;
                    float s = smoothForTesting ? surrogate.smooth(m - th) : step(m, th);
                    spk[i] = s;
                    if (!delayed) {
                        m = afterReset(m, smoothForTesting ? step(m, th) : s, th);
                    }
                }
                if (++f == features) {
                    f = 0;
                }
            }
        }

        private void backward() {
            float[] gs = spikes.hasGrad() || recurrent != null ? spikes.grad() : null;
            float[] gu = membrane.hasGrad() ? membrane.grad() : null;
            float[] carryU = new float[n];
            float[] carrySyn = syn != null ? new float[n] : null;
            float[] gBeta = beta.requiresGrad() ? new float[n] : null;
            float[] gTh = threshold.requiresGrad() ? new float[n] : null;
            float[] gAlpha = alpha != null && alpha.requiresGrad() ? new float[n] : null;
            float[] gx = x.requiresGrad() ? x.grad() : null;
            if (rowsApply()) {
                new Rows().backward(gs, gu, gBeta, gTh, gx);
            } else if (recurrent == null) {
                Parallel.forRange(n, 2048, (from, to) -> {
                    for (int k0 = from; k0 < to; k0 += TILE) {
                        int k1 = Math.min(to, k0 + TILE);
                        for (int t = steps - 1; t >= 0; t--) {
                            backwardRange(t, t, k0, k1, gs, gu, carryU, carrySyn, gBeta, gTh, gAlpha, gx, null);
                        }
                    }
                });
            } else {
                float[] gIn = new float[n];
                float[] vt = new float[features * features];
                MatrixKernels.transpose(recurrent.data(), features, features, vt);
                for (int t = steps - 1; t >= 0; t--) {
                    int tt = t;
                    Parallel.forRange(n, 2048, (from, to) ->
                            backwardRange(tt, tt, from, to, gs, gu, carryU, carrySyn, gBeta, gTh, gAlpha, gx, gIn));
                    if (t > 0) {
                        float[] prevSpikes = Arrays.copyOfRange(spk, (t - 1) * n, t * n);
                        MatrixKernels.multiplyTransposedLeft(prevSpikes, batch, features, gIn, features,
                                recurrent.grad());
                        float[] back = new float[n];
                        MatrixKernels.multiply(gIn, batch, features, vt, features, back, false);
                        MatrixKernels.axpy(1f, back, 0, gs, (t - 1) * n, n);
                    }
                }
            }
            reduce(gBeta, beta);
            reduce(gTh, threshold);
            reduce(gAlpha, alpha);
        }

        /**
         * Steps tHigh down to tLow of neurons [k0, k1). The gradient flowing back from the step after tHigh is
         * carried in carryU / carrySyn; gIn (recurrent only) receives the gradient of each step's input.
         */
        private void backwardRange(int tHigh, int tLow, int k0, int k1, float[] gs, float[] gu, float[] carryU,
                                   float[] carrySyn, float[] gBeta, float[] gTh, float[] gAlpha, float[] gx,
                                   float[] gIn) {
            float[] betas = beta.data();
            float[] ths = threshold.data();
            float[] alphas = alpha == null ? null : alpha.data();
            boolean scalar = betas.length == 1;
            boolean subtract = reset == Reset.SUBTRACT;
            boolean zero = reset == Reset.ZERO;
            int f = k0 % features;
            for (int k = k0; k < k1; k++) {
                int pf = scalar ? 0 : f;
                float b = betas[pf];
                float bc = clamp01(b);
                boolean betaInRange = b >= 0f && b <= 1f;
                float th = ths[pf];
                float a = alphas == null ? 0f : alphas[pf];
                float ac = clamp01(a);
                boolean alphaInRange = a >= 0f && a <= 1f;
                float cu = carryU[k];
                float cs = carrySyn == null ? 0f : carrySyn[k];
                float gb = 0f;
                float gt = 0f;
                float ga = 0f;
                for (int t = tHigh; t >= tLow; t--) {
                    int i = t * n + k;
                    float m = u[i];
                    float sg = gs == null ? 0f : gs[i] * surrogate.derivative(m - th);
                    float prev = t == 0 ? 0f : u[i - n];
                    float g;
                    if (delayed) {
                        g = cu + sg + (gu == null ? 0f : gu[i]);
                        float r = step(prev, th);
                        gt += -sg - (subtract ? g * r : 0f);
                        if (betaInRange) {
                            gb += g * (zero ? (1f - r) * prev : prev);
                        }
                        cu = g * (zero ? bc * (1f - r) : bc);
                    } else {
                        // cu holds dL/dv[t], v[t] = m[t] - s[t] theta (SUBTRACT) or m[t] (1 - s[t]) (ZERO)
                        float s = step(m, th);
                        g = sg + (gu == null ? 0f : gu[i]) + cu * (zero ? 1f - s : 1f);
                        gt += -sg - (subtract ? cu * s : 0f);
                        float vPrev = t == 0 ? 0f : afterReset(prev, step(prev, th), th);
                        if (betaInRange) {
                            gb += g * vPrev;
                        }
                        cu = g * bc;
                    }
                    float gDrive = g;
                    if (carrySyn != null) {
                        gDrive = g + cs;
                        if (alphaInRange) {
                            ga += gDrive * (t == 0 ? 0f : syn[i - n]);
                        }
                        cs = gDrive * ac;
                    }
                    if (gx != null) {
                        gx[held ? k : i] += gDrive;
                    }
                    if (gIn != null) {
                        gIn[k] = gDrive;
                    }
                }
                carryU[k] = cu;
                if (carrySyn != null) {
                    carrySyn[k] = cs;
                }
                if (gBeta != null) {
                    gBeta[k] += gb;
                }
                if (gTh != null) {
                    gTh[k] += gt;
                }
                if (gAlpha != null) {
                    gAlpha[k] += ga;
                }
                if (++f == features) {
                    f = 0;
                }
            }
        }

        /** Whether the common case applies: one beta and threshold, no synaptic current, no recurrence. */
        private boolean rowsApply() {
            return !generalForTesting && !smoothForTesting && delayed && syn == null && recurrent == null
                    && beta.size() == 1 && threshold.size() == 1;
        }

        /**
         * The common case, step by step over whole rows of (batch * features) values held in separate arrays,
         * with the Heaviside step taken from the sign bit, so that the loops have no branch and no
         * overlapping offsets. Same arithmetic, in the same order, as the general path.
         */
        private final class Rows {
            final float b = clamp01(beta.data()[0]);
            final float th = threshold.data()[0];
            final float[] prev = new float[n];
            final float[] cur = new float[n];
            final float[] aux = new float[n];
            final float[] in = held ? x.data() : new float[n];

            void forward() {
                float[] xd = x.data();
                boolean subtract = reset == Reset.SUBTRACT;
                boolean zero = reset == Reset.ZERO;
                Parallel.forRange(n, 4096, (from, to) -> {
                    for (int t = 0; t < steps; t++) {
                        if (!held) {
                            System.arraycopy(xd, t * n + from, in, from, to - from);
                        }
                        float[] p = (t & 1) == 0 ? prev : cur;
                        float[] c = (t & 1) == 0 ? cur : prev;
                        for (int k = from; k < to; k++) {
                            float m = p[k];
                            float r = step(m, th);
                            float v;
                            if (subtract) {
                                v = b * m + in[k] - r * th;
                            } else if (zero) {
                                v = b * ((1f - r) * m) + in[k];
                            } else {
                                v = b * m + in[k];
                            }
                            c[k] = v;
                            aux[k] = step(v, th);
                        }
                        System.arraycopy(c, from, u, t * n + from, to - from);
                        System.arraycopy(aux, from, spk, t * n + from, to - from);
                    }
                });
            }

            void backward(float[] gs, float[] gu, float[] gBeta, float[] gTh, float[] gx) {
                boolean subtract = reset == Reset.SUBTRACT;
                boolean zero = reset == Reset.ZERO;
                boolean betaInRange = beta.data()[0] >= 0f && beta.data()[0] <= 1f;
                float[] carry = new float[n];
                float[] gsRow = new float[n];
                float[] guRow = new float[n];
                float[] gxRow = new float[n];
                Parallel.forRange(n, 4096, (from, to) -> {
                    int len = to - from;
                    for (int t = steps - 1; t >= 0; t--) {
                        System.arraycopy(u, t * n + from, cur, from, len);
                        if (t > 0) {
                            System.arraycopy(u, (t - 1) * n + from, prev, from, len);
                        } else {
                            java.util.Arrays.fill(prev, from, to, 0f);
                        }
                        surrogate.derivatives(cur, th, aux, from, to);
                        if (gs != null) {
                            System.arraycopy(gs, t * n + from, gsRow, from, len);
                        }
                        if (gu != null) {
                            System.arraycopy(gu, t * n + from, guRow, from, len);
                        }
                        float[] gxr = held ? gx : gxRow;
                        if (!held && gx != null) {
                            System.arraycopy(gx, t * n + from, gxRow, from, len);
                        }
                        for (int k = from; k < to; k++) {
                            float sg = gsRow[k] * aux[k];
                            float g = carry[k] + sg + guRow[k];
                            float pm = prev[k];
                            float r = step(pm, th);
                            if (gTh != null) {
                                gTh[k] += -sg - (subtract ? g * r : 0f);
                            }
                            if (gBeta != null && betaInRange) {
                                gBeta[k] += g * (zero ? (1f - r) * pm : pm);
                            }
                            carry[k] = g * (zero ? b * (1f - r) : b);
                            if (gxr != null) {
                                gxr[k] += g;
                            }
                        }
                        if (!held && gx != null) {
                            System.arraycopy(gxRow, from, gx, t * n + from, len);
                        }
                    }
                });
            }
        }

        private void reduce(float[] perElement, Tensor param) {
            if (perElement == null) {
                return;
            }
            float[] g = param.grad();
            for (int k = 0; k < n; k++) {
                g[g.length == 1 ? 0 : k % features] += perElement[k];
            }
        }
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
    private float afterReset(float m, float s, float th) {
        if (reset == Reset.SUBTRACT) {
            return m - s * th;
        }
        return reset == Reset.ZERO ? m * (1f - s) : m;
    }

    /** H(m - th) without a branch: the sign bit of th - m (1 when m &gt; th; th - m is +0 when equal). */
    static float step(float m, float th) {
        return (float) (Float.floatToRawIntBits(th - m) >>> 31);
    }

    private static float clamp01(float v) {
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
