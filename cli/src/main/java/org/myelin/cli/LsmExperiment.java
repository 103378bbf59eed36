package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.backend.memristor.lsm.Reservoir;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.nmnist.NmnistDataset;
import org.myelin.datasets.ntidigits.NtidigitsFile;
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
    @Option(names = "--train", defaultValue = "2000", description = "training samples (default: ${DEFAULT-VALUE})")
    int train;
    @Option(names = "--test", defaultValue = "500", description = "test samples (default: ${DEFAULT-VALUE})")
    int test;
    @Option(names = "--validation", description = {"evaluate on N further training samples instead of the test split",
        "(for choosing settings; the test split is for the final figure only)"})
    Integer validation;
    @Option(names = "--backend", defaultValue = "cpu")
    String backend;
    @Option(names = "--device", description = "memristor preset: ideal or pcm-like[@seconds]")
    String device;
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
        int classes = audio ? 11 : 10;
        Samples tr = audio ? audio(data, "train") : images(data, "Train");
        Samples te = audio ? audio(data, "test") : images(data, "Test");
        int inputs = audio ? NtidigitsFile.CHANNELS : crop * crop;
        if (validation != null) {
            // validation: the held-out part of the training split; the test split is not touched
            te = tr;
            test = validation;
            if (train + validation > tr.size()) {
                throw new MyelinException("--train + --validation exceed the " + tr.size() + " training samples");
            }
        }
        if (train > tr.size() || test > te.size()) {
            throw new MyelinException("--train/--test exceed the " + tr.size() + " / " + te.size() + " samples of " + data);
        }
        Reservoir r = new Reservoir(inputs, neurons, decay, vth, inputSigma, recurrentSigma, seed);
        SimulationConfig cfg = new SimulationConfig(1, SimulationConfig.Accumulation.DEFAULT, device, EngineMode.CLOCK);
        var be = Backends.find(backend);
        long t0 = System.nanoTime();
        double[][] xtr = new double[train][];
        int[] ytr = new int[train];
        double[][] xte = new double[test][];
        int[] yte = new int[test];
        long spikes = 0;
        // an even spread of samples over the digits: every k-th sample of the folder's order
        if (validation == null) {
            for (int i = 0; i < train; i++) {
                Item it = tr.item((int) ((long) i * tr.size() / train));
                xtr[i] = features(r, be, cfg, it.events(), audio);
                ytr[i] = it.label();
            }
            for (int i = 0; i < test; i++) {
                Item it = te.item((int) ((long) i * te.size() / test));
                xte[i] = features(r, be, cfg, it.events(), audio);
                yte[i] = it.label();
            }
        } else {
            // train + validation samples spread over the training split (which is in digit order), every k-th one
            // held out, so both parts hold every digit
            int pool = train + validation;
            int a = 0;
            int v = 0;
            for (int j = 0; j < pool; j++) {
                Item it = tr.item((int) ((long) j * tr.size() / pool));
                boolean held = v < validation && ((long) (j + 1) * validation / pool > v || pool - j <= validation - v);
                if (held) {
                    xte[v] = features(r, be, cfg, it.events(), audio);
                    yte[v++] = it.label();
                } else if (a < train) {
                    xtr[a] = features(r, be, cfg, it.events(), audio);
                    ytr[a++] = it.label();
                }
            }
        }
        for (double[] f : xtr) {
            for (double v : f) {
                spikes += (long) v;
            }
        }
        double simSeconds = (System.nanoTime() - t0) / 1e9;
        standardise(xtr, xte);
        LinearProbe probe = new LinearProbe(neurons, classes);
        probe.train(xtr, ytr, epochs, 0.01, seed);
        double trainAcc = probe.accuracy(xtr, ytr);
        double testAcc = probe.accuracy(xte, yte);
        PrintWriter out = spec.commandLine().getOut();
        String where = backend + (device == null ? "" : " " + device);
        out.printf(Locale.ROOT, "LSM (%s) on %s: %d inputs (%s), %d neurons, %d bins, decay %s, Vth %s; %d train / %d test"
                        + " samples (%.1f s of simulation), %.1f spikes per neuron and sample%n", modality, where, inputs,
                audio ? "cochlea channels" : crop + "x" + crop + " crop", neurons, bins, decay, vth, train, test,
                simSeconds, (double) spikes / train / neurons);
        out.printf(Locale.ROOT, "linear readout: train accuracy %.2f %%, %s accuracy %.2f %%%n", 100 * trainAcc,
                validation == null ? "test" : "validation", 100 * testAcc);
        if (json) {
            out.printf(Locale.ROOT, "{\"experiment\":\"lsm\",\"task\":\"classify\",\"modality\":\"" + modality
                            + "\",\"backend\":\"%s\",\"device\":%s,\"train\":%d,\"test\":%d,\"train_accuracy\":%.6f,\"" + (validation == null ? "test" : "validation")
                            + "_accuracy\":%.6f,"
                            + "\"spikes_per_neuron\":%.4f,\"sim_s\":%.3f,\"seed\":%d}%n", backend,
                    device == null ? "null" : "\"" + device + "\"", train, test, trainAcc, testAcc,
                    (double) spikes / train / neurons, simSeconds, seed);
        }
        return 0;
    }

    /**
     * Event frames (any polarity) of the centre crop, or of every cochlea channel, then the reservoir's per-neuron spike
     * counts.
     */
    private double[] features(Reservoir r, org.myelin.core.backend.Backend be, SimulationConfig cfg, EventStream ev,
                              boolean audio) {
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
        int[] c = r.counts(be, cfg, f);
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
