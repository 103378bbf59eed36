package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.core.io.AtomicFile;
import org.myelin.core.io.Json;
import org.myelin.experiments.lsm.LsmConfig;
import org.myelin.experiments.lsm.LsmExperiment;
import org.myelin.experiments.lsm.LsmResult;
import org.myelin.experiments.lsm.LsmSweep;
import org.myelin.experiments.lsm.LsmZeroShot;
import org.myelin.experiments.lsm.ZeroShotConfig;
import org.myelin.experiments.lsm.ZeroShotResult;
import org.myelin.learning.model.ContrastiveHeads;
import org.myelin.viz.raster.LineChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin experiment lsm}: a liquid state machine on event images, on the cpu or the crossbar model. */
@SharedOptions.Defaults(seed = 10)
@Command(name = "lsm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Liquid state machine classification of event data (images or audio).",
            "With --modality image, N-MNIST-format folders (Train/<digit>/*.bin, Test/<digit>/*.bin; e.g. made"
                + " by `myelin data make nmnist-like`), each sample's events of the centre crop binned into frames;"
                + " --modality audio, an N-TIDIGITS HDF5 file (e.g. made by `myelin data make tidigits-like`), the"
                + " isolated digits' 64 cochlea channels binned into frames. The reservoir runs on --backend (cpu, or"
                + " memristor with --device ideal|pcm-like[@seconds]); per-neuron spike counts are read out by a"
                + " linear classifier."})
