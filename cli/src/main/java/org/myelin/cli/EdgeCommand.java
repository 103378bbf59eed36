package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.backend.edge.Compression;
import org.myelin.backend.edge.FixedPointNet;
import org.myelin.backend.edge.ModelImage;
import org.myelin.core.MyelinException;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.experiments.l2mu.HarWindows;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.lmu.L2muTraining;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.model.SpikingMlp;
import org.myelin.learning.neuron.LeakyNeuron;
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
            description = {"Compresses a model saved by `train mlp --immediate-reset --readout count --save` or `train l2mu",
                "--immediate-reset --save`: int8 or int4 weights (symmetric per layer), optional magnitude pruning,",
                "fixed-point membrane with shift decay. Reports test accuracy, size and operations for float32, int8, int4",
                "and pruned variants, all on the same test windows (an MLP: rate-coded IDX images; an L2MU: HAR windows",
                "standardised as in training, Q8 on the board), and writes the chosen variant's model image (--out)."})
    static final class Compress implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, description = "model file")
        Path model;
        @Option(names = "--data", description = {"an MLP: fashion-mnist (default) or a folder of IDX files; an L2MU:",
            "synthetic-har (default; generated with the model's seed, --subjects and --seconds as in training) or",
            "wisdm:FOLDER"})
        String data;
        @Option(names = "--samples", defaultValue = "2000", description = "test samples at most (default: ${DEFAULT-VALUE})")
        int samples;
        @Option(names = "--time-steps", defaultValue = "8", description = "an MLP: rate-coded steps per image")
        int timeSteps;
        @Option(names = "--subjects", defaultValue = "20", description = "an L2MU on synthetic-har (default: ${DEFAULT-VALUE})")
        int subjects;
        @Option(names = "--seconds", defaultValue = "60", description = "an L2MU on synthetic-har (default: ${DEFAULT-VALUE})")
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

        /** The model under test: its compression, its float counts and its test windows. */
        private interface Subject {
            FixedPointNet compress(int bits, double prune);

            int size();

            int label(int i);

            /** The board's input of window i: spikes 0/1 or Q8 values. */
            int[][] input(int i);

            int[] floatCounts(int i);

            /** Trained weights (a float32 model's non-zero count for the table). */
            long floatWeights();

            /** Bytes of the float32 model: weights, biases and neuron constants. */
            long floatBytes();

            String describe();

            String floatDecay();
        }

        @Override
        public Integer call() throws IOException {
            Subject sub = ModelFile.isL2mu(model) ? l2mu() : mlp();
            Object[][] variants = {{"int8", 8, 0.0}, {"int4", 4, 0.0}, {"int8, 50 % pruned", 8, 0.5},
                {"int4, 50 % pruned", 4, 0.5}, {"int8, 80 % pruned", 8, 0.8}};
            FixedPointNet[] q = new FixedPointNet[variants.length];
            int[][][][] nonZero = new int[variants.length][][][];
            for (int v = 0; v < variants.length; v++) {
                q[v] = sub.compress((Integer) variants[v][1], (Double) variants[v][2]);
                nonZero[v] = q[v].nonZeroRows();
            }
            int[] correct = new int[variants.length + 1];
            long[][] ops = new long[variants.length + 1][FixedPointNet.OPS];
            long t0 = System.nanoTime();
            long[] nanos = new long[variants.length];
            FixedPointNet chosen = sub.compress(bits, prune);
            java.io.ByteArrayOutputStream win = new java.io.ByteArrayOutputStream();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < sub.size(); i++) {
                int[][] w = sub.input(i);
                int y = sub.label(i);
                if (windowsOut != null) {
                    if (i == 0) {
                        win.write(java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                                .putInt(sub.size()).putInt(w.length).putInt(chosen.inputs()).array());
                    }
                    for (int[] step : w) {
                        for (int x : step) {
                            if (chosen.valueInput()) {
                                win.write(x & 0xFF);
                                win.write((x >> 8) & 0xFF);
                            } else {
                                win.write(x);
                            }
                        }
                    }
                    int[] c = chosen.run(w, null);
                    for (int k = 0; k < c.length; k++) {
                        expected.append(k == 0 ? "" : " ").append(c[k]);
                    }
                    expected.append('\n');
                }
                correct[0] += FixedPointNet.argmax(sub.floatCounts(i)) == y ? 1 : 0;
                for (int v = 0; v < variants.length; v++) {
                    long a = System.nanoTime();
                    correct[v + 1] += FixedPointNet.argmax(q[v].run(w, ops[v + 1], nonZero[v])) == y ? 1 : 0;
                    nanos[v] += System.nanoTime() - a;
                }
            }
            PrintWriter o = spec.commandLine().getOut();
            int n = sub.size();
            o.printf(Locale.ROOT, "%s: %s; %d test windows (%.1f s)%n", model.getFileName(), sub.describe(), n,
                    (System.nanoTime() - t0) / 1e9);
            o.println("| variant | test accuracy | parameters (bytes) | non-zero weights | accumulates per window (dense"
                    + " rows / non-zero) | multiply-accumulates per window | neuron updates per window | decay"
                    + " (first layer) | host time per window |");
            o.println("|---|---|---|---|---|---|---|---|---|");
            o.printf(Locale.ROOT, "| float32 | %.2f %% | %d | %d | - | - | - | %s | - |%n", 100.0 * correct[0] / n,
                    sub.floatBytes(), sub.floatWeights(), sub.floatDecay());
            for (int v = 0; v < variants.length; v++) {
                long nz = q[v].layers().stream().mapToLong(FixedPointNet.Layer::nonZero).sum();
                o.printf(Locale.ROOT, "| %s | %.2f %% | %d | %d | %.0f / %.0f | %.0f | %.0f | %s | %.1f us |%n",
                        variants[v][0], 100.0 * correct[v + 1] / n, q[v].parameterBytes(), nz,
                        (double) ops[v + 1][0] / n, (double) ops[v + 1][4] / n, (double) ops[v + 1][3] / n,
                        (double) ops[v + 1][1] / n, decay(q[v]), nanos[v] / 1e3 / n);
            }
            if (windowsOut != null) {
                Files.write(windowsOut, win.toByteArray());
                Files.writeString(Path.of(windowsOut + ".expected"), expected.toString());
                o.printf(Locale.ROOT, "windows: %d -> %s (counts of the int%d image: %s.expected)%n", n, windowsOut,
                        bits, windowsOut);
            }
            if (out != null) {
                byte[] img = ModelImage.write(chosen);
                Files.write(out, img);
                o.printf(Locale.ROOT, "image (int%d, %.0f %% pruned): %d bytes -> %s%n", bits, 100 * prune, img.length, out);
            }
            return 0;
        }

        private Subject mlp() throws IOException {
            ModelFile.Loaded loaded = ModelFile.load(model);
            SpikingMlp m = loaded.model();
            LabelledData test = IdxDatasets.load(IdxDatasets.resolve(data == null ? "fashion-mnist" : data), "t10k",
                    samples);
            int in = m.inputs();
            long weights = 0;
            long floats = 0;
            for (int l = 0; l < m.layers().size(); l++) {
                long rec = m.layers().get(l) instanceof LeakyNeuron ln && ln.recurrent() != null
                        ? ln.recurrent().size() : 0;
                floats += m.weights().get(l).size() + rec + m.biases().get(l).size() + 2;
                weights += m.weights().get(l).size() + rec;
            }
            long nWeights = weights;
            long nFloats = floats;
            return new Subject() {
                private int cached = -1;
                private boolean[][] spikes;

                private boolean[][] window(int i) {
                    if (cached != i) {
                        var x = Encoding.RATE.encode(test, new int[] {i}, 0, 1, timeSteps, loaded.spec().seed(), 0)
                                .data();
                        spikes = new boolean[timeSteps][in];
                        for (int t = 0; t < timeSteps; t++) {
                            for (int k = 0; k < in; k++) {
                                spikes[t][k] = x[t * in + k] == 1f;
                            }
                        }
                        cached = i;
                    }
                    return spikes;
                }

                public FixedPointNet compress(int bits, double prune) {
                    return Compression.compress(m, bits, prune);
                }

                public int size() {
                    return test.size();
                }

                public int label(int i) {
                    return test.labels()[i];
                }

                public int[][] input(int i) {
                    boolean[][] w = window(i);
                    int[][] x = new int[w.length][in];
                    for (int t = 0; t < w.length; t++) {
                        for (int k = 0; k < in; k++) {
                            x[t][k] = w[t][k] ? 1 : 0;
                        }
                    }
                    return x;
                }

                public int[] floatCounts(int i) {
                    return Compression.floatCounts(m, window(i));
                }

                public long floatWeights() {
                    return nWeights;
                }

                public long floatBytes() {
                    return 4 * nFloats;
                }

                public String describe() {
                    return String.format(Locale.ROOT, "spiking MLP, %d weights; rate-coded, %d steps", nWeights,
                            timeSteps);
                }

                public String floatDecay() {
                    var l = (LeakyNeuron) m.layers().get(0);
                    return String.format(Locale.ROOT, "beta %.4g", l.beta().data()[0])
                            + (l.alpha() == null ? "" : String.format(Locale.ROOT, ", alpha %.4g", l.alpha().data()[0]));
                }
            };
        }

        private Subject l2mu() throws IOException {
            ModelFile.LoadedL2mu loaded = ModelFile.loadL2mu(model);
            L2mu m = loaded.model();
            HarWindows har = HarWindows.load(data == null ? "synthetic-har" : data, subjects, seconds, 40,
                    m.spec().seed());
            L2muTraining tr = new L2muTraining(m, 1e-3, 1, m.spec().seed());
            tr.standardiseWith(loaded.mean(), loaded.std());
            L2muTraining.Windows test = har.test();
            int n = Math.min(samples, test.size());
            int steps = test.steps();
            return new Subject() {
                private float[] window(int i) {
                    return tr.batch(test, new int[] {i}, 0, 1).data();
                }

                public FixedPointNet compress(int bits, double prune) {
                    return Compression.compress(m, bits, prune);
                }

                public int size() {
                    return n;
                }

                public int label(int i) {
                    return test.labels()[i];
                }

                public int[][] input(int i) {
                    return Compression.quantiseInput(window(i), steps, m.spec().inputs());
                }

                public int[] floatCounts(int i) {
                    return Compression.floatCounts(m, window(i), steps);
                }

                public long floatWeights() {
                    return m.parameterCount();
                }

                public long floatBytes() {
                    return 4 * m.parameterCount();
                }

                public String describe() {
                    return m.describe() + "; " + har.source() + ", test subjects " + har.split().get(1);
                }

                public String floatDecay() {
                    L2mu.Pop p = m.spec().encoder() == L2mu.Encoder.SINGLE ? m.spec().enc() : m.spec().u();
                    return String.format(Locale.ROOT, "beta %.4g", p.beta()) + (m.spec().neuron() == L2mu.Neuron.CUBA
                            ? String.format(Locale.ROOT, ", alpha %.4g", p.alpha()) : "");
                }
            };
        }

        private static String decay(FixedPointNet q) {
            FixedPointNet.Layer l = q.layers().get(0);
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
