package org.myelin.core.backend;

import org.myelin.core.MyelinException;

/**
 * The fixed-point format of {@link SimulationConfig.Accumulation#FIXED_POINT}: synaptic weights are rounded to
 * multiples of 2^-16 mV (about 1.5e-5 mV) and summed as 32-bit integers, so the input of one target in one step
 * must stay within +-32767 mV. The sum enters the float state as {@code (float) sum * RESOLUTION_MV}.
 */
public final class FixedPoint {
    /** Bits after the binary point. */
    public static final int FRACTION_BITS = 16;
    /** The weight resolution, mV. */
    public static final float RESOLUTION_MV = 1f / (1 << FRACTION_BITS);
    /** The largest weight magnitude, mV. */
    public static final double MAX_WEIGHT_MV = (double) Integer.MAX_VALUE / (1 << FRACTION_BITS);

    private FixedPoint() {
    }

    /** The fixed-point value of {@code weightMv}; {@code owner} names the projection in the error. */
    public static int toFixed(double weightMv, String owner) {
        double scaled = Math.rint(weightMv * (1 << FRACTION_BITS));
        if (!(Math.abs(scaled) <= Integer.MAX_VALUE)) {
            throw new MyelinException(owner + ": a weight of " + weightMv + " mV exceeds the fixed-point range of +-"
                    + MAX_WEIGHT_MV + " mV");
        }
        return (int) scaled;
    }
}
