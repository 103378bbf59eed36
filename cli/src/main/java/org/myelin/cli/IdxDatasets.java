package org.myelin.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.myelin.core.MyelinException;
import org.myelin.datasets.idx.IdxFile;
import org.myelin.learning.train.LabelledData;

/**
 * MNIST-like image datasets in IDX files: a folder holding {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, raw or
 * with {@code .gz}. {@code fashion-mnist} names Debian's {@code dataset-fashion-mnist} package folder.
 */
final class IdxDatasets {
    private IdxDatasets() {
    }

    static Path resolve(String data) {
        if (data.equals("fashion-mnist")) {
            Path p = Path.of("/usr/share/datasets/fashion-mnist");
            if (!Files.isDirectory(p)) {
                throw new MyelinException("fashion-mnist: " + p + " is missing; install it with"
                        + " `apt-get install -y dataset-fashion-mnist`, or pass the folder of the IDX files");
            }
            return p;
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
     * labels-idx1-ubyte pair (as ../shared/data/mnist-10k) whose last {@code holdout} images are the test set.
     */
    static LabelledData[] loadSplits(Path dir, int holdout) {
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
        int f = all.features();
        int cut = n - holdout;
        return new LabelledData[] {
            new LabelledData(java.util.Arrays.copyOf(all.values(), cut * f), java.util.Arrays.copyOf(all.labels(), cut),
                    f, all.classes()),
            new LabelledData(java.util.Arrays.copyOfRange(all.values(), cut * f, n * f),
                    java.util.Arrays.copyOfRange(all.labels(), cut, n), f, all.classes())};
    }

    /** The training ("train") or test ("t10k") split, at most {@code limit} samples, intensities in [0, 1]. */
    static LabelledData load(Path dir, String split, int limit) {
        return load(find(dir, split + "-images-idx3-ubyte"), find(dir, split + "-labels-idx1-ubyte"), limit);
    }

    /** Images and labels from two IDX files, at most {@code limit} samples, intensities in [0, 1]. */
    static LabelledData load(Path imageFile, Path labelFile, int limit) {
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
            return new LabelledData(values, java.util.Arrays.copyOf(labels, n), features, Math.max(classes, 2));
        }
    }
}
