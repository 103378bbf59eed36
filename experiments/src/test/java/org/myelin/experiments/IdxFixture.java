package org.myelin.experiments;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Small MNIST-like IDX files for the experiments' tests: 8 x 8 images of three classes, a row band each. */
public final class IdxFixture {
    private IdxFixture() {
    }

    /** A pixel of an 8 x 8 image of class c. */
    public interface Pixel {
        int at(int c, int y, int x);
    }

    /** Images of class 0, 1 or 2 (random), a bright band of rows at a class-specific height plus noise. */
    public static void writeSplit(Path dir, String split, int n, long seed) throws IOException {
        Random r = new Random(seed);
        writeIdx(dir, split, n, i -> r.nextInt(3), (c, y, x) -> Math.min(255, (y / 3 == c ? 160 : 0) + r.nextInt(90)));
    }

    /** IDX images (8 x 8) and labels named {@code split-images-idx3-ubyte} and {@code split-labels-idx1-ubyte}. */
    public static void writeIdx(Path dir, String split, int n, java.util.function.IntUnaryOperator classOf, Pixel pixel)
            throws IOException {
        try (DataOutputStream img = new DataOutputStream(Files.newOutputStream(dir.resolve(split
                + "-images-idx3-ubyte"))); DataOutputStream lab = new DataOutputStream(Files.newOutputStream(
                        dir.resolve(split + "-labels-idx1-ubyte")))) {
            img.writeInt(0x803);
            img.writeInt(n);
            img.writeInt(8);
            img.writeInt(8);
            lab.writeInt(0x801);
            lab.writeInt(n);
            for (int i = 0; i < n; i++) {
                int c = classOf.applyAsInt(i);
                lab.writeByte(c);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        img.writeByte(pixel.at(c, y, x));
                    }
                }
            }
        }
    }
}
