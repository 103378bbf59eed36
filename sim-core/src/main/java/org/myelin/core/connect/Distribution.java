package org.myelin.core.connect;

import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;

/**
 * A value that is either constant or drawn per element (synapse, neuron) from a counter-based stream, so
 * the draw for element {@code index} is the same whatever order the elements are visited in.
 */
public sealed interface Distribution {

    static Distribution constant(double value) {
        return new Constant(value);
    }

    /** Uniform on [low, high). */
    static Distribution uniform(double low, double high) {
        return new Uniform(low, high);
    }

    /** Uniform over the integers low, low + 1, ..., high. */
    static Distribution uniformInt(long low, long high) {
        return new UniformInt(low, high);
    }

    static Distribution normal(double mean, double sd) {
        return new Normal(mean, sd);
    }

    /** Normal, with draws outside [low, high] set to the nearest bound. */
    static Distribution clippedNormal(double mean, double sd, double low, double high) {
        return new ClippedNormal(mean, sd, low, high);
    }

    /**
     * Normal, with draws outside [low, high] drawn again (a truncated normal: NEST's {@code redraw}); either bound
     * may be infinite.
     */
    static Distribution truncatedNormal(double mean, double sd, double low, double high) {
        return new TruncatedNormal(mean, sd, low, high);
    }

    /**
     * Draws of {@code inner} rounded to the nearest integer (half up, as {@link Math#round}): delays on the time grid
     * at connection time, as NEST stores them, so a backend need not keep the unrounded value.
     */
    static Distribution rounded(Distribution inner) {
        return new Rounded(inner);
    }

    /**
     * Given values, element {@code index} taking {@code values[index]}: a population's initial potentials neuron by
     * neuron (a layer's precomputed input held in its neurons), or per-synapse values in visiting order.
     */
    static Distribution table(double[] values) {
        return new Table(values.clone());
    }

    /** The value for element {@code index} of the stream. */
    double sample(long seed, int stream, long index);

    /** Smallest value a draw can take. */
    double min();

    /** Largest value a draw can take. */
    double max();

    /** True when every element gets the same value. */
    default boolean isConstant() {
        return this instanceof Constant;
    }

    /** Throws unless the parameters are consistent; the message starts with {@code owner}. */
    void validate(String owner, String parameter, String unit);

    /** See {@link Distribution#table}. */
    record Table(double[] values) implements Distribution {
        @Override
        public double sample(long seed, int stream, long index) {
            if (index < 0 || index >= values.length) {
                throw new MyelinException("a table of " + values.length + " values has no element " + index);
            }
            return values[(int) index];
        }

        @Override
        public double min() {
            double m = Double.POSITIVE_INFINITY;
            for (double x : values) {
                m = Math.min(m, x);
            }
            return m;
        }

        @Override
        public double max() {
            double m = Double.NEGATIVE_INFINITY;
            for (double x : values) {
                m = Math.max(m, x);
            }
            return m;
        }

