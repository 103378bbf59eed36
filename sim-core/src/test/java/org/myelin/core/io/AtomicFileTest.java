package org.myelin.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.checkpoint.Checkpoint;

/** A write that fails midway leaves the previous file intact and no temporary file behind. */
class AtomicFileTest {
    @TempDir
    Path dir;

    private long leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).count();
        }
    }

    @Test
    void aWriterThatFailsMidwayLeavesThePreviousFile() throws Exception {
        Path f = dir.resolve("result.json");
        AtomicFile.writeString(f, "{\"old\": true}\n");
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(f, out -> {
            out.write(new byte[100_000]);
            throw new IllegalStateException("killed midway");
        }));
        assertEquals("{\"old\": true}\n", Files.readString(f));
        assertEquals(0, leftovers());
        AtomicFile.write(f, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        assertEquals(0, leftovers());
    }

    @Test
    void aCheckpointWriteThatFailsMidwayLeavesThePreviousCheckpoint() throws Exception {
        Path f = dir.resolve("run.ckpt");
        new Checkpoint("cpu", new byte[32], 10).put("v", new float[] {1, 2}).write(f);
        byte[] before = Files.readAllBytes(f);
        // a section name too long for the format fails inside the encoder, after the earlier sections were written
        Checkpoint bad = new Checkpoint("cpu", new byte[32], 20).put("v", new float[1 << 16]).put("x".repeat(70_000),
                new int[1]);
        assertThrows(MyelinException.class, () -> bad.write(f));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(10, Checkpoint.read(f).step());
        assertEquals(0, leftovers());
    }

    @Test
    void writingOverAFolderOrIntoAMissingFolderIsRefusedWithTheName() {
        MyelinException e = assertThrows(MyelinException.class, () -> AtomicFile.write(dir, new byte[1]));
        assertTrue(e.getMessage().contains("is a folder"), e.getMessage());
        Path missing = dir.resolve("no/such/x.bin");
        MyelinException m = assertThrows(MyelinException.class, () -> AtomicFile.write(missing, new byte[1]));
        assertTrue(m.getMessage().contains(missing.toString()), m.getMessage());
    }

    @Test
    void aNewFileIsReadableByOthersAndAReplacedOneKeepsItsPermissions() throws Exception {
        Path f = dir.resolve("result.json");
        AtomicFile.writeString(f, "{}");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f)), "not the owner-only mode of a temporary file");
        Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw----"));
        AtomicFile.writeString(f, "{\"a\":1}");
        assertEquals("rw-rw----", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(f)));
        assertEquals("{\"a\":1}", Files.readString(f));
    }
}
