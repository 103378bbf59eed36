package org.myelin.learning.hlop;

import java.util.Arrays;

/** Principal angles between subspaces spanned by rows, in double precision. */
public final class SubspaceAngles {
    private SubspaceAngles() {
    }

    /** Gram-Schmidt (twice, for stability) on the rows, in place; a row that vanishes is left zero. */
    public static void orthonormalise(double[][] rows) {
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < rows.length; i++) {
                for (int j = 0; j < i; j++) {
                    double d = dot(rows[i], rows[j]);
                    for (int k = 0; k < rows[i].length; k++) {
                        rows[i][k] -= d * rows[j][k];
                    }
                }
                double n = Math.sqrt(dot(rows[i], rows[i]));
                for (int k = 0; k < rows[i].length; k++) {
                    rows[i][k] = n > 1e-12 ? rows[i][k] / n : 0;
                }
            }
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /**
     * The principal angles (degrees, ascending) between the row spaces of a and b (copied and orthonormalised):
     * arccos of the singular values of Qa Qb^T.
     */
    public static double[] degrees(double[][] a, double[][] b) {
        double[][] qa = copy(a);
        double[][] qb = copy(b);
        orthonormalise(qa);
        orthonormalise(qb);
        int m = qa.length;
        double[][] c = new double[m][qb.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < qb.length; j++) {
                c[i][j] = dot(qa[i], qb[j]);
            }
        }
        double[][] g = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                g[i][j] = dot(c[i], c[j]);
            }
        }
        double[] eig = symmetricEigenvalues(g);
        int k = Math.min(m, qb.length);
        double[] angles = new double[k];
        Arrays.sort(eig);
        for (int i = 0; i < k; i++) {
            double s = Math.sqrt(Math.max(0, Math.min(1, eig[eig.length - 1 - i])));
            angles[i] = Math.toDegrees(Math.acos(s));
        }
        return angles;
    }

    /** A deep copy of the rows. */
    static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i].clone();
        }
        return out;
    }

    /** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations. */
    public static double[] symmetricEigenvalues(double[][] m) {
        return symmetricEigen(m, null);
    }

    /**
     * Eigenvalues of a symmetric matrix by cyclic Jacobi rotations; when {@code vectors} (n x n) is given, it
     * receives the eigenvectors as columns.
     */
    public static double[] symmetricEigen(double[][] m, double[][] vectors) {
        int n = m.length;
        double[][] a = copy(m);
        if (vectors != null) {
            for (int i = 0; i < n; i++) {
                Arrays.fill(vectors[i], 0);
                vectors[i][i] = 1;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-22) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double cs = 1 / Math.sqrt(t * t + 1);
                    double sn = t * cs;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = cs * akp - sn * akq;
                        a[k][q] = sn * akp + cs * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = cs * apk - sn * aqk;
                        a[q][k] = sn * apk + cs * aqk;
                    }
                    if (vectors != null) {
                        for (int k = 0; k < n; k++) {
                            double vkp = vectors[k][p];
                            double vkq = vectors[k][q];
                            vectors[k][p] = cs * vkp - sn * vkq;
                            vectors[k][q] = sn * vkp + cs * vkq;
                        }
                    }
                }
            }
        }
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = a[i][i];
        }
        return e;
    }
}
