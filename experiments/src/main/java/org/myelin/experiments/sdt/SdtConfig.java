package org.myelin.experiments.sdt;

import java.nio.file.Path;
import org.myelin.core.MyelinException;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.learning.sdt.SdtSpec;
import org.myelin.learning.train.LabelledData;

/**
 * A spike-driven transformer run: data, training budget, architecture and the core check. {@link #defaults} gives
 * those of {@code myelin train sdt}.
 *
 * @param data            {@code fashion-mnist} (Debian's package), {@code mnist} (needs {@code dataDir}), or a
 *                        folder of IDX files: train-/t10k- pairs, or one images/labels pair whose last {@code
 *                        holdout} images are the test set
 * @param dataDir         the folder of {@code mnist}; else unused (may be null)
 * @param holdout         test images of a single-pair folder
 * @param trainLimit      at most this many training images
 * @param testLimit       at most this many test images
 * @param epochs          passes over the training set
 * @param batch           images per batch
 * @param lr              peak learning rate (AdamW, cosine schedule)
 * @param weightDecay     AdamW's weight decay
 * @param warmup          warm-up steps of the cosine schedule
 * @param steps           time steps T
 * @param stages          stages, each {@code WIDTH{c|a}BLOCKS[kKERNELsSTRIDE]}
 * @param heads           attention heads
 * @param mlpRatio        the MLP's expansion
 * @param attention       {@code sdsa3} (V2) or {@code sdsa1} (V1)
 * @param repConv         Q, K, V and projection as RepConvs (else 1x1 convolutions, V1)
 * @param transformerOnly every conv stage becomes a transformer stage
 * @param seed            seed of the weights and the batches
 * @param coreCheck       the first N test images run on the spike-driven engine (-1: all)
 * @param threads         the engine's worker threads (0: all cores)
 * @param progress        show progress bars while training
 */
public record SdtConfig(String data, Path dataDir, int holdout, int trainLimit, int testLimit, int epochs, int batch,
                        double lr, double weightDecay, int warmup, int steps, String stages, int heads, int mlpRatio,
                        String attention, boolean repConv, boolean transformerOnly, long seed, int coreCheck,
                        int threads, boolean progress) {
    /** Checks the counts and rates. */
    public SdtConfig {
        if (data == null || stages == null || attention == null) {
            throw new MyelinException("sdt: data, stages and attention must be given, were " + data + ", " + stages
                    + ", " + attention);
        }
        atLeastOne("trainLimit", trainLimit);
        atLeastOne("testLimit", testLimit);
        atLeastOne("epochs", epochs);
        atLeastOne("batch", batch);
        atLeastOne("steps", steps);
        atLeastOne("heads", heads);
        atLeastOne("mlpRatio", mlpRatio);
        if (!(lr > 0) || !(weightDecay >= 0) || warmup < 0) {
            throw new MyelinException("sdt: lr must be > 0, weightDecay and warmup >= 0, were " + lr + ", "
                    + weightDecay + ", " + warmup);
        }
        if (coreCheck < -1 || threads < 0) {
            throw new MyelinException("sdt: coreCheck must be >= -1 and threads >= 0, were " + coreCheck + ", "
                    + threads);
        }
    }

    private static void atLeastOne(String name, int v) {
        if (v < 1) {
            throw new MyelinException("sdt: " + name + " must be >= 1, was " + v);
        }
    }

    /**
     * The defaults of {@code myelin train sdt} on {@code data}: 10 epochs of batches of 32, lr 5e-3, weight decay
     * 0.01, 300 warm-up steps, T = 1, stages 32c0k7s2,48c1,64a1k3s1, 4 heads, MLP ratio 4, SDSA-3 with RepConv,
     * every test image checked on the core.
     */
    public static SdtConfig defaults(String data) {
        return new SdtConfig(data, null, 2000, Integer.MAX_VALUE, Integer.MAX_VALUE, 10, 32, 5e-3, 0.01, 300, 1,
                "32c0k7s2,48c1,64a1k3s1", 4, 4, "sdsa3", true, false, 1, -1, 0, true);
    }

    /**
     * The same run with another training budget and architecture: {@code epochs} epochs of batches of {@code batch}
     * at rate {@code lr} with {@code warmup} warm-up steps, T = {@code steps}, the given stages, heads and MLP ratio,
     * no progress bars.
     */
    public SdtConfig withBudget(int epochs, int batch, double lr, int warmup, int steps, String stages, int heads,
                                int mlpRatio) {
        return new SdtConfig(data, dataDir, holdout, trainLimit, testLimit, epochs, batch, lr, weightDecay, warmup,
                steps, stages, heads, mlpRatio, attention, repConv, transformerOnly, seed, coreCheck, threads, false);
    }

    /** The same run with {@code holdout} test images of a single-pair folder. */
    public SdtConfig withHoldout(int holdout) {
        return new SdtConfig(data, dataDir, holdout, trainLimit, testLimit, epochs, batch, lr, weightDecay, warmup,
                steps, stages, heads, mlpRatio, attention, repConv, transformerOnly, seed, coreCheck, threads,
                progress);
    }

    /** The architecture for {@code classes} classes of {@code size} x {@code size} images. */
    public SdtSpec spec(int classes, int size) {
        SdtSpec s = new SdtSpec(1, size, classes, steps, SdtSpec.parseStages(stages), heads, mlpRatio, attention,
                repConv, seed);
        return transformerOnly ? s.transformerOnly() : s;
    }

    /** The engine's worker threads: {@code threads}, or every core for 0. */
    public int engineThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** The training and test sets, each cut to its limit; refuses images that are not square. */
    public LabelledData[] load() {
        Path dir;
        if (data.equals("mnist")) {
            if (dataDir == null) {
                throw new MyelinException("--data mnist needs --data-dir FOLDER (the IDX files of MNIST)");
            }
            dir = dataDir;
        } else {
            dir = IdxDatasets.resolve(data);
        }
        LabelledData[] split = IdxDatasets.loadSplits(dir, holdout);
        LabelledData train = split[0].head(trainLimit);
        LabelledData test = split[1].head(testLimit);
        size(train);
        return new LabelledData[] {train, test};
    }

    /** The side of the square images of {@code d}. */
    public static int size(LabelledData d) {
        int size = (int) Math.round(Math.sqrt(d.features()));
        if (size * size != d.features()) {
            throw new MyelinException("sdt: expects square images, the data has " + d.features()
                    + " values per image");
        }
        return size;
    }
}
