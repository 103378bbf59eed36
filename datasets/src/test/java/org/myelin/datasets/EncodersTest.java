package org.myelin.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;
import org.myelin.datasets.encode.Encoders;
import org.myelin.datasets.encode.SpikeTrain;
import org.myelin.datasets.event.EventStream;

class EncodersTest {
    @Test
    void poissonRatesFollowIntensityAndTheSeed() {
        double[] v = {0, 0.25, 0.5, 1.0};
        SpikeTrain t = Encoders.poisson(v, 100, 0.1, 100_000, 7, 1);
        int[] counts = new int[4];
        for (int n : t.neurons()) {
            counts[n]++;
        }
        assertEquals(0, counts[0]);
        for (int i = 1; i < 4; i++) {
            double expected = v[i] * 100 * 10;
            assertEquals(expected, counts[i], 5 * Math.sqrt(expected), "generator " + i);
        }
        assertEquals(t, Encoders.poisson(v, 100, 0.1, 100_000, 7, 1));
        assertNotEquals(t, Encoders.poisson(v, 100, 0.1, 100_000, 8, 1));
    }

    @Test
    void latencyCodingFiresBrightestFirst() {
        SpikeTrain t = Encoders.latency(new double[] {1.0, 0.05, 0.5, 0.0}, 11, 0.1);
        assertEquals(2, t.spikeCount());
        assertEquals(0, t.neurons()[0]);
        assertEquals(0, t.steps()[0]);
        assertEquals(2, t.neurons()[1]);
        assertEquals(5, t.steps()[1]);
    }

    @Test
    void eventsAreBinnedOntoTheGridOncePerStep() {
        EventStream e = new EventStream(4, 3, 8);
        e.add(1000, 1, 2, 1);
        e.add(1050, 1, 2, 1);
        e.add(1150, 1, 2, 1);
        e.add(1150, 3, 0, 0);
        SpikeTrain t = Encoders.events(e, 0.1);
        assertEquals(24, t.size());
        assertEquals(3, t.spikeCount(), "two events of one generator in one step count once");
        assertEquals(12 + 2 * 4 + 1, t.neurons()[0]);
        assertEquals(1, t.steps()[1]);
        assertEquals(3, t.neurons()[2]);
    }

    @Test
    void anEncodedImageDrivesANetwork() {
        byte[] pixels = new byte[100];
        for (int i = 0; i < 100; i++) {
            pixels[i] = (byte) (i < 50 ? 255 : 0);
        }
        SpikeTrain t = Encoders.poisson(Encoders.intensities(pixels, 100), 100, 0.1, 1000, 3, 0);
        Network net = Network.builder().spikeTrain("image", t.size(), t.neurons(), t.steps()).monitorSpikes("image")
                .build();
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("reference").compile(net, new SimulationConfig(1))) {
            c.run(1000, rec);
        }
        int[] counts = rec.memory().spikes("image").countsPerNeuron(100);
        assertTrue(counts[0] > 0 && counts[99] == 0, "bright pixels spike, dark ones do not");
        assertEquals(t.spikeCount(), rec.memory().spikes("image").size());
    }
}
