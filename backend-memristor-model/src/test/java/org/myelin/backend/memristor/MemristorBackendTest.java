package org.myelin.backend.memristor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.analysis.SpikeStatistics;
import org.myelin.core.backend.Backend;
import org.myelin.core.backend.BackendContract;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.backend.TestNetworks;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/** The memristor backend: ideal devices change nothing; PCM-like devices perturb the weights, and drift shrinks them. */
class MemristorBackendTest {

    private static SpikeRecord run(Network net, String backend, String device, String[] label) {
        Recording rec = Recording.inMemory();
        try (CompiledNetwork c = Backends.find(backend).compile(net, new SimulationConfig(2).withDevice(device))) {
            c.run(10_000, rec);
            if (label != null) {
                label[0] = c.device();
            }
        }
        return SpikeStatistics.merged(net, rec.memory());
    }

    @Test
    void idealDevicesGiveTheCpuBackendsSpikesBitForBit() {
        Network net = TestNetworks.poissonDriven(5);
        String[] label = new String[1];
        SpikeRecord cpu = run(net, "cpu", null, null);
        SpikeRecord ideal = run(net, "memristor", "ideal", label);
        assertTrue(cpu.size() > 1000, "active: " + cpu.size());
        assertEquals(SpikeStatistics.checksum(cpu), SpikeStatistics.checksum(ideal));
        assertTrue(label[0].startsWith("memristor (ideal) over cpu"), label[0]);
    }

    @Test
    void pcmDevicesPerturbTheSpikesAndDriftWeakensTheSynapses() {
        Network net = TestNetworks.poissonDriven(5);
        SpikeRecord cpu = run(net, "cpu", null, null);
        SpikeRecord fresh = run(net, "memristor", "pcm-like", null);
        SpikeRecord day = run(net, "memristor", "pcm-like@86400", null);
        assertNotEquals(SpikeStatistics.checksum(cpu), SpikeStatistics.checksum(fresh), "programming noise shows");
        // programming noise is a few percent of gMax: the activity stays close
        assertEquals(cpu.size(), fresh.size(), 0.15 * cpu.size(), "spike count, fresh devices");
        // a day of drift lowers every conductance by about (86420/20)^-0.05, a third: fewer spikes
        assertTrue(day.size() < 0.9 * fresh.size(), "after a day " + day.size() + ", fresh " + fresh.size());
    }

    @Test
    void anAdcInTheLoopSumsEachDelaysRowsAndAFineOneChangesLittle() {
        // poissonDriven has per-synapse delays: rows are summed per tile and delay before the ADC
        Network net = TestNetworks.poissonDriven(5);
        SpikeRecord cpu = run(net, "cpu", null, null);
        SpikeRecord fine = run(net, "memristor", "ideal,adc=16,adcrows=64", null);
        SpikeRecord coarse = run(net, "memristor", "ideal,adc=3,adcrows=1", null);
        SpikeRecord rram = run(net, "memristor", "rram", null);
        assertNotEquals(SpikeStatistics.checksum(cpu), SpikeStatistics.checksum(fine), "the ADC rounds");
        assertEquals(cpu.size(), fine.size(), 0.02 * cpu.size(), "a 16-bit ADC: nearly the cpu's activity");
        assertTrue(Math.abs(coarse.size() - cpu.size()) > 0.02 * cpu.size(), "a 3-bit ADC over one row changes it: "
                + coarse.size() + " against " + cpu.size());
        assertTrue(rram.size() > 0.5 * cpu.size() && rram.size() < 1.5 * cpu.size(), "rram: " + rram.size());
    }

    @Test
    void anUnknownPresetIsRefusedNamingTheKnownOnes() {
        MyelinException e = assertThrows(MyelinException.class, () -> Backends.find("memristor")
                .compile(TestNetworks.poissonDriven(1), new SimulationConfig(1).withDevice("rram-7nm")));
        assertTrue(e.getMessage().contains("known: ideal, pcm-like"), e.getMessage());
    }

    @Nested
    class IdealContract extends BackendContract {
        @Override
        protected Backend backend() {
            return Backends.find("memristor");
        }

        @Override
        protected double valueTolerance() {
            return 2e-4;
        }
    }
}
