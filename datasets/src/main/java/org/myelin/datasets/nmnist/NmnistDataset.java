package org.myelin.datasets.nmnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.myelin.core.MyelinException;
import org.myelin.datasets.event.EventStream;

/**
 * An N-MNIST split ({@code Train} or {@code Test}): the files of {@code <split>/<digit>/*.bin}, listed in a
 * fixed order (digit, then file name) and read one at a time.
 */
public final class NmnistDataset {
    /** One sample's file and label. */
    public record Sample(Path file, int label) {
        public EventStream events() {
            return NmnistFormat.read(file);
        }
    }

    private final List<Sample> samples;

    private NmnistDataset(List<Sample> samples) {
        this.samples = samples;
    }

    /** Lists {@code root/<split>/<0..9>/*.bin}. */
    public static NmnistDataset open(Path root, String split) {
        Path dir = root.resolve(split);
        if (!Files.isDirectory(dir)) {
            throw new MyelinException("N-MNIST: no folder " + dir + "; expected " + root + "/Train/<digit>/*.bin and "
                    + root + "/Test/<digit>/*.bin");
        }
        List<Sample> all = new ArrayList<>();
        for (int digit = 0; digit < 10; digit++) {
            Path d = dir.resolve(Integer.toString(digit));
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                int label = digit;
                files.filter(f -> f.getFileName().toString().endsWith(".bin")).sorted()
                        .forEach(f -> all.add(new Sample(f, label)));
            } catch (IOException e) {
                throw new MyelinException("N-MNIST: cannot list " + d + ": " + e.getMessage(), e);
            }
        }
        if (all.isEmpty()) {
            throw new MyelinException("N-MNIST: no .bin files under " + dir + "/<digit>/");
        }
        return new NmnistDataset(List.copyOf(all));
    }

    public int size() {
        return samples.size();
    }

    public Sample sample(int i) {
        return samples.get(i);
    }

    public List<Sample> samples() {
        return samples;
    }
}
