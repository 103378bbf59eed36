package org.myelin.learning.tensor;

import java.util.Arrays;
import org.myelin.core.MyelinException;

/**
 * A dense float32 tensor in row-major order, with an optional gradient of the same shape.
 *
 * <p>Layouts used throughout sim-learning: sequences are (time, batch, features...), images are
 * (time*batch, channels, height, width), weights of a linear layer are (in, out) so that a binary spike
 * vector times the weights is a sum of rows. A tensor that {@link #requiresGrad()} receives gradients when a
 * {@link Tape} runs backward; its gradient array is allocated on first use.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;
    private final boolean requiresGrad;
    private volatile float[] grad;
    private String name;

    private Tensor(float[] data, int[] shape, boolean requiresGrad) {
        this.shape = shape;
        this.data = data;
        this.requiresGrad = requiresGrad;
        long n = count(shape);
        if (n != data.length) {
            throw new MyelinException("tensor: shape " + Arrays.toString(shape) + " holds " + n
                    + " values, the data has " + data.length);
        }
    }

    /** A tensor of zeros that takes no gradient. */
    public static Tensor zeros(int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[checkedCount(s)], s, false);
    }

    /** Wraps {@code data} (not copied) as a constant of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(data, shape.clone(), false);
    }

    /** A trainable tensor (parameter) of zeros. */
    public static Tensor parameter(String name, int... shape) {
        int[] s = shape.clone();
        Tensor t = new Tensor(new float[checkedCount(s)], s, true);
        t.name = name;
        return t;
    }

    /** A tensor computed by an operation: takes gradients when any of its inputs does. */
    public static Tensor result(boolean requiresGrad, int... shape) {
        int[] s = shape.clone();
        return new Tensor(new float[checkedCount(s)], s, requiresGrad);
    }

    /** As {@link #result(boolean, int...)}, over existing data. */
    public static Tensor result(float[] data, boolean requiresGrad, int... shape) {
        return new Tensor(data, shape.clone(), requiresGrad);
    }

    private static long count(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new MyelinException("tensor: negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        return n;
    }

    private static int checkedCount(int[] shape) {
        long n = count(shape);
        if (n > Integer.MAX_VALUE - 8) {
            throw new MyelinException("tensor: shape " + Arrays.toString(shape) + " has " + n
                    + " values, more than a Java array holds");
        }
        return (int) n;
    }

    public float[] data() {
        return data;
    }

    /** The gradient, allocated (zeros) on first call; safe to call from several threads. */
    public float[] grad() {
        float[] g = grad;
        if (g == null) {
            synchronized (this) {
                g = grad;
                if (g == null) {
                    g = new float[data.length];
                    grad = g;
                }
            }
        }
        return g;
    }

    /** Whether a gradient array exists (something was accumulated or {@link #grad()} was called). */
    public boolean hasGrad() {
        return grad != null;
    }

    /** Sets the gradient to zero (keeps the array). */
    public void zeroGrad() {
        if (grad != null) {
            Arrays.fill(grad, 0f);
        }
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int size() {
        return data.length;
    }

    /** Product of the dimensions after the first: the length of one row. */
    public int rowLength() {
        return shape.length == 0 ? 1 : data.length / Math.max(1, shape[0]);
    }

    public String name() {
        return name;
    }

    public Tensor named(String newName) {
        this.name = newName;
        return this;
    }

    public float item() {
        if (data.length != 1) {
            throw new MyelinException("tensor: item() needs one value, shape is " + Arrays.toString(shape));
        }
        return data[0];
    }

    /** Throws unless the shape equals {@code expected}. */
    public Tensor requireShape(String what, int... expected) {
        if (!Arrays.equals(shape, expected)) {
            throw new MyelinException(what + ": expected shape " + Arrays.toString(expected) + ", was "
                    + Arrays.toString(shape));
        }
        return this;
    }

    /** A copy of the values that takes no gradient. */
    public Tensor detach() {
        return new Tensor(data.clone(), shape.clone(), false);
    }

    @Override
    public String toString() {
        return "Tensor" + (name == null ? "" : "[" + name + "]") + Arrays.toString(shape)
                + (requiresGrad ? " (grad)" : "");
    }
}
