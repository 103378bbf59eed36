package org.myelin.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.core.model.LifModel;
import org.myelin.core.network.Network;

/** The one spike dispatch every engine reports through: a step's global spike list split into the nodes' monitors. */
class StepSpikesTest {
    private static Network net() {
        // nodes in declaration of Network.nodes(): populations a (3), b (2), then generator g (4): global 0-2, 3-4, 5-8
        return Network.builder().dtMs(1).spikeTrain("g", 4, new int[] {0}, new long[] {0})
                .population("a", 3, LifModel.builder().build())
                .population("b", 2, LifModel.builder().build())
                .monitorSpikes("a").monitorSpikes("g").monitorRate("b", 10).build();
    }

    private static final class Calls implements RecordingSink {
        final List<String> seen = new ArrayList<>();

        @Override
        public void spikes(SpikeMonitor monitor, long step, int[] neurons, int count) {
            seen.add(monitor.node() + "@" + step + Arrays.toString(Arrays.copyOf(neurons, count)));
        }

        @Override
        public void spikeTimes(SpikeMonitor monitor, long step, int[] neurons, double[] timesMs, int count) {
            seen.add(monitor.node() + "@" + step + Arrays.toString(Arrays.copyOf(neurons, count))
                    + Arrays.toString(Arrays.copyOf(timesMs, count)));
        }
    }

    @Test
    void splitsAnAscendingGlobalListIntoLocalIndicesPerNode() {
        Network net = net();
        Calls calls = new Calls();
        Recording r = Recording.inMemory();
        for (var m : net.spikeMonitors()) {
            r.route(m.name(), calls);
        }
        Recording.Bound b = r.bind(net);
        assertEquals(0, net.offset(net.nodeIndex("a")));
        int[] list = {99, 0, 2, 3, 4, 6, 8, 99};
        b.stepSpikes(7, list, 1, 6);
        assertEquals(List.of("a@7[0, 2]", "g@7[1, 3]"), calls.seen);
        assertArrayEquals(new int[] {0, 2}, r.memory().spikes(net.spikeMonitors().get(0).name()).neurons());
        // b has no spike monitor but a rate monitor: its 2 spikes count in the open bin
        b.stepsDone(10);
        assertEquals(2 / (2 * 0.010), r.memory().rate(net.rateMonitors().get(0).name()).rateHz(0), 1e-9);
    }

    @Test
    void timesTravelWithTheirSpikesAndRepeatedNeuronsFit() {
        Network net = net();
        Calls calls = new Calls();
        Recording r = Recording.none();
        r.route(net.spikeMonitors().get(0).name(), calls);
        Recording.Bound b = r.bind(net);
        // neuron 1 of a twice in one step (a refractory period shorter than dt), more spikes than a has neurons
        int[] list = {1, 1, 1, 2};
        double[] t = {0.1, 0.5, 0.9, 0.95};
        b.stepSpikeTimes(0, list, t, 0, 4);
        assertEquals(List.of("a@0[1, 1, 1, 2][0.1, 0.5, 0.9, 0.95]"), calls.seen);
    }
}
