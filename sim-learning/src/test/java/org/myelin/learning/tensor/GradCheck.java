package org.myelin.learning.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.myelin.core.random.CounterRandom;
import org.myelin.learning.ops.Elementwise;
import org.myelin.learning.ops.Reductions;

/**
 * Compares the gradients a {@link Tape} computes with central finite differences. The scalar checked is
 * sum(output * r) for fixed random r, so every output element's gradient path is exercised.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Fills a tensor with uniform values in [lo, hi) from a fixed seed. */
    public static Tensor fill(Tensor t, long seed, float lo, float hi) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * (float) CounterRandom.uniform(seed, 7, i, 0);
        }
        return t;
    }

    public static Tensor param(long seed, float lo, float hi, int... shape) {
        return fill(Tensor.parameter("p" + seed, shape), seed, lo, hi);
    }

    private static double objective(Function<Tape, Tensor> f, Tape tape, Tensor[] weightHolder) {
        Tensor out = f.apply(tape);
        if (weightHolder[0] == null) {
            weightHolder[0] = fill(Tensor.zeros(out.shape()), 99, -1f, 1f);
        }
        Tensor loss = Reductions.sum(tape, Elementwise.mul(tape, out, weightHolder[0]));
        if (tape.recording()) {
            tape.backward(loss);
        }
        return loss.item();
    }

    /**
     * Checks d(sum(f * r))/d(input) for every element of every input against central differences with step
     * {@code eps}; passes when |analytic - numeric| &lt;= atol + rtol * |numeric|.
     */
    public static void check(String what, Function<Tape, Tensor> f, List<Tensor> inputs, double eps, double atol,
                             double rtol) {
        Tensor[] weights = new Tensor[1];
        for (Tensor in : inputs) {
            in.zeroGrad();
        }
        objective(f, new Tape(), weights);
        int checked = 0;
        double worst = 0;
        String worstAt = "";
        for (Tensor in : inputs) {
            float[] d = in.data();
            float[] g = in.grad().clone();
            for (int i = 0; i < d.length; i++) {
                float keep = d[i];
                d[i] = (float) (keep + eps);
                double plus = objective(f, Tape.inference(), weights);
                d[i] = (float) (keep - eps);
                double minus = objective(f, Tape.inference(), weights);
                d[i] = keep;
                double numeric = (plus - minus) / (2 * eps);
                double err = Math.abs(g[i] - numeric) - (atol + rtol * Math.abs(numeric));
                if (err > worst || checked == 0) {
                    worst = Math.max(worst, err);
                    if (err > 0) {
                        worstAt = in + "[" + i + "]: analytic " + g[i] + ", numeric " + numeric;
                    }
                }
                checked++;
            }
        }
        assertTrue(worst <= 0, what + ": gradient differs from finite differences at " + worstAt);
        assertTrue(checked > 0, what + ": nothing checked");
    }
}
