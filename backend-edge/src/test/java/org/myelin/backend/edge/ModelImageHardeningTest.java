package org.myelin.backend.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.fuzz.ReaderFuzz;

/**
 * Model images that lie in a way their CRCs and hash cannot show (a crafted image, resealed): refused before anything
 * is allocated, naming the field and what it allows; generated corruptions refused with a MyelinException.
 */
class ModelImageHardeningTest {
    static byte[] image(int bits) {
        return ModelImage.write(Compression.compress(CompressionTest.model(0.9f, false), bits, 0.25));
    }

    /** Recomputes every section's CRC-32 and the SHA-256, as someone crafting an image would. */
    static byte[] reseal(byte[] img) {
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        int n = b.getShort(6) & 0xFFFF;
        for (int k = 0; k < n; k++) {
            int e = 12 + 16 * k;
            CRC32 crc = new CRC32();
            crc.update(img, b.getInt(e + 4), b.getInt(e + 8));
            b.putInt(e + 12, (int) crc.getValue());
        }
        System.arraycopy(ModelImage.sha256(img, img.length - 32), 0, img, img.length - 32, 32);
        return img;
    }

    static int sectionOffset(byte[] img, String id) {
        return ModelImage.check(img).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow().offset();
    }

    @Test
    void aCraftedHugeLayerSizeIsRefusedBeforeAllocationNamingTheField() {
        byte[] img = image(8);
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putInt(sectionOffset(img, "LAYR"), 2147483000);
        byte[] crafted = reseal(img);
        MyelinException e = assertThrows(MyelinException.class, () -> ModelImage.read(crafted));
        assertTrue(e.getMessage().contains("layer 0 size 2147483000") && e.getMessage().contains("section BIAS has"),
                e.getMessage());
        byte[] neg = image(8);
        ByteBuffer.wrap(neg).order(ByteOrder.LITTLE_ENDIAN).putInt(sectionOffset(neg, "LAYR"), -7);
        MyelinException n = assertThrows(MyelinException.class, () -> ModelImage.read(reseal(neg)));
        assertTrue(n.getMessage().contains("layer 0 size"), n.getMessage());
    }

    @Test
    void aCraftedHugeLinkMatrixIsRefusedBeforeAllocationNamingTheField() {
        byte[] img = image(4);
        int link = sectionOffset(img, "LINK");
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(link + 8, 65536).putInt(link + 12, 65536);
        MyelinException e = assertThrows(MyelinException.class, () -> ModelImage.read(reseal(img)));
        assertTrue(e.getMessage().contains("layer 0 link 0: 4294967296 weights of 4 bits")
                && e.getMessage().contains("section WGHT has"), e.getMessage());
    }

    @Test
    void aCraftedSectionTableIsRefusedNamingTheEntry() {
        byte[] img = image(8);
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putInt(12 + 16 * 4 + 8, -100);
        MyelinException e = assertThrows(MyelinException.class, () -> ModelImage.read(img));
        assertTrue(e.getMessage().contains("section WGHT (entry 4)") && e.getMessage().contains("lies outside"),
                e.getMessage());
        byte[] many = image(8);
        ByteBuffer.wrap(many).order(ByteOrder.LITTLE_ENDIAN).putShort(6, (short) 60000);
        MyelinException m = assertThrows(MyelinException.class, () -> ModelImage.read(many));
        assertTrue(m.getMessage().contains("section count 60000"), m.getMessage());
    }

    @Test
    void generatedCorruptionsAreRefusedWithAMyelinException() {
        ReaderFuzz.of("model-image", b -> ModelImage.read(b), MyelinException.class).fixture(image(8))
                .fixture(image(4)).regressions("/fuzz/model-image").run();
    }

    @Test
    void generatedCorruptionsOfResealedImagesAreRefusedWithAMyelinException() {
        // corruptions that keep the CRCs and the hash right reach the section decoder
        ReaderFuzz.of("model-image-resealed", b -> {
            if (b.length >= 44 + 16 * 5 && Arrays.equals(Arrays.copyOf(b, 4), "MYLN".getBytes())) {
                try {
                    reseal(b);
                } catch (RuntimeException notATable) {
                    // a table that points outside the image cannot be resealed; read as it is
                }
            }
            ModelImage.read(b);
        }, MyelinException.class).fixture(image(8)).fixture(image(4)).regressions("/fuzz/model-image-resealed").run();
    }

    @Test
    void theSectionIdsOfAnImageAreAsWritten() {
        assertEquals(List.of("META", "LAYR", "LINK", "BIAS", "WGHT"),
                ModelImage.check(image(8)).stream().map(ModelImage.Section::id).toList());
    }
}
