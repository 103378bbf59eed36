package org.myelin.learning.neuron;

import java.util.Arrays;
import org.myelin.learning.ops.MatrixKernels;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * One forward pass of a {@link LeakyNeuron} layer over a sequence and its backward step: the general path (any
 * reset timing, per-neuron parameters, synaptic current, recurrence) neuron by neuron in tiles, and the common case
 * ({@link Rows}) over whole rows.
 */
final class LeakyPass {
    /** Neurons processed together step by step, so that each step's values are read contiguously. */
    private static final int TILE = 1024;
    private final LeakyNeuron cell;
    private final int features;
    private final Tensor beta;
    private final Tensor threshold;
    private final Tensor alpha;
    private final Tensor recurrent;
    private final LeakyNeuron.Reset reset;
    private final boolean delayed;
    private final Surrogate surrogate;
    private final Tensor x;
    private final boolean held;
    private final int steps;
    private final int batch;
    private final int n;
    private final float[] u;
    private final float[] spk;
    private final float[] syn;
    private final float[] rec;
    private final Tensor spikes;
    private final Tensor membrane;

    LeakyPass(LeakyNeuron cell, Tensor x, boolean held, int steps, int batch) {
        this.cell = cell;
        this.features = cell.features();
        this.beta = cell.beta();
        this.threshold = cell.threshold();
        this.alpha = cell.alpha();
        this.recurrent = cell.recurrent();
        this.reset = cell.reset();
        this.delayed = cell.resetDelay();
        this.surrogate = cell.surrogate();
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
            float b = LeakyNeuron.clamp01(betas[pf]);
            float th = ths[pf];
            float a = alphas == null ? 0f : LeakyNeuron.clamp01(alphas[pf]);
            float m = t0 == 0 ? 0f : u[(t0 - 1) * n + k];
            if (!delayed && t0 > 0) {
                m = cell.afterReset(m, LeakyNeuron.step(m, th), th);
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
                    float r = LeakyNeuron.step(m, th);
                    if (reset == LeakyNeuron.Reset.SUBTRACT) {
                        m = b * m + in - r * th;
                    } else if (reset == LeakyNeuron.Reset.ZERO) {
                        m = b * ((1f - r) * m) + in;
                    } else {
                        m = b * m + in;
                    }
                } else {
                    // the core's order: (beta v + feed-forward input) + recurrent input
                    m = syn == null && rec != null ? (b * m + xd[held ? k : i]) + rec[k] : b * m + in;
                }
                u[i] = m;
                float s = cell.smoothForTesting ? surrogate.smooth(m - th) : LeakyNeuron.step(m, th);
                spk[i] = s;
                if (!delayed) {
                    m = cell.afterReset(m, cell.smoothForTesting ? LeakyNeuron.step(m, th) : s, th);
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
        boolean subtract = reset == LeakyNeuron.Reset.SUBTRACT;
        boolean zero = reset == LeakyNeuron.Reset.ZERO;
        int f = k0 % features;
        for (int k = k0; k < k1; k++) {
            int pf = scalar ? 0 : f;
            float b = betas[pf];
            float bc = LeakyNeuron.clamp01(b);
            boolean betaInRange = b >= 0f && b <= 1f;
            float th = ths[pf];
            float a = alphas == null ? 0f : alphas[pf];
            float ac = LeakyNeuron.clamp01(a);
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
                    float r = LeakyNeuron.step(prev, th);
                    gt += -sg - (subtract ? g * r : 0f);
                    if (betaInRange) {
                        gb += g * (zero ? (1f - r) * prev : prev);
                    }
                    cu = g * (zero ? bc * (1f - r) : bc);
                } else {
                    // cu holds dL/dv[t], v[t] = m[t] - s[t] theta (SUBTRACT) or m[t] (1 - s[t]) (ZERO)
                    float s = LeakyNeuron.step(m, th);
                    g = sg + (gu == null ? 0f : gu[i]) + cu * (zero ? 1f - s : 1f);
                    gt += -sg - (subtract ? cu * s : 0f);
                    float vPrev = t == 0 ? 0f : cell.afterReset(prev, LeakyNeuron.step(prev, th), th);
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
        return !cell.generalForTesting && !cell.smoothForTesting && delayed && syn == null && recurrent == null
                && beta.size() == 1 && threshold.size() == 1;
    }

    /**
     * The common case, step by step over whole rows of (batch * features) values held in separate arrays,
     * with the Heaviside step taken from the sign bit, so that the loops have no branch and no
     * overlapping offsets. Same arithmetic, in the same order, as the general path.
     */
    private final class Rows {
        final float b = LeakyNeuron.clamp01(beta.data()[0]);
        final float th = threshold.data()[0];
        final float[] prev = new float[n];
        final float[] cur = new float[n];
        final float[] aux = new float[n];
        final float[] in = held ? x.data() : new float[n];

        void forward() {
            float[] xd = x.data();
            boolean subtract = reset == LeakyNeuron.Reset.SUBTRACT;
            boolean zero = reset == LeakyNeuron.Reset.ZERO;
            Parallel.forRange(n, 4096, (from, to) -> {
                for (int t = 0; t < steps; t++) {
                    if (!held) {
                        System.arraycopy(xd, t * n + from, in, from, to - from);
                    }
                    float[] p = (t & 1) == 0 ? prev : cur;
                    float[] c = (t & 1) == 0 ? cur : prev;
                    for (int k = from; k < to; k++) {
                        float m = p[k];
                        float r = LeakyNeuron.step(m, th);
                        float v;
                        if (subtract) {
                            v = b * m + in[k] - r * th;
                        } else if (zero) {
                            v = b * ((1f - r) * m) + in[k];
                        } else {
                            v = b * m + in[k];
                        }
                        c[k] = v;
                        aux[k] = LeakyNeuron.step(v, th);
                    }
                    System.arraycopy(c, from, u, t * n + from, to - from);
                    System.arraycopy(aux, from, spk, t * n + from, to - from);
                }
            });
        }

        void backward(float[] gs, float[] gu, float[] gBeta, float[] gTh, float[] gx) {
            boolean subtract = reset == LeakyNeuron.Reset.SUBTRACT;
            boolean zero = reset == LeakyNeuron.Reset.ZERO;
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
                        float r = LeakyNeuron.step(pm, th);
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
