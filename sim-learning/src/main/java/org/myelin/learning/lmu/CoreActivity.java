package org.myelin.learning.lmu;

import java.util.HashMap;
import java.util.Map;
import org.myelin.core.MyelinException;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.monitor.MemorySink;
import org.myelin.core.monitor.SpikeMonitor;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.core.network.Node;
import org.myelin.core.network.Population;
import org.myelin.core.network.Projection;
import org.myelin.core.network.SpikeTrainSource;

/**
 * What an exported network did in one run, counted from its recording: the spikes its populations fired, and the
 * synaptic events it sent, each spike (of a population, or of a given spike train such as the input and the bias
 * sources) times the out-degree of the neuron that fired it, summed over every projection it is the source of.
 * An event is counted when its spike is sent, also when the run ends before its delay has passed. The exports build
 * explicit projections only, so the out-degree is exact; a network with another connectivity rule is refused.
 *
 * @param spikes      spikes of the populations (every population must have a spike monitor)
 * @param synapticOps synaptic events sent
 */
public record CoreActivity(long spikes, long synapticOps) {
    /** Counts {@code net}'s activity in steps {@code [0, steps)} from the recording {@code memory}. */
    public static CoreActivity of(Network net, MemorySink memory, long steps) {
        Map<String, long[]> degree = new HashMap<>();
        for (Projection p : net.projections()) {
            if (!(p.rule() instanceof Connectivity.Explicit e)) {
                throw new MyelinException("counting synaptic events: projection " + p.name() + " is not explicit");
            }
            long[] d = degree.computeIfAbsent(p.source(), s -> new long[net.node(s).size()]);
            for (int pre : e.pre()) {
                d[pre]++;
            }
        }
        Map<String, String> monitorOf = new HashMap<>();
        for (SpikeMonitor m : net.spikeMonitors()) {
            monitorOf.putIfAbsent(m.node(), m.name());
        }
        long spikes = 0;
        long ops = 0;
        for (Node n : net.nodes()) {
            long[] d = degree.get(n.name());
            if (n instanceof SpikeTrainSource s) {
                for (int k = 0; k < s.spikeCount(); k++) {
                    if (s.steps()[k] < steps && d != null) {
                        ops += d[s.neurons()[k]];
                    }
                }
            } else if (n instanceof Population) {
                String monitor = monitorOf.get(n.name());
                if (monitor == null) {
                    throw new MyelinException("counting spikes: population " + n.name() + " has no spike monitor");
                }
                SpikeRecord r = memory.spikes(monitor);
                for (int i = 0; i < r.size(); i++) {
                    if (r.step(i) < steps) {
                        spikes++;
                        ops += d == null ? 0 : d[r.neuron(i)];
                    }
                }
            } else if (degree.containsKey(n.name())) {
                throw new MyelinException("counting synaptic events: source " + n.name() + " is not a given spike"
                        + " train");
            }
        }
        return new CoreActivity(spikes, ops);
    }
}
