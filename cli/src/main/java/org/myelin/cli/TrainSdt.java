package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.experiments.sdt.SdtConfig;
import org.myelin.experiments.sdt.SdtExperiment;
import org.myelin.experiments.sdt.SdtReport;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.train.LabelledData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin train sdt}: a small Meta-SpikeFormer on MNIST-like images, checked and costed on the core. */
@Command(name = "sdt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a spike-driven transformer (Meta-SpikeFormer) and check it on the core.",
            "Trains Meta-SpikeFormer (Spike-driven Transformer V2) on MNIST-like images (square, one channel)"
                + " with BPTT, exports it with batch norms and RepConvs folded, runs the export on the cpu backend's"
                + " spike-driven engine (additions only after the first layer) and compares its predictions and"
                + " per-layer spike counts with the training graph's. Reports accuracy, parameters, T, firing rates"
                + " and the energy estimate E = 4.6 pJ x MACs + 0.9 pJ x ACs from the engine's counters."})
final class TrainSdt implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    Options options;

    /** The options shared by {@code train sdt} and {@code experiment sdt-ablation}. */
    static final class Options {
        @Option(names = "--data", defaultValue = "fashion-mnist", description = {"fashion-mnist (Debian's",
            "dataset-fashion-mnist), mnist (needs --data-dir), or a folder of IDX files: train-/t10k- pairs, or one",
            "images-idx3-ubyte/labels-idx1-ubyte pair whose last --holdout images are the test set"})
        String data;
        @Option(names = "--data-dir", description = "the folder of --data mnist")
        Path dataDir;
        @Option(names = "--holdout", defaultValue = "2000", description = "test images of a single-pair folder")
        int holdout;
        @Option(names = "--train-limit", defaultValue = "2147483647", description = "at most this many training images")
        int trainLimit;
        @Option(names = "--test-limit", defaultValue = "2147483647", description = "at most this many test images")
        int testLimit;
        @Option(names = "--epochs", defaultValue = "10", description = "passes over the training set (default:"
                + " ${DEFAULT-VALUE})")
        int epochs;
        @Option(names = "--batch-size", defaultValue = "32",
                description = "samples per training batch (default: ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--lr", defaultValue = "5e-3", description = "learning rate (default: ${DEFAULT-VALUE})")
        double lr;
        @Option(names = "--weight-decay", defaultValue = "0.01",
                description = "weight decay of the optimiser (default: ${DEFAULT-VALUE})")
        double weightDecay;
        @Option(names = "--warmup", defaultValue = "300", description = "warm-up steps of the cosine schedule")
        int warmup;
        @Option(names = "--steps", defaultValue = "1", description = "time steps T (default: ${DEFAULT-VALUE})")
        int steps;
        @Option(names = "--stages", defaultValue = "32c0k7s2,48c1,64a1k3s1", description = {"stages, each",
            "WIDTH{c|a}BLOCKS[kKERNELsSTRIDE] (c: conv blocks, a: transformer blocks; downsampling kernel 3 stride 2",
            "unless given) (default: ${DEFAULT-VALUE})"})
        String stages;
        @Option(names = "--heads", defaultValue = "4",
                description = "attention heads of each transformer block (default: ${DEFAULT-VALUE})")
        int heads;
        @Option(names = "--mlp-ratio", defaultValue = "4",
                description = "hidden width of each block's MLP, as a multiple of its channels (default: ${DEFAULT-VALUE})")
        int mlpRatio;
        @Option(names = "--attention", defaultValue = "sdsa3", description = "sdsa3 (V2) or sdsa1 (V1)")
        String attention;
        @Option(names = "--no-repconv",
                description = "Q, K, V and projection as 1x1 convolutions (V1) instead of RepConv")
        boolean noRepConv;
        @Option(names = "--transformer-only", description = "every conv stage becomes a transformer stage")
        boolean transformerOnly;
        @picocli.CommandLine.Mixin
        SharedOptions.Seed seedOption;
        @Option(names = "--core-check", defaultValue = "-1", paramLabel = "N", description = {"run the first N test",
            "images (-1: all) on the cpu backend's spike-driven engine and compare with the training graph"})
        int coreCheck;
        @picocli.CommandLine.Mixin
        SharedOptions.Threads threadsOption;
        @Mixin
        ProgressOptions progress;

        /** The options as the library's configuration. */
        SdtConfig config() {
            return new SdtConfig(data, dataDir, holdout, trainLimit, testLimit, epochs, batch, lr, weightDecay, warmup,
                    steps, stages, heads, mlpRatio, attention, !noRepConv, transformerOnly, seedOption.value(), coreCheck,
                    threadsOption.value(),
                    progress.enabled());
        }
    }

    @Override
    public Integer call() throws IOException {
        options.threadsOption.applyToTraining();
        PrintWriter out = spec.commandLine().getOut();
        SdtConfig c = options.config();
        json.check();
        LabelledData[] d = c.load();
        out.printf(Locale.ROOT, "data %s: %d training, %d test images%n", options.data, d[0].size(), d[1].size());
        int classes = Math.max(d[0].classes(), d[1].classes());
        SdtReport r;
        if (model != null) {
            r = SdtExperiment.evaluate("sdt", ModelFile.loadSdt(model), model, c, d[0], d[1], lines(out));
        } else {
            r = SdtExperiment.run("sdt", c.spec(classes, SdtConfig.size(d[0])), c, d[0], d[1], lines(out), save);
        }
        if (json.wanted()) {
            json.emit(out, r.json());
        }
        return r.coreAgrees() ? 0 : 1;
    }

    /** Progress lines printed as they come. */
    static java.util.function.Consumer<String> lines(PrintWriter out) {
        return line -> {
            out.println(line);
            out.flush();
        };
    }

    @Option(names = "--save", paramLabel = "FILE", description = "write the trained model to FILE")
    Path save;
    @Option(names = "--model", paramLabel = "FILE", description = {"evaluate and check a saved model (from --save)",
        "instead of training one; the architecture options are then the file's"})
    Path model;
    @Mixin
    JsonOptions json;
}
