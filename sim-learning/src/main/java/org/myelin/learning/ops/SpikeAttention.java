package org.myelin.learning.ops;

import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.tensor.Tape;
import org.myelin.learning.tensor.Tensor;

/**
 * The products of spike-driven self-attention over (M, C, N) tensors: M = time*batch, C channels split into
 * heads of d = C / heads channels, N tokens (the H*W positions of a feature map). With binary Q, K, V every
 * sum below counts coincident spikes, so at inference it is an accumulation of integers selected by spikes.
 *
 * <ul>
 * <li>{@link #tokenSum}: {@code s[m, c] = sum_n a[m, c, n]} (SDSA-1's K*V summed over tokens).</li>
 * <li>{@link #channelGate}: {@code y[m, c, n] = q[m, c, n] * g[m, c]} (SDSA-1's Q masked per channel).</li>
 * <li>{@link #linearAttention}: per head, {@code A = K^T V} (d x d) and {@code Y = Q A} (SDSA-3, unscaled).</li>
 * </ul>
 * Each output value is summed by one thread in a fixed order, so results do not depend on the thread count.
 */
public final class SpikeAttention {
    private SpikeAttention() {
    }

    private static void requireRank3(String op, Tensor t) {
        if (t.rank() != 3) {
            throw new MyelinException(op + ": expected (time*batch, channels, tokens), shape was "
                    + Arrays.toString(t.shape()));
        }
    }

