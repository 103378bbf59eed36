package org.myelin.learning.lmu;

import org.myelin.core.MyelinException;

/**
 * The matrix exponential by the [13/13] Padé approximant with scaling and squaring (Higham 2005, "The scaling and
 * squaring method for the matrix exponential revisited", the degree-13 branch that SciPy's and PyTorch's expm
 * take for all but small norms): A is scaled by 2^-s so that its 1-norm is at most theta_13 = 5.37, the
 * approximant r(A) = (V - U)^-1 (V + U) is formed from even and odd polynomials in A, and squared s times.
 * Double precision, dense, for the small matrices of LMU memories (order up to a few hundred).
 */
public final class MatrixExponential {
    private static final double THETA_13 = 5.371920351148152;
    private static final double[] B = {64764752532480000.0, 32382376266240000.0, 7771770303897600.0,
        1187353796428800.0, 129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
        40840800.0, 960960.0, 16380.0, 182.0, 1.0};

    private MatrixExponential() {
    }

    /** exp(a) for a square matrix (not changed). */
    public static double[][] expm(double[][] a) {
        int n = a.length;
        for (double[] row : a) {
            if (row.length != n) {
                throw new MyelinException("expm: the matrix must be square, got " + n + " rows and a row of "
                        + row.length);
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new MyelinException("expm: the matrix has a non-finite entry " + v);
                }
            }
        }
        double norm = norm1(a);
        int s = norm > THETA_13 ? Math.max(0, (int) Math.ceil(Math.log(norm / THETA_13) / Math.log(2))) : 0;
        double scale = Math.scalb(1.0, -s);
        double[][] x = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                x[i][j] = a[i][j] * scale;
            }
        }
        double[][] x2 = multiply(x, x);
        double[][] x4 = multiply(x2, x2);
        double[][] x6 = multiply(x4, x2);
        double[][] id = identity(n);
        // U = X [X6 (b13 X6 + b11 X4 + b9 X2) + b7 X6 + b5 X4 + b3 X2 + b1 I]
        double[][] inner = combine(B[13], x6, B[11], x4, B[9], x2, 0, id);
        double[][] u = multiply(x, add(multiply(x6, inner), combine(B[7], x6, B[5], x4, B[3], x2, B[1], id)));
        // V = X6 (b12 X6 + b10 X4 + b8 X2) + b6 X6 + b4 X4 + b2 X2 + b0 I
        double[][] innerV = combine(B[12], x6, B[10], x4, B[8], x2, 0, id);
        double[][] v = add(multiply(x6, innerV), combine(B[6], x6, B[4], x4, B[2], x2, B[0], id));
        double[][] p = new double[n][n];
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i][j] = v[i][j] + u[i][j];
                q[i][j] = v[i][j] - u[i][j];
            }
        }
        double[][] r = solve(q, p);
        for (int k = 0; k < s; k++) {
            r = multiply(r, r);
        }
        return r;
    }

    static double norm1(double[][] a) {
        double best = 0;
        for (int j = 0; j < a.length; j++) {
            double sum = 0;
            for (double[] row : a) {
                sum += Math.abs(row[j]);
            }
            best = Math.max(best, sum);
        }
        return best;
    }

    static double[][] identity(int n) {
        double[][] id = new double[n][n];
        for (int i = 0; i < n; i++) {
            id[i][i] = 1;
        }
        return id;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        int k = b.length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < k; l++) {
                double v = a[i][l];
                if (v == 0) {
                    continue;
                }
                for (int j = 0; j < m; j++) {
                    c[i][j] += v * b[l][j];
                }
            }
        }
        return c;
    }

    private static double[][] add(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = a[i][j] + b[i][j];
            }
        }
        return c;
    }

    /** ca A + cb B + cc C + cd D. */
    private static double[][] combine(double ca, double[][] a, double cb, double[][] b, double cc, double[][] c,
                                      double cd, double[][] d) {
        int n = a.length;
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                r[i][j] = ca * a[i][j] + cb * b[i][j] + cc * c[i][j] + cd * d[i][j];
            }
        }
        return r;
    }

    /** X with Q X = P, by LU decomposition with partial pivoting. */
    static double[][] solve(double[][] q, double[][] p) {
        int n = q.length;
        double[][] lu = new double[n][];
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            lu[i] = q[i].clone();
            x[i] = p[i].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(lu[r][col]) > Math.abs(lu[pivot][col])) {
                    pivot = r;
                }
            }
            if (lu[pivot][col] == 0) {
                throw new MyelinException("expm: the Padé denominator is singular");
            }
            double[] t = lu[col];
            lu[col] = lu[pivot];
            lu[pivot] = t;
            t = x[col];
            x[col] = x[pivot];
            x[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = lu[r][col] / lu[col][col];
                if (f == 0) {
                    continue;
                }
                for (int c = col; c < n; c++) {
                    lu[r][c] -= f * lu[col][c];
                }
                for (int c = 0; c < x[r].length; c++) {
                    x[r][c] -= f * x[col][c];
                }
            }
        }
        for (int r = n - 1; r >= 0; r--) {
            for (int c = 0; c < x[r].length; c++) {
                double v = x[r][c];
                for (int k = r + 1; k < n; k++) {
                    v -= lu[r][k] * x[k][c];
                }
                x[r][c] = v / lu[r][r];
            }
        }
        return x;
    }
}
