package org.myelin.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.experiments.data.IdxDatasets;

/**
 * {@code myelin data info} on files whose headers lie, on truncated gzip, on an empty folder and on events out of
 * time order: exit code 2 and one message, no stack trace; and IDX image and label files of different counts.
 */
class DataInfoHardeningTest {
    @TempDir
    Path dir;

    static byte[] idx(int[] dims, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + dataBytes);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(o)) {
            z.write(raw);
        }
        return o.toByteArray();
    }

    private static void refused(CliRun r, String expected) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
    }

    @Test
    void anIdxFileWhoseHeaderLiesIsRefused() throws Exception {
        Path f = dir.resolve("images-idx3-ubyte");
        Files.write(f, idx(new int[] {1000, 28, 28}, 784 * 3));
        refused(CliRun.of("data", "info", f.toString()), "describe 784016 bytes, the file has 2368");
    }

    @Test
    void aTruncatedGzipIdxFileIsRefused() throws Exception {
        byte[] z = gzip(idx(new int[] {200, 10, 10}, 20_000));
        Path f = dir.resolve("images-idx3-ubyte.gz");
        Files.write(f, Arrays.copyOf(z, z.length - 9));
        refused(CliRun.of("data", "info", f.toString()), f.toString());
    }

    @Test
    void anEmptyFolderIsRefused() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        refused(CliRun.of("data", "info", empty.toString()), "no dataset here");
    }

    @Test
    void eventsWhoseTimestampsDecreaseAreRefused() throws Exception {
        Path f = dir.resolve("back.bin");
        Files.write(f, new byte[] {1, 1, (byte) 0x80, 0, 100, 2, 2, 0, 0, 50});
        refused(CliRun.of("data", "info", f.toString()), "comes before the previous event");
    }

    @Test
    void imageAndLabelFilesOfDifferentCountsAreRefusedNotTruncated() throws Exception {
        Path images = dir.resolve("images-idx3-ubyte");
        Path labels = dir.resolve("labels-idx1-ubyte");
        Files.write(images, idx(new int[] {3, 2, 2}, 12));
        Files.write(labels, idx(new int[] {2}, 2));
        MyelinException e = assertThrows(MyelinException.class, () -> IdxDatasets.load(images, labels, 100));
        assertTrue(e.getMessage().contains(images + " hold 3 samples but labels " + labels + " hold 2"), e.getMessage());
    }
}
