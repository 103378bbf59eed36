package org.myelin.learning.ops;

import org.myelin.learning.tensor.Parallel;

/**
 * The matrix product behind {@link Linear}, written as row updates {@code y_row += a * b_row} that the JIT
 * vectorises. HotSpot vectorises such a loop only when both rows are indexed alike (it cannot rule out that
 * two offsets into one array overlap), so the kernel works on separate row arrays: the right operand is split
 * into rows once per call and each output row is accumulated in a scratch row. The non-zero entries of each
 * left row are listed first (without branches) and only they are visited, so a binary spike matrix times a
 * weight matrix costs one row addition per spike.
 * Every output value is summed by one thread in increasing index order, so results do not depend on the
 * number of threads.
 */
public final class MatrixKernels {

    private MatrixKernels() {
    }

    /**
     * {@code y[r] (+)= sum_i a[r, i] * b[i]} for a (rows, inner), b (inner, cols), y (rows, cols). When
     * {@code accumulate} is false, y is overwritten.
     */
    public static void multiply(float[] a, int rows, int inner, float[] b, int cols, float[] y, boolean accumulate) {
        product(a, rows, inner, b, cols, y, accumulate, false);
    }

    /**
     * {@code y = a b} as {@link #multiply} (without accumulation), but adding the terms of four non-zero entries
     * of a row at once: each output row is then loaded and stored a quarter as often, which makes dense
     * products 1.4 to 2 times as fast. The sums are rounded in a different order from {@link #multiply}'s, so
     * it serves gradients that no other code has to reproduce bit for bit (the input gradient of a
     * convolution); the order is still fixed, whatever the thread count.
     */
    public static void multiplyGrouped(float[] a, int rows, int inner, float[] b, int cols, float[] y) {
        product(a, rows, inner, b, cols, y, false, true);
    }

    private static void product(float[] a, int rows, int inner, float[] b, int cols, float[] y, boolean accumulate,
                                boolean grouped) {
        if (rows == 0 || cols == 0) {
            return;
        }
        float[][] bRows = rows(b, inner, cols);
        long work = (long) rows * inner * cols;
        Parallel.forRange(rows, work < 100_000 ? rows : 4, (r0, r1) -> {
            float[] acc = new float[cols];
            int[] nonZero = new int[inner];
            for (int r = r0; r < r1; r++) {
                int o = r * inner;
                int count = 0;
                for (int i = 0; i < inner; i++) {
                    nonZero[count] = i;
                    count += a[o + i] != 0f ? 1 : 0;
                }
                if (accumulate) {
                    System.arraycopy(y, r * cols, acc, 0, cols);
                } else {
                    java.util.Arrays.fill(acc, 0f);
                }
                int q = 0;
                for (; grouped && q + 4 <= count; q += 4) {
                    int i0 = nonZero[q];
                    int i1 = nonZero[q + 1];
                    int i2 = nonZero[q + 2];
                    int i3 = nonZero[q + 3];
                    axpy4(a[o + i0], bRows[i0], a[o + i1], bRows[i1], a[o + i2], bRows[i2], a[o + i3], bRows[i3],
                            acc, cols);
                }
                for (; q < count; q++) {
                    int i = nonZero[q];
                    axpy(a[o + i], bRows[i], acc, cols);
                }
                System.arraycopy(acc, 0, y, r * cols, cols);
            }
        });
    }

    private static void axpy4(float a0, float[] w0, float a1, float[] w1, float a2, float[] w2, float a3,
                              float[] w3, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a0 * w0[j] + a1 * w1[j] + a2 * w2[j] + a3 * w3[j];
        }
    }

    /**
     * {@code y[0..n) += a * w[0..n)}: with both rows at offset 0 the JIT vectorises it (it does not when the
     * offsets differ, as in {@link #axpy(float, float[], int, float[], int, int)}).
     */
    public static void axpy(float a, float[] w, float[] y, int n) {
        for (int j = 0; j < n; j++) {
            y[j] += a * w[j];
        }
    }

    /**
     * {@code g[i] += sum_r x[r, i] * d[r]} for every i: the weight gradient of {@link #multiply}, with x
     * (rows, inner), d (rows, cols) and g (inner, cols): the product x^T d, rows r in increasing order.
     */
    public static void multiplyTransposedLeft(float[] x, int rows, int inner, float[] d, int cols, float[] g) {
        if (cols < NARROW) {
            narrowTransposedLeft(x, rows, inner, d, cols, g);
            return;
        }
        float[] xt = new float[rows * inner];
        transpose(x, rows, inner, xt);
        multiply(xt, inner, rows, d, cols, g, true);
    }

    /** Below this many columns, row updates are too short to vectorise and a scatter over x's rows wins. */
    private static final int NARROW = 32;

    private static void narrowTransposedLeft(float[] x, int rows, int inner, float[] d, int cols, float[] g) {
        long work = (long) rows * inner;
        Parallel.forRange(inner, work < 100_000 ? inner : 16, (i0, i1) -> {
            for (int r = 0; r < rows; r++) {
                int xo = r * inner;
                int dOff = r * cols;
                for (int i = i0; i < i1; i++) {
                    float a = x[xo + i];
                    if (a != 0f) {
                        int go = i * cols;
                        for (int j = 0; j < cols; j++) {
                            g[go + j] += a * d[dOff + j];
                        }
                    }
                }
            }
        });
    }

    /** The rows of a (rows, cols) as separate arrays. */
    public static float[][] rows(float[] a, int rows, int cols) {
        float[][] r = new float[rows][];
        for (int i = 0; i < rows; i++) {
            r[i] = java.util.Arrays.copyOfRange(a, i * cols, (i + 1) * cols);
        }
        return r;
    }

    /** {@code into = a^T} for a (rows, cols). */
    public static void transpose(float[] a, int rows, int cols, float[] into) {
        final int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            int r1 = Math.min(rows, r0 + tile);
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int c1 = Math.min(cols, c0 + tile);
                for (int r = r0; r < r1; r++) {
                    int o = r * cols;
                    for (int c = c0; c < c1; c++) {
                        into[c * rows + r] = a[o + c];
                    }
                }
            }
        }
    }

    /** {@code g[j] += sum_r d[r, j]}: a bias gradient, rows in increasing order. */
    public static void sumRows(float[] d, int rows, int cols, float[] g) {
        float[] acc = java.util.Arrays.copyOf(g, cols);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(d, r * cols, row, 0, cols);
            for (int j = 0; j < cols; j++) {
                acc[j] += row[j];
            }
        }
        System.arraycopy(acc, 0, g, 0, cols);
    }

    /** {@code y[yo..yo+n) += a * w[wo..wo+n)}. */
    public static void axpy(float a, float[] w, int wo, float[] y, int yo, int n) {
        for (int j = 0; j < n; j++) {
            y[yo + j] += a * w[wo + j];
        }
    }
}