    /** {@code s[m, c] = sum_n a[m, c, n]}, tokens in increasing order. */
    public static Tensor tokenSum(Tape tape, Tensor a) {
        requireRank3("tokenSum", a);
        int rows = a.dim(0) * a.dim(1);
        int n = a.dim(2);
        Tensor y = Tensor.result(a.requiresGrad(), a.dim(0), a.dim(1));
        float[] ad = a.data();
        float[] yd = y.data();
        for (int r = 0; r < rows; r++) {
            float s = 0f;
            for (int t = 0; t < n; t++) {
                s += ad[r * n + t];
            }
            yd[r] = s;
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] ga = a.grad();
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < n; t++) {
                    ga[r * n + t] += g[r];
                }
            }
        });
        return y;
    }

    /** {@code y[m, c, n] = q[m, c, n] * g[m, c]}. */
    public static Tensor channelGate(Tape tape, Tensor q, Tensor gate) {
        requireRank3("channelGate", q);
        if (gate.rank() != 2 || gate.dim(0) != q.dim(0) || gate.dim(1) != q.dim(1)) {
            throw new MyelinException("channelGate: gate must be (" + q.dim(0) + ", " + q.dim(1) + "), was "
                    + Arrays.toString(gate.shape()));
        }
        int rows = q.dim(0) * q.dim(1);
        int n = q.dim(2);
        Tensor y = Tensor.result(q.requiresGrad() || gate.requiresGrad(), q.shape());
        float[] qd = q.data();
        float[] gd = gate.data();
        float[] yd = y.data();
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < n; t++) {
                yd[r * n + t] = qd[r * n + t] * gd[r];
            }
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] gq = q.requiresGrad() ? q.grad() : null;
            float[] gg = gate.requiresGrad() ? gate.grad() : null;
            for (int r = 0; r < rows; r++) {
                float s = 0f;
                for (int t = 0; t < n; t++) {
                    if (gq != null) {
                        gq[r * n + t] += g[r * n + t] * gd[r];
                    }
                    s += g[r * n + t] * qd[r * n + t];
                }
                if (gg != null) {
                    gg[r] += s;
                }
            }
        });
        return y;
    }

    /**
     * Linear (softmax-free) attention per head: {@code A[i][j] = sum_n K[h*d+i, n] V[h*d+j, n]}, then
     * {@code Y[h*d+j, n] = sum_i Q[h*d+i, n] A[i][j]}. Q, K, V and Y are (M, C, N); sums run over n, then i,
     * in increasing order.
     */
    public static Tensor linearAttention(Tape tape, Tensor q, Tensor k, Tensor v, int heads) {
        requireRank3("linearAttention", q);
        if (!Arrays.equals(q.shape(), k.shape()) || !Arrays.equals(q.shape(), v.shape())) {
            throw new MyelinException("linearAttention: Q, K and V must have one shape, were "
                    + Arrays.toString(q.shape()) + ", " + Arrays.toString(k.shape()) + ", "
                    + Arrays.toString(v.shape()));
        }
        int m = q.dim(0);
        int c = q.dim(1);
        int n = q.dim(2);
        if (heads < 1 || c % heads != 0) {
            throw new MyelinException("linearAttention: " + c + " channels do not split into " + heads + " heads");
        }
        int d = c / heads;
        boolean grad = q.requiresGrad() || k.requiresGrad() || v.requiresGrad();
        Tensor y = Tensor.result(grad, q.shape());
        float[] qd = q.data();
        float[] kd = k.data();
        float[] vd = v.data();
        float[] yd = y.data();
        float[] attn = new float[m * heads * d * d];
        Parallel.forRange(m * heads, 4, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int base = (p / heads * c + p % heads * d) * n;
                int ab = p * d * d;
                keyValue(kd, vd, base, d, n, attn, ab);
                for (int j = 0; j < d; j++) {
                    for (int t = 0; t < n; t++) {
                        float s = 0f;
                        for (int i = 0; i < d; i++) {
                            s += qd[base + i * n + t] * attn[ab + i * d + j];
                        }
                        yd[base + j * n + t] = s;
                    }
                }
            }
        });
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] gq = q.requiresGrad() ? q.grad() : null;
            float[] gk = k.requiresGrad() ? k.grad() : null;
            float[] gv = v.requiresGrad() ? v.grad() : null;
            Parallel.forRange(m * heads, 4, (p0, p1) -> {
                float[] gA = new float[d * d];
                for (int p = p0; p < p1; p++) {
                    int base = (p / heads * c + p % heads * d) * n;
                    int ab = p * d * d;
                    for (int i = 0; i < d; i++) {
                        for (int j = 0; j < d; j++) {
                            float s = 0f;
                            for (int t = 0; t < n; t++) {
                                s += qd[base + i * n + t] * g[base + j * n + t];
                            }
                            gA[i * d + j] = s;
                        }
                    }
                    if (gq != null) {
                        for (int i = 0; i < d; i++) {
                            for (int t = 0; t < n; t++) {
                                float s = 0f;
                                for (int j = 0; j < d; j++) {
                                    s += g[base + j * n + t] * attn[ab + i * d + j];
                                }
                                gq[base + i * n + t] += s;
                            }
                        }
                    }
                    for (int i = 0; i < d; i++) {
                        for (int t = 0; t < n; t++) {
                            float sk = 0f;
                            float sv = 0f;
                            for (int j = 0; j < d; j++) {
                                sk += gA[i * d + j] * vd[base + j * n + t];
                                sv += kd[base + j * n + t] * gA[j * d + i];
                            }
                            if (gk != null) {
                                gk[base + i * n + t] += sk;
                            }
                            if (gv != null) {
                                gv[base + i * n + t] += sv;
                            }
                        }
                    }
                }
            });
        });
        return y;
    }

    /** {@code A[i][j] = sum_n k[i, n] v[j, n]} for one head starting at {@code base}, into attn[ab..]. */
    private static void keyValue(float[] kd, float[] vd, int base, int d, int n, float[] attn, int ab) {
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                float s = 0f;
                for (int t = 0; t < n; t++) {
                    s += kd[base + i * n + t] * vd[base + j * n + t];
                }
                attn[ab + i * d + j] = s;
            }
        }
    }

    /**
     * Pads each (H, W) plane of an (N, C, H, W) tensor by {@code pad} on every side with its channel's value
     * {@code values[c]} (a constant: no gradient flows to it), as RepConv's BN-and-pad layer does.
     */
    public static Tensor padConstant(Tape tape, Tensor x, int pad, float[] values) {
        if (x.rank() != 4 || values.length != x.dim(1) || pad < 0) {
            throw new MyelinException("padConstant: needs (N, C, H, W), one value per channel and pad >= 0; shape "
                    + Arrays.toString(x.shape()) + ", " + values.length + " values, pad " + pad);
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int ho = h + 2 * pad;
        int wo = w + 2 * pad;
        Tensor y = Tensor.result(x.requiresGrad(), n, c, ho, wo);
        float[] xd = x.data();
        float[] yd = y.data();
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                int yb = (s * c + ch) * ho * wo;
                Arrays.fill(yd, yb, yb + ho * wo, values[ch]);
                int xb = (s * c + ch) * h * w;
                for (int iy = 0; iy < h; iy++) {
                    System.arraycopy(xd, xb + iy * w, yd, yb + (iy + pad) * wo + pad, w);
                }
            }
        }
        tape.record(y, () -> {
            float[] g = y.grad();
            float[] gx = x.grad();
            for (int s = 0; s < n; s++) {
                for (int ch = 0; ch < c; ch++) {
                    int yb = (s * c + ch) * ho * wo;
                    int xb = (s * c + ch) * h * w;
                    for (int iy = 0; iy < h; iy++) {
                        MatrixKernels.axpy(1f, g, yb + (iy + pad) * wo + pad, gx, xb + iy * w, w);
                    }
                }
            }
        });
        return y;
    }
}
