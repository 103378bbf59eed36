package org.myelin.backend.memristor.device;

/**
 * Standard normal deviates for the reads of a crossbar, which draw one per device per read (millions per sample):
 * 16 random bits pick one of 65,536 equally likely values, the N(0, 1) quantiles at the midpoints (i + 1/2) / 65536,
 * so a draw costs a quarter of a counter-based random word and a table lookup instead of Box-Muller's two words, a
 * logarithm and a cosine. The distribution is N(0, 1) discretised: every quantile is within 1.2e-9 relative of
 * the exact one (Acklam's rational approximation; stored as floats), the variance falls short of 1 by about 3e-4
 * (the tails beyond 4.3 sigma are cut), and the higher moments match to the same order.
 */
public final class NoiseTable {
    private static final int BITS = 16;
    private static final float[] Z = new float[1 << BITS];

    static {
        for (int i = 0; i < Z.length; i++) {
            Z[i] = (float) quantile((i + 0.5) / Z.length);
        }
    }

    private NoiseTable() {
    }

    /** The deviate picked by the low 16 bits of {@code bits}. */
    public static double normal(long bits) {
        return Z[(int) (bits & 0xFFFF)];
    }

    /** The standard normal quantile of p in (0, 1). */
    static double quantile(double p) {
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        double x;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p <= 1 - low) {
            double q = p - 0.5;
            double r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        return x;
    }
}
