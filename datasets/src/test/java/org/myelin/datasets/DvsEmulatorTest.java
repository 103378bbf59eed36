package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.datasets.emulate.DvsEmulator;
import org.myelin.datasets.event.EventStream;

class DvsEmulatorTest {
    private static double[] square() {
        double[] img = new double[28 * 28];
        for (int y = 8; y < 20; y++) {
            for (int x = 8; x < 20; x++) {
                img[y * 28 + x] = 1.0;
            }
        }
        return img;
    }

    @Test
    void aMovingSquareGivesOnAndOffEventsInEverySaccade() {
        EventStream s = DvsEmulator.defaults().emulate(square(), 28, 28, 1, 0);
        int[] perSaccade = new int[3];
        int on = 0;
        for (int i = 0; i < s.size(); i++) {
            assertTrue(s.x(i) < 34 && s.y(i) < 34);
            assertTrue(i == 0 || s.timeUs(i) >= s.timeUs(i - 1), "time order");
            perSaccade[(int) Math.min(2, s.timeUs(i) / 100_000)]++;
            on += s.polarity(i);
        }
        for (int k = 0; k < 3; k++) {
            assertTrue(perSaccade[k] > 100, "saccade " + k + ": " + perSaccade[k] + " events");
        }
        assertTrue(on > s.size() / 4 && on < 3 * s.size() / 4, "both polarities: " + on + " ON of " + s.size());
        assertTrue(s.durationUs() <= 300_000);
    }

    @Test
    void aBlankImageGivesOnlyBackgroundNoise() {
        EventStream s = DvsEmulator.defaults().emulate(new double[28 * 28], 28, 28, 1, 0);
        double expected = 0.5 * 34 * 34 * 0.3;
        assertEquals(expected, s.size(), 5 * Math.sqrt(expected), "noise events at 0.5 Hz per pixel for 300 ms");
    }

    @Test
    void theSeedAndSampleFixTheStream() {
        DvsEmulator d = DvsEmulator.defaults();
        assertEquals(d.emulate(square(), 28, 28, 4, 2), d.emulate(square(), 28, 28, 4, 2));
        assertNotEquals(d.emulate(square(), 28, 28, 4, 2), d.emulate(square(), 28, 28, 4, 3));
    }

    @Test
    void imagesLargerThanTheSensorAllowsAreRefused() {
        MyelinException e = assertThrows(MyelinException.class,
                () -> DvsEmulator.defaults().emulate(new double[30 * 30], 30, 30, 1, 0));
        assertTrue(e.getMessage().contains("up to 28 x 28"), e.getMessage());
    }
}
