package org.myelin.learning.neuron;

import org.myelin.core.MyelinException;

/**
 * The surrogate gradient of the spike function: the forward pass is the Heaviside step H(x) (x = membrane
 * minus threshold); the backward pass uses {@link #derivative}, the derivative of a smooth function
 * {@link #smooth} that approximates H. Conventions as in snnTorch and SpikingJelly:
 *
 * <table>
 * <caption>Surrogates</caption>
 * <tr><th>kind</th><th>smooth(x)</th><th>derivative(x)</th><th>usual alpha</th></tr>
 * <tr><td>SIGMOID</td><td>1 / (1 + exp(-a x))</td><td>a s (1 - s)</td><td>25 (snnTorch), 4 (SpikingJelly)</td></tr>
 * <tr><td>ATAN</td><td>atan(pi a x / 2) / pi + 1/2</td><td>(a/2) / (1 + (pi a x / 2)^2)</td><td>2</td></tr>
 * <tr><td>FAST_SIGMOID</td><td>x / (1 + a |x|)</td><td>1 / (1 + a |x|)^2</td><td>25</td></tr>
 * <tr><td>RECTANGULAR</td><td>clamp(x / a + 1/2, 0, 1)</td><td>1/a where |x| &lt; a/2, else 0</td><td>1</td></tr>
 * </table>
 *
 * @param kind  the shape
 * @param alpha its sharpness (for RECTANGULAR, the window width)
 */
public record Surrogate(Kind kind, float alpha) {
    public enum Kind { SIGMOID, ATAN, FAST_SIGMOID, RECTANGULAR }

    public Surrogate {
        if (kind == null) {
            throw new MyelinException("surrogate: kind must be one of SIGMOID, ATAN, FAST_SIGMOID, RECTANGULAR");
        }
        if (!(alpha > 0) || Float.isInfinite(alpha)) {
            throw new MyelinException("surrogate: alpha must be > 0 and finite, was " + alpha);
        }
    }

    public static Surrogate atan(float alpha) {
        return new Surrogate(Kind.ATAN, alpha);
    }

    public static Surrogate sigmoid(float alpha) {
        return new Surrogate(Kind.SIGMOID, alpha);
    }

    public static Surrogate fastSigmoid(float slope) {
        return new Surrogate(Kind.FAST_SIGMOID, slope);
    }

    public static Surrogate rectangular(float width) {
        return new Surrogate(Kind.RECTANGULAR, width);
    }

    /** Parses {@code atan}, {@code sigmoid}, {@code fast-sigmoid} or {@code rectangular}, optionally {@code :alpha}. */
    public static Surrogate parse(String text) {
        String[] p = text.trim().toLowerCase(java.util.Locale.ROOT).split(":");
        Kind k = switch (p[0]) {
            case "atan" -> Kind.ATAN;
            case "sigmoid" -> Kind.SIGMOID;
            case "fast-sigmoid", "fast_sigmoid", "fastsigmoid" -> Kind.FAST_SIGMOID;
            case "rectangular", "rect" -> Kind.RECTANGULAR;
            default -> throw new MyelinException("surrogate: unknown kind '" + p[0]
                    + "', expected atan, sigmoid, fast-sigmoid or rectangular");
        };
        float a = p.length > 1 ? Float.parseFloat(p[1]) : switch (k) {
            case ATAN -> 2f;
            case SIGMOID, FAST_SIGMOID -> 25f;
            case RECTANGULAR -> 1f;
        };
        return new Surrogate(k, a);
    }

    /** d smooth / dx at x. */
    public float derivative(float x) {
        switch (kind) {
            case SIGMOID: {
                float s = (float) (1.0 / (1.0 + Math.exp(-alpha * x)));
                return alpha * s * (1f - s);
            }
            case ATAN: {
                float u = (float) (Math.PI / 2) * alpha * x;
                return alpha / 2f / (1f + u * u);
            }
            case FAST_SIGMOID: {
                float d = 1f + alpha * Math.abs(x);
                return 1f / (d * d);
            }
            default:
                return Math.abs(x) < alpha / 2f ? 1f / alpha : 0f;
        }
    }

    /**
     * {@code into[k] = derivative(x[k] - shift)} for k in [from, to): one loop per kind, so that the loop body
     * has no branch.
     */
    public void derivatives(float[] x, float shift, float[] into, int from, int to) {
        final float a = alpha;
        switch (kind) {
            case SIGMOID:
                for (int k = from; k < to; k++) {
                    float s = (float) (1.0 / (1.0 + Math.exp(-a * (x[k] - shift))));
                    into[k] = a * s * (1f - s);
                }
                break;
            case ATAN: {
                final float c = (float) (Math.PI / 2) * a;
                final float h = a / 2f;
                for (int k = from; k < to; k++) {
                    float u = c * (x[k] - shift);
                    into[k] = h / (1f + u * u);
                }
                break;
            }
            case FAST_SIGMOID:
                for (int k = from; k < to; k++) {
                    float d = 1f + a * Math.abs(x[k] - shift);
                    into[k] = 1f / (d * d);
                }
                break;
            default:
                for (int k = from; k < to; k++) {
                    into[k] = derivative(x[k] - shift);
                }
        }
    }

    /** The smooth function whose derivative the backward pass uses (for gradient checks). */
    public float smooth(float x) {
        switch (kind) {
            case SIGMOID:
                return (float) (1.0 / (1.0 + Math.exp(-alpha * x)));
            case ATAN:
                return (float) (Math.atan(Math.PI / 2 * alpha * x) / Math.PI + 0.5);
            case FAST_SIGMOID:
                return x / (1f + alpha * Math.abs(x));
            default:
                return Math.max(0f, Math.min(1f, x / alpha + 0.5f));
        }
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ":" + alpha;
    }
}
