package org.myelin.experiments.lsm;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import org.myelin.core.random.CounterRandom;
import org.myelin.datasets.ntidigits.NtidigitsFile;
import org.myelin.experiments.data.Standardisation;
import org.myelin.learning.model.ContrastiveHeads;

/**
 * Zero-shot audio-to-image retrieval: an image liquid and an audio liquid (each with the reference's settings for
 * its modality), a projection head after each, trained with the symmetric contrastive loss on pairs of the seen
 * digits 1-7; the number of training steps is chosen on the training data alone, by the zero-shot retrieval of
 * digits 6-7 with heads trained on 1-5; then, once, on the test splits: in-class (queries and galleries of digits
 * 1-7) and zero-shot (8 and 9, never paired in training) top-1 retrieval.
 */
public final class LsmZeroShot {
    /** The digits paired in training. */
    public static final int[] SEEN = {1, 2, 3, 4, 5, 6, 7};
    /** The digits never paired in training. */
    public static final int[] UNSEEN = {8, 9};
    private static final int[] VALIDATION_SEEN = {1, 2, 3, 4, 5};
    private static final int[] VALIDATION_UNSEEN = {6, 7};

    private LsmZeroShot() {
    }

    /**
     * Runs the liquids and trains and scores the heads of every seed; the liquids' descriptions and one line per
     * head seed go to {@code progress}.
     */
    public static ZeroShotResult run(ZeroShotConfig z, Consumer<String> progress) {
        LsmConfig c = z.image();
        int[] steps = z.steps();
        Liquid img = new Liquid(false, c.crop() * c.crop(), c.neurons(), c.bins(), c.decay(), c.vth());
        Liquid aud = new Liquid(true, NtidigitsFile.CHANNELS, z.audioNeurons(), 129, 0.97, 5.3);
        EventSamples at = EventSamples.audio(z.audioData(), "train");
        EventSamples ae = EventSamples.audio(z.audioData(), "test");
        LiquidFeatures fi = LiquidFeatures.extract(c, img, c.data(), c.train(), c.test(), null, c.device());
        // the audio liquid is drawn independently of the image liquid, as the reference's two encoder modules are
        // (drawn one after the other from one generator); with one seed for both, the audio liquid's recurrent matrix
        // was the image liquid's and its input weights the image liquid's first 64 rows
        LsmConfig ca = audioLiquid(c);
        LiquidFeatures fa = LiquidFeatures.extract(ca, aud, z.audioData(), at.size(), ae.size(), null, c.device());
        // the liquids' weights and their raw counts on the training samples, before anything is standardised
        progress.accept(statistics("image", c, img, fi));
        progress.accept(statistics("audio", ca, aud, fa));
        // only the seen digits' training samples are used at all, for the standardisation too: 8 and 9 stay unseen
        var imgTrain = seen(new ContrastiveHeads.Samples(fi.xtr(), fi.ytr()));
        var audTrain = seen(new ContrastiveHeads.Samples(fa.xtr(), fa.ytr()));
        Standardisation.perFeature(imgTrain.features(), fi.xte());
        Standardisation.perFeature(audTrain.features(), fa.xte());
        progress.accept(LsmExperiment.describe(c, img, fi));
        progress.accept(LsmExperiment.describe(c, aud, fa));
        progress.accept(String.format(Locale.ROOT, "heads: %s, %d-wide embeddings, temperature %s, batches of %d"
                + " pairs, Adam %s", z.head().label(), z.dim(), z.temperature(), z.batch(), z.headLr()));
        var imgTest = new ContrastiveHeads.Samples(fi.xte(), fi.yte());
        var audTest = new ContrastiveHeads.Samples(fa.xte(), fa.yte());
        // the heads' seed changes their initial weights and their pairs; each seed chooses its own steps
        int headSeeds = z.headSeeds();
        double[] ins = new double[headSeeds];
        double[] zeros = new double[headSeeds];
        int[] chosen = new int[headSeeds];
        double bestTestOut = 0;
        int longest = Arrays.stream(steps).max().getAsInt();
        for (int k = 0; k < headSeeds; k++) {
            long hs = c.seed() + k;
            // model selection as a zero-shot problem of its own, on training data only: heads trained on digits 1-5
            // are scored by retrieving 6 and 7 (never paired in that training), the way the final heads, trained on
            // 1-7, will face 8 and 9; one run per problem, scored when it has done each number of steps (a run's
            // first s steps are a run of s steps)
            double[] val = new double[steps.length];
            ContrastiveHeads hv = new ContrastiveHeads(img.neurons(), aud.neurons(), z.dim(), z.temperature(), hs,
                    z.head());
            hv.train(imgTrain, audTrain, VALIDATION_SEEN, z.batch(), longest, z.headLr(), hs, done -> {
                for (int i = 0; i < steps.length; i++) {
                    if (steps[i] == done) {
                        val[i] = hv.retrieval(imgTrain, audTrain, VALIDATION_UNSEEN);
                    }
                }
            });
            int bi = 0;
            for (int i = 1; i < steps.length; i++) {
                bi = val[i] > val[bi] ? i : bi;
            }
            // the final heads, trained on 1-7; their test figures at the other lengths are reported for transparency
            // only (never used to choose): what choosing on the test set, as the reference scripts do, would report
            double[] testIn = new double[steps.length];
            double[] testOut = new double[steps.length];
            ContrastiveHeads h = new ContrastiveHeads(img.neurons(), aud.neurons(), z.dim(), z.temperature(), hs,
                    z.head());
            h.train(imgTrain, audTrain, SEEN, z.batch(), longest, z.headLr(), hs, done -> {
                for (int i = 0; i < steps.length; i++) {
                    if (steps[i] == done) {
                        testIn[i] = h.retrieval(imgTest, audTest, SEEN);
                        testOut[i] = h.retrieval(imgTest, audTest, UNSEEN);
                    }
                }
            });
            StringBuilder vals = new StringBuilder();
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < steps.length; i++) {
                vals.append(String.format(Locale.ROOT, "%s%d steps %.2f %%", i == 0 ? "" : ", ", steps[i],
                        100 * val[i]));
                all.append(String.format(Locale.ROOT, "%s%d steps %.2f %%", i == 0 ? "" : ", ", steps[i],
                        100 * testOut[i]));
                bestTestOut = Math.max(bestTestOut, testOut[i]);
            }
            ins[k] = testIn[bi];
            zeros[k] = testOut[bi];
            chosen[k] = steps[bi];
            progress.accept(String.format(Locale.ROOT, "head seed %d: validation zero-shot (trained on 1-5, 6-7"
                    + " retrieved) %s -> %d steps; test in-class %.2f %%, out-class %.2f %% (test out-class per steps,"
                    + " never used to choose: %s)", hs, vals, steps[bi], 100 * ins[k], 100 * zeros[k], all));
        }
        return new ZeroShotResult(fi, fa, chosen, ins, zeros, bestTestOut);
    }

    /** The image liquid's settings with the audio liquid's own seed, drawn from the image liquid's. */
    static LsmConfig audioLiquid(LsmConfig c) {
        long seed = CounterRandom.bits(c.seed(), CounterRandom.streamOf("lsm.zeroshot.audio-liquid"), 0, 0);
        return new LsmConfig(c.modality(), c.data(), c.train(), c.test(), c.validation(), c.backend(), c.device(),
                c.weights(), c.crop(), c.bins(), c.neurons(), c.decay(), c.vth(), c.inputSigma(), c.recurrentSigma(),
                c.epochs(), seed);
    }

    /** The weight statistics of a liquid and the activity statistics of its training counts, one line. */
    static String statistics(String name, LsmConfig c, Liquid lq, LiquidFeatures f) {
        var r = lq.reservoir(c.inputSigma(), c.recurrentSigma(), c.seed(), c.weights());
        return name + " liquid (" + c.weights().label() + "): " + LiquidStatistics.describe(r) + "; training counts: "
                + LiquidStatistics.activity(f.xtr(), lq.bins() + 1).describe();
    }

    static double mean(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        return m / v.length;
    }

    static double sd(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return v.length < 2 ? 0 : Math.sqrt(s / (v.length - 1));
    }

    private static ContrastiveHeads.Samples seen(ContrastiveHeads.Samples s) {
        return s.select(i -> s.labels()[i] >= SEEN[0] && s.labels()[i] <= SEEN[SEEN.length - 1]);
    }
}
