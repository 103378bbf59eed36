package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.core.MyelinException;
import org.myelin.datasets.wisdm.WisdmReader;

class WisdmReaderTest {
    private static Path folder() throws Exception {
        return Path.of(WisdmReaderTest.class.getResource("/fixtures/wisdm").toURI());
    }

    @Test
    void windowsAlignAccelerometerAndGyroscope() throws Exception {
        List<WisdmReader.Window> w = WisdmReader.windows(folder(), List.of(1600, 1601), "", 40, 40);
        // per subject: F has 100 readings (2 windows), R 85 (2 windows)
        assertEquals(8, w.size());
        WisdmReader.Window first = w.get(0);
        assertEquals(1600, first.subject());
        assertEquals('F', first.activity());
        assertEquals(6, first.channels().length);
        assertEquals(40, first.channels()[0].length);
        assertEquals(0.0f, first.channels()[0][0], 1e-6);
        assertEquals(1.0f, first.channels()[3][0], 1e-6, "gyro x of subject 1600 starts at 1");
        assertEquals(9.81f, first.channels()[2][5], 1e-5);
        assertEquals((float) Math.sin(41 / 5.0), w.get(1).channels()[1][1], 1e-5, "second window starts at reading 40");
        assertEquals(2, WisdmReader.windows(folder(), List.of(1601), "R", 40, 40).size());
        assertEquals(7, WisdmReader.windows(folder(), List.of(1600), "F", 40, 10).size());
    }

    @Test
    void subjectSplitKeepsEverySubjectOnOneSide() {
        List<List<Integer>> split = WisdmReader.subjectSplit(List.of(1603, 1600, 1602, 1601, 1604), 0.6);
        assertEquals(List.of(1600, 1601, 1602), split.get(0));
        assertEquals(List.of(1603, 1604), split.get(1));
    }

    @Test
    void malformedLinesNameTheFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("data_1_accel_watch.txt");
        Files.writeString(f, "1,F,10,0.1,0.2,0.3;\n1,F,11,0.1,0.2;\n");
        MyelinException e = assertThrows(MyelinException.class, () -> WisdmReader.read(f));
        assertTrue(e.getMessage().contains("line 2: expected subject,activity,timestamp,x,y,z; found 5 fields"),
                e.getMessage());
        Files.writeString(f, "1,Z,10,0.1,0.2,0.3;\n");
        e = assertThrows(MyelinException.class, () -> WisdmReader.read(f));
        assertTrue(e.getMessage().contains("activity must be a letter A..S"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> WisdmReader.windows(dir, List.of(7), "", 40, 40));
        assertTrue(e.getMessage().contains("no data_7_accel_watch.txt"), e.getMessage());
    }
}
