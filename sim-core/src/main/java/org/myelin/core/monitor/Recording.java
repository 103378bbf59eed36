package org.myelin.core.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.myelin.core.MyelinException;
import org.myelin.core.network.Network;

/**
 * Binds a network's monitors to sinks for one or more runs. {@link #inMemory()} keeps every monitor in a
 * {@link MemorySink}; {@link #route} sends a monitor to further sinks. Pass the same recording to successive
 * {@code advance} calls to continue rate bins across them.
 */
public final class Recording implements AutoCloseable {
    private final MemorySink memory;
    private final Map<String, List<RecordingSink>> routes = new LinkedHashMap<>();
    private final Map<String, long[]> rateState = new LinkedHashMap<>();

    private Recording(MemorySink memory) {
        this.memory = memory;
    }

    /** Every monitor recorded in memory. */
    public static Recording inMemory() {
        return new Recording(new MemorySink());
    }

    /** Nothing recorded unless routed. */
    public static Recording none() {
        return new Recording(null);
    }

    /** Also sends monitor {@code monitor} to {@code sink}. */
    public Recording route(String monitor, RecordingSink sink) {
        routes.computeIfAbsent(monitor, k -> new ArrayList<>()).add(sink);
        return this;
    }

    /** The memory sink of {@link #inMemory()}. */
    public MemorySink memory() {
        if (memory == null) {
            throw new MyelinException("this recording keeps nothing in memory; create it with Recording.inMemory()");
        }
        return memory;
    }

    /** Engine side: resolves monitors to sinks for {@code network}, for a run that starts at step 0. */
    public Bound bind(Network network) {
        return bind(network, 0);
    }

    /**
     * Engine side: resolves monitors to sinks for {@code network}, for a run that starts at {@code fromStep}
     * (rate bins that this recording has not seen yet start at the bin boundary at or before it).
     */
    public Bound bind(Network network, long fromStep) {
        for (String name : routes.keySet()) {
            boolean known = network.spikeMonitors().stream().anyMatch(m -> m.name().equals(name))
                    || network.stateMonitors().stream().anyMatch(m -> m.name().equals(name))
                    || network.rateMonitors().stream().anyMatch(m -> m.name().equals(name));
            if (!known) {
                throw new MyelinException("recording routes monitor '" + name + "', which the network does not declare");
            }
        }
        return new Bound(network, fromStep);
    }

    /**
     * The monitors' positions: per rate monitor seen so far, the start step of its open bin and the spikes counted
     * in it. Stateless monitors (spikes, state samples) have none. Copies.
     */
    public Map<String, long[]> positions() {
        Map<String, long[]> m = new LinkedHashMap<>();
        rateState.forEach((k, v) -> m.put(k, v.clone()));
        return m;
    }

    /**
     * Continues from positions saved with a checkpoint ({@link #positions()}): the rate monitors' open bins go on
     * where the interrupted run left them. Call before the first run on this recording.
     */
    public void resume(Map<String, long[]> positions) {
        for (Map.Entry<String, long[]> e : positions.entrySet()) {
            long[] v = e.getValue();
            if (v == null || v.length != 2 || v[0] < 0 || v[1] < 0) {
                throw new MyelinException("recording: position of rate monitor '" + e.getKey()
                        + "' must be {bin start >= 0, spikes >= 0}");
            }
            rateState.put(e.getKey(), v.clone());
        }
    }

    /** Closes every routed sink (files are flushed). */
    @Override
    public void close() {
        for (List<RecordingSink> l : routes.values()) {
            for (RecordingSink s : l) {
                s.close();
            }
        }
    }

    private RecordingSink[] sinksFor(String monitorName, Object monitor) {
        List<RecordingSink> l = new ArrayList<>();
        if (memory != null) {
            memory.expect(monitor);
            l.add(memory);
        }
        l.addAll(routes.getOrDefault(monitorName, List.of()));
        return l.toArray(new RecordingSink[0]);
    }

