package org.myelin.datasets;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.fuzz.ReaderFuzz;
import org.myelin.datasets.aer.AerFile;
import org.myelin.datasets.audio.WavFile;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.idx.IdxFile;
import org.myelin.datasets.nmnist.NmnistFormat;
import org.myelin.datasets.ntidigits.NtidigitsFile;
import org.myelin.datasets.shd.ShdFile;
import org.myelin.datasets.wisdm.WisdmReader;

/**
 * Every dataset reader over generated corruptions of small valid files (truncations, bit flips, length-field edits,
 * splices): each reads the file whole and either succeeds or throws a one-line MyelinException. The budget per reader
 * is {@code -Dmyelin.fuzz.seconds} (default 2).
 */
class ReaderFuzzTest {
    @TempDir
    Path dir;

    static Path fixture(String name) throws Exception {
        return Path.of(ReaderFuzzTest.class.getResource("/fixtures/" + name).toURI());
    }

    static EventStream events(int w, int h, int n) {
        EventStream s = new EventStream(w, h, n);
        for (int i = 0; i < n; i++) {
            s.add(37L * i * i, (i * 7) % w, (i * 3) % h, i % 2);
        }
        return s;
    }

    private byte[] written(String name, java.util.function.Consumer<Path> writer) throws Exception {
        Path f = dir.resolve(name);
        writer.accept(f);
        return Files.readAllBytes(f);
    }

    static void readIdx(Path f) {
        try (IdxFile idx = IdxFile.open(f)) {
            if (idx.sampleBytes() == 1) {
                idx.readLabels();
                return;
            }
            byte[] buf = new byte[idx.sampleBytes()];
            while (idx.hasNext()) {
                idx.next(buf);
            }
        }
    }

    @Test
    void idx() throws Exception {
        ReaderFuzz.ofFile("idx", dir, "fuzz-idx", ReaderFuzzTest::readIdx)
                .fixture(fixture("labels-3-idx1-ubyte")).fixture(fixture("images-3x4x5-idx3-ubyte.gz"))
                .fixture(ReaderHardeningTest.idx(new int[] {6, 3, 3}, 54)).run();
    }

    @Test
    void aerBinaryAndCsv() throws Exception {
        byte[] a = written("a.aer", f -> AerFile.write(events(34, 34, 20), f));
        byte[] b = written("b.aer", f -> AerFile.write(events(640, 480, 3), f));
        ReaderFuzz.ofFile("aer", dir, "fuzz.aer", AerFile::read).fixture(a).fixture(b).run();
        byte[] c = written("a.csv", f -> AerFile.writeCsv(events(34, 34, 12), f));
        ReaderFuzz.ofFile("aer-csv", dir, "fuzz.csv", f -> AerFile.readCsv(f, 34, 34)).fixture(c).run();
    }

    @Test
    void nmnist() throws Exception {
        byte[] a = written("a.bin", f -> NmnistFormat.write(events(34, 34, 30), f));
        ReaderFuzz.ofFile("nmnist", dir, "fuzz.bin", NmnistFormat::read).fixture(a)
                .fixture(fixture("nmnist-5-events.bin")).run();
    }

    @Test
    void wav() throws Exception {
        double[] x = new double[64];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i / 3.0) * 0.8;
        }
        byte[] a = written("a.wav", f -> new WavFile(16000, x).write(f));
        ReaderFuzz.ofFile("wav", dir, "fuzz.wav", WavFile::read).fixture(a).regressions("/fuzz/wav").run();
    }

    @Test
    void wisdm() throws Exception {
        List<String> lines = Files.readAllLines(fixture("wisdm/data_1600_accel_watch.txt"));
        byte[] a = String.join("\n", lines.subList(0, 12)).concat("\n").getBytes(StandardCharsets.UTF_8);
        byte[] b = String.join("\n", lines.subList(95, 110)).concat("\n").getBytes(StandardCharsets.UTF_8);
        ReaderFuzz.ofFile("wisdm", dir, "fuzz.txt", WisdmReader::read).fixture(a).fixture(b).run();
    }

    @Test
    void shd() throws Exception {
        ReaderFuzz.ofFile("shd", dir, "fuzz.h5", f -> {
            try (ShdFile s = ShdFile.open(f)) {
                for (int i = 0; i < s.samples(); i++) {
                    s.sample(i);
                    s.label(i);
                }
            }
        }).fixture(fixture("shd-3-samples.h5")).regressions("/fuzz/shd").run();
    }

    @Test
    void ntidigits() throws Exception {
        ReaderFuzz.ofFile("ntidigits", dir, "fuzz.h5", f -> {
            for (String split : new String[] {"train", "test"}) {
                try (NtidigitsFile s = NtidigitsFile.open(f, split)) {
                    for (int i = 0; i < s.samples(); i++) {
                        s.sample(i);
                        s.isolatedLabel(i);
                    }
                }
            }
        }).fixture(fixture("ntidigits-small.h5")).run();
    }
}
