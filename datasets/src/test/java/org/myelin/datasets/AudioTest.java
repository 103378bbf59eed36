package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.datasets.audio.WavFile;
import org.myelin.datasets.emulate.CochleaModel;
import org.myelin.datasets.emulate.SpokenDigits;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.ntidigits.NtidigitsFile;

class AudioTest {
    @TempDir
    Path dir;

    private static double[] tone(double hz, int rate, double seconds, double amp) {
        double[] s = new double[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = amp * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return s;
    }

    @Test
    void aToneExcitesTheChannelsTunedToIt() {
        CochleaModel m = CochleaModel.defaults();
        for (double hz : new double[] {300, 1000, 3000}) {
            EventStream s = m.spikes(tone(hz, 16000, 0.3, 0.5), 16000);
            int[] per = new int[64];
            for (int i = 0; i < s.size(); i++) {
                per[s.x(i)]++;
            }
            int best = 0;
            for (int c = 1; c < 64; c++) {
                if (per[c] > per[best]) {
                    best = c;
                }
            }
            double f = m.centreHz(best);
            assertTrue(f > hz / 1.5 && f < hz * 1.5, hz + " Hz tone: busiest channel " + best + " is tuned to " + f + " Hz");
        }
        assertEquals(0, m.spikes(new double[8000], 16000).size(), "silence gives no spikes");
    }

    @Test
    void wavFilesRoundTripAndForeignFilesAreRefused() throws Exception {
        WavFile w = new WavFile(22050, tone(440, 22050, 0.05, 0.5));
        Path f = dir.resolve("a.wav");
        w.write(f);
        WavFile back = WavFile.read(f);
        assertEquals(22050, back.sampleRate());
        assertEquals(w.samples().length, back.samples().length);
        for (int i = 0; i < w.samples().length; i++) {
            assertEquals(w.samples()[i], back.samples()[i], 1.0 / 32768);
        }
        Files.writeString(dir.resolve("b.wav"), "hello");
        MyelinException e = assertThrows(MyelinException.class, () -> WavFile.read(dir.resolve("b.wav")));
        assertTrue(e.getMessage().contains("expected \"RIFF\" at byte 0"), e.getMessage());
    }

    @Test
    void ntidigitsFilesRoundTrip() throws Exception {
        EventStream a = new EventStream(64, 1, 4);
        a.add(0, 3, 0, 1);
        a.add(1500, 63, 0, 1);
        EventStream b = new EventStream(64, 1, 4);
        b.add(250_000, 10, 0, 1);
        Path f = dir.resolve("t.h5");
        NtidigitsFile.write(f, Map.of("train", List.of(Map.entry("v0-7", a), Map.entry("v0-o", b)),
                "test", List.of(Map.entry("v1-z", a))));
        try (NtidigitsFile r = NtidigitsFile.open(f, "train")) {
            assertEquals(2, r.samples());
            assertEquals(7, r.isolatedLabel(0));
            assertEquals(10, r.isolatedLabel(1));
            assertEquals(a, r.sample(0));
            assertEquals(b, r.sample(1));
        }
        try (NtidigitsFile r = NtidigitsFile.open(f, "test")) {
            assertEquals(0, r.isolatedLabel(0));
        }
    }

    @Test
    void espeakSynthesisesEveryDigitWord() {
        Assumptions.assumeTrue(SpokenDigits.available(), "espeak-ng is not installed (.ci/run installs it)");
        List<SpokenDigits.Utterance> u = SpokenDigits.synthesise(List.of("en-us"), new int[] {160}, new int[] {50},
                dir.resolve("work"));
        assertEquals(11, u.size());
        assertEquals("v0s0p0-z", u.get(0).id());
        assertEquals(10, u.get(10).label());
        EventStream s = CochleaModel.defaults().spikes(u.get(7).audio().samples(), u.get(7).audio().sampleRate());
        assertTrue(s.size() > 200, "seven gives spikes: " + s.size());
        assertArrayEquals(new int[] {64, 1}, new int[] {s.width(), s.height()});
    }
}