    /** The engine's view of a recording: what to report, and where it goes. */
    public final class Bound {
        private final Network network;
        private final SpikeMonitor[][] spikeMonitorsByNode;
        private final RecordingSink[][][] spikeSinksByNode;
        private final RateMonitor[][] rateMonitorsByNode;
        private final RecordingSink[][][] rateSinksByNode;
        /** Per node and rate monitor: {current bin start, spikes in it}, shared with the recording. */
        private final long[][][] rateStateByNode;
        private final StateMonitor[] stateMonitors;
        private final RecordingSink[][] stateSinks;
        private final boolean[] wantsSpikes;
        /** Global index one past each node's last neuron (neurons, then generators: {@link Network#offset}). */
        private final int[] nodeEnd;
        /** Node index of each state monitor's population. */
        private final int[] statePopulation;
        private int[] local;
        private double[] localTimes = new double[0];

        private Bound(Network network, long fromStep) {
            this.network = network;
            int nodes = network.nodes().size();
            nodeEnd = new int[nodes];
            int largest = 1;
            for (int n = 0; n < nodes; n++) {
                int size = network.nodes().get(n).size();
                nodeEnd[n] = network.offset(n) + size;
                largest = Math.max(largest, size);
            }
            local = new int[largest];
            spikeMonitorsByNode = new SpikeMonitor[nodes][];
            spikeSinksByNode = new RecordingSink[nodes][][];
            rateMonitorsByNode = new RateMonitor[nodes][];
            rateSinksByNode = new RecordingSink[nodes][][];
            rateStateByNode = new long[nodes][][];
            wantsSpikes = new boolean[nodes];
            for (int n = 0; n < nodes; n++) {
                String node = network.nodes().get(n).name();
                List<SpikeMonitor> sm = network.spikeMonitors().stream().filter(m -> m.node().equals(node)).toList();
                List<RateMonitor> rm = network.rateMonitors().stream().filter(m -> m.node().equals(node)).toList();
                spikeMonitorsByNode[n] = sm.toArray(new SpikeMonitor[0]);
                spikeSinksByNode[n] = new RecordingSink[sm.size()][];
                for (int k = 0; k < sm.size(); k++) {
                    spikeSinksByNode[n][k] = sinksFor(sm.get(k).name(), sm.get(k));
                }
                rateMonitorsByNode[n] = rm.toArray(new RateMonitor[0]);
                rateSinksByNode[n] = new RecordingSink[rm.size()][];
                rateStateByNode[n] = new long[rm.size()][];
                for (int k = 0; k < rm.size(); k++) {
                    rateSinksByNode[n][k] = sinksFor(rm.get(k).name(), rm.get(k));
                    long bin = rm.get(k).binSteps();
                    rateStateByNode[n][k] = rateState.computeIfAbsent(rm.get(k).name(),
                            x -> new long[] {fromStep - fromStep % bin, 0});
                }
                wantsSpikes[n] = !sm.isEmpty() || !rm.isEmpty();
            }
            stateMonitors = network.stateMonitors().toArray(new StateMonitor[0]);
            stateSinks = new RecordingSink[stateMonitors.length][];
            statePopulation = new int[stateMonitors.length];
            for (int k = 0; k < stateMonitors.length; k++) {
                stateSinks[k] = sinksFor(stateMonitors[k].name(), stateMonitors[k]);
                statePopulation[k] = network.nodeIndex(stateMonitors[k].population());
            }
        }

        /**
         * Reports every spike of {@code step}: {@code spikes[from, from + count)} are global indices (a population's
         * neurons from {@link Network#offset}, generators after all neurons), ascending. Each node's spikes go to its
         * monitors as local indices, as {@link #spikes} would take them; nodes without a spike get no call.
         */
        public void stepSpikes(long step, int[] spikes, int from, int count) {
            stepSpikeTimes(step, spikes, null, from, count);
        }

