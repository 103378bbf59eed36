package org.myelin.experiments.edge;

import java.util.List;
import org.myelin.backend.edge.FixedPointNet;

/**
 * What a compression study measured, on the same test windows for every variant.
 *
 * @param description   the model and its data in words
 * @param windows       test windows
 * @param seconds       wall time of running every variant on them
 * @param floatCorrect  windows the float32 model classifies correctly
 * @param floatBytes    bytes of the float32 model
 * @param floatWeights  trained weights of the float32 model
 * @param floatDecay    the float32 model's first-layer decay in words
 * @param variants      the fixed-point variants
 * @param chosen        the variant of the configured bits and pruning (the one an image is written of)
 * @param windowBytes   with {@link CompressionConfig#windows}, the windows in the runtime's format; else null
 * @param expected      with {@link CompressionConfig#windows}, the chosen variant's counts, a line per window
 */
public record CompressionResult(String description, int windows, double seconds, int floatCorrect,
                                long floatBytes, long floatWeights, String floatDecay, List<Variant> variants,
                                FixedPointNet chosen, byte[] windowBytes, String expected) {
    /**
     * One fixed-point variant.
     *
     * @param name              e.g. {@code int4, 50 % pruned}
     * @param correct           windows it classifies correctly
     * @param parameterBytes    its parameters' bytes
     * @param nonZero           non-zero weights
     * @param denseAccumulates  accumulates per window over dense rows
     * @param nonZeroAccumulates accumulates per window over non-zero weights
     * @param macs              multiply-accumulates per window
     * @param neuronUpdates     neuron updates per window
     * @param decay             its first-layer decay (shifts) in words
     * @param hostMicros        host time per window, microseconds
     */
    public record Variant(String name, int correct, long parameterBytes, long nonZero, double denseAccumulates,
                          double nonZeroAccumulates, double macs, double neuronUpdates, String decay,
                          double hostMicros) {
    }

    /** The float32 model's accuracy (a fraction). */
    public double floatAccuracy() {
        return (double) floatCorrect / windows;
    }

    /** Variant {@code v}'s accuracy (a fraction). */
    public double accuracy(int v) {
        return (double) variants.get(v).correct() / windows;
    }
}
