package org.myelin.learning.lmu;

import org.myelin.core.MyelinException;

/**
 * The Legendre delay system of an LMU memory of order d over a window theta (Voelker et al. 2019):
 * <pre>
 *   theta dm/dt = A m + B u,   A[i][j] = (2i + 1) * (-1 if i &lt; j else (-1)^(i - j + 1)),   B[i] = (2i + 1) (-1)^i
 * </pre>
 * and its zero-order-hold discretisation for a step of 1 (one sample), m_t = Abar m_{t-1} + Bbar u_t, taken from the
 * matrix exponential of the augmented matrix [[A/theta, B/theta], [0, 0]]: its top-left block is Abar, its
 * top-right column Bbar (what {@code scipy.signal.cont2discrete(..., method='zoh', dt=1)} gives).
 *
 * <p>A and B are fixed. In row form (a memory row vector times a matrix, as the L2MU layers compute) the canonical
 * update is m Abar^T; the released L2MU code (neuromorphic-polito/L2MU-Braille) multiplies by Abar itself, i.e.
 * applies the transpose of the canonical matrix. {@link Convention} names both.
 */
public final class LegendreMemory {
    /** Which discrete A the row-form update m_t = m_{t-1} M + u_t Bbar^T multiplies by. */
    public enum Convention {
        /** M = Abar^T: the discretised Legendre system itself (m_t = Abar m_{t-1} + Bbar u_t). */
        CANONICAL,
        /** M = Abar: as the released L2MU code computes it (the transpose of the canonical system). */
        RELEASED
    }

    private final int order;
    private final double theta;
    private final double[][] aBar;
    private final double[] bBar;

    private LegendreMemory(int order, double theta, double[][] aBar, double[] bBar) {
        this.order = order;
        this.theta = theta;
        this.aBar = aBar;
        this.bBar = bBar;
    }

    /** The continuous A of order d. */
    public static double[][] continuousA(int order) {
        check(order, 1);
        double[][] a = new double[order][order];
        for (int i = 0; i < order; i++) {
            for (int j = 0; j < order; j++) {
                double sign = i < j ? -1 : ((i - j + 1) % 2 == 0 ? 1 : -1);
                a[i][j] = (2 * i + 1) * sign;
            }
        }
        return a;
    }

    /** The continuous B of order d. */
    public static double[] continuousB(int order) {
        check(order, 1);
        double[] b = new double[order];
        for (int i = 0; i < order; i++) {
            b[i] = (2 * i + 1) * (i % 2 == 0 ? 1 : -1);
        }
        return b;
    }

    /** The memory of order d over theta samples, discretised by zero-order hold with a step of one sample. */
    public static LegendreMemory zeroOrderHold(int order, double theta) {
        check(order, theta);
        double[][] a = continuousA(order);
        double[] b = continuousB(order);
        double[][] m = new double[order + 1][order + 1];
        for (int i = 0; i < order; i++) {
            for (int j = 0; j < order; j++) {
                m[i][j] = a[i][j] / theta;
            }
            m[i][order] = b[i] / theta;
        }
        double[][] e = MatrixExponential.expm(m);
        double[][] aBar = new double[order][order];
        double[] bBar = new double[order];
        for (int i = 0; i < order; i++) {
            System.arraycopy(e[i], 0, aBar[i], 0, order);
            bBar[i] = e[i][order];
        }
        return new LegendreMemory(order, theta, aBar, bBar);
    }

    private static void check(int order, double theta) {
        if (order < 1 || order > 1024) {
            throw new MyelinException("Legendre memory: order must be in [1, 1024], was " + order);
        }
        if (!(theta > 0) || Double.isInfinite(theta)) {
            throw new MyelinException("Legendre memory: theta must be > 0 samples and finite, was " + theta);
        }
    }

    public int order() {
        return order;
    }

    public double theta() {
        return theta;
    }

    /** Abar (copy): m_t = Abar m_{t-1} + Bbar u_t. */
    public double[][] aBar() {
        double[][] c = new double[order][];
        for (int i = 0; i < order; i++) {
            c[i] = aBar[i].clone();
        }
        return c;
    }

    /** Bbar (copy). */
    public double[] bBar() {
        return bBar.clone();
    }

    /** The matrix M of the row-form update m_t = m_{t-1} M + u_t Bbar^T, under a convention. */
    public double[][] rowUpdate(Convention convention) {
        double[][] m = new double[order][order];
        for (int i = 0; i < order; i++) {
            for (int j = 0; j < order; j++) {
                m[i][j] = convention == Convention.CANONICAL ? aBar[j][i] : aBar[i][j];
            }
        }
        return m;
    }
}
