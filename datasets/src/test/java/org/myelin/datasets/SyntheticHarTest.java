package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.datasets.emulate.SyntheticHar;
import org.myelin.datasets.wisdm.WisdmReader;

class SyntheticHarTest {
    @Test
    void writesWisdmFilesThatTheReaderWindowsAndSaysItIsSynthetic(@TempDir Path dir) throws Exception {
        SyntheticHar.write(dir, 2, 10, 5);
        assertTrue(Files.readString(dir.resolve("SYNTHETIC.txt")).contains("SYNTHETIC"));
        List<WisdmReader.Window> w = WisdmReader.windows(dir, List.of(9001, 9002), "", 40, 40);
        assertEquals(2 * 7 * 5, w.size(), "10 s at 20 Hz is five 2-s windows per activity");
        // dribbling has far more vertical energy than typing
        double p = energy(w, 'P', 2);
        double f = energy(w, 'F', 2);
        assertTrue(p > 10 * f, "dribbling " + p + " vs typing " + f);
    }

    private static double energy(List<WisdmReader.Window> w, char act, int ch) {
        double e = 0;
        int n = 0;
        for (WisdmReader.Window x : w) {
            if (x.activity() == act) {
                float[] c = x.channels()[ch];
                double mean = 0;
                for (float v : c) {
                    mean += v;
                }
                mean /= c.length;
                for (float v : c) {
                    e += (v - mean) * (v - mean);
                }
                n += c.length;
            }
        }
        return e / n;
    }
}