        @Override
        public void validate(String owner, String parameter, String unit) {
            if (values.length == 0) {
                throw new MyelinException(owner + ": " + parameter + " table must hold values, was empty");
            }
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new MyelinException(owner + ": " + parameter + " value " + i + " must be finite, was "
                            + values[i] + " " + unit);
                }
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Table t && java.util.Arrays.equals(values, t.values);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Table[" + values.length + " values, " + java.util.Arrays.hashCode(values) + "]";
        }
    }

    record Constant(double value) implements Distribution {
        @Override
        public double sample(long seed, int stream, long index) {
            return value;
        }

        @Override
        public double min() {
            return value;
        }

        @Override
        public double max() {
            return value;
        }

        @Override
        public void validate(String owner, String parameter, String unit) {
            if (!Double.isFinite(value)) {
                throw new MyelinException(owner + ": " + parameter + " must be finite, was " + value + " " + unit);
            }
        }
    }

    record Uniform(double low, double high) implements Distribution {
        @Override
        public double sample(long seed, int stream, long index) {
            return low + (high - low) * CounterRandom.uniform(seed, stream, index, 0);
        }

        @Override
        public double min() {
            return low;
        }

        @Override
        public double max() {
            return high;
        }

        @Override
        public void validate(String owner, String parameter, String unit) {
            if (!Double.isFinite(low) || !Double.isFinite(high) || !(low < high)) {
                throw new MyelinException(owner + ": " + parameter + " uniform(low, high) needs finite low < high, was ("
                        + low + ", " + high + ") " + unit);
            }
        }
    }

    record UniformInt(long low, long high) implements Distribution {
        @Override
        public double sample(long seed, int stream, long index) {
            double u = CounterRandom.uniform(seed, stream, index, 0);
            return low + (long) Math.floor(u * (high - low + 1));
        }

        @Override
        public double min() {
            return low;
        }

        @Override
        public double max() {
            return high;
        }

        @Override
        public void validate(String owner, String parameter, String unit) {
            if (low > high) {
                throw new MyelinException(owner + ": " + parameter + " uniformInt(low, high) needs low <= high, was ("
                        + low + ", " + high + ") " + unit);
            }
        }
    }

    record Normal(double mean, double sd) implements Distribution {
        @Override
        public double sample(long seed, int stream, long index) {
            return mean + sd * CounterRandom.normal(seed, stream, index, 0);
        }

        @Override
        public double min() {
            return Double.NEGATIVE_INFINITY;
        }

        @Override
        public double max() {
            return Double.POSITIVE_INFINITY;
        }

        @Override
        public void validate(String owner, String parameter, String unit) {
            if (!Double.isFinite(mean) || !(sd >= 0) || Double.isInfinite(sd)) {
                throw new MyelinException(owner + ": " + parameter + " normal(mean, sd) needs a finite mean and sd >= 0, was ("
                        + mean + ", " + sd + ") " + unit);
            }
        }
    }

    record ClippedNormal(double mean, double sd, double low, double high) implements Distribution {
        @Override
        public double sample(long seed, int stream, long index) {
            double x = mean + sd * CounterRandom.normal(seed, stream, index, 0);
            return Math.min(high, Math.max(low, x));
        }

        @Override
        public double min() {
            return low;
        }

        @Override
        public double max() {
            return high;
        }

        @Override
        public void validate(String owner, String parameter, String unit) {
            new Normal(mean, sd).validate(owner, parameter, unit);
            if (!Double.isFinite(low) || !Double.isFinite(high) || !(low <= high)) {
                throw new MyelinException(owner + ": " + parameter + " clipped normal needs finite low <= high, was ("
                        + low + ", " + high + ") " + unit);
            }
        }
    }

    /** A normal redrawn until it falls in [low, high]: draw a of element i is {@code normal(seed, stream, i, a)}. */
    record TruncatedNormal(double mean, double sd, double low, double high) implements Distribution {
        /** Redraws before giving up: validation keeps the interval within 5 sd of the mean, so this never happens. */
        private static final int ATTEMPTS = 1_000_000;

        @Override
        public double sample(long seed, int stream, long index) {
            for (int a = 0; a < ATTEMPTS; a++) {
                double x = mean + sd * CounterRandom.normal(seed, stream, index, a);
                if (x >= low && x <= high) {
                    return x;
                }
            }
            throw new MyelinException("truncated normal(" + mean + ", " + sd + ") in [" + low + ", " + high
                    + "]: no draw in range after " + ATTEMPTS + " attempts");
        }

        @Override
        public double min() {
            return low;
        }

        @Override
        public double max() {
            return high;
        }

        @Override
        public void validate(String owner, String parameter, String unit) {
            new Normal(mean, sd).validate(owner, parameter, unit);
            if (Double.isNaN(low) || Double.isNaN(high) || !(low < high || (sd == 0 && low <= mean && mean <= high))) {
                throw new MyelinException(owner + ": " + parameter + " truncated normal needs low < high, was (" + low
                        + ", " + high + ") " + unit);
            }
            if (sd == 0 ? mean < low || mean > high : (low - mean) / sd > 5 || (high - mean) / sd < -5) {
                throw new MyelinException(owner + ": " + parameter + " truncated normal(" + mean + ", " + sd
                        + ") puts (almost) nothing in [" + low + ", " + high + "] " + unit);
            }
        }
    }

    /** Another distribution's draws rounded to the nearest integer. */
    record Rounded(Distribution inner) implements Distribution {
        @Override
        public double sample(long seed, int stream, long index) {
            return Math.round(inner.sample(seed, stream, index));
        }

        @Override
        public double min() {
            return Double.isInfinite(inner.min()) ? inner.min() : Math.round(inner.min());
        }

        @Override
        public double max() {
            return Double.isInfinite(inner.max()) ? inner.max() : Math.round(inner.max());
        }

        @Override
        public void validate(String owner, String parameter, String unit) {
            inner.validate(owner, parameter, unit);
        }
    }
}
