package org.myelin.learning.ops;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * Batch normalisation per channel over (N, C) or (N, C, H, W) inputs, N being time*batch (SpikingJelly's
 * multi-step batch norm): in training the batch's mean and biased variance normalise, and the running
 * statistics move by {@code momentum} towards the batch's mean and unbiased variance (PyTorch's rule); in
 * evaluation the running statistics normalise. Statistics are summed in double precision, channel by channel.
 */
public final class Normalization {
    private Normalization() {
    }

    /**
     * @param gamma       scale (C), or null for 1
     * @param beta        shift (C), or null for 0
     * @param runningMean (C), updated in training
     * @param runningVar  (C), updated in training
     */
    public static Tensor batchNorm(Tape tape, Tensor x, Tensor gamma, Tensor beta, float[] runningMean,
                                   float[] runningVar, boolean training, float momentum, float eps) {
        if (x.rank() != 2 && x.rank() != 4) {
            throw new MyelinException("batchNorm: input must be (N, C) or (N, C, H, W), was "
                    + Arrays.toString(x.shape()));
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int plane = x.rank() == 4 ? x.dim(2) * x.dim(3) : 1;
        int count = n * plane;
        if (runningMean.length != c || runningVar.length != c) {
            throw new MyelinException("batchNorm: running statistics need " + c + " channels");
        }
        if (training && count < 2) {
            throw new MyelinException("batchNorm: training needs more than one value per channel, got " + count);
        }
        float[] xd = x.data();
        float[] mean = new float[c];
        float[] invStd = new float[c];
        if (training) {
            Parallel.forRange(c, 4, (c0, c1) -> {
                for (int ch = c0; ch < c1; ch++) {
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        int base = (i * c + ch) * plane;
                        for (int q = 0; q < plane; q++) {
                            s += xd[base + q];
                        }
                    }
                    double m = s / count;
                    double v = 0;
                    for (int i = 0; i < n; i++) {
                        int base = (i * c + ch) * plane;
                        for (int q = 0; q < plane; q++) {
                            double d = xd[base + q] - m;
                            v += d * d;
                        }
                    }
                    mean[ch] = (float) m;
                    invStd[ch] = (float) (1 / Math.sqrt(v / count + eps));
                    runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * (float) m;
                    runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * (float) (v / (count - 1));
                }
            });
        } else {
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = runningMean[ch];
                invStd[ch] = (float) (1 / Math.sqrt(runningVar[ch] + eps));
            }
        }
        boolean grad = x.requiresGrad() || (gamma != null && gamma.requiresGrad())
                || (beta != null && beta.requiresGrad());
        Tensor y = Tensor.result(grad, x.shape());
        float[] yd = y.data();
        float[] xHat = new float[xd.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                float gm = gamma == null ? 1f : gamma.data()[ch];
                float bt = beta == null ? 0f : beta.data()[ch];
                int base = (i * c + ch) * plane;
                for (int q = 0; q < plane; q++) {
                    float h = (xd[base + q] - mean[ch]) * invStd[ch];
                    xHat[base + q] = h;
                    yd[base + q] = gm * h + bt;
                }
            }
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            // gradient arrays are fetched (allocated) here, before the threads share them
            float[] gGamma = gamma != null && gamma.requiresGrad() ? gamma.grad() : null;
            float[] gBeta = beta != null && beta.requiresGrad() ? beta.grad() : null;
            float[] gx = x.requiresGrad() ? x.grad() : null;
            Parallel.forRange(c, 4, (c0, c1) -> {
                for (int ch = c0; ch < c1; ch++) {
                    double sg = 0;
                    double sgx = 0;
                    for (int i = 0; i < n; i++) {
                        int base = (i * c + ch) * plane;
                        for (int q = 0; q < plane; q++) {
                            sg += g[base + q];
                            sgx += (double) g[base + q] * xHat[base + q];
                        }
                    }
                    if (gGamma != null) {
                        gGamma[ch] += (float) sgx;
                    }
                    if (gBeta != null) {
                        gBeta[ch] += (float) sg;
                    }
                    if (gx == null) {
                        continue;
                    }
                    float gm = gamma == null ? 1f : gamma.data()[ch];
                    double scale = gm * invStd[ch];
                    for (int i = 0; i < n; i++) {
                        int base = (i * c + ch) * plane;
                        for (int q = 0; q < plane; q++) {
                            double d = training ? g[base + q] - sg / count - xHat[base + q] * sgx / count
                                    : g[base + q];
                            gx[base + q] += (float) (scale * d);
                        }
                    }
                }
            });
        });
        return y;
    }
}
