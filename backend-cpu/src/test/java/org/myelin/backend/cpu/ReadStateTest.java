package org.myelin.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.EngineMode;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.catalog.CubaNetwork;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.StateTrace;
import org.myelin.core.network.Network;

/** Reading state between steps gives what a state monitor samples at the same step, on every engine that reads. */
class ReadStateTest {

    @ParameterizedTest
    @CsvSource({"cpu, CLOCK, 1", "cpu, CLOCK, 2", "cpu, EVENT_GRID, 1", "cpu, AUTO, 2", "reference, CLOCK, 1"})
    void readMatchesTheStateMonitorSampleOfTheLastStep(String backend, EngineMode mode, int threads) {
        int[] picked = {0, 7, 1999, 3199};
        Network net = CubaNetwork.build(4000, 0.02, 9).toBuilder().monitorState("v", "exc", "v", 1, picked).monitorState("ge", "exc", "ge", 1, picked)
                .monitorState("gi", "exc", "gi", 1, picked).build();
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find(backend).compile(net, new SimulationConfig(threads).withMode(mode))) {
            for (int chunk = 0; chunk < 6; chunk++) {
                c.run(37 + 100 * chunk, rec);
                for (String var : new String[] {"v", "ge", "gi"}) {
                    StateTrace t = rec.memory().state(var);
                    int last = t.samples() - 1;
                    assertEquals(c.currentStep() - 1, t.step(last));
                    double[] expected = new double[picked.length];
                    for (int k = 0; k < picked.length; k++) {
                        expected[k] = t.value(last, k);
                    }
                    assertArrayEquals(expected, c.read("exc", var, picked), 1e-9, var + " after step " + t.step(last));
                }
            }
            MyelinException e = assertThrows(MyelinException.class, () -> c.read("exc", "w", picked));
            assertTrue(e.getMessage().contains("v, ge or gi"), e.getMessage());
            e = assertThrows(MyelinException.class, () -> c.read("exc", "v", new int[] {3200}));
            assertTrue(e.getMessage().contains("outside population 'exc'"), e.getMessage());
        }
    }
}
