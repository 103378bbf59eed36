package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.myelin.datasets.encode.EventTransforms;
import org.myelin.datasets.encode.Encoders;
import org.myelin.datasets.encode.SpikeTrain;
import org.myelin.datasets.event.EventStream;

class TransformsTest {
    private static EventStream sample() {
        EventStream e = new EventStream(8, 6, 8);
        e.add(0, 1, 1, 1);
        e.add(100, 1, 1, 0);
        e.add(900, 1, 1, 1);
        e.add(1000, 7, 5, 0);
        e.add(2500, 4, 2, 1);
        return e;
    }

    @Test
    void cropDownsampleMergeAndDenoise() {
        EventStream c = EventTransforms.crop(sample(), 1, 1, 4, 4);
        assertEquals(4, c.size());
        assertEquals(0, c.x(0));
        assertEquals(3, c.x(3));
        EventStream d = EventTransforms.downsample(sample(), 4);
        assertEquals(2, d.width());
        assertEquals(1, d.x(3));
        assertEquals(1, d.y(3));
        EventStream m = EventTransforms.mergePolarity(sample());
        assertEquals(1, m.polarity(1));
        EventStream r = EventTransforms.refractory(sample(), 500);
        assertEquals(4, r.size(), "the event 100 us after the first at the same pixel is dropped");
        assertEquals(900, r.timeUs(1));
    }

    @Test
    void framesCountEventsPerBinAndPolarity() {
        float[] f = EventTransforms.frames(sample(), 1000, 2);
        int plane = 8 * 6;
        assertEquals(2, f[(0 * 2 + 1) * plane + 1 * 8 + 1], "two ON events of pixel (1, 1) in frame 0");
        assertEquals(1, f[(0 * 2) * plane + 1 * 8 + 1]);
        assertEquals(1, f[(1 * 2) * plane + 5 * 8 + 7], "OFF at (7, 5) in frame 1");
        float sum = 0;
        for (float v : f) {
            sum += v;
        }
        assertEquals(4, sum, "the event at 2500 us falls beyond two frames");
    }

    @Test
    void sendOnDeltaEmitsUpAndDownSpikes() {
        float[][] signal = {{0f, 0.4f, 1.1f, 1.2f, 0.1f}};
        SpikeTrain t = Encoders.sendOnDelta(signal, 0.5);
        assertArrayEquals(new int[] {0, 1}, t.neurons());
        assertArrayEquals(new long[] {2, 4}, t.steps());
        assertArrayEquals(new double[] {0.5, 2.0}, Encoders.directCurrentNa(new double[] {0.25, 1.0}, 2.0));
    }
}
