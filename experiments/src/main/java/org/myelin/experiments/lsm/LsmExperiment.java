package org.myelin.experiments.lsm;

import java.util.Locale;
import org.myelin.experiments.data.Standardisation;
import org.myelin.experiments.probe.LinearProbe;

/**
 * Liquid state machine classification of event data: each sample's events (the centre crop of an image, or every
 * cochlea channel) binned into frames, run through a random spiking reservoir on the configured backend, its
 * per-neuron spike counts standardised and read out by a linear classifier.
 */
public final class LsmExperiment {
    private LsmExperiment() {
    }

    /** Extracts the features of {@code c}'s samples and trains and scores the readout. */
    public static LsmResult classify(LsmConfig c) {
        Liquid lq = c.liquid();
        LiquidFeatures f = LiquidFeatures.extract(c, lq, c.data(), c.train(), c.test(), c.validation(), c.device());
        double[] acc = readout(f, lq.neurons(), c.classes(), c.epochs(), c.seed());
        return new LsmResult(lq, f, acc[0], acc[1]);
    }

    /**
     * Standardises the features (in place) and trains the linear readout; returns its train and test (or
     * validation) accuracy.
     */
    static double[] readout(LiquidFeatures f, int neurons, int classes, int epochs, long seed) {
        Standardisation.perFeature(f.xtr(), f.xte());
        LinearProbe probe = new LinearProbe(neurons, classes);
        probe.train(f.xtr(), f.ytr(), epochs, 0.01, seed);
        return new double[] {probe.accuracy(f.xtr(), f.ytr()), probe.accuracy(f.xte(), f.yte())};
    }

    /** One line on the liquid and its run: inputs, size, dynamics, samples, simulation time, spikes, weights. */
    public static String describe(LsmConfig c, Liquid lq, LiquidFeatures f) {
        return String.format(Locale.ROOT, "LSM (%s) on %s: %d inputs (%s), %d neurons, %d bins, decay %s, Vth %s; %d"
                        + " train / %d %s samples (%.1f s of simulation), %.1f spikes per neuron and sample, %s weights",
                lq.audio() ? "audio" : "image", c.backend() + (c.device() == null ? "" : " " + c.device()),
                lq.inputs(), lq.audio() ? "cochlea channels" : c.crop() + "x" + c.crop() + " crop", lq.neurons(),
                lq.bins(), lq.decay(), lq.vth(), f.xtr().length, f.xte().length, c.evaluatedOn(), f.seconds(),
                (double) f.spikes() / f.xtr().length / lq.neurons(), c.weights().label());
    }
}
