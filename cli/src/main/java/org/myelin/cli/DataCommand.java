package org.myelin.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.myelin.core.MyelinException;
import org.myelin.datasets.aer.AerFile;
import org.myelin.datasets.emulate.CochleaModel;
import org.myelin.datasets.emulate.DvsEmulator;
import org.myelin.datasets.emulate.SpokenDigits;
import org.myelin.datasets.fetch.Catalog;
import org.myelin.datasets.fetch.Checksum;
import org.myelin.datasets.fetch.Downloader;
import org.myelin.datasets.ntidigits.NtidigitsFile;
import org.myelin.datasets.event.EventStatistics;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.idx.IdxFile;
import org.myelin.datasets.nmnist.NmnistDataset;
import org.myelin.datasets.nmnist.NmnistFormat;
import org.myelin.experiments.probe.LinearProbe;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Dataset commands. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Datasets.",
        subcommands = {DataCommand.Info.class, DataCommand.Make.class, DataCommand.Fetch.class})
final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a data command is needed: info, make or fetch");
    }

    /** What a file or folder holds. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print what a dataset file or folder holds: IDX (.gz or raw), N-MNIST .bin or folder, Myelin .aer,"
                + " SHD or N-TIDIGITS .h5.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PATH", description = "file or folder")
        Path path;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (!Files.exists(path)) {
                throw new MyelinException("no such file or folder: " + path);
            }
            String name = path.getFileName().toString();
            if (Files.isDirectory(path)) {
                if (!Files.isDirectory(path.resolve("Train")) && !Files.isDirectory(path.resolve("Test"))) {
                    throw new MyelinException(path + ": no dataset here: a folder is read as N-MNIST, with Train/<digit>/"
                            + "*.bin and Test/<digit>/*.bin" + (isEmpty(path) ? ", and this one is empty" : ""));
                }
                for (String split : new String[] {"Train", "Test"}) {
                    if (Files.isDirectory(path.resolve(split))) {
                        NmnistDataset ds = NmnistDataset.open(path, split);
                        int[] perClass = new int[10];
                        EventStatistics stats = new EventStatistics(NmnistFormat.SIZE * NmnistFormat.SIZE);
                        ds.samples().forEach(s -> {
                            perClass[s.label()]++;
                            stats.add(s.events());
                        });
                        out.printf(Locale.ROOT, "N-MNIST %s: per class %s%n  %s%n", split, Arrays.toString(perClass),
                                stats.summary());
                    }
                }
                return 0;
            }
            if ((name.endsWith(".h5") || name.endsWith(".hdf5")) && isNtidigits(path)) {
                for (String split : new String[] {"train", "test"}) {
                    try (NtidigitsFile f = NtidigitsFile.open(path, split)) {
                        EventStatistics stats = new EventStatistics(NtidigitsFile.CHANNELS);
                        int isolated = 0;
                        for (int i = 0; i < f.samples(); i++) {
                            stats.add(f.sample(i));
                            isolated += f.isolatedLabel(i) >= 0 ? 1 : 0;
                        }
                        out.printf(Locale.ROOT, "N-TIDIGITS %s: %d isolated digits%n  %s%n", split, isolated,
                                stats.summary());
                    }
                }
            } else if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
                try (org.myelin.datasets.shd.ShdFile f = org.myelin.datasets.shd.ShdFile.open(path)) {
                    int[] counts = new int[256];
                    EventStatistics stats = new EventStatistics(org.myelin.datasets.shd.ShdFile.CHANNELS);
                    for (int i = 0; i < f.samples(); i++) {
                        counts[Math.min(255, f.label(i))]++;
                        stats.add(f.sample(i));
                    }
                    out.printf(Locale.ROOT, "SHD: %d classes%n  %s%n",
                            (int) Arrays.stream(counts).filter(c -> c > 0).count(), stats.summary());
                }
            } else if (name.endsWith(".bin")) {
                describe(out, "N-MNIST events", NmnistFormat.read(path));
            } else if (name.endsWith(".aer")) {
                describe(out, "Myelin AER events", AerFile.read(path));
            } else {
                try (IdxFile f = IdxFile.open(path)) {
                    if (f.sampleBytes() != 1) {
                        // every sample is read, so that a truncated or damaged (gzip) file is not reported as fine
                        byte[] buf = new byte[f.sampleBytes()];
                        while (f.hasNext()) {
                            f.next(buf);
                        }
                    }
                    out.printf(Locale.ROOT, "IDX unsigned bytes, dims %s: %d samples of %d bytes%n",
                            Arrays.toString(f.dims()), f.samples(), f.sampleBytes());
                    if (f.sampleBytes() == 1) {
                        int[] labels = f.readLabels();
                        int[] counts = new int[256];
                        for (int l : labels) {
                            counts[l]++;
                        }
                        StringBuilder b = new StringBuilder();
                        for (int c = 0; c < 256; c++) {
                            if (counts[c] > 0) {
                                b.append(' ').append(c).append(':').append(counts[c]);
                            }
                        }
                        out.println("labels:" + b);
                    }
                }
            }
            return 0;
        }

        private static boolean isEmpty(Path dir) {
            try (java.util.stream.Stream<Path> s = Files.list(dir)) {
                return s.findAny().isEmpty();
            } catch (java.io.IOException e) {
                throw new MyelinException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }

        private static boolean isNtidigits(Path path) {
            try (io.jhdf.HdfFile f = new io.jhdf.HdfFile(path)) {
                return f.getChildren().containsKey("train_labels");
            } catch (RuntimeException e) {
                return false;
            }
        }

        private static void describe(PrintWriter out, String kind, EventStream s) {
            int on = 0;
            for (int i = 0; i < s.size(); i++) {
                on += s.polarity(i);
            }
            out.printf(Locale.ROOT, "%s: %d x %d sensor, %d events (%d ON, %d OFF), %.3f ms%n", kind, s.width(), s.height(),
                    s.size(), on, s.size() - on, s.durationUs() / 1000.0);
        }
    }

    /** Makes emulated datasets in real formats. */
    @Command(name = "make", mixinStandardHelpOptions = true,
            description = {"Make an emulated dataset in a real format.",
                "nmnist-like: each IDX image through the DVS emulator (three saccades), written as N-MNIST"
                    + " Train/<digit>/*.bin and Test/<digit>/*.bin; the first 80 %% of the images train, the rest test."
                    + " tidigits-like: the eleven digit words spoken by espeak-ng in every voice, speed and pitch,"
                    + " through the cochlea model, written as one N-TIDIGITS HDF5 file (--out); the last voice is the"
                    + " test speaker. har-like: SYNTHETIC smartwatch data of WISDM's seven hand activities in WISDM's"
                    + " raw format (--out folder). Each prints statistics and the test accuracy of a linear classifier"
                    + " as a sanity check."})
    static final class Make implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KIND", description = "nmnist-like, tidigits-like or har-like")
        String kind;

        @CommandLine.Option(names = "--images", description = "nmnist-like: IDX images (28 x 28 or smaller)")
        Path images;

        @CommandLine.Option(names = "--labels", description = "nmnist-like: IDX labels")
        Path labels;

        @CommandLine.Option(names = "--voices", split = ",", description = "tidigits-like: espeak-ng voices (default:"
                + " ${DEFAULT-VALUE})", defaultValue = "en-us,en-gb,en-gb-scotland,en+f3,en-us+m3,en+f2")
        List<String> voices;

        @CommandLine.Option(names = "--speeds", split = ",", defaultValue = "130,160,190",
                description = "tidigits-like: words per minute (default: ${DEFAULT-VALUE})")
        int[] speeds;

        @CommandLine.Option(names = "--pitches", split = ",", defaultValue = "35,50,65",
                description = "tidigits-like: pitches 0..99 (default: ${DEFAULT-VALUE})")
        int[] pitches;

        @CommandLine.Option(names = "--out", required = true,
                description = "output folder (nmnist-like) or HDF5 file (tidigits-like)")
        Path out;

        @CommandLine.Option(names = "--count", description = "images to convert (default: all)")
        Integer count;

        @picocli.CommandLine.Mixin
        SharedOptions.Seed seedOption;

        @Override
        public Integer call() throws Exception {
            if (kind.equals("tidigits-like")) {
                return tidigitsLike();
            }
            if (kind.equals("har-like")) {
                return harLike();
            }
            if (!kind.equals("nmnist-like")) {
                throw new MyelinException("make: KIND must be nmnist-like, tidigits-like or har-like, was '" + kind + "'");
            }
            if (images == null || labels == null) {
                throw new MyelinException("make nmnist-like: --images and --labels are needed");
            }
            PrintWriter o = spec.commandLine().getOut();
            int[] y;
            try (IdxFile lf = IdxFile.open(labels); IdxFile f = IdxFile.open(images)) {
                IdxFile.requireSameSamples(f, lf);
                y = lf.readLabels();
            }
            double[][] imagesList;
            int w;
            int h;
            try (IdxFile f = IdxFile.open(images)) {
                int[] d = f.dims();
                if (d.length != 3) {
                    throw new MyelinException(images + ": expected images (3 dimensions), found " + Arrays.toString(d));
                }
                h = d[1];
                w = d[2];
                int n = Math.min(count == null ? d[0] : count, Math.min(d[0], y.length));
                if (n < 10) {
                    throw new MyelinException("make: need at least 10 images, have " + n);
                }
                imagesList = new double[n][];
                byte[] buf = new byte[f.sampleBytes()];
                for (int i = 0; i < n; i++) {
                    f.next(buf);
                    double[] v = new double[w * h];
                    for (int k = 0; k < v.length; k++) {
                        v[k] = (buf[k] & 0xFF) / 255.0;
                    }
                    imagesList[i] = v;
                }
            }
            int n = imagesList.length;
            int train = (int) Math.round(n * 0.8);
            DvsEmulator dvs = DvsEmulator.defaults();
            long t0 = System.nanoTime();
            EventStream[] streams = new EventStream[n];
            java.util.stream.IntStream.range(0, n).parallel()
                    .forEach(i -> streams[i] = dvs.emulate(imagesList[i], w, h, seedOption.value(), i));
            double secs = (System.nanoTime() - t0) / 1e9;
            for (int i = 0; i < n; i++) {
                Path dir = out.resolve(i < train ? "Train" : "Test").resolve(Integer.toString(y[i]));
                Files.createDirectories(dir);
                NmnistFormat.write(streams[i], dir.resolve(String.format(Locale.ROOT, "%05d.bin", i)));
            }
            EventStatistics stats = new EventStatistics(NmnistFormat.SIZE * NmnistFormat.SIZE);
            for (EventStream st : streams) {
                stats.add(st);
            }
            o.printf(Locale.ROOT, "made %d samples (%d train, %d test) in %s in %.1f s%n", n, train, n - train, out, secs);
            o.println(stats.summary());
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) {
                double[] f = new double[2 * 34 * 34];
                EventStream s = streams[i];
                for (int k = 0; k < s.size(); k++) {
                    f[s.polarity(k) * 34 * 34 + s.y(k) * 34 + s.x(k)] += 1;
                }
                for (int k = 0; k < f.length; k++) {
                    f[k] = Math.log1p(f[k]);
                }
                x[i] = f;
            }
            LinearProbe probe = new LinearProbe(2 * 34 * 34, 10);
            probe.train(Arrays.copyOfRange(x, 0, train), Arrays.copyOfRange(y, 0, train), 8, 0.01, seedOption.value());
            double acc = probe.accuracy(Arrays.copyOfRange(x, train, n), Arrays.copyOfRange(y, train, n));
            o.printf(Locale.ROOT, "linear classifier on per-pixel ON/OFF event counts: test accuracy %.2f %% (%d test"
                    + " samples)%n", 100 * acc, n - train);
            return 0;
        }

        @CommandLine.Option(names = "--subjects", defaultValue = "20",
                description = "har-like: synthetic subjects (default: ${DEFAULT-VALUE})")
        int subjects;

        @CommandLine.Option(names = "--seconds", defaultValue = "60",
                description = "har-like: seconds per activity and subject (default: ${DEFAULT-VALUE})")
        int seconds;

        private int harLike() {
            PrintWriter o = spec.commandLine().getOut();
            org.myelin.datasets.emulate.SyntheticHar.write(out, subjects, seconds, seedOption.value());
            List<Integer> ids = new java.util.ArrayList<>();
            for (int s = 0; s < subjects; s++) {
                ids.add(org.myelin.datasets.emulate.SyntheticHar.FIRST_SUBJECT + s);
            }
            List<List<Integer>> split = org.myelin.datasets.wisdm.WisdmReader.subjectSplit(ids, 0.8);
            var train = org.myelin.datasets.wisdm.WisdmReader.windows(out, split.get(0), "", 40, 40);
            var test = org.myelin.datasets.wisdm.WisdmReader.windows(out, split.get(1), "", 40, 40);
            String acts = org.myelin.datasets.emulate.SyntheticHar.ACTIVITIES;
            LinearProbe probe = new LinearProbe(18, acts.length());
            probe.train(train.stream().map(Make::features).toArray(double[][]::new),
                    train.stream().mapToInt(w -> acts.indexOf(w.activity())).toArray(), 20, 0.01, seedOption.value());
            double acc = probe.accuracy(test.stream().map(Make::features).toArray(double[][]::new),
                    test.stream().mapToInt(w -> acts.indexOf(w.activity())).toArray());
            o.printf(Locale.ROOT, "made SYNTHETIC smartwatch data: %d subjects x 7 activities x %d s in %s (WISDM format)%n",
                    subjects, seconds, out);
            o.printf(Locale.ROOT, "%d train and %d test windows of 2 s (subject-wise split); a linear classifier on"
                    + " per-channel mean, spread and roughness: %.1f %% on unseen subjects%n", train.size(), test.size(),
                    100 * acc);
            return 0;
        }

        private static double[] features(org.myelin.datasets.wisdm.WisdmReader.Window w) {
            double[] f = new double[18];
            for (int c = 0; c < 6; c++) {
                float[] x = w.channels()[c];
                double m = 0;
                for (float v : x) {
                    m += v;
                }
                m /= x.length;
                double var = 0;
                double rough = 0;
                for (int k = 0; k < x.length; k++) {
                    var += (x[k] - m) * (x[k] - m);
                    if (k > 0) {
                        rough += Math.abs(x[k] - x[k - 1]);
                    }
                }
                f[3 * c] = m / 10;
                f[3 * c + 1] = Math.sqrt(var / x.length) / 5;
                f[3 * c + 2] = rough / x.length / 2;
            }
            return f;
        }

        private int tidigitsLike() throws Exception {
            if (voices.size() < 2) {
                throw new MyelinException("make tidigits-like: needs at least two voices (the last is the test speaker)");
            }
            PrintWriter o = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            Path work = Files.createTempDirectory("myelin-espeak");
            List<SpokenDigits.Utterance> utterances = SpokenDigits.synthesise(voices, speeds, pitches, work);
            Files.deleteIfExists(work);
            CochleaModel cochlea = CochleaModel.defaults();
            EventStream[] streams = new EventStream[utterances.size()];
            java.util.stream.IntStream.range(0, streams.length).parallel().forEach(i -> streams[i] =
                    cochlea.spikes(utterances.get(i).audio().samples(), utterances.get(i).audio().sampleRate()));
            int testVoice = voices.size() - 1;
            java.util.Map<String, List<java.util.Map.Entry<String, EventStream>>> splits = new java.util.LinkedHashMap<>();
            splits.put("train", new java.util.ArrayList<>());
            splits.put("test", new java.util.ArrayList<>());
            for (int i = 0; i < streams.length; i++) {
                splits.get(utterances.get(i).voice() == testVoice ? "test" : "train")
                        .add(java.util.Map.entry(utterances.get(i).id(), streams[i]));
            }
            if (out.getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            NtidigitsFile.write(out, splits);
            double secs = (System.nanoTime() - t0) / 1e9;
            EventStatistics stats = new EventStatistics(NtidigitsFile.CHANNELS);
            for (EventStream st : streams) {
                stats.add(st);
            }
            int n = streams.length;
            o.printf(Locale.ROOT, "made %d utterances (%d train, %d test speaker %s) in %s in %.1f s%n", n,
                    splits.get("train").size(), splits.get("test").size(), voices.get(testVoice), out, secs);
            o.println(stats.summary());
            int bins = 4;
            double[][] x = new double[n][];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                double[] f = new double[64 * bins];
                EventStream st = streams[i];
                long d = Math.max(1, st.durationUs());
                for (int k = 0; k < st.size(); k++) {
                    int b = (int) Math.min(bins - 1, (st.timeUs(k) - st.timeUs(0)) * bins / d);
                    f[b * 64 + st.x(k)] += 1;
                }
                for (int k = 0; k < f.length; k++) {
                    f[k] = Math.log1p(f[k]);
                }
                x[i] = f;
                y[i] = utterances.get(i).label();
            }
            java.util.List<Integer> tr = new java.util.ArrayList<>();
            java.util.List<Integer> te = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                (utterances.get(i).voice() == testVoice ? te : tr).add(i);
            }
            LinearProbe probe = new LinearProbe(64 * bins, 11);
            probe.train(tr.stream().map(i -> x[i]).toArray(double[][]::new), tr.stream().mapToInt(i -> y[i]).toArray(), 30,
                    0.01, seedOption.value());
            double acc = probe.accuracy(te.stream().map(i -> x[i]).toArray(double[][]::new),
                    te.stream().mapToInt(i -> y[i]).toArray());
            o.printf(Locale.ROOT, "linear classifier on per-channel event counts in 4 time bins: %.1f %% on the unseen"
                    + " speaker (%d utterances, 11 classes)%n", 100 * acc, te.size());
            return 0;
        }
    }

    /** Verified download into the cache: a catalogue dataset by name, or any URL with its checksum. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Download a dataset into the cache and check it.",
                "A dataset of the catalogue by name (see --list) goes into CACHE/NAME/, checked against its"
                    + " published checksum and unpacked; or any URL with --sha256 or --md5. The cache is --cache, else"
                    + " MYELIN_CACHE, else ~/.cache/myelin. Broken transfers resume; the progress bar shows in a terminal (or with --progress)."})
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME|URL",
                description = "a catalogue name (mnist, fashion-mnist, nmnist, shd, ssc, ntidigits, wisdm) or a URL"
                        + " (http, https or file)")
        String what;

        @CommandLine.Option(names = "--list", description = "list the catalogue and exit")
        boolean list;

        @CommandLine.Option(names = "--sha256", description = "URL: expected SHA-256, 64 hex digits")
        String sha256;

        @CommandLine.Option(names = "--md5", description = "URL: expected MD5, 32 hex digits (as publishers often give)")
        String md5;

        @CommandLine.Option(names = "--unverified",
                description = "accept a file whose source publishes no checksum (its SHA-256 is printed to pin it)")
        boolean unverified;

        @CommandLine.Option(names = "--cache", description = "cache folder")
        Path cache;

        @CommandLine.Option(names = "--name", description = "URL: file name in the cache (default: the URL's last part)")
        String name;

        @CommandLine.Mixin
        ProgressOptions progress;

        @Override
        public Integer call() throws java.io.IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (list) {
                for (Catalog.Dataset d : Catalog.datasets()) {
                    out.printf(Locale.ROOT, "%-14s %s%n%-14s   files: %s; checksums: %s; reader: %s%n", d.name(), d.title(), "",
                            d.files().stream().map(Catalog.Remote::file).collect(java.util.stream.Collectors.joining(", ")),
                            d.source(), d.reader());
                }
                return 0;
            }
            if (what == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give a catalogue NAME or a URL (or --list)");
            }
            Path into = cache != null ? cache : Downloader.defaultCache();
            boolean bars = progress.enabled();
            if (!what.contains("://")) {
                if (sha256 != null || md5 != null || name != null) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--sha256, --md5 and --name go with a URL; a catalogue dataset has its published checksums");
                }
                Catalog.Dataset d = Catalog.get(what);
                DownloadBar[] bar = {null};
                Path folder;
                try {
                    folder = Catalog.fetch(d, into, new Downloader(5), unverified, r -> {
                        if (bar[0] != null) {
                            bar[0].close(); // the previous file's bar ends its line
                        }
                        err.println(r.file() + " <- " + r.url().getHost()
                                + (r.checksum() == null ? " (no published checksum)" : " (" + r.checksum() + ")"));
                        err.flush();
                        bar[0] = bars ? new DownloadBar(r.file()) : null;
                        return bar[0];
                    });
                } finally {
                    if (bar[0] != null) {
                        bar[0].close();
                    }
                }
                if (!d.verified()) {
                    for (Catalog.Remote r : d.files()) {
                        err.println("sha256 of " + r.file() + ": " + Downloader.sha256(folder.resolve(r.file())));
                    }
                }
                out.println(folder);
                return 0;
            }
            if ((sha256 == null) == (md5 == null) && !unverified) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "a URL needs exactly one of --sha256 or --md5 (or --unverified)");
            }
            java.net.URI uri;
            try {
                uri = java.net.URI.create(what);
            } catch (IllegalArgumentException e) {
                throw new MyelinException("URL is not valid: " + e.getMessage());
            }
            Checksum expected = sha256 != null ? Checksum.sha256(sha256) : md5 != null ? Checksum.md5(md5) : null;
            String file = name != null ? Downloader.checkName(name) : Downloader.fileName(uri);
            Path got;
            try (DownloadBar bar = bars ? new DownloadBar(file) : null) {
                got = new Downloader(5).fetch(uri, expected, into, file, bar);
            }
            if (expected == null) {
                err.println("sha256 of " + file + ": " + Downloader.sha256(got));
            }
            out.println(got);
            return 0;
        }
    }
}
