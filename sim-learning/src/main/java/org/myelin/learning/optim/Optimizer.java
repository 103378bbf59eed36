package org.myelin.learning.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tensor;

/**
 * Updates parameters from their gradients, following PyTorch's update rules so that hyper-parameters carry
 * over: {@link #sgd}, {@link #adam}, {@link #adamW}. The optimiser's state (moments, step count) can be saved
 * and restored with {@link #state()} and {@link #restore}, so a resumed run continues exactly.
 */
public final class Optimizer {
    /** Update rule. */
    public enum Rule { SGD, ADAM, ADAMW }

    private final Rule rule;
    private final List<Tensor> params;
    private final LearningRateSchedule schedule;
    private final double momentum;
    private final boolean nesterov;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final float[][] first;
    private final float[][] second;
    private long steps;

    private Optimizer(Rule rule, List<Tensor> params, LearningRateSchedule schedule, double momentum, boolean nesterov,
                      double beta1, double beta2, double eps, double weightDecay) {
        for (Tensor p : params) {
            if (!p.requiresGrad()) {
                throw new MyelinException("optimizer: " + p + " does not take gradients");
            }
            if (p.name() == null) {
                throw new MyelinException("optimizer: every parameter needs a name (for checkpoints), " + p
                        + " has none");
            }
        }
        this.rule = rule;
        this.params = List.copyOf(params);
        this.schedule = schedule;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.first = new float[params.size()][];
        this.second = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            if (rule != Rule.SGD || momentum != 0) {
                first[i] = new float[params.get(i).size()];
            }
            if (rule != Rule.SGD) {
                second[i] = new float[params.get(i).size()];
            }
        }
    }

    /** PyTorch's SGD: buf = momentum buf + g (g at the first step), p -= lr (g + momentum buf if nesterov, else buf). */
    public static Optimizer sgd(List<Tensor> params, LearningRateSchedule lr, double momentum, boolean nesterov,
                                double weightDecay) {
        return new Optimizer(Rule.SGD, params, lr, momentum, nesterov, 0, 0, 0, weightDecay);
    }

    /** PyTorch's Adam (weight decay added to the gradient). */
    public static Optimizer adam(List<Tensor> params, LearningRateSchedule lr, double beta1, double beta2, double eps,
                                 double weightDecay) {
        return new Optimizer(Rule.ADAM, params, lr, 0, false, beta1, beta2, eps, weightDecay);
    }

    /** PyTorch's AdamW (decoupled weight decay: p -= lr wd p before the Adam step). */
    public static Optimizer adamW(List<Tensor> params, LearningRateSchedule lr, double beta1, double beta2,
                                  double eps, double weightDecay) {
        return new Optimizer(Rule.ADAMW, params, lr, 0, false, beta1, beta2, eps, weightDecay);
    }

    /** The rule, its hyper-parameters and the schedule in words. */
    public String describe() {
        return switch (rule) {
            case SGD -> "sgd(momentum=" + momentum + ", nesterov=" + nesterov + ", weightDecay=" + weightDecay;
            case ADAM, ADAMW -> rule.name().toLowerCase(java.util.Locale.ROOT) + "(beta1=" + beta1 + ", beta2="
                    + beta2 + ", eps=" + eps + ", weightDecay=" + weightDecay;
        } + ", lr=" + schedule.describe() + ")";
    }

    public List<Tensor> parameters() {
        return params;
    }

    public long steps() {
        return steps;
    }

    /** The learning rate the next {@link #step} will use. */
    public double learningRate() {
        return schedule.rate(steps);
    }

    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /** Applies one update from the current gradients. */
    public void step() {
        float lr = (float) schedule.rate(steps);
        steps++;
        float c1 = (float) (1 - Math.pow(beta1, steps));
        float c2s = (float) Math.sqrt(1 - Math.pow(beta2, steps));
        for (int pi = 0; pi < params.size(); pi++) {
            Tensor p = params.get(pi);
            float[] w = p.data();
            float[] g = p.grad();
            float[] m = first[pi];
            float[] v = second[pi];
            boolean firstStep = steps == 1;
            Parallel.forRange(w.length, 65536, (from, to) -> {
                switch (rule) {
                    case SGD -> sgdRange(w, g, m, lr, firstStep, from, to);
                    case ADAM, ADAMW -> adamRange(w, g, m, v, lr, c1, c2s, from, to);
                }
            });
        }
    }

    private void sgdRange(float[] w, float[] g, float[] buf, float lr, boolean firstStep, int from, int to) {
        float wd = (float) weightDecay;
        float mu = (float) momentum;
        for (int i = from; i < to; i++) {
            float d = g[i] + wd * w[i];
            if (buf != null) {
                buf[i] = firstStep ? d : mu * buf[i] + d;
                d = nesterov ? d + mu * buf[i] : buf[i];
            }
            w[i] -= lr * d;
        }
    }

    private void adamRange(float[] w, float[] g, float[] m, float[] v, float lr, float c1, float c2s, int from,
                           int to) {
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float wd = (float) weightDecay;
        float e = (float) eps;
        boolean decoupled = rule == Rule.ADAMW;
        float stepSize = lr / c1;
        for (int i = from; i < to; i++) {
            float d = g[i];
            if (decoupled) {
                w[i] *= 1f - lr * wd;
            } else {
                d += wd * w[i];
            }
            m[i] = b1 * m[i] + (1f - b1) * d;
            v[i] = b2 * v[i] + (1f - b2) * d * d;
            float denom = (float) Math.sqrt(v[i]) / c2s + e;
            w[i] -= stepSize * m[i] / denom;
        }
    }

    /** The optimiser's state by name: "step" and each parameter's moments. */
    public Map<String, float[]> state() {
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("optimizer.steps", new float[] {Float.intBitsToFloat((int) (steps >>> 32)),
            Float.intBitsToFloat((int) steps)});
        for (int i = 0; i < params.size(); i++) {
            if (first[i] != null) {
                out.put("optimizer.m." + params.get(i).name(), first[i]);
            }
            if (second[i] != null) {
                out.put("optimizer.v." + params.get(i).name(), second[i]);
            }
        }
        return out;
    }

    /** Restores a state written by {@link #state()} for the same parameters. */
    public void restore(Map<String, float[]> state) {
        float[] s = state.get("optimizer.steps");
        if (s == null) {
            throw new MyelinException("optimizer state: no step count");
        }
        steps = ((long) Float.floatToRawIntBits(s[0]) << 32) | (Float.floatToRawIntBits(s[1]) & 0xffffffffL);
        for (int i = 0; i < params.size(); i++) {
            copy(state, "optimizer.m." + params.get(i).name(), first[i]);
            copy(state, "optimizer.v." + params.get(i).name(), second[i]);
        }
    }

    private static void copy(Map<String, float[]> state, String key, float[] into) {
        if (into == null) {
            return;
        }
        float[] from = state.get(key);
        if (from == null || from.length != into.length) {
            throw new MyelinException("optimizer state: " + key + " is " + (from == null ? "missing"
                    : "of length " + from.length + ", expected " + into.length));
        }
        System.arraycopy(from, 0, into, 0, into.length);
    }
}
