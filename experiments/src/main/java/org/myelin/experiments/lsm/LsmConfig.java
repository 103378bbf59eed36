package org.myelin.experiments.lsm;

import java.nio.file.Path;
import org.myelin.core.MyelinException;

/**
 * A liquid-state-machine classification run. {@link #image} and {@link #audio} give the defaults of {@code myelin
 * experiment lsm} for each modality (the reference's bins, decay and threshold).
 *
 * @param modality       event images (N-MNIST-format folder) or spoken digits (N-TIDIGITS HDF5 file)
 * @param data           the folder or file
 * @param train          training samples, spread evenly over the split
 * @param test           test samples (unused with {@code validation})
 * @param validation     null, or evaluate on this many further training samples instead of the test split
 * @param backend        the backend the reservoir runs on ({@code cpu}, {@code memristor}, ...)
 * @param device         the memristor device ({@code ideal}, {@code pcm-like[@seconds]}, {@code rram}, with
 *                       {@code ,key=value} changes), or null for the backend's default
 * @param weights        the reservoir's weights: Gaussian, or drawn from resistive-memory switching
 * @param crop           images: the centre crop, pixels a side
 * @param bins           time bins per sample
 * @param neurons        reservoir neurons
 * @param decay          membrane decay per bin
 * @param vth            threshold
 * @param inputSigma     input weight spread
 * @param recurrentSigma recurrent weight spread
 * @param epochs         epochs of the linear readout
 * @param seed           seed of the reservoir and the readout
 */
public record LsmConfig(Modality modality, Path data, int train, int test, Integer validation, String backend,
                        String device, Weights weights, int crop, int bins, int neurons, double decay, double vth,
                        double inputSigma, double recurrentSigma, int epochs, long seed) {
    /** What the events are. */
    public enum Modality {
        /** Event images: the centre crop of an N-MNIST-format sensor. */
        IMAGE,
        /** Spoken digits: the 64 cochlea channels of N-TIDIGITS. */
        AUDIO;

        /** {@code image} or {@code audio}. */
        public String label() {
            return this == IMAGE ? "image" : "audio";
        }
    }

    /** How the reservoir's weights are drawn. */
    public enum Weights {
        /** Gaussian, with the input and recurrent spreads. */
        GAUSSIAN,
        /** From the stochastic switching of resistive-memory pairs, rescaled to the same spreads. */
        SWITCHING;

        /** {@code gaussian} or {@code switching}. */
        public String label() {
            return this == GAUSSIAN ? "gaussian" : "switching";
        }
    }

    /** Checks every count and setting. */
    public LsmConfig {
        if (modality == null || data == null || backend == null || weights == null) {
            throw new MyelinException("lsm: modality, data, backend and weights must be given, were " + modality + ", "
                    + data + ", " + backend + ", " + weights);
        }
        atLeastOne("train", train);
        atLeastOne("test", test);
        atLeastOne("crop", crop);
        atLeastOne("bins", bins);
        atLeastOne("neurons", neurons);
        atLeastOne("epochs", epochs);
        if (validation != null && validation < 1) {
            throw new MyelinException("lsm: validation must be >= 1 (or null for the test split), was " + validation);
        }
        if (!(decay > 0) || !(vth > 0) || !(inputSigma >= 0) || !(recurrentSigma >= 0)) {
            throw new MyelinException("lsm: decay and vth must be > 0 and the spreads >= 0, were decay " + decay
                    + ", vth " + vth + ", inputSigma " + inputSigma + ", recurrentSigma " + recurrentSigma);
        }
    }

    private static void atLeastOne(String name, int v) {
        if (v < 1) {
            throw new MyelinException("lsm: " + name + " must be >= 1, was " + v);
        }
    }

    /** The defaults for event images: 2000 / 500 samples, a 16 x 16 crop, 50 bins, 200 neurons, decay 0.9, Vth 5. */
    public static LsmConfig image(Path data) {
        return new LsmConfig(Modality.IMAGE, data, 2000, 500, null, "cpu", null, Weights.GAUSSIAN, 16, 50, 200, 0.9,
                5.0, 3.0, 1.0, 40, 10);
    }

    /** The defaults for spoken digits: as {@link #image}, with 129 bins, decay 0.97 and Vth 5.3. */
    public static LsmConfig audio(Path data) {
        return new LsmConfig(Modality.AUDIO, data, 2000, 500, null, "cpu", null, Weights.GAUSSIAN, 16, 129, 200, 0.97,
                5.3, 3.0, 1.0, 40, 10);
    }

    /** The same run on {@code train} / {@code test} samples (or {@code validation} held-out training samples). */
    public LsmConfig withSamples(int train, int test, Integer validation) {
        return new LsmConfig(modality, data, train, test, validation, backend, device, weights, crop, bins, neurons,
                decay, vth, inputSigma, recurrentSigma, epochs, seed);
    }

    /** The same run with another crop, bin count and reservoir size. */
    public LsmConfig withLiquid(int crop, int bins, int neurons) {
        return new LsmConfig(modality, data, train, test, validation, backend, device, weights, crop, bins, neurons,
                decay, vth, inputSigma, recurrentSigma, epochs, seed);
    }

    /** The same run on another backend and device, with the given weights. */
    public LsmConfig withBackend(String backend, String device, Weights weights) {
        return new LsmConfig(modality, data, train, test, validation, backend, device, weights, crop, bins, neurons,
                decay, vth, inputSigma, recurrentSigma, epochs, seed);
    }

    /** The classes of the modality: 10 digits, or 11 spoken ones (zero to nine and "oh"). */
    public int classes() {
        return modality == Modality.AUDIO ? 11 : 10;
    }

    /** {@code test} or {@code validation}: what the evaluated split is called. */
    public String evaluatedOn() {
        return validation == null ? "test" : "validation";
    }

    /** The liquid of these settings. */
    public Liquid liquid() {
        boolean audio = modality == Modality.AUDIO;
        return new Liquid(audio, audio ? org.myelin.datasets.ntidigits.NtidigitsFile.CHANNELS : crop * crop, neurons,
                bins, decay, vth);
    }
}