        /**
         * As {@link #stepSpikes}, with each spike's exact time in ms ({@code timesMs[from, from + count)}, aligned with
         * {@code spikes}); with {@code timesMs} null, sinks get {@link RecordingSink#spikes} only.
         */
        public void stepSpikeTimes(long step, int[] spikes, double[] timesMs, int from, int count) {
            int end = from + count;
            int k = from;
            for (int node = 0; node < nodeEnd.length && k < end; node++) {
                int off = nodeEnd[node] - network.nodes().get(node).size();
                int start = k;
                while (k < end && spikes[k] < nodeEnd[node]) {
                    k++;
                }
                int c = k - start;
                if (c == 0 || !wantsSpikes[node]) {
                    continue;
                }
                if (local.length < c) {
                    // several spikes of one neuron in a step (event-precise engine, refractory period below dt)
                    local = new int[c];
                }
                for (int j = 0; j < c; j++) {
                    local[j] = spikes[start + j] - off;
                }
                double[] t = null;
                if (timesMs != null) {
                    if (localTimes.length < local.length) {
                        localTimes = new double[local.length];
                    }
                    System.arraycopy(timesMs, start, localTimes, 0, c);
                    t = localTimes;
                }
                spikeTimes(node, step, local, t, c);
            }
        }

        /** The index in {@link Network#nodes()} of state monitor {@code k}'s population. */
        public int statePopulation(int k) {
            return statePopulation[k];
        }

        /** True when spikes of node {@code nodeIndex} (index in {@link Network#nodes()}) are recorded. */
        public boolean wantsSpikes(int nodeIndex) {
            return wantsSpikes[nodeIndex];
        }

        /** True when any node's spikes are recorded. */
        public boolean wantsAnySpikes() {
            for (boolean b : wantsSpikes) {
                if (b) {
                    return true;
                }
            }
            return false;
        }

        /** Reports the spikes of node {@code nodeIndex} in {@code step}; local indices, ascending. */
        public void spikes(int nodeIndex, long step, int[] neurons, int count) {
            spikeTimes(nodeIndex, step, neurons, null, count);
        }

        /**
         * As {@link #spikes}, with each spike's exact time in ms ({@link RecordingSink#spikeTimes}); with
         * {@code timesMs} null, sinks get {@link RecordingSink#spikes} only.
         */
        public void spikeTimes(int nodeIndex, long step, int[] neurons, double[] timesMs, int count) {
            if (!wantsSpikes[nodeIndex]) {
                return;
            }
            SpikeMonitor[] sm = spikeMonitorsByNode[nodeIndex];
            for (int k = 0; k < sm.length; k++) {
                for (RecordingSink s : spikeSinksByNode[nodeIndex][k]) {
                    if (timesMs == null) {
                        s.spikes(sm[k], step, neurons, count);
                    } else {
                        s.spikeTimes(sm[k], step, neurons, timesMs, count);
                    }
                }
            }
            RateMonitor[] rm = rateMonitorsByNode[nodeIndex];
            for (int k = 0; k < rm.length; k++) {
                long[] st = rateStateByNode[nodeIndex][k];
                flushRate(nodeIndex, k, st, step);
                st[1] += count;
            }
        }

        /** The state monitors, in declaration order. */
        public StateMonitor[] stateMonitors() {
            return stateMonitors;
        }

        /** True when state monitor {@code k} samples at the end of {@code step}. */
        public boolean samples(int k, long step) {
            return step % stateMonitors[k].intervalSteps() == 0;
        }

        /** Reports one sample of state monitor {@code k}. */
        public void state(int k, long step, double[] values) {
            for (RecordingSink s : stateSinks[k]) {
                s.state(stateMonitors[k], step, values);
            }
        }

        /** Tells the recording that every step before {@code toStep} is done: completed rate bins are emitted. */
        public void stepsDone(long toStep) {
            for (int n = 0; n < rateMonitorsByNode.length; n++) {
                for (int k = 0; k < rateMonitorsByNode[n].length; k++) {
                    flushRate(n, k, rateStateByNode[n][k], toStep);
                }
            }
        }

        private void flushRate(int nodeIndex, int k, long[] st, long step) {
            RateMonitor m = rateMonitorsByNode[nodeIndex][k];
            int size = network.nodes().get(nodeIndex).size();
            while (step >= st[0] + m.binSteps()) {
                double hz = st[1] / (size * m.binSteps() * network.dtMs() / 1000.0);
                for (RecordingSink s : rateSinksByNode[nodeIndex][k]) {
                    s.rate(m, st[0], hz);
                }
                st[0] += m.binSteps();
                st[1] = 0;
            }
        }
    }
}
