package org.myelin.learning.hlop;

import org.myelin.core.MyelinException;
import org.myelin.learning.ops.Convolution;

/**
 * The input patches a convolution's kernels see, one row per output position: (N, C, H, W) becomes
 * (N Ho Wo, C k k), each row ordered as the weights (channel, kernel row, kernel column), zeros where the kernel
 * overhangs the padded border. A convolution's output at a position is its kernels times that row, so HLOP
 * treats a convolution as a linear layer over its patches: the lateral neurons learn from these rows and the
 * weight gradient, (O, C k k), is projected against them ({@link HebbianSubspace#projectConv}).
 */
public final class ConvPatches {
    private ConvPatches() {
    }

    /** Unfolds {@code x} (batch, channels, height, width) for a k x k kernel with the given stride and padding. */
    public static float[] unfold(float[] x, int batch, int channels, int height, int width, int kernel, int stride,
                                 int padding) {
        if (x.length != batch * channels * height * width) {
            throw new MyelinException("conv patches: " + x.length + " values are not " + batch + " x " + channels
                    + " x " + height + " x " + width);
        }
        int ho = Convolution.outputSize(height, kernel, stride, padding);
        int wo = Convolution.outputSize(width, kernel, stride, padding);
        if (kernel < 1 || stride < 1 || padding < 0 || ho < 1 || wo < 1) {
            throw new MyelinException("conv patches: kernel " + kernel + ", stride " + stride + ", padding " + padding
                    + " do not fit a " + height + " x " + width + " input");
        }
        int size = channels * kernel * kernel;
        float[] out = new float[batch * ho * wo * size];
        int row = 0;
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < ho; i++) {
                for (int j = 0; j < wo; j++, row++) {
                    int at = row * size;
                    for (int c = 0; c < channels; c++) {
                        int plane = (n * channels + c) * height * width;
                        for (int a = 0; a < kernel; a++) {
                            int y = i * stride - padding + a;
                            for (int b = 0; b < kernel; b++, at++) {
                                int xx = j * stride - padding + b;
                                if (y >= 0 && y < height && xx >= 0 && xx < width) {
                                    out[at] = x[plane + y * width + xx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
