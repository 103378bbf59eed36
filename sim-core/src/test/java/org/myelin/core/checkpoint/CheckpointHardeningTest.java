package org.myelin.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.fuzz.ReaderFuzz;

/**
 * Checkpoint files that lie: crafted lengths and counts with a correct CRC (refused before anything is allocated,
 * naming the field, its value and the bytes left), truncated files (reported as truncated with both lengths, not as a
 * CRC mismatch), and generated corruptions of valid files.
 */
class CheckpointHardeningTest {
    @TempDir
    Path dir;

    static Checkpoint sample() {
        byte[] fp = new byte[32];
        Arrays.fill(fp, (byte) 7);
        return new Checkpoint("test", fp, 42).put("v", new float[] {1, -2.5f, 3}).put("idx", new int[] {4, 5})
                .put("flags", new byte[] {1, 0, 1, 1}).put("acc", new double[] {0.25});
    }

    /** The offset of section {@code name}'s int length field in the sample. */
    static int lengthOffset(byte[] b, String name) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (int i = 0; i + 2 + n.length < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == n.length && Arrays.equals(Arrays.copyOfRange(b, i + 2, i + 2 + n.length), n)) {
                return i + 2 + n.length + 1;
            }
        }
        throw new AssertionError(name);
    }

    static void fixCrc(byte[] b) {
        CRC32 crc = new CRC32();
        crc.update(b, 0, b.length - 8);
        ByteBuffer.wrap(b).putLong(b.length - 8, crc.getValue());
    }

    byte[] written() throws Exception {
        Path f = dir.resolve("good.ckpt");
        sample().write(f);
        return Files.readAllBytes(f);
    }

    @Test
    void aRoundTripKeepsEverySection() throws Exception {
        Path f = dir.resolve("x.ckpt");
        sample().write(f);
        Checkpoint c = Checkpoint.read(f);
        assertEquals(42, c.step());
        assertArrayEquals(new float[] {1, -2.5f, 3}, c.floats("v", 3));
        assertArrayEquals(new int[] {4, 5}, c.ints("idx"));
        assertArrayEquals(new byte[] {1, 0, 1, 1}, c.bytes("flags", 4));
        assertArrayEquals(new double[] {0.25}, c.doubles("acc", 1));
        assertEquals(java.util.List.of("v", "idx", "flags", "acc"), java.util.List.copyOf(c.sectionNames()));
    }

    @Test
    void aCraftedHugeLengthIsRefusedBeforeAllocationNamingTheField() throws Exception {
        byte[] b = written();
        int at = lengthOffset(b, "v");
        ByteBuffer.wrap(b).putInt(at, 2147483000);
        fixCrc(b);
        Path f = dir.resolve("x.ckpt");
        Files.write(f, b);
        MyelinException e = assertThrows(MyelinException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("section 'v' length 2147483000")
                && e.getMessage().contains("bytes left at offset " + (at + 4)), e.getMessage());
    }

    @Test
    void aCraftedNegativeLengthOrCountIsRefusedNamingTheField() throws Exception {
        byte[] b = written();
        ByteBuffer.wrap(b).putInt(lengthOffset(b, "idx"), -3);
        fixCrc(b);
        Path f = dir.resolve("neg.ckpt");
        Files.write(f, b);
        MyelinException e = assertThrows(MyelinException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains("section 'idx' length -3") && e.getMessage().contains("negative"),
                e.getMessage());
        byte[] c = written();
        int countAt = 8 + 4 + 2 + 4 + 32 + 8;
        ByteBuffer.wrap(c).putInt(countAt, 1 << 30);
        fixCrc(c);
        Files.write(f, c);
        MyelinException e2 = assertThrows(MyelinException.class, () -> Checkpoint.read(f));
        assertTrue(e2.getMessage().contains("section count " + (1 << 30) + " at offset " + countAt), e2.getMessage());
    }

    @Test
    void aTruncatedCheckpointSaysTruncatedWithTheExpectedAndFoundLength() throws Exception {
        byte[] b = written();
        Path f = dir.resolve("cut.ckpt");
        Files.write(f, Arrays.copyOf(b, b.length - 10));
        MyelinException e = assertThrows(MyelinException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("expected at least " + b.length
                + " bytes, found " + (b.length - 10)), e.getMessage());
        Files.write(f, Arrays.copyOf(b, 30));
        MyelinException h = assertThrows(MyelinException.class, () -> Checkpoint.read(f));
        assertTrue(h.getMessage().contains("truncated") && h.getMessage().contains("found 30"), h.getMessage());
    }

    @Test
    void aFlippedBitInTheValuesIsStillACrcMismatch() throws Exception {
        byte[] b = written();
        b[lengthOffset(b, "v") + 5] ^= 0x10;
        Path f = dir.resolve("flip.ckpt");
        Files.write(f, b);
        MyelinException e = assertThrows(MyelinException.class, () -> Checkpoint.read(f));
        assertTrue(e.getMessage().contains("damaged") && e.getMessage().contains("CRC-32"), e.getMessage());
    }

    @Test
    void generatedCorruptionsAreRefusedWithAMyelinException() throws Exception {
        Path other = dir.resolve("other.ckpt");
        new Checkpoint("cpu", new byte[32], 0).put("weights", new float[64]).put("empty", new int[0]).write(other);
        ReaderFuzz.ofFile("checkpoint", dir, "fuzz.ckpt", Checkpoint::read).fixture(written()).fixture(other).run();
    }
}
