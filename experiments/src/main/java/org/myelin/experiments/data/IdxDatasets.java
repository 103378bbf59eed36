package org.myelin.experiments.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.myelin.core.MyelinException;
import org.myelin.datasets.idx.IdxFile;
import org.myelin.learning.train.LabelledData;

/**
 * MNIST-like image sets in IDX files, intensities scaled to [0, 1]: a folder holding
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and
 * {@code t10k-labels-idx1-ubyte}, raw or with {@code .gz}, or a folder with a single images/labels pair (as
 * {@code ../shared/data/mnist-10k}). The name {@code fashion-mnist} stands for Debian's {@code dataset-fashion-mnist}
 * package folder.
 */
public final class IdxDatasets {
    /** Where Debian's {@code dataset-fashion-mnist} package puts its files. */
    public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private IdxDatasets() {
    }

    /** The folder {@code data} names: {@code fashion-mnist} (Debian's package) or a folder path. */
    public static Path resolve(String data) {
        if (data.equals("fashion-mnist")) {
            if (!Files.isDirectory(FASHION_MNIST)) {
                throw new MyelinException("fashion-mnist: " + FASHION_MNIST + " is missing; install it with"
                        + " `apt-get install -y dataset-fashion-mnist`, or pass the folder of the IDX files");
            }
            return FASHION_MNIST;
        }
        Path p = Path.of(data);
        if (!Files.isDirectory(p)) {
            throw new MyelinException("--data: '" + data + "' is neither fashion-mnist nor a folder");
        }
        return p;
    }

    private static Path find(Path dir, String stem) {
        for (String name : new String[] {stem, stem + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new MyelinException(dir + ": " + stem + " (or " + stem + ".gz) is missing");
    }

    /**
     * Training and test sets of a folder: its train-/t10k- pairs, or its single images-idx3-ubyte and
     * labels-idx1-ubyte pair whose last {@code holdout} images are the test set.
     */
    public static LabelledData[] loadSplits(Path dir, int holdout) {
        boolean single = !Files.isRegularFile(dir.resolve("train-images-idx3-ubyte"))
                && !Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))
                && (Files.isRegularFile(dir.resolve("images-idx3-ubyte"))
                || Files.isRegularFile(dir.resolve("images-idx3-ubyte.gz")));
        if (!single) {
            return new LabelledData[] {load(dir, "train", Integer.MAX_VALUE), load(dir, "t10k", Integer.MAX_VALUE)};
        }
        LabelledData all = load(find(dir, "images-idx3-ubyte"), find(dir, "labels-idx1-ubyte"), Integer.MAX_VALUE);
        int n = all.size();
        if (holdout < 1 || holdout >= n) {
            throw new MyelinException(dir + ": the holdout must be in [1, " + (n - 1) + "], was " + holdout);
        }
        int cut = n - holdout;
        return new LabelledData[] {slice(all, 0, cut), slice(all, cut, n)};
    }

    /**
     * The training and test sets of a folder, at most {@code trainLimit} and {@code testLimit} samples (the first
     * ones): its train-/t10k- pairs, or, for a folder with a single images/labels pair (as {@code
     * ../shared/data/mnist-10k}), the first four fifths for training and the last fifth for testing.
     */
    public static LabelledData[] trainTest(Path dir, int trainLimit, int testLimit) {
        boolean single = !Files.isRegularFile(dir.resolve("train-images-idx3-ubyte"))
                && !Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))
                && (Files.isRegularFile(dir.resolve("images-idx3-ubyte"))
                || Files.isRegularFile(dir.resolve("images-idx3-ubyte.gz")));
        if (!single) {
            return new LabelledData[] {load(dir, "train", trainLimit), load(dir, "t10k", testLimit)};
        }
        LabelledData all = load(find(dir, "images-idx3-ubyte"), find(dir, "labels-idx1-ubyte"), Integer.MAX_VALUE);
        int n = all.size();
        if (n < 5) {
            throw new MyelinException(dir + ": a single images/labels pair needs at least 5 images, had " + n);
        }
        int cut = n - n / 5;
        LabelledData train = slice(all, 0, Math.min(cut, trainLimit));
        LabelledData test = slice(all, cut, cut + Math.min(n - cut, testLimit));
        return new LabelledData[] {train, test};
    }

    /** The training ("train") or test ("t10k") split, at most {@code limit} samples. */
    public static LabelledData load(Path dir, String split, int limit) {
        return load(find(dir, split + "-images-idx3-ubyte"), find(dir, split + "-labels-idx1-ubyte"), limit);
    }

    /**
     * The images and labels of a folder holding one IDX image file and one IDX label file (any names containing
     * {@code images-idx3-ubyte} and {@code labels-idx1-ubyte}; a {@code train}-prefixed one is preferred), as 10
     * classes.
     */
    public static LabelledData loadFolder(Path dir) {
        Path images = null;
        Path labels = null;
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String n = p.getFileName().toString();
                if (n.contains("images-idx3-ubyte") && (images == null || n.startsWith("train"))) {
                    images = p;
                }
                if (n.contains("labels-idx1-ubyte") && (labels == null || n.startsWith("train"))) {
                    labels = p;
                }
            }
        } catch (IOException e) {
            throw new MyelinException("--data: cannot list " + dir + ": " + e.getMessage());
        }
        if (images == null || labels == null) {
            throw new MyelinException("--data: " + dir + " needs an *images-idx3-ubyte[.gz] and a"
                    + " *labels-idx1-ubyte[.gz] file");
        }
        LabelledData d = load(images, labels, Integer.MAX_VALUE);
        return new LabelledData(d.values(), d.labels(), d.features(), 10);
    }

    /** Images and labels from two IDX files, at most {@code limit} samples. */
    public static LabelledData load(Path imageFile, Path labelFile, int limit) {
        int[] labels;
        try (IdxFile lf = IdxFile.open(labelFile); IdxFile f = IdxFile.open(imageFile)) {
            IdxFile.requireSameSamples(f, lf);
            labels = lf.readLabels();
        }
        try (IdxFile f = IdxFile.open(imageFile)) {
            int n = Math.min(limit, Math.min(f.samples(), labels.length));
            int features = f.sampleBytes();
            float[] values = new float[n * features];
            byte[] buf = new byte[features];
            int classes = 0;
            for (int i = 0; i < n; i++) {
                f.next(buf);
                for (int k = 0; k < features; k++) {
                    values[i * features + k] = (buf[k] & 0xFF) / 255f;
                }
                classes = Math.max(classes, labels[i] + 1);
            }
            return new LabelledData(values, Arrays.copyOf(labels, n), features, Math.max(classes, 2));
        }
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive) of {@code d}, its class count kept. */
    public static LabelledData slice(LabelledData d, int from, int to) {
        int f = d.features();
        return new LabelledData(Arrays.copyOfRange(d.values(), from * f, to * f),
                Arrays.copyOfRange(d.labels(), from, to), f, d.classes());
    }
}
