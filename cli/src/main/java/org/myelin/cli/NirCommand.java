package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.io.AtomicFile;
import org.myelin.core.model.ResetMode;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.nir.NirFile;
import org.myelin.nir.NirImport;
import org.myelin.nir.NirInfo;
import org.myelin.nir.NirNetwork;
import org.myelin.nir.NirNode;
import org.myelin.nir.Npy;
import org.myelin.nir.NirReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** NIR (Neuromorphic Intermediate Representation) graphs. */
@Command(name = "nir", mixinStandardHelpOptions = true, description = "NIR graphs (.nir files, HDF5).",
        subcommands = {NirCommand.Info.class, NirCommand.Run.class, NirCommand.Export.class})
final class NirCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: info, run or export");
    }

    /** Refuses, before any work, an output path that is a folder or lies in a folder that does not exist. */
    static void requireFileToWrite(String option, Path out) {
        if (Files.isDirectory(out)) {
            throw new MyelinException(option + " " + out + " is a folder; give the file to write");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new MyelinException(option + " " + out + ": the folder " + parent + " does not exist");
        }
    }

    /** Imports a graph, feeds it an input sequence and writes the trace. */
    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Imports a .nir graph, feeds it one input row per step and writes a trace CSV.",
                "Input rows: CSV or .npy, the first columns, as many as the Input node takes. Graphs of the form"
                    + " Input -> Affine|Linear -> LIF|LI|IF -> Output with no --convention take the input as a current"
                    + " held over each step (the NIR paper's single-neuron comparison); they and every other graph"
                    + " (recurrent, CubaLIF, convolutions, nested graphs, delays) with --convention take 0/1 spikes."
                    + " The trace has per step: step, time_ms, then per neuron of the nodes feeding the Output its"
                    + " membrane v and spike (and, in the precise mode, the exact spike time in ms)."})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the .nir file")
        Path file;

        @Option(names = "--input", required = true, description = "CSV or .npy, one row per step")
        Path input;

        @Option(names = "--dt", defaultValue = "0.1", description = "step in ms (default: ${DEFAULT-VALUE})")
        double dtMs;

        @Option(names = "--convention", description = {"discrete (snnTorch, Sinabs, SpikingJelly: per-step Euler form;",
            "import with the exporter's dt, snnTorch 1e-4 s = --dt 0.1) or exact (continuous equations integrated",
            "exactly); see docs/nir.md"})
        String convention;

        @Option(names = "--reset", defaultValue = "zero",
                description = "zero (to v_reset, the specification) or subtract (snnTorch's and Sinabs' default) (default: ${DEFAULT-VALUE})")
        String reset;

        @Option(names = "--extra-steps",
                description = "steps run after the input ends (default: one per neuron node, so"
                + " the last input reaches the output)")
        Integer extraSteps;

        @Option(names = "--mode", defaultValue = "clock",
                description = "clock, event or precise (default: ${DEFAULT-VALUE})")
        String mode;

        @Option(names = "--out", required = true, description = "the trace CSV to write")
        Path out;

        @picocli.CommandLine.Mixin
        FigureOptions figures;

        @Override
        public Integer call() throws IOException {
            EngineMode m = EngineMode.parse(mode);
            requireFileToWrite("--out", out);
            figures.check();
            ResetMode r = switch (reset.toLowerCase(Locale.ROOT)) {
                case "zero", "value", "to-value" -> ResetMode.TO_VALUE;
                case "subtract" -> ResetMode.SUBTRACT;
                default -> throw new MyelinException("--reset must be zero or subtract, was '" + reset + "'");
            };
            NirFile f = NirReader.read(file);
            double[][] rows = readRows(input);
            NirNode inputNode = f.graph().nodes().values().stream().filter(n -> n.type().equals("Input")).findFirst()
                    .orElseThrow(() -> new MyelinException(file + ": no Input node"));
            int width = inputNode.outputSize();
            double[][] x = new double[rows.length][width];
            for (int s = 0; s < x.length; s++) {
                if (rows[s].length < width) {
                    throw new MyelinException(input + " row " + (s + 1) + ": " + rows[s].length
                            + " columns, the Input node takes " + width);
                }
                System.arraycopy(rows[s], 0, x[s], 0, width);
            }
            if (convention == null && NirImport.isSingleLayer(f)) {
                return singleLayer(f, x, width, m);
            }
            NirNetwork.Convention c = NirNetwork.Convention.parse(convention == null ? "discrete" : convention);
            NirNetwork.Imported imp = NirNetwork.build(f, new NirNetwork.Options(dtMs, c, r), x);
            for (String w : imp.warnings()) {
                spec.commandLine().getErr().println("myelin: warning: " + w);
            }
            long steps = x.length + (extraSteps != null ? extraSteps : imp.layout().size());
            Network net = imp.network();
            Recording rec = Recording.inMemory();
            try (CompiledNetwork cn = Backends.find("cpu").compile(net, new SimulationConfig(1).withMode(m))) {
                cn.run(steps, rec);
            }
            StringBuilder b = new StringBuilder("step,time_ms");
            List<double[]> vs = new ArrayList<>();
            List<boolean[]> spikes = new ArrayList<>();
            long total = 0;
            for (String node : imp.outputs()) {
                NirNetwork.Placed[] placed = imp.layout().get(node);
                for (int i = 0; i < placed.length; i++) {
                    b.append(",v_").append(node).append('_').append(i).append(",spike_").append(node).append('_')
                            .append(i);
                    vs.add(rec.memory().state(placed[i].population() + ".v").series(placed[i].local()));
                    spikes.add(new boolean[(int) steps]);
                }
                int base = spikes.size() - placed.length;
                for (long[] sp : imp.spikes(rec.memory(), node)) {
                    spikes.get(base + (int) sp[1])[(int) sp[0]] = true;
                    total++;
                }
            }
            b.append('\n');
            for (int s = 0; s < steps; s++) {
                b.append(s).append(',').append(String.format(Locale.ROOT, "%.6f", s * dtMs));
                for (int k = 0; k < vs.size(); k++) {
                    b.append(',').append(vs.get(k)[s]).append(',').append(spikes.get(k)[s] ? 1 : 0);
                }
                b.append('\n');
            }
            AtomicFile.writeString(out, b.toString());
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d neuron nodes, %d neurons, %d synapses; %d steps of"
                    + " %s ms (%d of input), convention %s, reset %s; %d output spikes -> %s%n", file.getFileName(),
                    imp.layout().size(), net.neuronCount(), synapses(net), steps, dtMs, x.length,
                    c.name().toLowerCase(Locale.ROOT), r == ResetMode.SUBTRACT ? "subtract" : "zero", total, out);
            figures.write(net, rec.memory(), steps, file.getFileName().toString(), spec.commandLine().getOut());
            return 0;
        }

        private static long synapses(Network net) {
            long n = 0;
            for (var p : net.projections()) {
                n += org.myelin.core.connect.SynapseExpansion.count(net, p);
            }
            return n;
        }

        /** Rows of a CSV (comma, semicolon or blank separated) or of a 1-D/2-D .npy file. */
        static double[][] readRows(Path input) throws IOException {
            if (input.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
                Npy.Array a = Npy.read(input);
                if (a.shape().length > 2) {
                    throw new MyelinException(input + ": an input array must be (steps) or (steps, inputs), has shape "
                            + java.util.Arrays.toString(a.shape()));
                }
                return a.rows();
            }
            List<String> lines = Files.readAllLines(input);
            List<double[]> rows = new ArrayList<>();
            for (int k = 0; k < lines.size(); k++) {
                String line = lines.get(k).trim();
                if (line.isEmpty()) {
                    continue;
                }
                String[] cells = line.split("[,;\\s]+");
                double[] row = new double[cells.length];
                for (int c = 0; c < cells.length; c++) {
                    try {
                        row[c] = Double.parseDouble(cells[c]);
                    } catch (NumberFormatException e) {
                        throw new MyelinException(input + " line " + (k + 1) + ": '" + cells[c] + "' is not a number");
                    }
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                throw new MyelinException(input + ": no rows");
            }
            return rows.toArray(new double[0][]);
        }

        private int singleLayer(NirFile f, double[][] x, int width, EngineMode m) throws IOException {
            NirImport.Imported imp = NirImport.singleLayer(f, dtMs, x);
            Network net = imp.network();
            Recording rec = Recording.inMemory();
            try (CompiledNetwork c = Backends.find("cpu")
                    .compile(net, new SimulationConfig(1).withMode(m))) {
                c.run(x.length, rec);
            }
            int n = imp.neurons();
            double[][] v = new double[n][];
            double[][] spikeTime = new double[n][x.length];
            boolean[][] spiked = new boolean[n][x.length];
            for (int i = 0; i < n; i++) {
                String pop = net.populations().get(i).name();
                v[i] = rec.memory().state(pop + ".v").series(0);
                SpikeRecord sp = rec.memory().spikes(pop);
                for (int k = 0; k < sp.size(); k++) {
                    int step = (int) sp.step(k);
                    spiked[i][step] = true;
                    spikeTime[i][step] = sp.timeMs(k);
                }
            }
            StringBuilder b = new StringBuilder("step,time_ms");
            for (int k = 0; k < width; k++) {
                b.append(",input").append(k);
            }
            for (int i = 0; i < n; i++) {
                b.append(",v").append(i).append(",spike").append(i);
                if (m == EngineMode.EVENT_PRECISE) {
                    b.append(",spike_time_ms").append(i);
                }
            }
            b.append('\n');
            for (int s = 0; s < x.length; s++) {
                b.append(s).append(',').append(String.format(Locale.ROOT, "%.6f", s * dtMs));
                for (int k = 0; k < width; k++) {
                    b.append(',').append(x[s][k]);
                }
                for (int i = 0; i < n; i++) {
                    b.append(',').append(v[i][s]).append(',').append(spiked[i][s] ? 1 : 0);
                    if (m == EngineMode.EVENT_PRECISE) {
                        b.append(',').append(spiked[i][s] ? Double.toString(spikeTime[i][s]) : "");
                    }
                }
                b.append('\n');
            }
            AtomicFile.writeString(out, b.toString());
            spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d steps of %s ms, %d neuron%s, %d spikes,"
                    + " mode %s -> %s%n", file.getFileName(), x.length, dtMs, n, n == 1 ? "" : "s",
                    rec.memory().spikes(net.populations().get(0).name()).size(), m.cliName(), out);
            figures.write(net, rec.memory(), x.length, file.getFileName().toString(), spec.commandLine().getOut());
            return 0;
        }
    }

    /** Writes a trained model as NIR, and checks that the file runs as the model does. */
    @Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Writes a trained spiking MLP as a NIR graph.",
                "The model is one saved by `train mlp --immediate-reset --save`; each layer is a LIF / CubaLIF"
                    + " (LI / CubaLI for a non-resetting output) node in snnTorch's discrete form for the step --dt"
                    + " (tau = dt/(1 - beta), r = tau/dt, w_in = tau_syn/dt), each weight matrix an Affine node with"
                    + " its bias, recurrent weights an edge from the layer to itself; metadata records the convention"
                    + " and reset. With --verify-data, runs test samples (rate-coded spikes) on the core twice, as"
                    + " exported from the model and as imported from the written file, and checks that every layer's"
                    + " spikes are identical."})
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", required = true, description = "model file (train mlp --save)")
        Path model;

        @Option(names = "--out", required = true, description = "the .nir file to write")
        Path out;

        @Option(names = "--dt", defaultValue = "1.0",
                description = "the step the time constants refer to, ms (default: ${DEFAULT-VALUE})")
        double dtMs;

        @Option(names = "--verify-data",
                description = "fashion-mnist or a folder of IDX files: check on its test split")
        String verifyData;

        @Option(names = "--verify-samples", defaultValue = "20",
                description = "test samples checked (default: ${DEFAULT-VALUE})")
        int samples;

        @Option(names = "--time-steps", defaultValue = "8",
                description = "steps per sample (default: ${DEFAULT-VALUE})")
        int timeSteps;

        @Override
        public Integer call() {
            requireFileToWrite("--out", out);
            var loaded = org.myelin.learning.model.ModelFile.load(model);
            var m = loaded.model();
            int in = m.inputs();
            var zero = org.myelin.learning.tensor.Tensor.of(new float[in], 1, in);
            Network net = org.myelin.learning.export.NetworkExport.export(m, zero, 1, dtMs).network();
            org.myelin.nir.NirExport.write(net, dtMs, out);
            NirFile written = NirReader.read(out);
            PrintWriter o = spec.commandLine().getOut();
            o.printf(Locale.ROOT, "%s: %d nodes, %d edges%s -> %s%n", model.getFileName(), written.graph().nodeCount(),
                    written.graph().edges().size(), written.graph().recurrent() ? ", recurrent" : "", out);
            if (verifyData == null) {
                return 0;
            }
            var test = IdxDatasets.load(IdxDatasets.resolve(verifyData), "t10k", samples);
            long total = 0;
            for (int i = 0; i < test.size(); i++) {
                var x = org.myelin.learning.train.Encoding.RATE.encode(test, new int[] {i}, 0, 1, timeSteps,
                        loaded.spec().seed(), 0);
                var sample = org.myelin.learning.tensor.Tensor.of(x.data(), timeSteps, in);
                var ex = org.myelin.learning.export.NetworkExport.export(m, sample, timeSteps, dtMs);
                long steps = ex.stepsToRun(m.layers().size()) + 1;
                Recording a = Recording.inMemory();
                try (CompiledNetwork c = Backends.find("cpu").compile(ex.network(), new SimulationConfig(1))) {
                    c.run(steps, a);
                }
                double[][] rows = new double[timeSteps][in];
                for (int t = 0; t < timeSteps; t++) {
                    for (int k = 0; k < in; k++) {
                        rows[t][k] = x.data()[t * in + k];
                    }
                }
                NirNetwork.Imported imp = NirNetwork.build(written, new NirNetwork.Options(dtMs, null, null), rows);
                Recording b = Recording.inMemory();
                try (CompiledNetwork c = Backends.find("cpu").compile(imp.network(), new SimulationConfig(1))) {
                    c.run(steps, b);
                }
                for (int l = 0; l < m.layers().size(); l++) {
                    SpikeRecord r = a.memory().spikes("layer" + l);
                    List<long[]> got = imp.spikes(b.memory(), "layer" + l);
                    boolean same = got.size() == r.size();
                    List<long[]> want = new ArrayList<>();
                    for (int k = 0; k < r.size(); k++) {
                        want.add(new long[] {r.step(k), r.neuron(k)});
                    }
                    want.sort((p, q) -> p[0] != q[0] ? Long.compare(p[0], q[0]) : Long.compare(p[1], q[1]));
                    for (int k = 0; same && k < want.size(); k++) {
                        same = want.get(k)[0] == got.get(k)[0] && want.get(k)[1] == got.get(k)[1];
                    }
                    if (!same) {
                        throw new MyelinException("verification failed: test sample " + i + ", layer " + l + ": "
                                + r.size() + " spikes on the core, " + got.size() + " through the NIR file");
                    }
                    total += r.size();
                }
            }
            o.printf(Locale.ROOT, "verified: %d test samples x %d steps, every layer's spikes identical on the core and"
                    + " through %s (%d spikes)%n", test.size(), timeSteps, out.getFileName(), total);
            return 0;
        }
    }

    /** Reads a .nir file, checks it and describes it. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = {"Reads a .nir file and prints what it holds.",
                "Its NIR version, nodes (type, input and output sizes, parameters with shapes and ranges; nested"
                    + " graphs indented), edges and the reader's warnings. A file that breaks the specification"
                    + " (unknown node type, missing field, sizes that disagree across an edge) is refused with the node"
                    + " and field named."})
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the .nir file")
        Path file;

        @Override
        public Integer call() {
            NirFile f = NirReader.read(file);
            spec.commandLine().getOut().print(NirInfo.describe(f));
            return 0;
        }
    }
}
