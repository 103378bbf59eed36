package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.backend.edge.FixedPointNet;
import org.myelin.backend.edge.ModelImage;
import org.myelin.core.MyelinException;
import org.myelin.core.io.AtomicFile;
import org.myelin.experiments.edge.CompressionConfig;
import org.myelin.experiments.edge.CompressionResult;
import org.myelin.experiments.edge.CompressionStudy;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Edge boards: compressed models and their images. */
@Command(name = "edge", mixinStandardHelpOptions = true, description = "Compressed models for edge boards.",
        subcommands = {EdgeCommand.Compress.class, EdgeCommand.Info.class})
final class EdgeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: compress or info");
    }

    @Command(name = "compress", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Compresses a trained MLP or L2MU for a board and writes its model image.",
                "The model is one saved by `train mlp --immediate-reset --readout count --save` or `train l2mu"
                    + " --immediate-reset --save`: int8 or int4 weights (symmetric per layer), optional magnitude"
                    + " pruning, fixed-point membrane with shift decay. Reports test accuracy, size and operations"
                    + " for float32, int8, int4 and pruned variants, all on the same test windows (an MLP: rate-coded"
                    + " IDX images; an L2MU: HAR windows standardised as in training, Q8 on the board), and writes"
                    + " the chosen variant's model image (--out)."})
    static final class Compress implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, description = "model file")
        Path model;
        @Option(names = "--data", description = {"an MLP: fashion-mnist (default) or a folder of IDX files; an L2MU:",
            "synthetic-har (default; generated with the model's seed, --subjects and --seconds as in training) or",
            "wisdm:FOLDER"})
        String data;
        @Option(names = "--samples", defaultValue = "2000",
                description = "test samples at most (default: ${DEFAULT-VALUE})")
        int samples;
        @Option(names = "--time-steps", defaultValue = "8", description = "an MLP: rate-coded steps per image")
        int timeSteps;
        @Option(names = "--subjects", defaultValue = "20",
                description = "an L2MU on synthetic-har (default: ${DEFAULT-VALUE})")
        int subjects;
        @Option(names = "--seconds", defaultValue = "60",
                description = "an L2MU on synthetic-har (default: ${DEFAULT-VALUE})")
        int seconds;
        @Option(names = "--bits", defaultValue = "8", description = "weights of the written image: 8 or 4")
        int bits;
        @Option(names = "--prune", defaultValue = "0", description = "fraction pruned in the written image")
        double prune;
        @Option(names = "--out", description = "model image to write")
        Path out;
        @Option(names = "--windows-out", description = {"also write the test windows (their input) in the runtime's",
            "window format, for firmware/build/run_windows; expected counts go to FILE.expected"})
        Path windowsOut;

        @Override
        public Integer call() throws IOException {
            CompressionResult r = CompressionStudy.run(config());
            PrintWriter o = spec.commandLine().getOut();
            int n = r.windows();
            o.printf(Locale.ROOT, "%s: %s; %d test windows (%.1f s)%n", model.getFileName(), r.description(), n,
                    r.seconds());
            o.println("| variant | test accuracy | parameters (bytes) | non-zero weights | accumulates per window (dense"
                    + " rows / non-zero) | multiply-accumulates per window | neuron updates per window | decay"
                    + " (first layer) | host time per window |");
            o.println("|---|---|---|---|---|---|---|---|---|");
            o.printf(Locale.ROOT, "| float32 | %.2f %% | %d | %d | - | - | - | %s | - |%n", 100.0 * r.floatCorrect() / n,
                    r.floatBytes(), r.floatWeights(), r.floatDecay());
            for (CompressionResult.Variant v : r.variants()) {
                o.printf(Locale.ROOT, "| %s | %.2f %% | %d | %d | %.0f / %.0f | %.0f | %.0f | %s | %.1f us |%n",
                        v.name(), 100.0 * v.correct() / n, v.parameterBytes(), v.nonZero(), v.denseAccumulates(),
                        v.nonZeroAccumulates(), v.macs(), v.neuronUpdates(), v.decay(), v.hostMicros());
            }
            if (windowsOut != null) {
                AtomicFile.write(windowsOut, r.windowBytes());
                AtomicFile.writeString(Path.of(windowsOut + ".expected"), r.expected());
                o.printf(Locale.ROOT, "windows: %d -> %s (counts of the int%d image: %s.expected)%n", n, windowsOut,
                        bits, windowsOut);
            }
            if (out != null) {
                byte[] img = ModelImage.write(r.chosen());
                AtomicFile.write(out, img);
                o.printf(Locale.ROOT, "image (int%d, %.0f %% pruned): %d bytes -> %s%n", bits, 100 * prune, img.length, out);
            }
            return 0;
        }

        /** The options as the library's configuration. */
        CompressionConfig config() {
            return new CompressionConfig(model, data, samples, timeSteps, subjects, seconds, bits, prune,
                    windowsOut != null);
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Checks a model image and prints its sections.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IMAGE", description = "the model image file")
        Path image;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(image)) {
                throw new MyelinException("no model image at " + image);
            }
            byte[] img = Files.readAllBytes(image);
            PrintWriter o = spec.commandLine().getOut();
            o.print(ModelImage.describe(img));
            FixedPointNet m = ModelImage.read(img);
            o.printf(Locale.ROOT, "  input: %d channels of %s%n", m.inputs(), m.valueInput()
                    ? "Q" + m.inputFrac() + " values (int16)" : "spikes");
            for (int l = 0; l < m.layers().size(); l++) {
                FixedPointNet.Layer ly = m.layers().get(l);
                StringBuilder reads = new StringBuilder();
                for (FixedPointNet.Link k : ly.links()) {
                    reads.append(reads.length() == 0 ? "" : ", ").append(k.source() == FixedPointNet.INPUT ? "input"
                            : "layer " + k.source()).append(k.previous() ? " (previous step)" : "")
                            .append(k.blocks() > 1 ? " (" + k.blocks() + " blocks)" : "");
                }
                o.printf(Locale.ROOT, "  layer %d: %d neurons reading %s; int%d weights (%d non-zero), threshold %d,"
                        + " decay beta %.5f%s, reset %s%n", l, ly.out(), reads, ly.bits(), ly.nonZero(), ly.threshold(),
                        ly.beta(), ly.synA() == 0 ? "" : String.format(Locale.ROOT, ", alpha %.5f", ly.alpha()),
                        ly.subtract() ? "subtract" : "zero");
            }
            return 0;
        }
    }
}
