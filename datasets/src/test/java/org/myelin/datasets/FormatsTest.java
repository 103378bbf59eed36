package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;
import org.myelin.datasets.aer.AerFile;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.idx.IdxFile;
import org.myelin.datasets.nmnist.NmnistDataset;
import org.myelin.datasets.nmnist.NmnistFormat;

class FormatsTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) throws Exception {
        return Path.of(FormatsTest.class.getResource("/fixtures/" + name).toURI());
    }

    @Test
    void idxImagesAndLabelsReadSampleBySample() throws Exception {
        try (IdxFile f = IdxFile.open(fixture("images-3x4x5-idx3-ubyte.gz"))) {
            assertArrayEquals(new int[] {3, 4, 5}, f.dims());
            byte[] img = new byte[f.sampleBytes()];
            for (int i = 0; i < 3; i++) {
                f.next(img);
                for (int r = 0; r < 4; r++) {
                    for (int c = 0; c < 5; c++) {
                        assertEquals((40 * i + 5 * r + 3 * c) % 256, img[r * 5 + c] & 0xFF);
                    }
                }
            }
            assertTrue(!f.hasNext());
        }
        try (IdxFile f = IdxFile.open(fixture("labels-3-idx1-ubyte"))) {
            assertArrayEquals(new int[] {7, 2, 1}, f.readLabels());
        }
    }

    @Test
    void aTruncatedOrForeignIdxFileIsRefusedWithTheOffset() throws Exception {
        byte[] raw = Files.readAllBytes(fixture("labels-3-idx1-ubyte"));
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(raw, raw.length - 1));
        // the header's dimensions are checked against the file's length when it is opened (issue 35)
        MyelinException t = assertThrows(MyelinException.class, () -> IdxFile.open(cut));
        assertTrue(t.getMessage().contains("truncated: the IDX header's dimensions [3] describe 11 bytes, the file has"
                + " 10"), t.getMessage());
        Path other = dir.resolve("other");
        Files.write(other, new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0});
        MyelinException e = assertThrows(MyelinException.class, () -> IdxFile.open(other));
        assertTrue(e.getMessage().contains("data type 0xd at byte 2 is not supported"), e.getMessage());
    }

    @Test
    void nmnistEventsDecodeWithPolarityTimestampsAndOverflow() throws Exception {
        EventStream s = NmnistFormat.read(fixture("nmnist-5-events.bin"));
        assertEquals(4, s.size());
        assertEquals(5, s.timeUs(0));
        assertEquals(1, s.polarity(0));
        assertEquals(33, s.x(1));
        assertEquals(12, s.y(1));
        assertEquals(0, s.polarity(1));
        assertEquals(70_000, s.timeUs(1));
        assertEquals((1 << 23) - 1, s.timeUs(2));
        assertEquals(100 + (1 << 13), s.timeUs(3), "the overflow marker adds 2^13 us");
        assertEquals(7, s.x(3));
    }

    @Test
    void damagedNmnistFilesAreRefusedWithTheByteOffset() {
        MyelinException e = assertThrows(MyelinException.class, () -> NmnistFormat.parse(new byte[12], "f.bin"));
        assertTrue(e.getMessage().contains("truncated at byte 10"), e.getMessage());
        byte[] bad = {1, 2, 0, 0, 0, 40, 3, 0, 0, 0};
        e = assertThrows(MyelinException.class, () -> NmnistFormat.parse(bad, "g.bin"));
        assertTrue(e.getMessage().contains("byte 5: event 1 at (40, 3) is outside"), e.getMessage());
    }

    private static EventStream random(long seed, int w, int h, int n) {
        EventStream s = new EventStream(w, h, n);
        long t = 0;
        for (int i = 0; i < n; i++) {
            t += (long) (Math.pow(CounterRandom.uniform(seed, 1, i, 0), 6) * 3e6);
            s.add(t, (int) (CounterRandom.uniform(seed, 2, i, 0) * w), (int) (CounterRandom.uniform(seed, 3, i, 0) * h),
                    CounterRandom.uniform(seed, 4, i, 0) < 0.5 ? 0 : 1);
        }
        return s;
    }

    @RepeatedTest(10)
    void everyWritableFormatRoundTripsExactly(RepetitionInfo info) {
        long seed = info.getCurrentRepetition();
        EventStream n = random(seed, 34, 34, 3000);
        Path bin = dir.resolve("s.bin");
        NmnistFormat.write(n, bin);
        assertEquals(n, NmnistFormat.read(bin), "N-MNIST, with timestamps beyond 2^23 us");
        EventStream a = random(seed + 100, 128, 96, 2000);
        Path aer = dir.resolve("s.aer");
        AerFile.write(a, aer);
        assertEquals(a, AerFile.read(aer), "AER binary");
        Path csv = dir.resolve("s.csv");
        AerFile.writeCsv(a, csv);
        assertEquals(a, AerFile.readCsv(csv, 128, 96), "AER CSV");
    }

    @Test
    void aTruncatedAerFileIsRefused() throws Exception {
        EventStream a = random(9, 20, 20, 50);
        Path aer = dir.resolve("t.aer");
        AerFile.write(a, aer);
        byte[] b = Files.readAllBytes(aer);
        Files.write(aer, Arrays.copyOf(b, b.length - 2));
        MyelinException e = assertThrows(MyelinException.class, () -> AerFile.read(aer));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void nmnistFoldersListSamplesWithLabelsInAFixedOrder() throws Exception {
        for (int d : new int[] {3, 0}) {
            Path folder = Files.createDirectories(dir.resolve("Train").resolve(Integer.toString(d)));
            for (String name : new String[] {"b.bin", "a.bin"}) {
                NmnistFormat.write(random(d, 34, 34, 10), folder.resolve(name));
            }
        }
        NmnistDataset ds = NmnistDataset.open(dir, "Train");
        assertEquals(4, ds.size());
        assertEquals(0, ds.sample(0).label());
        assertEquals("a.bin", ds.sample(0).file().getFileName().toString());
        assertEquals(3, ds.sample(3).label());
        assertEquals(10, ds.sample(3).events().size());
        MyelinException e = assertThrows(MyelinException.class, () -> NmnistDataset.open(dir, "Test"));
        assertTrue(e.getMessage().contains("no folder"), e.getMessage());
    }
}
