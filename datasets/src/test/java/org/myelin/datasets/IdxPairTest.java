package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.datasets.idx.IdxFile;

/** An IDX image file and its label file must have the same number of samples. */
class IdxPairTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] b) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, b);
        return f;
    }

    private static byte[] idx(int[] dims, int dataBytes) {
        return ReaderHardeningTest.idx(dims, dataBytes);
    }

    @Test
    void imageAndLabelFilesOfDifferentCountsAreRefusedNamingBoth() throws Exception {
        Path images = file("images-idx3-ubyte", idx(new int[] {3, 2, 2}, 12));
        Path labels = file("labels-idx1-ubyte", idx(new int[] {2}, 2));
        try (IdxFile i = IdxFile.open(images); IdxFile l = IdxFile.open(labels)) {
            MyelinException e = assertThrows(MyelinException.class, () -> IdxFile.requireSameSamples(i, l));
            assertTrue(e.getMessage().contains(images + " hold 3 samples but labels " + labels + " hold 2"),
                    e.getMessage());
        }
    }

}
