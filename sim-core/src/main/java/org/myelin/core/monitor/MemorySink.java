package org.myelin.core.monitor;

import java.util.HashMap;
import java.util.Map;
import org.myelin.core.MyelinException;

/** Keeps everything it is given in memory, by monitor name. */
public final class MemorySink implements RecordingSink {
    private final Map<String, SpikeRecord> spikes = new HashMap<>();
    private final Map<String, StateTrace> states = new HashMap<>();
    private final Map<String, RateTrace> rates = new HashMap<>();

    /** Registers a monitor, so that it has a (possibly empty) record even before its first event. */
    void expect(Object monitor) {
        if (monitor instanceof SpikeMonitor m) {
            spikes.computeIfAbsent(m.name(), k -> new SpikeRecord());
        } else if (monitor instanceof StateMonitor m) {
            states.computeIfAbsent(m.name(), k -> new StateTrace());
        } else if (monitor instanceof RateMonitor m) {
            rates.computeIfAbsent(m.name(), k -> new RateTrace());
        }
    }

    @Override
    public void spikes(SpikeMonitor monitor, long step, int[] neurons, int count) {
        SpikeRecord r = spikes.computeIfAbsent(monitor.name(), k -> new SpikeRecord());
        for (int i = 0; i < count; i++) {
            r.add(step, neurons[i]);
        }
    }

    @Override
    public void spikeTimes(SpikeMonitor monitor, long step, int[] neurons, double[] timesMs, int count) {
        SpikeRecord r = spikes.computeIfAbsent(monitor.name(), k -> new SpikeRecord());
        for (int i = 0; i < count; i++) {
            r.add(step, neurons[i], timesMs[i]);
        }
    }

    @Override
    public void state(StateMonitor monitor, long step, double[] values) {
        states.computeIfAbsent(monitor.name(), k -> new StateTrace()).add(step, values);
    }

    @Override
    public void rate(RateMonitor monitor, long binStartStep, double rateHz) {
        rates.computeIfAbsent(monitor.name(), k -> new RateTrace()).add(binStartStep, rateHz);
    }

    /** Whether a monitor of that name (spike, state or rate) was recorded here. */
    public boolean contains(String monitor) {
        return spikes.containsKey(monitor) || states.containsKey(monitor) || rates.containsKey(monitor);
    }

    public SpikeRecord spikes(String monitor) {
        return get(spikes, monitor, "spike");
    }

    public StateTrace state(String monitor) {
        return get(states, monitor, "state");
    }

    public RateTrace rate(String monitor) {
        return get(rates, monitor, "rate");
    }

    private static <T> T get(Map<String, T> m, String name, String kind) {
        T t = m.get(name);
        if (t == null) {
            throw new MyelinException("no " + kind + " monitor named '" + name + "' was recorded; recorded: "
                    + m.keySet());
        }
        return t;
    }
}
