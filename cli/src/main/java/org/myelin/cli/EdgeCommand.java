package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.backend.edge.Compression;
import org.myelin.backend.edge.FixedPointMlp;
import org.myelin.backend.edge.ModelImage;
import org.myelin.core.MyelinException;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.train.Encoding;
import org.myelin.learning.train.LabelledData;
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
            description = {"Compresses a model saved by `train mlp --immediate-reset --readout count --save`: int8 or int4",
                "weights (symmetric per layer), optional magnitude pruning, fixed-point membrane with shift decay. Reports",
                "test accuracy, size and operations for float32, int8, int4 and pruned variants, all on the same",
                "rate-coded test windows, and writes the chosen variant's model image (--out)."})
    static final class Compress implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, description = "model file")
        Path model;
        @Option(names = "--data", defaultValue = "fashion-mnist", description = "fashion-mnist or a folder of IDX files")
        String data;
        @Option(names = "--samples", defaultValue = "2000", description = "test samples (default: ${DEFAULT-VALUE})")
        int samples;
        @Option(names = "--time-steps", defaultValue = "8")
        int timeSteps;
        @Option(names = "--bits", defaultValue = "8", description = "weights of the written image: 8 or 4")
        int bits;
        @Option(names = "--prune", defaultValue = "0", description = "fraction pruned in the written image")
        double prune;
        @Option(names = "--out", description = "model image to write")
        Path out;
        @Option(names = "--windows-out", description = {"also write the test windows (their input spikes) in the",
            "runtime's window format, for firmware/build/run_windows; expected counts go to FILE.expected"})
        Path windowsOut;

        @Override
        public Integer call() throws IOException {
            ModelFile.Loaded loaded = ModelFile.load(model);
            SpikingMlp m = loaded.model();
            LabelledData test = IdxDatasets.load(IdxDatasets.resolve(data), "t10k", samples);
            Object[][] variants = {{"int8", 8, 0.0}, {"int4", 4, 0.0}, {"int8, 50 % pruned", 8, 0.5},
                {"int4, 50 % pruned", 4, 0.5}, {"int8, 80 % pruned", 8, 0.8}};
            FixedPointMlp[] q = new FixedPointMlp[variants.length];
            int[][][][] nonZero = new int[variants.length][][][];
            for (int v = 0; v < variants.length; v++) {
                q[v] = Compression.compress(m, (Integer) variants[v][1], (Double) variants[v][2]);
                nonZero[v] = q[v].nonZeroRows();
            }
            int[] correct = new int[variants.length + 1];
            long[][] ops = new long[variants.length + 1][4];
            long t0 = System.nanoTime();
            long[] nanos = new long[variants.length];
            int in = m.inputs();
            java.io.ByteArrayOutputStream win = new java.io.ByteArrayOutputStream();
            StringBuilder expected = new StringBuilder();
            FixedPointMlp chosen = Compression.compress(m, bits, prune);
            if (windowsOut != null) {
                win.write(java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(test.size())
                        .putInt(timeSteps).putInt(in).array());
            }
            for (int i = 0; i < test.size(); i++) {
                var x = Encoding.RATE.encode(test, new int[] {i}, 0, 1, timeSteps, loaded.spec().seed(), 0).data();
                boolean[][] w = new boolean[timeSteps][in];
                for (int t = 0; t < timeSteps; t++) {
                    for (int k = 0; k < in; k++) {
                        w[t][k] = x[t * in + k] == 1f;
                    }
                }
                int y = test.labels()[i];
                if (windowsOut != null) {
                    for (int t = 0; t < timeSteps; t++) {
                        for (int k = 0; k < in; k++) {
                            win.write(w[t][k] ? 1 : 0);
                        }
                    }
                    int[] c = chosen.run(w, null);
                    for (int k = 0; k < c.length; k++) {
                        expected.append(k == 0 ? "" : " ").append(c[k]);
                    }
                    expected.append('\n');
                }
                correct[0] += FixedPointMlp.argmax(Compression.floatCounts(m, w)) == y ? 1 : 0;
                for (int v = 0; v < variants.length; v++) {
                    long a = System.nanoTime();
                    correct[v + 1] += FixedPointMlp.argmax(q[v].run(w, ops[v + 1], nonZero[v])) == y ? 1 : 0;
                    nanos[v] += System.nanoTime() - a;
                }
            }
            PrintWriter o = spec.commandLine().getOut();
            long floatBytes = 0;
            long weights = 0;
            for (int l = 0; l < m.layers().size(); l++) {
                long rec = m.layers().get(l) instanceof org.myelin.learning.neuron.LeakyNeuron ln && ln.recurrent() != null
                        ? ln.recurrent().size() : 0;
                floatBytes += 4L * (m.weights().get(l).size() + rec + m.biases().get(l).size() + 2);
                weights += m.weights().get(l).size() + rec;
            }
            o.printf(Locale.ROOT, "%s: %d weights; %d test windows of %d rate-coded steps (%.1f s)%n", model.getFileName(),
                    weights, test.size(), timeSteps, (System.nanoTime() - t0) / 1e9);
            o.println("| variant | test accuracy | parameters (bytes) | non-zero weights | accumulates per window (dense"
                    + " rows / non-zero) | neuron updates per window | decay | host time per window |");
            o.println("|---|---|---|---|---|---|---|---|");
            o.printf(Locale.ROOT, "| float32 | %.2f %% | %d | %d | - | - | %s | - |%n", 100.0 * correct[0] / test.size(),
                    floatBytes, weights, betas(m));
            for (int v = 0; v < variants.length; v++) {
                long nz = q[v].layers().stream().mapToLong(FixedPointMlp.Layer::nonZero).sum();
                o.printf(Locale.ROOT, "| %s | %.2f %% | %d | %d | %.0f / %.0f | %.0f | %s | %.1f us |%n", variants[v][0],
                        100.0 * correct[v + 1] / test.size(), q[v].parameterBytes(), nz,
                        (double) ops[v + 1][0] / test.size(), (double) ops[v + 1][3] / test.size(),
                        (double) ops[v + 1][1] / test.size(), decay(q[v]), nanos[v] / 1e3 / test.size());
            }
            if (windowsOut != null) {
                Files.write(windowsOut, win.toByteArray());
                Files.writeString(Path.of(windowsOut + ".expected"), expected.toString());
                o.printf(Locale.ROOT, "windows: %d x %d steps -> %s (counts of the int%d image: %s.expected)%n",
                        test.size(), timeSteps, windowsOut, bits, windowsOut);
            }
            if (out != null) {
                byte[] img = ModelImage.write(chosen);
                Files.write(out, img);
                o.printf(Locale.ROOT, "image (int%d, %.0f %% pruned): %d bytes -> %s%n", bits, 100 * prune, img.length, out);
            }
            return 0;
        }

        private static String betas(SpikingMlp m) {
            var l = (org.myelin.learning.neuron.LeakyNeuron) m.layers().get(0);
            return String.format(Locale.ROOT, "beta %.4g", l.beta().data()[0])
                    + (l.alpha() == null ? "" : String.format(Locale.ROOT, ", alpha %.4g", l.alpha().data()[0]));
        }

        private static String decay(FixedPointMlp q) {
            FixedPointMlp.Layer l = q.layers().get(0);
            String beta = String.format(Locale.ROOT, "beta 1 - 2^-%d%s = %.5f", l.shiftA(), l.shiftB() == 0 ? ""
                    : (l.signB() > 0 ? " + 2^-" : " - 2^-") + l.shiftB(), l.beta());
            return l.synA() == 0 ? beta : beta + String.format(Locale.ROOT, ", alpha 1 - 2^-%d%s = %.5f", l.synA(),
                    l.synB() == 0 ? "" : (l.synSign() > 0 ? " + 2^-" : " - 2^-") + l.synB(), l.alpha());
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Checks a model image and prints its sections.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IMAGE")
        Path image;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(image)) {
                throw new MyelinException("no model image at " + image);
            }
            byte[] img = Files.readAllBytes(image);
            PrintWriter o = spec.commandLine().getOut();
            o.print(ModelImage.describe(img));
            FixedPointMlp m = ModelImage.read(img);
            for (int l = 0; l < m.layers().size(); l++) {
                FixedPointMlp.Layer ly = m.layers().get(l);
                o.printf(Locale.ROOT, "  layer %d: %d -> %d, int%d weights (%d non-zero), threshold %d, decay beta %.5f,"
                        + " reset %s%n", l, ly.in(), ly.out(), ly.bits(), ly.nonZero(), ly.threshold(), ly.beta(),
                        ly.subtract() ? "subtract" : "zero");
            }
            return 0;
        }
    }
}
