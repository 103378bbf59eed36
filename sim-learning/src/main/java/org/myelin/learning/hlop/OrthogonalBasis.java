package org.myelin.learning.hlop;

import java.util.Arrays;
import org.myelin.learning.ops.MatrixKernels;

/**
 * An orthonormal basis Q (rank x inputs) of a subspace of a layer's inputs, and the projection that removes
 * it from a weight gradient (inputs, outputs): g = g - Q^T (Q g). HLOP builds it from its frozen lateral rows,
 * GPM from singular vectors of stored activity.
 */
public final class OrthogonalBasis {
    private final int inputs;
    private double[][] rows = new double[0][];
    private float[] flat = new float[0];
    /** Q^T (inputs, rank), made once per {@link #add}: every projection multiplies by it. */
    private float[] flatT = new float[0];

    public OrthogonalBasis(int inputs) {
        this.inputs = inputs;
    }

    public int rank() {
        return rows.length;
    }

    public int inputs() {
        return inputs;
    }

    /** The basis as rows (copies). */
    public double[][] rows() {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
        }
        return out;
    }

    /**
     * Adds the directions of {@code vectors} not yet spanned: each is orthogonalised against the basis (twice,
     * in double precision) and kept if at least {@code keep} of its length remains.
     */
    public void add(double[][] vectors, double keep) {
        double[][] grown = Arrays.copyOf(rows, rows.length + vectors.length);
        int r = rows.length;
        for (double[] v0 : vectors) {
            double[] v = v0.clone();
            double before = Math.sqrt(SubspaceAngles.dot(v, v));
            if (before == 0) {
                continue;
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < r; i++) {
                    double d = SubspaceAngles.dot(v, grown[i]);
                    for (int k = 0; k < inputs; k++) {
                        v[k] -= d * grown[i][k];
                    }
                }
            }
            double after = Math.sqrt(SubspaceAngles.dot(v, v));
            if (after > keep * before && after > 1e-9) {
                for (int k = 0; k < inputs; k++) {
                    v[k] /= after;
                }
                grown[r++] = v;
            }
        }
        rows = Arrays.copyOf(grown, r);
        flat = new float[r * inputs];
        for (int i = 0; i < r; i++) {
            for (int k = 0; k < inputs; k++) {
                flat[i * inputs + k] = (float) rows[i][k];
            }
        }
        flatT = new float[inputs * r];
        MatrixKernels.transpose(flat, r, inputs, flatT);
    }

    /**
     * g = g - (g Q^T) Q for a weight gradient laid out (outputs, inputs): a convolution's (O, C, kh, kw), whose
     * inputs are the unfolded patches (see {@link ConvPatches}).
     */
    public void projectRows(float[] gradW, int outputs) {
        int r = rows.length;
        if (r == 0) {
            return;
        }
        float[] gq = new float[outputs * r];
        MatrixKernels.multiply(gradW, outputs, inputs, flatT, r, gq, false);
        subtractProduct(gradW, gq, outputs, r, flat, inputs);
    }

    /** g = g - Q^T (Q g) for a weight gradient (inputs, outputs). */
    public void project(float[] gradW, int outputs) {
        int r = rows.length;
        if (r == 0) {
            return;
        }
        float[] qg = new float[r * outputs];
        MatrixKernels.multiply(flat, r, inputs, gradW, outputs, qg, false);
        subtractProduct(gradW, flatT, inputs, r, qg, outputs);
    }

    /** g -= a b, with a (m, k) and b (k, n). */
    private static void subtractProduct(float[] g, float[] a, int m, int k, float[] b, int n) {
        float[] ab = new float[m * n];
        MatrixKernels.multiply(a, m, k, b, n, ab, false);
        for (int i = 0; i < g.length; i++) {
            g[i] -= ab[i];
        }
    }
}
