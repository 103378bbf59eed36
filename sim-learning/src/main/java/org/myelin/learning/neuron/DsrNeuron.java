package org.myelin.learning.neuron;

import java.util.Arrays;
import java.util.List;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * DSR neurons (Meng et al., "Training high-performance low-latency spiking neural networks by differentiation
 * on spike representation", CVPR 2022): the forward pass spikes; the backward pass differentiates the map from
 * input rate to output rate, which for these neurons is a clamp, instead of going back through time.
 *
 * <pre>
 *   IF:   u = u + x[t];                  s = theta H(u - alpha theta) (H(0) = 1);  u = u - s;  output s
 *   LIF:  u = b u + (1 - b) x[t], b = exp(-dt/tau);  s as above;                  u = u - s;  output s / dt
 * </pre>
 * Backward, with r the (IF: mean, LIF: exponentially weighted) input rate and G = T times the same mean of the
 * output gradient: every step's input gradient is G / T (IF) or G / (tau T) (LIF) where 0 &lt;= r &lt;= theta
 * (IF) or 0 &lt; r &lt; theta tau / dt (LIF), else 0; the threshold's gradient is the sum of G (IF) or G dt (LIF)
 * over the neurons above that range, times {@code thresholdGradScale}. Before each forward pass a learned
 * threshold is raised to {@code thresholdLowerBound} if below. The network's output is read as the mean
 * ({@link org.myelin.learning.ops.Reductions#meanFirst}) or, for LIF, the {@link #weightedRate}.
 *
 * <table>
 * <caption>Parameters (defaults as SpikingJelly's DSR nodes)</caption>
 * <tr><th>parameter</th><th>IF</th><th>LIF</th><th>meaning</th></tr>
 * <tr><td>threshold</td><td>6</td><td>1</td><td>theta, learnable</td></tr>
 * <tr><td>alpha</td><td>0.5</td><td>0.3</td><td>fires at alpha theta</td></tr>
 * <tr><td>tau, dt</td><td>-</td><td>2, 0.05</td><td>LIF time constant and step</td></tr>
 * <tr><td>thresholdLowerBound</td><td>0.01</td><td>0.1</td><td>floor of a learned threshold</td></tr>
 * </table>
 */
public final class DsrNeuron implements SpikingLayer {
    private final int features;
    private final boolean leaky;
    private final float tau;
    private final float dt;
    private final float alpha;
    private final float thresholdGradScale;
    private final float thresholdLowerBound;
    private final Tensor threshold;

    private DsrNeuron(int features, boolean leaky, float threshold, float tau, float dt, float alpha,
                      boolean learnThreshold, float thresholdGradScale, float thresholdLowerBound) {
        if (features < 1) {
            throw new MyelinException("dsr neuron: features must be >= 1, was " + features);
        }
        if (!(alpha > 0 && alpha <= 1)) {
            throw new MyelinException("dsr neuron: alpha must be in (0, 1], was " + alpha);
        }
        if (!(thresholdLowerBound > 0) || !(threshold >= thresholdLowerBound)) {
            throw new MyelinException("dsr neuron: need threshold >= lower bound > 0, were " + threshold + " and "
                    + thresholdLowerBound);
        }
        if (leaky && (!(tau > 0) || !(dt > 0))) {
            throw new MyelinException("dsr neuron: tau and dt must be > 0, were " + tau + " and " + dt);
        }
        this.features = features;
        this.leaky = leaky;
        this.tau = tau;
        this.dt = dt;
        this.alpha = alpha;
        this.thresholdGradScale = thresholdGradScale;
        this.thresholdLowerBound = thresholdLowerBound;
        this.threshold = learnThreshold ? Tensor.parameter("dsr.threshold", 1) : Tensor.zeros(1);
        this.threshold.data()[0] = threshold;
    }

    /** DSR-IF with SpikingJelly's defaults (threshold 6, alpha 0.5, learned threshold, bound 0.01). */
    public static DsrNeuron integrateAndFire(int features) {
        return new DsrNeuron(features, false, 6f, 0f, 0f, 0.5f, true, 1f, 0.01f);
    }

    /** DSR-LIF with SpikingJelly's defaults (threshold 1, tau 2, dt 0.05, alpha 0.3, learned, bound 0.1). */
    public static DsrNeuron leaky(int features) {
        return new DsrNeuron(features, true, 1f, 2f, 0.05f, 0.3f, true, 1f, 0.1f);
    }

    /** Any parameters; {@code tau} and {@code dt} are ignored for IF. */
    public static DsrNeuron of(int features, boolean leaky, float threshold, float tau, float dt, float alpha,
                               boolean learnThreshold, float thresholdGradScale, float thresholdLowerBound) {
        return new DsrNeuron(features, leaky, threshold, tau, dt, alpha, learnThreshold, thresholdGradScale,
                thresholdLowerBound);
    }

    public Tensor threshold() {
        return threshold;
    }

    /** Names the layer: its threshold parameter becomes {@code <layerName>.threshold}. */
    public DsrNeuron named(String layerName) {
        threshold.named(layerName + ".threshold");
        return this;
    }

    /** The threshold the next forward pass uses (a learned one raised to its lower bound first). */
    public float effectiveThreshold() {
        float th = threshold.data()[0];
        return threshold.requiresGrad() && th < thresholdLowerBound ? thresholdLowerBound : th;
    }

    /** The value of a spike in the output: theta (IF) or theta / dt (LIF), as the forward pass writes it. */
    public float spikeValue() {
        return effectiveThreshold() * outScale();
    }

    /** What a spike of value theta is multiplied by in the output: 1 / dt (LIF) or 1 (IF). */
    private float outScale() {
        return leaky ? 1f / dt : 1f;
    }

    /** The fraction of the threshold at which the neuron fires (alpha in the table above). */
    public float firingFraction() {
        return alpha;
    }

    /** Whether this is DSR-LIF (else DSR-IF). */
    public boolean leaky() {
        return leaky;
    }

    public float tau() {
        return tau;
    }

    public float dt() {
        return dt;
    }

    @Override
    public int features() {
        return features;
    }

    @Override
    public List<Tensor> parameters() {
        return threshold.requiresGrad() ? List.of(threshold) : List.of();
    }

    @Override
    public String describe() {
        return "dsr-" + (leaky ? "lif(tau=" + tau + ", dt=" + dt + ", " : "if(") + "features=" + features
                + ", alpha=" + alpha + ", threshold=" + (threshold.requiresGrad() ? "learned" : threshold.data()[0])
                + ")";
    }

    /** Weights exp(-(dt T - i dt)/tau) of steps i = 1..T, normalised to sum 1: the LIF rate's weighting. */
    public static float[] rateWeights(int steps, float tau, float dt) {
        double[] w = new double[steps];
        double sum = 0;
        for (int i = 1; i <= steps; i++) {
            w[i - 1] = Math.exp(-1.0 / tau * (dt * steps - i * dt));
            sum += w[i - 1];
        }
        float[] out = new float[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = (float) (w[i] / sum);
        }
        return out;
    }

    /** The exponentially weighted rate of a (time, rest...) sequence over time, differentiable. */
    public static Tensor weightedRate(Tape tape, Tensor seq, float tau, float dt) {
        int steps = seq.dim(0);
        int inner = seq.size() / steps;
        float[] w = rateWeights(steps, tau, dt);
        Tensor y = Tensor.result(seq.requiresGrad(), Arrays.copyOfRange(seq.shape(), 1, seq.rank()));
        float[] yd = y.data();
        float[] sd = seq.data();
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < inner; k++) {
                yd[k] += w[t] * sd[t * inner + k];
            }
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] gs = seq.grad();
            for (int t = 0; t < steps; t++) {
                for (int k = 0; k < inner; k++) {
                    gs[t * inner + k] += w[t] * g[k];
                }
            }
        });
        return y;
    }

    @Override
    public NeuronOutput forward(Tape tape, Tensor x, int stepsIfHeld) {
        boolean held = x.rank() == 2;
        if (!(held || x.rank() == 3) || x.dim(-1) != features) {
            throw new MyelinException("dsr neuron: input must be (time, batch, " + features + ") or (batch, "
                    + features + "), shape was " + Arrays.toString(x.shape()));
        }
        if (threshold.requiresGrad() && threshold.data()[0] < thresholdLowerBound) {
            threshold.data()[0] = thresholdLowerBound;
        }
        float th = threshold.data()[0];
        int steps = held ? stepsIfHeld : x.dim(0);
        if (steps < 1) {
            throw new MyelinException("dsr neuron: needs at least one time step, was " + steps);
        }
        int n = held ? x.size() : x.size() / steps;
        float b = leaky ? (float) Math.exp(-dt / tau) : 1f;
        float gain = leaky ? 1f - b : 1f;
        float outScale = outScale();
        boolean grad = x.requiresGrad() || threshold.requiresGrad();
        int batch = n / features;
        Tensor spikes = Tensor.result(grad, steps, batch, features);
        Tensor membrane = Tensor.result(false, steps, batch, features);
        float[] xd = x.data();
        float[] sd = spikes.data();
        float[] md = membrane.data();
        float fire = alpha * th;
        Parallel.forRange(n, 4096, (k0, k1) -> {
            for (int k = k0; k < k1; k++) {
                float u = 0f;
                for (int t = 0; t < steps; t++) {
                    int i = t * n + k;
                    float in = xd[held ? k : i];
                    u = leaky ? b * u + gain * in : u + in;
                    md[i] = u;
                    float s = u >= fire ? th : 0f;
                    u -= s;
                    sd[i] = s * outScale;
                }
            }
        });
        tape.record(spikes, () -> backward(x, held, spikes, th, steps, n));
        return new NeuronOutput(spikes, membrane);
    }

    private void backward(Tensor x, boolean held, Tensor spikes, float th, int steps, int n) {
        float[] g = spikes.grad();
        float[] xd = x.data();
        float[] w = leaky ? rateWeights(steps, tau, dt) : null;
        float upper = leaky ? th / dt * tau : th;
        double[] gThPer = new double[n];
        float[] gx = x.requiresGrad() ? x.grad() : null;
        Parallel.forRange(n, 4096, (k0, k1) -> {
            for (int k = k0; k < k1; k++) {
                double rate = 0;
                double gOut = 0;
                for (int t = 0; t < steps; t++) {
                    float wt = leaky ? w[t] : 1f / steps;
                    rate += wt * xd[held ? k : t * n + k];
                    gOut += wt * g[t * n + k];
                }
                gOut *= steps;
                boolean inside = leaky ? rate > 0 && rate < upper : rate >= 0 && rate <= th;
                if (gx != null && inside) {
                    float perStep = (float) ((leaky ? gOut / tau : gOut) / steps);
                    if (held) {
                        gx[k] += perStep * steps;
                    } else {
                        for (int t = 0; t < steps; t++) {
                            gx[t * n + k] += perStep;
                        }
                    }
                }
                if (rate > upper) {
                    gThPer[k] = leaky ? gOut * dt : gOut;
                }
            }
        });
        double gTh = 0;
        for (double v : gThPer) {
            gTh += v;
        }
        if (threshold.requiresGrad()) {
            threshold.grad()[0] += (float) (gTh * thresholdGradScale);
        }
    }
}
