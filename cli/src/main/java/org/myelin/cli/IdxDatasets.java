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

    /** The training ("train") or test ("t10k") split, at most {@code limit} samples, intensities in [0, 1]. */
    static LabelledData load(Path dir, String split, int limit) {
        return load(find(dir, split + "-images-idx3-ubyte"), find(dir, split + "-labels-idx1-ubyte"), limit);
    }

    /** Images and labels from two IDX files, at most {@code limit} samples, intensities in [0, 1]. */
    static LabelledData load(Path imageFile, Path labelFile, int limit) {
        int[] labels;
        try (IdxFile lf = IdxFile.open(labelFile)) {
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
