package org.myelin.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.backend.cpu.spikedriven.SpikeDrivenEngine;
import org.myelin.core.MyelinException;
import org.myelin.core.spikedriven.SpikeProgram;
import org.myelin.experiments.data.IdxDatasets;
import org.myelin.learning.model.ModelFile;
import org.myelin.learning.sdt.MetaSpikeFormer;
import org.myelin.learning.sdt.SdtSpec;
import org.myelin.learning.sdt.SdtTraining;
import org.myelin.learning.tensor.Parallel;
import org.myelin.learning.train.EpochMetrics;
import org.myelin.learning.train.LabelledData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin train sdt}: a small Meta-SpikeFormer on MNIST-like images, checked and costed on the core. */
@Command(name = "sdt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a spike-driven transformer (Meta-SpikeFormer, Spike-driven Transformer V2) on MNIST-like",
            "images (square, one channel) with BPTT, export it with batch norms and RepConvs folded, run the export on the cpu backend's",
            "spike-driven engine (additions only after the first layer) and compare its predictions and per-layer",
            "spike counts with the training graph's. Reports accuracy, parameters, T, firing rates and the energy",
            "estimate E = 4.6 pJ x MACs + 0.9 pJ x ACs from the engine's counters."})
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
        @Option(names = "--batch-size", defaultValue = "32")
        int batch;
        @Option(names = "--lr", defaultValue = "5e-3")
        double lr;
        @Option(names = "--weight-decay", defaultValue = "0.01")
        double weightDecay;
        @Option(names = "--warmup", defaultValue = "300", description = "warm-up steps of the cosine schedule")
        int warmup;
        @Option(names = "--steps", defaultValue = "1", description = "time steps T (default: ${DEFAULT-VALUE})")
        int steps;
        @Option(names = "--stages", defaultValue = "32c0k7s2,48c1,64a1k3s1", description = {"stages, each",
            "WIDTH{c|a}BLOCKS[kKERNELsSTRIDE] (c: conv blocks, a: transformer blocks; downsampling kernel 3 stride 2",
            "unless given) (default: ${DEFAULT-VALUE})"})
        String stages;
        @Option(names = "--heads", defaultValue = "4")
        int heads;
        @Option(names = "--mlp-ratio", defaultValue = "4")
        int mlpRatio;
        @Option(names = "--attention", defaultValue = "sdsa3", description = "sdsa3 (V2) or sdsa1 (V1)")
        String attention;
        @Option(names = "--no-repconv", description = "Q, K, V and projection as 1x1 convolutions (V1) instead of RepConv")
        boolean noRepConv;
        @Option(names = "--transformer-only", description = "every conv stage becomes a transformer stage")
        boolean transformerOnly;
        @Option(names = "--seed", defaultValue = "1")
        long seed;
        @Option(names = "--core-check", defaultValue = "-1", paramLabel = "N", description = {"run the first N test",
            "images (-1: all) on the cpu backend's spike-driven engine and compare with the training graph"})
        int coreCheck;
        @Option(names = "--threads", defaultValue = "0", description = "worker threads (0: all cores)")
        int threads;
        @Option(names = "--no-progress", description = "no progress bars")
        boolean noProgress;

        SdtSpec spec(int classes, int size) {
            SdtSpec s = new SdtSpec(1, size, classes, steps, SdtSpec.parseStages(stages), heads, mlpRatio, attention,
                    !noRepConv, seed);
            return transformerOnly ? s.transformerOnly() : s;
        }

        int threads() {
            return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        }

        LabelledData[] load() {
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
        static int size(LabelledData d) {
            int size = (int) Math.round(Math.sqrt(d.features()));
            if (size * size != d.features()) {
                throw new MyelinException("sdt: expects square images, the data has " + d.features()
                        + " values per image");
            }
            return size;
        }
    }

    /** Everything one trained variant measured. */
    record Report(String name, SdtSpec spec, long parameters, List<EpochMetrics> history, double accuracy,
                  double trainSeconds, double meanFiringRate, List<String[]> layerRates, int checked,
                  int predictionsEqual, int scoresEqual, long spikeMismatches, double macsPerImage,
                  double acsPerImage, long multipliesAfterFirst, double denseOpsPerStep, double energyMicroJoules,
                  double paperEnergyMicroJoules) {
        String json() {
            StringBuilder rates = new StringBuilder();
            for (String[] r : layerRates) {
                rates.append(rates.length() == 0 ? "" : ",").append('"').append(r[0]).append("\":").append(r[1]);
            }
            return String.format(Locale.ROOT, "{\"variant\":\"%s\",\"spec\":\"%s\",\"parameters\":%d,\"T\":%d,"
                    + "\"epochs\":%d,\"train_seconds\":%.1f,\"test_accuracy\":%.6f,\"mean_firing_rate\":%.5f,"
                    + "\"core_checked\":%d,\"core_predictions_equal\":%d,\"core_scores_equal\":%d,"
                    + "\"core_spike_count_mismatches\":%d,\"macs_per_image\":%.1f,\"acs_per_image\":%.1f,"
                    + "\"multiplies_after_first_layer\":%d,\"dense_ops_per_step\":%.1f,\"energy_uj\":%.4f,"
                    + "\"paper_energy_uj\":%.4f,\"firing_rates\":{%s}}", name, spec.toText(), parameters,
                    spec.steps(), history.size(), trainSeconds, accuracy, meanFiringRate, checked, predictionsEqual,
                    scoresEqual, spikeMismatches, macsPerImage, acsPerImage, multipliesAfterFirst, denseOpsPerStep,
                    energyMicroJoules, paperEnergyMicroJoules, rates);
        }
    }

    /**
     * The papers' estimate in pJ per image: E_MAC x FLOPs(first layer) + E_AC x sum over the other synaptic layers
     * of firing rate (of the spikes they read, measured on the engine) x T x FLOPs (dense operations per step).
     */
    static double paperEnergy(SpikeProgram p, List<SpikeDrivenEngine.Result> results) {
        int nodes = p.nodes().size();
        double[] spikes = new double[nodes];
        for (SpikeDrivenEngine.Result r : results) {
            for (int k = 0; k < nodes; k++) {
                spikes[k] += r.spikes()[k];
            }
        }
        double images = Math.max(1, results.size());
        double e = 0;
        for (int k = 0; k < nodes; k++) {
            SpikeProgram.Node node = p.nodes().get(k);
            int reads;
            if (node instanceof SpikeProgram.Conv c) {
                if (c.input() == 0) {
                    e += E_MAC_PJ * p.denseOps(k);
                    continue;
                }
                reads = c.input();
            } else if (node instanceof SpikeProgram.Dense d) {
                reads = d.input();
            } else if (node instanceof SpikeProgram.Attention a) {
                reads = a.q();
            } else if (node instanceof SpikeProgram.TokenCount t) {
                reads = t.k();
            } else {
                continue;
            }
            // a gate's spikes are not counted by the engine: its rate is read from the queries it passes
            int source = p.nodes().get(reads) instanceof SpikeProgram.Gate g ? g.q() : reads;
            double rate = spikes[source] / (images * p.size(source) * p.steps());
            e += E_AC_PJ * rate * p.steps() * p.denseOps(k);
        }
        return e;
    }

    static final double E_MAC_PJ = 4.6;
    static final double E_AC_PJ = 0.9;

    /** Trains one variant, evaluates it, checks its export on the core and costs it. */
    static Report run(String name, SdtSpec spec, Options o, LabelledData train, LabelledData test, PrintWriter out,
                      Path save) {
        return run(name, new MetaSpikeFormer(spec), true, o, train, test, out, save);
    }

    /** As above for a given model, trained first when {@code train} is set. */
    static Report run(String name, MetaSpikeFormer model, boolean fit, Options o, LabelledData train,
                      LabelledData test, PrintWriter out, Path save) {
        SdtSpec spec = model.spec();
        out.printf(Locale.ROOT, "%s: %s%n", name, model.describe());
        out.flush();
        long start = System.nanoTime();
        // the last epoch's evaluation is the trained model's: kept instead of evaluating the test set again
        SdtTraining.Evaluation[] last = new SdtTraining.Evaluation[1];
        List<EpochMetrics> history = !fit ? List.of() : SdtTraining.train(model, train, test,
                new SdtTraining.Options(o.epochs, o.batch, o.lr, o.weightDecay, o.warmup, o.seed, !o.noProgress),
                m -> {
                    out.printf(Locale.ROOT, "  epoch %d: loss %.4f, train %.2f %%, test %.2f %%, %.1f images/s,"
                            + " %.0f s%n", m.epoch(), m.trainLoss(), 100 * m.trainAccuracy(), 100 * m.testAccuracy(),
                            m.samplesPerSecond(), m.seconds());
                    out.flush();
                }, e -> last[0] = e);
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        if (save != null) {
            ModelFile.save(save, model);
            out.println("  saved " + save);
        }
        SdtTraining.Evaluation eval = last[0] != null ? last[0] : SdtTraining.evaluate(model, test, 256);
        List<String[]> rates = new ArrayList<>();
        for (String layer : eval.spikes().keySet()) {
            rates.add(new String[] {layer, String.format(Locale.ROOT, "%.5f", eval.firingRate(layer))});
        }
        SpikeProgram program = model.export();
        int n = o.coreCheck < 0 ? test.size() : Math.min(o.coreCheck, test.size());
        int per = test.features();
        float[][] samples = new float[n][];
        for (int i = 0; i < n; i++) {
            samples[i] = java.util.Arrays.copyOfRange(test.values(), i * per, (i + 1) * per);
        }
        List<SpikeDrivenEngine.Result> results = new SpikeDrivenEngine(program).runAll(samples, o.threads());
        int predEqual = 0;
        int scoresEqual = 0;
        long mismatches = 0;
        double macs = 0;
        double acs = 0;
        long mults = 0;
        int classes = spec.classes();
        for (int i = 0; i < n; i++) {
            SpikeDrivenEngine.Result r = results.get(i);
            predEqual += r.prediction() == eval.predictions()[i] ? 1 : 0;
            boolean same = true;
            for (int j = 0; j < classes; j++) {
                same &= r.scores()[j] * (1f / spec.steps()) == eval.logits()[i * classes + j];
            }
            scoresEqual += same ? 1 : 0;
            for (int k = 0; k < program.nodes().size(); k++) {
                if (program.nodes().get(k) instanceof SpikeProgram.Fire f) {
                    mismatches += r.spikes()[k] == eval.spikes().get(f.name())[i] ? 0 : 1;
                }
                boolean first = program.nodes().get(k) instanceof SpikeProgram.Conv c && c.input() == 0;
                if (!first) {
                    mults += r.macs()[k];
                }
            }
            macs += r.totalMacs();
            acs += r.totalAcs();
        }
        macs /= Math.max(1, n);
        acs /= Math.max(1, n);
        double dense = 0;
        for (int k = 0; k < program.nodes().size(); k++) {
            dense += program.denseOps(k);
        }
        double energy = (E_MAC_PJ * macs + E_AC_PJ * acs) * 1e-6;
        double paper = paperEnergy(program, results) * 1e-6;
        Report rep = new Report(name, spec, model.parameterCount(), history, eval.accuracy(), trainSeconds,
                eval.meanFiringRate(), rates, n, predEqual, scoresEqual, mismatches, macs, acs, mults, dense, energy,
                paper);
        out.printf(Locale.ROOT, "  test accuracy %.2f %% (%d images), %d parameters, T = %d, mean firing rate %.4f,"
                + " trained for %.0f s%n", 100 * eval.accuracy(), test.size(), model.parameterCount(), spec.steps(),
                eval.meanFiringRate(), trainSeconds);
        out.printf(Locale.ROOT, "  core (cpu spike-driven engine, %d images): predictions equal %d/%d, scores equal"
                + " %d/%d, per-layer spike-count mismatches %d; per image %.0f MACs (first layer), %.0f ACs,"
                + " %d multiplications after the first layer (all images); energy %.3f uJ (4.6 pJ/MAC, 0.9 pJ/AC; the papers'"
                + " formula from firing rates and dense FLOPs: %.3f uJ)%n", n, predEqual, n, scoresEqual, n, mismatches,
                macs, acs, mults, energy, paper);
        out.flush();
        return rep;
    }

    @Override
    public Integer call() throws IOException {
        if (options.threads > 0) {
            Parallel.setThreads(options.threads);
        }
        PrintWriter out = spec.commandLine().getOut();
        LabelledData[] d = options.load();
        out.printf(Locale.ROOT, "data %s: %d training, %d test images%n", options.data, d[0].size(), d[1].size());
        int classes = Math.max(d[0].classes(), d[1].classes());
        Report r;
        if (model != null) {
            MetaSpikeFormer m = ModelFile.loadSdt(model);
            if (m.spec().size() != Options.size(d[1]) || m.spec().classes() < d[1].classes()) {
                throw new MyelinException(model + " takes " + m.spec().size() + "x" + m.spec().size() + " images of "
                        + m.spec().classes() + " classes, the test set has " + d[1].features() + " values and "
                        + d[1].classes() + " classes");
            }
            r = run("sdt", m, false, options, d[0], d[1], out, null);
        } else {
            r = run("sdt", options.spec(classes, Options.size(d[0])), options, d[0], d[1], out, save);
        }
        if (json != null) {
            Files.writeString(json, r.json() + "\n");
            out.println("wrote " + json);
        }
        return r.predictionsEqual() == r.checked() && r.spikeMismatches() == 0 ? 0 : 1;
    }

    @Option(names = "--save", paramLabel = "FILE", description = "write the trained model to FILE")
    Path save;
    @Option(names = "--model", paramLabel = "FILE", description = {"evaluate and check a saved model (from --save)",
        "instead of training one; the architecture options are then the file's"})
    Path model;
    @Option(names = "--json", paramLabel = "FILE", description = "write the report as one JSON line to FILE")
    Path json;
}
