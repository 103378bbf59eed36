package org.myelin.nir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;

/**
 * The single-LIF graph of the NIR paper (fixture lif.nir: Affine weight 1, LIF tau 2.5 ms, threshold 0.1) driven by
 * inputs held over their steps, against the exact solution: v = 1 - e^(-t/tau) while the input is 1.
 */
class NirImportTest {

    private static Recording run(NirImport.Imported imp, EngineMode mode, int steps) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find("cpu").compile(imp.network(), new SimulationConfig(1).withMode(mode))) {
            c.run(steps, rec);
        }
        return rec;
    }

    @Test
    void theSingleLifGraphIntegratesItsHeldInputExactly() {
        NirFile f = NirReader.read(NirReaderTest.fixture("lif.nir"));
        // input 1 for steps 10..29 (2 ms), 0 otherwise: v rises as 1 - e^(-t/2.5 ms) and crosses 0.1 at
        // t* = 2.5 ln(1/0.9) = 0.2634 ms after the start of step 10, i.e. within step 12
        double[][] x = new double[60][1];
        for (int s = 10; s < 30; s++) {
            x[s][0] = 1;
        }
        NirImport.Imported imp = NirImport.singleLayer(f, 0.1, x);
        // the file holds float32 values: tau 0.0025 s and threshold 0.1 as float32
        double tau = 1000.0 * (float) 0.0025;
        double threshold = (float) 0.1;
        Recording clock = run(imp, EngineMode.CLOCK, 60);
        double[] v = clock.memory().state(imp.stateMonitor()).series(0);
        assertEquals(0, v[9], 0);
        assertEquals(1 - Math.exp(-0.1 / tau), v[10], 1e-6, "one step of input");
        assertEquals(1 - Math.exp(-0.2 / tau), v[11], 1e-6, "two steps");
        SpikeRecord clockSpikes = clock.memory().spikes(imp.population());
        assertEquals(12, clockSpikes.step(0), "the grid spikes at the end of the step of the crossing");
        Recording precise = run(imp, EngineMode.EVENT_PRECISE, 60);
        SpikeRecord s = precise.memory().spikes(imp.population());
        double crossing = 1.0 + tau * Math.log(1 / (1 - threshold));
        assertEquals(crossing, s.timeMs(0), 1e-9, "exact crossing time");
        // after the reset to 0 the input goes on: at the end of step 12, v = 1 - e^-(1.3 ms - t*) / tau
        double[] pv = precise.memory().state(imp.stateMonitor()).series(0);
        assertEquals(1 - Math.exp(-(1.3 - crossing) / tau), pv[12], 1e-9);
        // while the input lasts (1 to 3 ms) every cycle from the reset takes the same t* - 1: seven spikes, at
        // 1 + k (t* - 1); the grid loses the rest of each crossing step and fires every third step (six spikes)
        double period = crossing - 1.0;
        assertEquals(7, s.size(), "precise spikes");
        for (int k = 0; k < s.size(); k++) {
            assertEquals(1.0 + (k + 1) * period, s.timeMs(k), 1e-9, "precise spike " + k);
            assertEquals(Math.ceil(s.timeMs(k) / 0.1) - 1, s.step(k), "spike " + k + " reported in its step");
        }
        assertEquals(6, clockSpikes.size(), "grid spikes");
    }

    @Test
    void graphsBeyondOneInputLayerAreRefusedSayingWhy() {
        NirFile f = NirReader.read(NirReaderTest.fixture("every-node.nir"));
        MyelinException e = assertThrows(MyelinException.class, () -> NirImport.singleLayer(f, 0.1, new double[1][4]));
        assertTrue(e.getMessage().contains("NIR import") && e.getMessage().contains("Input"), e.getMessage());
        NirFile lif = NirReader.read(NirReaderTest.fixture("lif.nir"));
        MyelinException w = assertThrows(MyelinException.class, () -> NirImport.singleLayer(lif, 0.1, new double[][] {{1, 2}}));
        assertTrue(w.getMessage().contains("input step 0 has 2 values, the Input node takes 1"), w.getMessage());
    }
}