final class LsmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true,
            description = "N-MNIST-format folder (image) or N-TIDIGITS HDF5 file (audio)")
    Path data;
    @Option(names = "--modality", defaultValue = "image", description = "image or audio (default: ${DEFAULT-VALUE})")
    String modality;
    @Option(names = "--task", defaultValue = "classify", description = {"classify (a linear readout) or zeroshot:",
        "audio-to-image retrieval through projection heads trained with CLIP's contrastive loss on digits 1-7 and tested",
        "on 1-7 (in-class) and on 8-9 (zero-shot); --data the images, --audio-data the audio (default: ${DEFAULT-VALUE})"})
    String task;
    @Option(names = "--audio-data",
            description = "zeroshot: N-TIDIGITS HDF5 file (its whole train and test splits are used)")
    Path audioData;
    @Option(names = "--audio-neurons", defaultValue = "200",
            description = "zeroshot: audio liquid's neurons (default: ${DEFAULT-VALUE})")
    int audioNeurons;
    @Option(names = "--dim", defaultValue = "64", description = "zeroshot: embedding width (default: ${DEFAULT-VALUE})")
    int dim;
    @Option(names = "--temperature", description = {"zeroshot: CLIP temperature (default: 1.0, the reference's; 0.1",
        "with --former-heads)"})
    Float temperature;
    @Option(names = "--steps", split = ",", defaultValue = "250,500,1000,2000,4000", description = {"zeroshot: training",
        "steps tried; chosen on training data alone: heads trained on digits 1-5 retrieving 6-7"})
    int[] steps;
    @Option(names = "--head-seeds", defaultValue = "5", description = {"zeroshot: heads trained from this many seeds",
        "(seed, seed + 1, ...) on the same liquids' features; the mean and spread are reported (default: ${DEFAULT-VALUE})"})
    int headSeeds;
    @Option(names = "--batch", description = {"zeroshot: pairs per training batch (default: 8, the reference's; 128",
        "with --former-heads)"})
    Integer batch;
    @Option(names = "--head", description = {"zeroshot: projection head, fc-gelu (one fully connected layer with bias,",
        "then GELU: the reference's) or linear (default: fc-gelu; linear with --former-heads)"})
    String head;
    @Option(names = "--former-heads", description = {"zeroshot: Myelin's former head training (temperature 0.1,",
        "batches of 128, a linear head) instead of the reference's; --temperature, --batch and --head still override"})
    boolean formerHeads;
    @Option(names = "--head-lr", defaultValue = "1e-3",
            description = "zeroshot: Adam learning rate of the heads (default: ${DEFAULT-VALUE})")
    double headLr;
    @Option(names = {"--train", "--train-limit"}, defaultValue = "2000", description = "training samples (default: ${DEFAULT-VALUE})")
    int train;
    @Option(names = {"--test", "--test-limit"}, defaultValue = "500", description = "test samples (default: ${DEFAULT-VALUE})")
    int test;
    @Option(names = "--validation", description = {"evaluate on N further training samples instead of the test split",
        "(for choosing settings; the test split is for the final figure only)"})
    Integer validation;
    @Option(names = "--backend", defaultValue = "cpu",
            description = "backend that runs the reservoir: cpu or memristor (default: ${DEFAULT-VALUE})")
    String backend;
    @Option(names = "--device", description = {"memristor device: ideal, pcm-like or rram, [@seconds since",
        "programming], [,key=value]... (levels, stuck, d2d, prog, drift, read, pcmread, adc, adcrows, adcrange, tile,",
        "wire, vread)"})
    String device;
    @Option(names = "--weights", defaultValue = "gaussian", description = {"reservoir weights: gaussian, or switching",
        "(drawn from the stochastic switching of resistive-memory pairs, rescaled to the same spreads)"})
    String weights;
    @Option(names = "--sweep", paramLabel = "KEY=V1,V2,...", description = {"classify on the memristor backend once per",
        "value of a device key (levels, stuck, d2d, prog, drift, read, adc, wire, ..., or t for the seconds since programming) added",
        "to --device (default pcm-like); repeatable, one key at a time; results to --sweep-out"})
    List<String> sweeps;
    @Option(names = "--sweep-out", paramLabel = "PREFIX", description = "sweep results: PREFIX.csv, and the chart as PREFIX.svg and PREFIX.png")
    Path sweepOut;
    @Option(names = "--crop", defaultValue = "16",
            description = "centre crop, pixels a side (default: ${DEFAULT-VALUE})")
    int crop;
    @Option(names = "--bins", description = "time bins per sample (default: 50 image, 129 audio, as the reference)")
    Integer binsOption;
    @Option(names = "--neurons", defaultValue = "200",
            description = "neurons of the reservoir (default: ${DEFAULT-VALUE})")
    int neurons;
    @Option(names = "--decay", description = "membrane decay per bin (default: 0.9 image, 0.97 audio)")
    Double decayOption;
    @Option(names = "--vth", description = "threshold (default: 5.0 image, 5.3 audio)")
    Double vthOption;
    @Option(names = "--input-sigma", defaultValue = "3.0",
            description = "input weight spread (default: ${DEFAULT-VALUE})")
    double inputSigma;
    @Option(names = "--recurrent-sigma", defaultValue = "1.0",
            description = "recurrent weight spread (default: ${DEFAULT-VALUE})")
    double recurrentSigma;
    @Option(names = "--epochs", defaultValue = "40", description = "readout epochs (default: ${DEFAULT-VALUE})")
    int epochs;
    @picocli.CommandLine.Mixin
    SharedOptions.Seed seedOption;
    @picocli.CommandLine.Mixin
    JsonOptions json;

    @Override
    public Integer call() {
        LsmConfig c = config();
        switch (task) {
            case "classify" -> {
                return sweeps != null && !sweeps.isEmpty() ? sweep(c) : classify(c);
            }
            case "zeroshot" -> {
                return zeroShot(c);
            }
            default -> throw new MyelinException("--task must be classify or zeroshot, was '" + task + "'");
        }
    }

    /** The options as the library's configuration, the modality's defaults filled in. */
    LsmConfig config() {
        boolean audio = switch (modality) {
            case "image" -> false;
            case "audio" -> true;
            default -> throw new MyelinException("--modality must be image or audio, was '" + modality + "'");
        };
        int bins = binsOption != null ? binsOption : audio ? 129 : 50;
        double decay = decayOption != null ? decayOption : audio ? 0.97 : 0.9;
        double vth = vthOption != null ? vthOption : audio ? 5.3 : 5.0;
        LsmConfig.Weights w = switch (weights) {
            case "gaussian" -> LsmConfig.Weights.GAUSSIAN;
            case "switching" -> LsmConfig.Weights.SWITCHING;
            default -> throw new MyelinException("--weights must be gaussian or switching, was '" + weights + "'");
        };
        return new LsmConfig(audio ? LsmConfig.Modality.AUDIO : LsmConfig.Modality.IMAGE, data, train, test,
                validation, backend, device, w, crop, bins, neurons, decay, vth, inputSigma, recurrentSigma, epochs,
                seedOption.value());
    }

    /** The zero-shot run of the options, the image liquid's settings from {@code image}. */
    ZeroShotConfig zeroShotConfig(LsmConfig image) {
        ZeroShotConfig preset = formerHeads ? ZeroShotConfig.former(image, audioData)
                : ZeroShotConfig.defaults(image, audioData);
        return new ZeroShotConfig(image, audioData, audioNeurons, dim,
                temperature != null ? temperature : preset.temperature(), steps, headSeeds,
                batch != null ? batch : preset.batch(), headLr,
                head != null ? ContrastiveHeads.Head.of(head) : preset.head());
    }

    private int classify(LsmConfig c) {
        LsmResult r = LsmExperiment.classify(c);
        PrintWriter out = spec.commandLine().getOut();
        out.println(LsmExperiment.describe(c, r.liquid(), r.features()));
        out.printf(Locale.ROOT, "linear readout: train accuracy %.2f %%, %s accuracy %.2f %%%n", 100 * r.trainAccuracy(),
                c.evaluatedOn(), 100 * r.testAccuracy());
        if (r.crossbar().runs() > 0) {
            out.println(r.crossbar().summary());
        }
        if (json.wanted()) {
            json.emit(out, Json.object().put("experiment", "lsm").put("task", "classify").put("modality", modality)
                    .put("backend", backend).put("device", device).put("weights", weights)
                    .put("train", r.trainSamples()).put("test", r.testSamples())
                    .put("train_accuracy", r.trainAccuracy()).put(c.evaluatedOn() + "_accuracy", r.testAccuracy())
                    .put("spikes_per_neuron", r.spikesPerNeuron()).put("sim_s", r.simSeconds()).put("seed", seedOption.value())
                    .put("crossbar", r.crossbar().runs() > 0 ? r.crossbar().json() : null));
        }
        return 0;
    }

    /** The device sweep: a line per row as it is done, then PREFIX.csv and one chart panel per key in PREFIX.svg/.png. */
    private int sweep(LsmConfig c) {
        LsmSweep.requireMemristor(c);
        if (sweepOut == null) {
            throw new MyelinException("--sweep needs --sweep-out PREFIX (PREFIX.csv, PREFIX.svg, PREFIX.png)");
        }
        PrintWriter out = spec.commandLine().getOut();
        LsmSweep.Result result = LsmSweep.run(c, sweeps, row -> {
            out.printf(Locale.ROOT, "%s = %s (%s): %s accuracy %.2f %%, %.1f spikes per neuron and sample (%.1f s)%n",
                    row.key(), row.value(), row.device(), c.evaluatedOn(), 100 * row.testAccuracy(),
                    row.spikesPerNeuron(), row.simSeconds());
            out.flush();
        });
        LineChart chart = new LineChart(String.format(Locale.ROOT, "LSM (%s) accuracy against the device model (base %s)",
                modality, result.base()));
        int next = 0;
        for (String sw : sweeps) {
            String key = sw.split("=", 2)[0];
            int n = sw.split("=", 2)[1].split(",").length;
            double[] xs = new double[n];
            double[] ys = new double[n];
            for (int i = 0; i < n; i++) {
                LsmSweep.Row row = result.rows().get(next++);
                xs[i] = Double.parseDouble(row.value());
                ys[i] = 100 * row.testAccuracy();
            }
            boolean log = xs[0] > 0 && Arrays.stream(xs).allMatch(x -> x > 0)
                    && Arrays.stream(xs).max().getAsDouble() / Arrays.stream(xs).min().getAsDouble() >= 10;
            chart.panel(new LineChart.Panel(key, key + (log ? " (log scale)" : ""), "accuracy (%)", xs, ys, log));
        }
        AtomicFile.writeString(Path.of(sweepOut + ".csv"), result.csv());
        chart.writeSvg(Path.of(sweepOut + ".svg"));
        chart.writePng(Path.of(sweepOut + ".png"));
        out.printf(Locale.ROOT, "sweep: %s.csv, %s.svg, %s.png%n", sweepOut, sweepOut, sweepOut);
        return 0;
    }

    private int zeroShot(LsmConfig image) {
        ZeroShotConfig z = zeroShotConfig(image);
        PrintWriter out = spec.commandLine().getOut();
        ZeroShotResult r = LsmZeroShot.run(z, line -> {
            out.println(line);
            out.flush();
        });
        out.printf(Locale.ROOT, "zero-shot retrieval (audio query -> the most similar of all test images of the classes),"
                        + " mean of %d head seeds: in-class (digits 1-7, chance about %.1f %%) %.2f %% (sd %.2f),"
                        + " out-class (digits 8-9, never paired in training; chance about 50 %%) %.2f %% (sd %.2f)%n",
                headSeeds, 100.0 / LsmZeroShot.SEEN.length, 100 * r.inClassMean(), 100 * r.inClassSd(),
                100 * r.outClassMean(), 100 * r.outClassSd());
        if (json.wanted()) {
            var fi = r.imageFeatures();
            var fa = r.audioFeatures();
            json.emit(out, Json.object().put("experiment", "lsm").put("task", "zeroshot").put("backend", backend)
                    .put("device", device).put("image_train", fi.xtr().length).put("image_test", fi.xte().length)
                    .put("audio_train", fa.xtr().length).put("audio_test", fa.xte().length)
                    .put("head_seeds", headSeeds).put("head", z.head().label())
                    .put("temperature", (double) z.temperature()).put("batch", z.batch()).put("steps", r.chosenSteps()).put("in_class", r.inClassMean())
                    .put("out_class", r.outClassMean()).put("out_class_sd", r.outClassSd())
                    .put("out_class_per_seed", r.outClass()).put("out_class_best_on_test_not_used", r.bestOutOnTest())
                    .put("sim_s", fi.seconds() + fa.seconds()).put("seed", seedOption.value()).put("weights", weights)
                    .put("crossbar_image", fi.crossbar().runs() > 0 ? fi.crossbar().json() : null)
                    .put("crossbar_audio", fa.crossbar().runs() > 0 ? fa.crossbar().json() : null));
        }
        return 0;
    }
}
