package org.myelin.backend.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;

/** Model image files: refusals name the file, a truncated one is called truncated with both lengths; atomic writes. */
class ModelImageFileTest {
    static byte[] image(int bits) {
        return ModelImageHardeningTest.image(bits);
    }

    @Test
    void aTruncatedImageSaysTruncatedWithBothLengths(@TempDir Path dir) throws Exception {
        byte[] img = image(8);
        Path f = dir.resolve("cut.img");
        Files.write(f, Arrays.copyOf(img, img.length - 100));
        MyelinException e = assertThrows(MyelinException.class, () -> ModelImage.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("truncated: the header says "
                + img.length + " bytes, found " + (img.length - 100)), e.getMessage());
        MyelinException s = assertThrows(MyelinException.class, () -> ModelImage.read(Arrays.copyOf(img, 20)));
        assertTrue(s.getMessage().contains("truncated: 20 bytes"), s.getMessage());
    }

    @Test
    void anImageIsWrittenAtomicallyAndReadBackFromItsFile(@TempDir Path dir) {
        FixedPointNet m = Compression.compress(CompressionTest.model(0.9f, false), 8, 0.25);
        Path f = dir.resolve("m.img");
        ModelImage.write(m, f);
        assertEquals(m, ModelImage.read(f));
        assertThrows(MyelinException.class, () -> ModelImage.write(m, dir));
        assertEquals(m, ModelImage.read(f), "the previous image is intact");
    }

}
