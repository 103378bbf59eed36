package org.myelin.nir;

import java.util.Arrays;
import java.util.Locale;

/**
 * A parameter of a NIR node: a numeric array with its shape (a scalar has shape {}), or a string.
 *
 * @param shape  dimensions, outermost first
 * @param values the numbers in row-major order (empty for a string)
 * @param dtype  the HDF5 element type as Java names it (float, double, int, long, String)
 * @param text   the string value, or null for numbers
 */
public record NirArray(int[] shape, double[] values, String dtype, String text) {

    public static NirArray ofText(String s) {
        return new NirArray(new int[0], new double[0], "String", s);
    }

    public boolean isText() {
        return text != null;
    }

    /** Number of elements (1 for a scalar). */
    public int size() {
        return values.length;
    }

    /** The single value of a scalar or one-element array. */
    public double scalar() {
        return values[0];
    }

    /** A short description: {@code float32[38x12] -1.34..1.02}, {@code float32[1] 0.0025}, {@code "LIF"}. */
    public String describe() {
        if (isText()) {
            return '"' + text + '"';
        }
        String type = switch (dtype) {
            case "float" -> "float32";
            case "double" -> "float64";
            case "int" -> "int32";
            case "long" -> "int64";
            default -> dtype;
        };
        StringBuilder b = new StringBuilder(type).append('[');
        for (int k = 0; k < shape.length; k++) {
            b.append(k > 0 ? "x" : "").append(shape[k]);
        }
        b.append("] ");
        if (values.length == 0) {
            return b.append("(empty)").toString();
        }
        double min = Arrays.stream(values).min().orElse(0);
        double max = Arrays.stream(values).max().orElse(0);
        if (min == max) {
            b.append(values.length == 1 ? format(min) : "all " + format(min));
        } else {
            b.append(format(min)).append("..").append(format(max));
        }
        return b.toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.6g", v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NirArray a && Arrays.equals(a.shape, shape) && Arrays.equals(a.values, values)
                && dtype.equals(a.dtype) && java.util.Objects.equals(text, a.text);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return describe();
    }
}
