package org.myelin.core.random;

/**
 * Random draws keyed by (seed, stream, index, counter), built on {@link Philox}.
 *
 * <p>The key is the 64-bit seed. The counter words are: the low and high halves of {@code counter}, the low
 * half of {@code index}, and {@code stream} mixed with the high half of {@code index}. A stream names one
 * use (the connectivity of one projection, the weights of that projection, one Poisson source, ...); the
 * index is the neuron or synapse; the counter is the time step or the draw number. Backends that draw the
 * same key get the same number, bit for bit.
 */
public final class CounterRandom {
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

    private CounterRandom() {
    }

    /** 64 random bits for the key. */
    public static long bits(long seed, int stream, long index, long counter) {
        return Philox.first64((int) counter, (int) (counter >>> 32), (int) index,
                stream ^ (int) (index >>> 32) * 0x85EBCA6B, (int) seed, (int) (seed >>> 32));
    }

    /** A uniform double in [0, 1) with 53 random bits. */
    public static double uniform(long seed, int stream, long index, long counter) {
        return (bits(seed, stream, index, counter) >>> 11) * TWO_POW_MINUS_53;
    }

    /**
     * Fills {@code d} with uniform draws in [-bound, bound), element i from index i (counter 0): the weight
     * initialisation the learning models share (PyTorch's default for a linear layer is bound 1/sqrt(fan_in)).
     */
    public static void fillSymmetric(float[] d, long seed, int stream, double bound) {
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) ((uniform(seed, stream, i, 0) * 2 - 1) * bound);
        }
    }

    /** A uniform double in (0, 1]: safe to take the logarithm of. */
    public static double uniformPositive(long seed, int stream, long index, long counter) {
        return ((bits(seed, stream, index, counter) >>> 11) + 1) * TWO_POW_MINUS_53;
    }

    /**
     * A standard normal draw (Box-Muller on two uniforms taken from counters {@code 2*counter} and
     * {@code 2*counter + 1}).
     */
    public static double normal(long seed, int stream, long index, long counter) {
        double u1 = uniformPositive(seed, stream, index, 2 * counter);
        double u2 = uniform(seed, stream, index, 2 * counter + 1);
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** A stable 32-bit stream number for a name (FNV-1a over its UTF-16 code units). */
    public static int streamOf(String name) {
        int h = 0x811C9DC5;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            h ^= c & 0xFF;
            h *= 0x01000193;
            h ^= c >>> 8;
            h *= 0x01000193;
        }
        return h;
    }
}
