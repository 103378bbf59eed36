package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.datasets.aer.AerFile;
import org.myelin.datasets.audio.WavFile;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.idx.IdxFile;
import org.myelin.datasets.nmnist.NmnistFormat;

/**
 * Files whose headers lie: IDX dimensions against the file's length (raw and gzip), image and label files of
 * different counts, AER counts and sensors, WAV chunk sizes, events out of time order. Each is refused with one line
 * that names the file, the field, the value and what was expected.
 */
class ReaderHardeningTest {
    @TempDir
    Path dir;

    /** An IDX file of unsigned bytes with these dimensions and {@code dataBytes} bytes of data. */
    static byte[] idx(int[] dims, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + dataBytes);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < dataBytes; i++) {
            b.put((byte) (i * 7));
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

    private Path file(String name, byte[] b) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, b);
        return f;
    }

    private static void oneLine(MyelinException e, Path f) {
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().indexOf('\n') < 0, e.getMessage());
    }

    @Test
    void anIdxHeaderThatPromisesMoreOrLessThanTheFileHoldsIsRefusedAtOpen() throws Exception {
        Path lying = file("lying-idx3-ubyte", idx(new int[] {5, 2, 2}, 12));
        MyelinException e = assertThrows(MyelinException.class, () -> IdxFile.open(lying));
        oneLine(e, lying);
        assertTrue(e.getMessage().contains("truncated: the IDX header's dimensions [5, 2, 2] describe 36 bytes, the file"
                + " has 28"), e.getMessage());
        Path padded = file("padded-idx1-ubyte", idx(new int[] {3}, 5));
        MyelinException p = assertThrows(MyelinException.class, () -> IdxFile.open(padded));
        assertTrue(p.getMessage().contains("describe 11 bytes, the file has 13 (2 bytes too many)"), p.getMessage());
        Path huge = file("huge-idx3-ubyte", idx(new int[] {Integer.MAX_VALUE, 65535, 65535}, 4));
        MyelinException h = assertThrows(MyelinException.class, () -> IdxFile.open(huge));
        assertTrue(h.getMessage().contains("too large") || h.getMessage().contains("truncated"), h.getMessage());
    }

    @Test
    void aGzipIdxWhoseHeaderLiesOrWhichIsTruncatedIsRefused() throws Exception {
        Path lying = file("lying-idx3-ubyte.gz", gzip(idx(new int[] {5, 2, 2}, 12)));
        MyelinException e = assertThrows(MyelinException.class, () -> IdxFile.open(lying));
        oneLine(e, lying);
        assertTrue(e.getMessage().contains("truncated: the IDX header's dimensions [5, 2, 2] describe 36 bytes, the gzip"
                + " file holds 28 uncompressed bytes"), e.getMessage());
        // two gzip members (as cat a.gz b.gz makes): the trailer holds only the second's length, the file is fine
        byte[] whole = idx(new int[] {5, 2, 2}, 20);
        byte[] a = gzip(Arrays.copyOf(whole, 30));
        byte[] b = gzip(Arrays.copyOfRange(whole, 30, whole.length));
        byte[] two = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, two, a.length, b.length);
        Path members = file("two-members-idx3-ubyte.gz", two);
        try (IdxFile f = IdxFile.open(members)) {
            byte[] buf = new byte[4];
            for (int i = 0; i < 5; i++) {
                f.next(buf);
            }
            assertArrayEquals(Arrays.copyOfRange(whole, 32, 36), buf);
        }
        byte[] good = gzip(idx(new int[] {40, 5, 5}, 1000));
        Path cut = file("cut-idx3-ubyte.gz", Arrays.copyOf(good, good.length - 30));
        MyelinException c = assertThrows(MyelinException.class, () -> {
            try (IdxFile f = IdxFile.open(cut)) {
                byte[] buf = new byte[f.sampleBytes()];
                while (f.hasNext()) {
                    f.next(buf);
                }
            }
        });
        oneLine(c, cut);
        Path ok = file("ok-idx3-ubyte.gz", good);
        try (IdxFile f = IdxFile.open(ok)) {
            assertArrayEquals(new int[] {40, 5, 5}, f.dims());
        }
    }

    @Test
    void anAerHeaderThatLiesIsRefusedBeforeAllocation() throws Exception {
        EventStream s = new EventStream(10, 10, 4);
        s.add(5, 1, 2, 1);
        s.add(9, 3, 4, 0);
        Path good = dir.resolve("good.aer");
        AerFile.write(s, good);
        byte[] b = Files.readAllBytes(good);
        byte[] count = b.clone();
        ByteBuffer.wrap(count).putLong(16, 1L << 40);
        Path f = file("count.aer", count);
        MyelinException e = assertThrows(MyelinException.class, () -> AerFile.read(f));
        oneLine(e, f);
        assertTrue(e.getMessage().contains("event count 1099511627776 needs at least"), e.getMessage());
        byte[] fewer = b.clone();
        ByteBuffer.wrap(fewer).putLong(16, 1);
        Path g = file("fewer.aer", fewer);
        assertTrue(assertThrows(MyelinException.class, () -> AerFile.read(g)).getMessage()
                .contains("bytes follow the 1 events the header counts"));
        byte[] sensor = b.clone();
        ByteBuffer.wrap(sensor).putInt(8, -4);
        Path h = file("sensor.aer", sensor);
        assertTrue(assertThrows(MyelinException.class, () -> AerFile.read(h)).getMessage()
                .contains("sensor -4 x 10 is out of range"));
    }

    @Test
    void eventsOutOfTimeOrderAreRefused() throws Exception {
        Path csv = dir.resolve("back.csv");
        Files.writeString(csv, "t_us,x,y,p\n10,1,1,1\n5,2,2,0\n");
        MyelinException e = assertThrows(MyelinException.class, () -> AerFile.readCsv(csv, 4, 4));
        oneLine(e, csv);
        assertTrue(e.getMessage().contains("line 3: time 5 us comes before the previous event's 10 us"),
                e.getMessage());
        byte[] nmnist = {1, 1, (byte) 0x80, 0, 100, 2, 2, 0, 0, 50};
        MyelinException n = assertThrows(MyelinException.class, () -> NmnistFormat.parse(nmnist, "back.bin"));
        assertTrue(n.getMessage().contains("byte 5: event 1 at 50 us comes before the previous event at 100 us"),
                n.getMessage());
        Path outside = dir.resolve("outside.csv");
        Files.writeString(outside, "t_us,x,y,p\n10,9,1,1\n");
        assertTrue(assertThrows(MyelinException.class, () -> AerFile.readCsv(outside, 4, 4)).getMessage()
                .contains("event (9, 1, p 1) does not fit a 4 x 4 sensor"));
    }

    @Test
    void aWavDataChunkLongerThanTheFileIsReportedAsTruncated() throws Exception {
        Path f = dir.resolve("a.wav");
        new WavFile(8000, new double[] {0.5, -0.25, 0, 0.125}).write(f);
        byte[] b = Files.readAllBytes(f);
        assertEquals(4, WavFile.read(f).samples().length);
        Path cut = file("cut.wav", Arrays.copyOf(b, b.length - 2));
        MyelinException e = assertThrows(MyelinException.class, () -> WavFile.read(cut));
        oneLine(e, cut);
        assertTrue(e.getMessage().contains("truncated: the data chunk at byte 36 says 8 bytes, the file has 6"),
                e.getMessage());
        byte[] rate = b.clone();
        ByteBuffer.wrap(rate).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 0);
        Path r = file("rate.wav", rate);
        assertTrue(assertThrows(MyelinException.class, () -> WavFile.read(r)).getMessage()
                .contains("sample rate must be >= 1 Hz, was 0"));
        byte[] chunk = b.clone();
        ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0x7FFFFFF0);
        Path c = file("chunk.wav", chunk);
        assertThrows(MyelinException.class, () -> WavFile.read(c));
    }
}
