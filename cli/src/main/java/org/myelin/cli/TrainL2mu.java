package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.myelin.core.MyelinException;
import org.myelin.datasets.emulate.SyntheticHar;
import org.myelin.datasets.wisdm.WisdmReader;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.learning.lmu.L2mu;
import org.myelin.learning.lmu.L2muExport;
import org.myelin.learning.lmu.L2muTraining;
import org.myelin.learning.tensor.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin train l2mu}: the L2MU on smartwatch activity windows. */
@Command(name = "l2mu", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an L2MU (a Legendre Memory Unit of spiking populations) on human activity recognition:",
            "WISDM smartwatch accelerometer + gyroscope (subset 2, seven hand activities, 2 s windows of 40 samples at",
            "20 Hz, 6 channels, subjects split 80/20) from --data wisdm:FOLDER, or SYNTHETIC data of the same form",
            "(--data synthetic-har). Prints per-epoch figures and the test accuracy; --json adds one JSON line."})
final class TrainL2mu implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", defaultValue = "synthetic-har",
            description = "synthetic-har or wisdm:FOLDER (raw watch files, accel/ and gyro/) (default: ${DEFAULT-VALUE})")
    String data;
    @Option(names = "--neuron", defaultValue = "lif", description = "lif, cuba or ann (the non-spiking LMU baseline)")
    String neuron;
    @Option(names = "--encoder", defaultValue = "plain", description = "plain (raw values) or single (input module)")
    String encoder;
    @Option(names = "--epochs", defaultValue = "10")
    int epochs;
    @Option(names = "--batch-size", defaultValue = "64")
    int batchSize;
    @Option(names = "--lr", defaultValue = "1.45e-3")
    double lr;
    @Option(names = "--order", defaultValue = "7")
    int order;
    @Option(names = "--theta", defaultValue = "10")
    double theta;
    @Option(names = "--hidden", defaultValue = "120")
    int hidden;
    @Option(names = "--memory", defaultValue = "70")
    int memory;
    @Option(names = "--alpha", defaultValue = "0.3",
            description = "cuba: synaptic decay of every population (the paper does not list it) (default: ${DEFAULT-VALUE})")
    float alpha;
    @Option(names = "--immediate-reset", description = {"reset neurons in the step they spike (snnTorch's reset_delay=False)",
        "instead of at the next step; the form the core's neurons take, so the model exports with identical spikes"})
    boolean immediateReset;
    @Option(names = "--core-check", defaultValue = "0", paramLabel = "N", description = {"after training, export the",
        "first N test windows to core networks, run them on the cpu backend and compare every population's spikes",
        "with the training graph's (needs --immediate-reset and a spiking neuron)"})
    int coreCheck;
    @Option(names = "--save", paramLabel = "FILE", description = "write the trained model (with its input"
            + " standardisation) to FILE, for myelin edge compress")
    Path save;
    @Option(names = "--stride", defaultValue = "40", description = "window stride in samples (default: ${DEFAULT-VALUE})")
    int stride;
    @Option(names = "--subjects", defaultValue = "20", description = "synthetic-har: subjects (default: ${DEFAULT-VALUE})")
    int subjects;
    @Option(names = "--seconds", defaultValue = "60", description = "synthetic-har: seconds per activity (default: ${DEFAULT-VALUE})")
    int seconds;
    @Option(names = "--seed", defaultValue = "1")
    long seed;
    @Option(names = "--threads", defaultValue = "0")
    int threads;
    @Option(names = "--json")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (threads > 0) {
            Parallel.setThreads(threads);
        }
        L2mu.Neuron nt = switch (neuron.toLowerCase(Locale.ROOT)) {
            case "lif", "leaky" -> L2mu.Neuron.LIF;
            case "cuba", "synaptic" -> L2mu.Neuron.CUBA;
            case "ann" -> L2mu.Neuron.ANN;
            default -> throw new MyelinException("--neuron must be lif, cuba or ann, was '" + neuron + "'");
        };
        L2mu.Encoder enc = switch (encoder.toLowerCase(Locale.ROOT)) {
            case "plain" -> L2mu.Encoder.PLAIN;
            case "single" -> L2mu.Encoder.SINGLE;
            default -> throw new MyelinException("--encoder must be plain or single, was '" + encoder + "'");
        };
        if (epochs < 1 || stride < 1) {
            throw new MyelinException("--epochs and --stride must be >= 1");
        }
        if (coreCheck < 0 || (coreCheck > 0 && (!immediateReset || nt == L2mu.Neuron.ANN))) {
            throw new MyelinException("--core-check needs a spiking neuron (lif or cuba) trained with --immediate-reset"
                    + " (the core resets a neuron in the step it spikes), and N >= 0");
        }
        PrintWriter out = spec.commandLine().getOut();
        HarData har = HarData.load(data, subjects, seconds, stride, seed);
        L2muTraining.Windows train = har.train();
        L2muTraining.Windows test = har.test();
        String source = har.source();
        List<List<Integer>> split = har.split();
        L2mu model = new L2mu(L2mu.Spec.reference(6, SyntheticHar.ACTIVITIES.length(), nt, enc, seed).withSizes(order, theta, hidden,
                memory).withAlpha(alpha).withImmediateReset(immediateReset));
        out.printf(Locale.ROOT, "%s on %s: %d train windows (subjects %s), %d test windows (subjects %s)%n",
                model.describe(), source, train.size(), split.get(0), test.size(), split.get(1));
        L2muTraining tr = new L2muTraining(model, lr, batchSize, seed);
        long t0 = System.nanoTime();
        var log = tr.fit(train, test, epochs, out);
        double secs = (System.nanoTime() - t0) / 1e9;
        double acc = log.get(log.size() - 1).testAccuracy();
        out.printf(Locale.ROOT, "test accuracy %.2f %% after %d epochs (%.1f s)%n", 100 * acc, epochs, secs);
        if (save != null) {
            org.myelin.learning.model.ModelFile.save(save, model, tr.mean(), tr.std());
            out.println("model written to " + save);
        }
        String core = "";
        if (coreCheck > 0) {
            core = coreCheck(model, tr, test, out);
        }
        if (json) {
            out.printf(Locale.ROOT, "{\"model\":\"l2mu\",\"neuron\":\"%s\",\"encoder\":\"%s\",\"data\":\"%s\","
                            + "\"synthetic\":%s,\"parameters\":%d,\"epochs\":%d,\"train_windows\":%d,\"test_windows\":%d,"
                            + "\"test_accuracy\":%.6f,\"train_s\":%.3f,\"immediate_reset\":%s%s,\"seed\":%d}%n",
                    nt.name().toLowerCase(Locale.ROOT), enc.name().toLowerCase(Locale.ROOT), data.replace("\"", ""),
                    data.equals("synthetic-har"), model.parameterCount(), epochs, train.size(), test.size(), acc, secs,
                    immediateReset, core, seed);
        }
        return 0;
    }

    /** Runs the first n test windows as core networks on the cpu backend; returns JSON fields. */
    private String coreCheck(L2mu model, L2muTraining tr, L2muTraining.Windows test, PrintWriter out) {
        int n = Math.min(coreCheck, test.size());
        Backend cpu = Backends.find("cpu");
        SimulationConfig cfg = new SimulationConfig(1);
        int identical = 0;
        int sameClass = 0;
        int correct = 0;
        long spikes = 0;
        long differing = 0;
        String first = "none";
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            L2muExport.Agreement a = L2muExport.verify(model, tr.batch(test, new int[] {i}, 0, 1), cpu, cfg);
            identical += a.identical() ? 1 : 0;
            sameClass += a.coreClass() == a.graphClass() ? 1 : 0;
            correct += a.coreClass() == test.labels()[i] ? 1 : 0;
            spikes += a.spikes();
            differing += a.differing();
            if (first.equals("none") && !a.identical()) {
                first = "window " + i + ": " + a.firstDifference();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "core check: %d test windows exported (multi-rate networks, %d network steps per sample step) and run on cpu: %d with"
                        + " identical spikes in every population (%,d spikes, %d differing), %d of the same class;"
                        + " core accuracy %.2f %% (%.1f s)%n", n, L2muExport.STRIDE, identical, spikes, differing, sameClass,
                100.0 * correct / n, secs);
        if (!first.equals("none")) {
            out.println("first difference: " + first);
        }
        return String.format(Locale.ROOT, ",\"core_windows\":%d,\"core_identical\":%d,\"core_same_class\":%d,"
                + "\"core_accuracy\":%.6f,\"core_spikes\":%d,\"core_differing\":%d", n, identical, sameClass,
                (double) correct / n, spikes, differing);
    }

    /**
     * HAR windows split by subject (80 / 20), from {@code synthetic-har} (generated with the seed) or {@code
     * wisdm:FOLDER}: what train l2mu trains on and edge compress evaluates on.
     */
    record HarData(L2muTraining.Windows train, L2muTraining.Windows test, String source, List<List<Integer>> split) {
        static HarData load(String data, int subjects, int seconds, int stride, long seed) throws IOException {
            Path folder;
            List<Integer> ids = new ArrayList<>();
            String source;
            if (data.equals("synthetic-har")) {
                folder = Files.createTempDirectory("myelin-har");
                SyntheticHar.write(folder, subjects, seconds, seed);
                for (int s = 0; s < subjects; s++) {
                    ids.add(SyntheticHar.FIRST_SUBJECT + s);
                }
                source = String.format(Locale.ROOT, "SYNTHETIC smartwatch data (%d subjects x 7 activities x %d s)",
                        subjects, seconds);
            } else if (data.startsWith("wisdm:")) {
                folder = Path.of(data.substring("wisdm:".length()));
                ids.addAll(subjectsIn(folder));
                source = "WISDM watch data in " + folder + " (" + ids.size() + " subjects)";
            } else {
                throw new MyelinException("--data must be synthetic-har or wisdm:FOLDER, was '" + data + "'");
            }
            List<List<Integer>> split = WisdmReader.subjectSplit(ids, 0.8);
            String acts = SyntheticHar.ACTIVITIES;
            L2muTraining.Windows train = windows(WisdmReader.windows(folder, split.get(0), acts, 40, stride), acts);
            L2muTraining.Windows test = windows(WisdmReader.windows(folder, split.get(1), acts, 40, 40), acts);
            if (data.equals("synthetic-har")) {
                try (Stream<Path> files = Files.walk(folder)) {
                    for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
            if (train.size() == 0 || test.size() == 0) {
                throw new MyelinException("no windows of the activities " + acts + " for training or testing in "
                        + folder);
            }
            return new HarData(train, test, source, split);
        }
    }

    static List<Integer> subjectsIn(Path folder) throws IOException {
        TreeSet<Integer> s = new TreeSet<>();
        Pattern p = Pattern.compile("data_(\\d+)_accel_watch\\.txt");
        for (Path dir : new Path[] {folder, folder.resolve("accel")}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> {
                    Matcher m = p.matcher(f.getFileName().toString());
                    if (m.matches()) {
                        s.add(Integer.parseInt(m.group(1)));
                    }
                });
            }
        }
        if (s.size() < 2) {
            throw new MyelinException("WISDM: need watch files of at least 2 subjects (data_<s>_accel_watch.txt) in "
                    + folder + " or " + folder.resolve("accel") + ", found " + s.size());
        }
        return new ArrayList<>(s);
    }

    static L2muTraining.Windows windows(List<WisdmReader.Window> ws, String acts) {
        int steps = ws.isEmpty() ? 40 : ws.get(0).channels()[0].length;
        float[] v = new float[ws.size() * steps * 6];
        int[] y = new int[ws.size()];
        for (int i = 0; i < ws.size(); i++) {
            WisdmReader.Window w = ws.get(i);
            y[i] = acts.indexOf(w.activity());
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < 6; c++) {
                    v[(i * steps + t) * 6 + c] = w.channels()[c][t];
                }
            }
        }
        return new L2muTraining.Windows(v, y, steps, 6);
    }
}
