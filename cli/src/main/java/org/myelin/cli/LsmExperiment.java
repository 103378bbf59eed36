package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.backend.memristor.CrossbarReport;
import org.myelin.backend.memristor.lsm.Reservoir;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.nmnist.NmnistDataset;
import org.myelin.datasets.ntidigits.NtidigitsFile;
import org.myelin.experiments.probe.LinearProbe;
import org.myelin.learning.model.ContrastiveHeads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code myelin experiment lsm}: a liquid state machine on event images, on the cpu or the crossbar model. */
@Command(name = "lsm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Liquid state machine classification of event data: --modality image, N-MNIST-format folders",
            "(Train/<digit>/*.bin, Test/<digit>/*.bin; e.g. made by `myelin data make nmnist-like`), each sample's",
            "events of the centre crop binned into frames; --modality audio, an N-TIDIGITS HDF5 file (e.g. made by",
            "`myelin data make tidigits-like`), the isolated digits' 64 cochlea channels binned into frames. The",
            "reservoir runs on --backend (cpu, or memristor with --device ideal|pcm-like[@seconds]); per-neuron spike",
            "counts are read out by a linear classifier."})
final class LsmExperiment implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "N-MNIST-format folder (image) or N-TIDIGITS HDF5 file (audio)")
    Path data;
    @Option(names = "--modality", defaultValue = "image", description = "image or audio (default: ${DEFAULT-VALUE})")
    String modality;
    @Option(names = "--task", defaultValue = "classify", description = {"classify (a linear readout) or zeroshot:",
        "audio-to-image retrieval through projection heads trained with CLIP's contrastive loss on digits 1-7 and tested",
        "on 1-7 (in-class) and on 8-9 (zero-shot); --data the images, --audio-data the audio (default: ${DEFAULT-VALUE})"})
    String task;
    @Option(names = "--audio-data", description = "zeroshot: N-TIDIGITS HDF5 file (its whole train and test splits are used)")
    Path audioData;
    @Option(names = "--audio-neurons", defaultValue = "200", description = "zeroshot: audio liquid's neurons (default: ${DEFAULT-VALUE})")
    int audioNeurons;
    @Option(names = "--dim", defaultValue = "64", description = "zeroshot: embedding width (default: ${DEFAULT-VALUE})")
    int dim;
    @Option(names = "--temperature", defaultValue = "0.1", description = "zeroshot: CLIP temperature (default: ${DEFAULT-VALUE})")
    float temperature;
    @Option(names = "--steps", split = ",", defaultValue = "250,500,1000,2000,4000", description = {"zeroshot: training",
        "steps tried; chosen on training data alone: heads trained on digits 1-5 retrieving 6-7"})
    int[] steps;
    @Option(names = "--head-seeds", defaultValue = "5", description = {"zeroshot: heads trained from this many seeds",
        "(seed, seed + 1, ...) on the same liquids' features; the mean and spread are reported (default: ${DEFAULT-VALUE})"})
    int headSeeds;
    @Option(names = "--batch", defaultValue = "128", description = "zeroshot: pairs per training batch (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--head-lr", defaultValue = "1e-3", description = "zeroshot: Adam learning rate of the heads (default: ${DEFAULT-VALUE})")
    double headLr;
    @Option(names = "--train", defaultValue = "2000", description = "training samples (default: ${DEFAULT-VALUE})")
    int train;
    @Option(names = "--test", defaultValue = "500", description = "test samples (default: ${DEFAULT-VALUE})")
    int test;
    @Option(names = "--validation", description = {"evaluate on N further training samples instead of the test split",
        "(for choosing settings; the test split is for the final figure only)"})
    Integer validation;
    @Option(names = "--backend", defaultValue = "cpu")
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
    @Option(names = "--sweep-out", paramLabel = "PREFIX", description = "sweep results: PREFIX.csv and PREFIX.svg")
    Path sweepOut;
    @Option(names = "--crop", defaultValue = "16", description = "centre crop, pixels a side (default: ${DEFAULT-VALUE})")
    int crop;
    @Option(names = "--bins", description = "time bins per sample (default: 50 image, 129 audio, as the reference)")
    Integer binsOption;
    int bins;
    @Option(names = "--neurons", defaultValue = "200")
    int neurons;
    @Option(names = "--decay", description = "membrane decay per bin (default: 0.9 image, 0.97 audio)")
    Double decayOption;
    double decay;
    @Option(names = "--vth", description = "threshold (default: 5.0 image, 5.3 audio)")
    Double vthOption;
    double vth;
    @Option(names = "--input-sigma", defaultValue = "3.0", description = "input weight spread (default: ${DEFAULT-VALUE})")
    double inputSigma;
    @Option(names = "--recurrent-sigma", defaultValue = "1.0", description = "recurrent weight spread (default: ${DEFAULT-VALUE})")
    double recurrentSigma;
    @Option(names = "--epochs", defaultValue = "40", description = "readout epochs (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--seed", defaultValue = "10")
    long seed;
    @Option(names = "--json")
    boolean json;

    /** Labelled event samples of one split. */
    interface Samples {
        int size();

        /** Sample i's events and label. */
        Item item(int i);
    }

    record Item(EventStream events, int label) {
    }

    private static Samples images(Path folder, String split) {
        NmnistDataset d = NmnistDataset.open(folder, split);
        return new Samples() {
            public int size() {
                return d.size();
            }

            public Item item(int i) {
                var s = d.sample(i);
                return new Item(s.events(), s.label());
            }
        };
    }

    /** The isolated digits of an N-TIDIGITS split (11 classes: zero to nine and "oh"), sequences left out. */
    private static Samples audio(Path file, String split) {
        NtidigitsFile f = NtidigitsFile.open(file, split);
        java.util.List<Integer> isolated = new java.util.ArrayList<>();
        for (int i = 0; i < f.samples(); i++) {
            if (f.isolatedLabel(i) >= 0) {
                isolated.add(i);
            }
        }
        return new Samples() {
            public int size() {
                return isolated.size();
            }

            public Item item(int i) {
                return new Item(f.sample(isolated.get(i)), f.isolatedLabel(isolated.get(i)));
            }
        };
    }

    /** One liquid's settings: modality, inputs and the reservoir's size and dynamics. */
    record Liquid(boolean audio, int inputs, int neurons, int bins, double decay, double vth) {
        Reservoir reservoir(double inputSigma, double recurrentSigma, long seed, String weights) {
            Reservoir r = new Reservoir(inputs, neurons, decay, vth, inputSigma, recurrentSigma, seed);
            return switch (weights) {
                case "gaussian" -> r;
                case "switching" -> r.withSwitching(Reservoir.defaultSwitching());
                default -> throw new MyelinException("--weights must be gaussian or switching, was '" + weights + "'");
            };
        }
    }

    /**
     * Spike-count features of the training and the evaluated split, and on the memristor backend what the crossbar
     * did for all of them (else {@link CrossbarReport#NONE}).
     */
    record Features(double[][] xtr, int[] ytr, double[][] xte, int[] yte, long spikes, double seconds,
                    CrossbarReport crossbar) {
    }

    @Override
    public Integer call() {
        boolean audio = switch (modality) {
            case "image" -> false;
            case "audio" -> true;
            default -> throw new MyelinException("--modality must be image or audio, was '" + modality + "'");
        };
        bins = binsOption != null ? binsOption : audio ? 129 : 50;
        decay = decayOption != null ? decayOption : audio ? 0.97 : 0.9;
        vth = vthOption != null ? vthOption : audio ? 5.3 : 5.0;
        switch (task) {
            case "classify" -> {
                return classify(audio);
            }
            case "zeroshot" -> {
                return zeroShot();
            }
            default -> throw new MyelinException("--task must be classify or zeroshot, was '" + task + "'");
        }
    }

    private int classify(boolean audio) {
        if (sweeps != null && !sweeps.isEmpty()) {
            return sweep(audio);
        }
        int classes = audio ? 11 : 10;
        Liquid lq = new Liquid(audio, audio ? NtidigitsFile.CHANNELS : crop * crop, neurons, bins, decay, vth);
        Features f = extract(lq, data, train, test, validation, device);
        double[] acc = readout(f, classes);
        double trainAcc = acc[0];
        double testAcc = acc[1];
        PrintWriter out = spec.commandLine().getOut();
        out.println(describe(lq, f));
        out.printf(Locale.ROOT, "linear readout: train accuracy %.2f %%, %s accuracy %.2f %%%n", 100 * trainAcc,
                validation == null ? "test" : "validation", 100 * testAcc);
        if (f.crossbar().runs() > 0) {
            out.println(f.crossbar().summary());
        }
        if (json) {
            out.printf(Locale.ROOT, "{\"experiment\":\"lsm\",\"task\":\"classify\",\"modality\":\"" + modality
                            + "\",\"backend\":\"%s\",\"device\":%s,\"weights\":\"%s\",\"train\":%d,\"test\":%d,"
                            + "\"train_accuracy\":%.6f,\"" + (validation == null ? "test" : "validation") + "_accuracy\":%.6f,"
                            + "\"spikes_per_neuron\":%.4f,\"sim_s\":%.3f,\"seed\":%d,\"crossbar\":%s}%n", backend,
                    device == null ? "null" : "\"" + device + "\"", weights, f.xtr().length, f.xte().length, trainAcc,
                    testAcc, (double) f.spikes() / f.xtr().length / neurons, f.seconds(), seed,
                    f.crossbar().runs() > 0 ? f.crossbar().json() : "null");
        }
        return 0;
    }

    /** Standardises the features and trains the linear readout; returns its train and test (or validation) accuracy. */
    private double[] readout(Features f, int classes) {
        standardise(f.xtr(), f.xte());
        LinearProbe probe = new LinearProbe(neurons, classes);
        probe.train(f.xtr(), f.ytr(), epochs, 0.01, seed);
        return new double[] {probe.accuracy(f.xtr(), f.ytr()), probe.accuracy(f.xte(), f.yte())};
    }

    /**
     * One-factor-at-a-time device sweep: for each swept key and value, the liquid runs on the memristor backend with
     * that change to the base device and a fresh linear readout is trained; rows to PREFIX.csv, one panel per key to
     * PREFIX.svg.
     */
    private int sweep(boolean audio) {
        if (!backend.equals("memristor")) {
            throw new MyelinException("--sweep varies the device model: use --backend memristor");
        }
        if (sweepOut == null) {
            throw new MyelinException("--sweep needs --sweep-out PREFIX (PREFIX.csv, PREFIX.svg)");
        }
        String base = device == null ? "pcm-like" : device;
        int classes = audio ? 11 : 10;
        Liquid lq = new Liquid(audio, audio ? NtidigitsFile.CHANNELS : crop * crop, neurons, bins, decay, vth);
        PrintWriter out = spec.commandLine().getOut();
        StringBuilder csv = new StringBuilder("parameter,value,device,train_accuracy," + (validation == null ? "test"
                : "validation") + "_accuracy,spikes_per_neuron,sim_s,energy_per_sample_nj\n");
        org.myelin.viz.raster.LineChart chart = new org.myelin.viz.raster.LineChart(String.format(Locale.ROOT,
                "LSM (%s) accuracy against the device model (base %s)", modality, base));
        for (String sw : sweeps) {
            String[] kv = sw.split("=", 2);
            if (kv.length != 2 || kv[1].isBlank()) {
                throw new MyelinException("--sweep must be KEY=V1,V2,..., was '" + sw + "'");
            }
            String[] values = kv[1].split(",");
            double[] xs = new double[values.length];
            double[] ys = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                String v = values[i].trim();
                String dev = kv[0].equals("t") ? withTime(base, v) : base + "," + kv[0] + "=" + v;
                org.myelin.backend.memristor.MemristorBackend.parse(dev); // refuses a bad key or value before running
                Features f = extract(lq, data, train, test, validation, dev);
                double[] accs = readout(f, classes);
                double trainAcc = accs[0];
                double acc = accs[1];
                xs[i] = Double.parseDouble(v);
                ys[i] = 100 * acc;
                double spn = (double) f.spikes() / f.xtr().length / neurons;
                CrossbarReport cr = f.crossbar();
                csv.append(String.format(Locale.ROOT, "%s,%s,\"%s\",%.6f,%.6f,%.4f,%.3f,%.6f%n", kv[0], v, dev, trainAcc,
                        acc, spn, f.seconds(), cr.runs() == 0 ? 0 : cr.totalPj() / 1e3 / cr.runs()));
                out.printf(Locale.ROOT, "%s = %s (%s): %s accuracy %.2f %%, %.1f spikes per neuron and sample (%.1f s)%n",
                        kv[0], v, dev, validation == null ? "test" : "validation", 100 * acc, spn, f.seconds());
                out.flush();
            }
            boolean log = xs[0] > 0 && java.util.Arrays.stream(xs).allMatch(x -> x > 0)
                    && java.util.Arrays.stream(xs).max().getAsDouble() / java.util.Arrays.stream(xs).min().getAsDouble()
                    >= 10;
            chart.panel(new org.myelin.viz.raster.LineChart.Panel(kv[0], kv[0] + (log ? " (log scale)" : ""),
                    "accuracy (%)", xs, ys, log));
        }
        try {
            java.nio.file.Files.writeString(Path.of(sweepOut + ".csv"), csv.toString());
        } catch (java.io.IOException e) {
            throw new MyelinException("cannot write " + sweepOut + ".csv: " + e.getMessage(), e);
        }
        chart.writeSvg(Path.of(sweepOut + ".svg"));
        out.printf(Locale.ROOT, "sweep: %s.csv, %s.svg%n", sweepOut, sweepOut);
        return 0;
    }

    /** The base device with its time since programming replaced by {@code seconds}. */
    private static String withTime(String base, String seconds) {
        int comma = base.indexOf(',');
        String head = comma < 0 ? base : base.substring(0, comma);
        String rest = comma < 0 ? "" : base.substring(comma);
        String preset = head.contains("@") ? head.substring(0, head.indexOf('@')) : head;
        return preset + "@" + seconds + rest;
    }

    private static final int[] SEEN = {1, 2, 3, 4, 5, 6, 7};
    private static final int[] UNSEEN = {8, 9};
    private static final int[] VALIDATION_SEEN = {1, 2, 3, 4, 5};
    private static final int[] VALIDATION_UNSEEN = {6, 7};

    /**
     * Zero-shot audio-to-image retrieval: an image liquid and an audio liquid (each with the reference's settings for
     * its modality), a projection head after each, trained with the symmetric contrastive loss on pairs of the seen
     * digits 1-7; the number of training steps is chosen on the training data alone, by the zero-shot retrieval of
     * digits 6-7 with heads trained on 1-5; then, once, on the test splits: in-class (queries and galleries of digits 1-7) and zero-shot (8 and 9,
     * never paired in training) top-1 retrieval.
     */
    private int zeroShot() {
        if (audioData == null) {
            throw new MyelinException("--task zeroshot needs --audio-data (an N-TIDIGITS HDF5 file) besides --data (images)");
        }
        if (validation != null) {
            throw new MyelinException("--task zeroshot chooses its training steps on the training data alone (digits 1-5"
                    + " retrieving 6-7); --validation is for --task classify");
        }
        Liquid img = new Liquid(false, crop * crop, neurons, bins, decay, vth);
        Liquid aud = new Liquid(true, NtidigitsFile.CHANNELS, audioNeurons, 129, 0.97, 5.3);
        Samples at = audio(audioData, "train");
        Samples ae = audio(audioData, "test");
        Features fi = extract(img, data, train, test, null, device);
        Features fa = extract(aud, audioData, at.size(), ae.size(), null, device);
        // only the seen digits' training samples are used at all, for the standardisation too: 8 and 9 stay unseen
        var imgTrain = seen(new ContrastiveHeads.Samples(fi.xtr(), fi.ytr()));
        var audTrain = seen(new ContrastiveHeads.Samples(fa.xtr(), fa.ytr()));
        standardise(imgTrain.features(), fi.xte());
        standardise(audTrain.features(), fa.xte());
        // model selection as a zero-shot problem of its own, on training data only: heads trained on digits 1-5 are
        // scored by retrieving 6 and 7 (never paired in that training), the way the final heads, trained on 1-7,
        // will face 8 and 9
        PrintWriter out = spec.commandLine().getOut();
        out.println(describe(img, fi));
        out.println(describe(aud, fa));
        var imgTest = new ContrastiveHeads.Samples(fi.xte(), fi.yte());
        var audTest = new ContrastiveHeads.Samples(fa.xte(), fa.yte());
        // the heads' seed changes their initial weights and their pairs; each seed chooses its own steps
        double[] ins = new double[headSeeds];
        double[] zeros = new double[headSeeds];
        int[] chosen = new int[headSeeds];
        double bestTestOut = 0;
        int longest = java.util.Arrays.stream(steps).max().getAsInt();
        for (int k = 0; k < headSeeds; k++) {
            long hs = seed + k;
            // one run per problem, scored when it has done each number of steps (a run's first s steps are a run of
            // s steps)
            double[] val = new double[steps.length];
            ContrastiveHeads hv = new ContrastiveHeads(img.neurons(), aud.neurons(), dim, temperature, hs);
            hv.train(imgTrain, audTrain, VALIDATION_SEEN, batch, longest, headLr, hs, done -> {
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
            // the final heads, trained on 1-7; their test figures at the other lengths are printed for transparency
            // only (never used to choose): what choosing on the test set, as the reference scripts do, would report
            double[] testIn = new double[steps.length];
            double[] testOut = new double[steps.length];
            ContrastiveHeads h = new ContrastiveHeads(img.neurons(), aud.neurons(), dim, temperature, hs);
            h.train(imgTrain, audTrain, SEEN, batch, longest, headLr, hs, done -> {
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
                vals.append(String.format(Locale.ROOT, "%s%d steps %.2f %%", i == 0 ? "" : ", ", steps[i], 100 * val[i]));
                all.append(String.format(Locale.ROOT, "%s%d steps %.2f %%", i == 0 ? "" : ", ", steps[i],
                        100 * testOut[i]));
                bestTestOut = Math.max(bestTestOut, testOut[i]);
            }
            ins[k] = testIn[bi];
            zeros[k] = testOut[bi];
            chosen[k] = steps[bi];
            out.printf(Locale.ROOT, "head seed %d: validation zero-shot (trained on 1-5, 6-7 retrieved) %s -> %d steps;"
                            + " test in-class %.2f %%, out-class %.2f %% (test out-class per steps, never used to choose:"
                            + " %s)%n", hs, vals, steps[bi], 100 * ins[k], 100 * zeros[k], all);
        }
        double in = mean(ins);
        double zero = mean(zeros);
        out.printf(Locale.ROOT, "zero-shot retrieval (audio query -> the most similar of all test images of the classes),"
                        + " mean of %d head seeds: in-class (digits 1-7, chance about %.1f %%) %.2f %% (sd %.2f),"
                        + " out-class (digits 8-9, never paired in training; chance about 50 %%) %.2f %% (sd %.2f)%n",
                headSeeds, 100.0 / SEEN.length, 100 * in, 100 * sd(ins), 100 * zero, 100 * sd(zeros));
        if (json) {
            out.printf(Locale.ROOT, "{\"experiment\":\"lsm\",\"task\":\"zeroshot\",\"backend\":\"%s\",\"device\":%s,"
                            + "\"image_train\":%d,\"image_test\":%d,\"audio_train\":%d,\"audio_test\":%d,\"head_seeds\":%d,"
                            + "\"steps\":%s,\"in_class\":%.6f,\"out_class\":%.6f,\"out_class_sd\":%.6f,\"out_class_per_seed\":%s,"
                            + "\"out_class_best_on_test_not_used\":%.6f,\"sim_s\":%.3f,\"seed\":%d,\"weights\":\"%s\","
                            + "\"crossbar_image\":%s,\"crossbar_audio\":%s}%n", backend,
                    device == null ? "null" : "\"" + device + "\"", fi.xtr().length, fi.xte().length, fa.xtr().length,
                    fa.xte().length, headSeeds, java.util.Arrays.toString(chosen).replace(" ", ""), in, zero, sd(zeros),
                    java.util.Arrays.toString(zeros).replace(" ", ""), bestTestOut, fi.seconds() + fa.seconds(), seed,
                    weights, fi.crossbar().runs() > 0 ? fi.crossbar().json() : "null",
                    fa.crossbar().runs() > 0 ? fa.crossbar().json() : "null");
        }
        return 0;
    }

    private static double mean(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        return m / v.length;
    }

    private static double sd(double[] v) {
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

    private String describe(Liquid lq, Features f) {
        return String.format(Locale.ROOT, "LSM (%s) on %s: %d inputs (%s), %d neurons, %d bins, decay %s, Vth %s; %d train"
                        + " / %d %s samples (%.1f s of simulation), %.1f spikes per neuron and sample, %s weights",
                lq.audio() ? "audio" : "image", backend + (device == null ? "" : " " + device), lq.inputs(),
                lq.audio() ? "cochlea channels" : crop + "x" + crop + " crop", lq.neurons(), lq.bins(), lq.decay(),
                lq.vth(), f.xtr().length, f.xte().length, validation == null ? "test" : "validation", f.seconds(),
                (double) f.spikes() / f.xtr().length / lq.neurons(), weights);
    }

    /** What the crossbar did for the samples of the current {@link #extract}. */
    private CrossbarReport crossbarSum = CrossbarReport.NONE;

    /** Runs the liquid on the samples of {@code file} and returns their per-neuron spike counts. */
    private Features extract(Liquid lq, Path file, int nTrain, int nTest, Integer nValidation, String dev) {
        Samples tr = lq.audio() ? audio(file, "train") : images(file, "Train");
        Samples te = lq.audio() ? audio(file, "test") : images(file, "Test");
        int nt = nTest;
        if (nValidation != null) {
            // validation: the held-out part of the training split; the test split is not touched
            te = tr;
            nt = nValidation;
            if (nTrain + nValidation > tr.size()) {
                throw new MyelinException("--train + --validation exceed the " + tr.size() + " training samples");
            }
        }
        if (nTrain > tr.size() || nt > te.size()) {
            throw new MyelinException("--train/--test exceed the " + tr.size() + " / " + te.size() + " samples of " + file);
        }
        Reservoir r = lq.reservoir(inputSigma, recurrentSigma, seed, weights);
        crossbarSum = CrossbarReport.NONE;
        SimulationConfig cfg = new SimulationConfig(1, SimulationConfig.Accumulation.DEFAULT, dev, EngineMode.CLOCK);
        var be = Backends.find(backend);
        long t0 = System.nanoTime();
        double[][] xtr = new double[nTrain][];
        int[] ytr = new int[nTrain];
        double[][] xte = new double[nt][];
        int[] yte = new int[nt];
        // an even spread of samples over the classes: every k-th sample of the file's order
        if (nValidation == null) {
            for (int i = 0; i < nTrain; i++) {
                Item it = tr.item((int) ((long) i * tr.size() / nTrain));
                xtr[i] = features(lq, r, be, cfg, it.events());
                ytr[i] = it.label();
            }
            for (int i = 0; i < nt; i++) {
                Item it = te.item((int) ((long) i * te.size() / nt));
                xte[i] = features(lq, r, be, cfg, it.events());
                yte[i] = it.label();
            }
        } else {
            // train + validation samples spread over the training split (which is in class order), every k-th one
            // held out, so both parts hold every class
            int pool = nTrain + nValidation;
            int a = 0;
            int v = 0;
            for (int j = 0; j < pool; j++) {
                Item it = tr.item((int) ((long) j * tr.size() / pool));
                boolean held = v < nValidation && ((long) (j + 1) * nValidation / pool > v || pool - j <= nValidation - v);
                if (held) {
                    xte[v] = features(lq, r, be, cfg, it.events());
                    yte[v++] = it.label();
                } else if (a < nTrain) {
                    xtr[a] = features(lq, r, be, cfg, it.events());
                    ytr[a++] = it.label();
                }
            }
        }
        long spikes = 0;
        for (double[] f : xtr) {
            for (double v : f) {
                spikes += (long) v;
            }
        }
        return new Features(xtr, ytr, xte, yte, spikes, (System.nanoTime() - t0) / 1e9, crossbarSum);
    }

    /**
     * Event frames (any polarity) of the centre crop, or of every cochlea channel, then the reservoir's per-neuron spike
     * counts.
     */
    private double[] features(Liquid lq, Reservoir r, org.myelin.core.backend.Backend be, SimulationConfig cfg,
                              EventStream ev) {
        boolean audio = lq.audio();
        int bins = lq.bins();
        int w = audio ? ev.width() : crop;
        int h = audio ? 1 : crop;
        boolean[][] f = new boolean[bins][w * h];
        int x0 = audio ? 0 : (ev.width() - crop) / 2;
        int y0 = audio ? 0 : (ev.height() - crop) / 2;
        long dur = Math.max(1, ev.durationUs());
        long first = ev.size() == 0 ? 0 : ev.timeUs(0);
        for (int k = 0; k < ev.size(); k++) {
            int x = ev.x(k) - x0;
            int y = ev.y(k) - y0;
            if (x < 0 || y < 0 || x >= w || y >= h) {
                continue;
            }
            int b = (int) Math.min(bins - 1, (ev.timeUs(k) - first) * bins / (dur + 1));
            f[b][y * w + x] = true;
        }
        int[] c = r.counts(be, cfg, f, report -> crossbarSum = crossbarSum.plus(report));
        double[] d = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            d[i] = c[i];
        }
        return d;
    }

    private static void standardise(double[][] train, double[][] test) {
        int n = train[0].length;
        for (int j = 0; j < n; j++) {
            double m = 0;
            double s = 0;
            for (double[] x : train) {
                m += x[j];
            }
            m /= train.length;
            for (double[] x : train) {
                s += (x[j] - m) * (x[j] - m);
            }
            s = Math.sqrt(s / train.length) + 1e-9;
            for (double[] x : train) {
                x[j] = (x[j] - m) / s;
            }
            for (double[] x : test) {
                x[j] = (x[j] - m) / s;
            }
        }
    }
}
