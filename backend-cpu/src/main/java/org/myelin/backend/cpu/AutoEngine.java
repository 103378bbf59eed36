package org.myelin.backend.cpu;

import java.util.Locale;
import org.myelin.core.MyelinException;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.engine.CheckpointFrame;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;
import org.myelin.core.network.Population;

/**
 * The automatic mode ({@link org.myelin.core.backend.EngineMode#AUTO}): the first {@link #PROBE_MS} ms run
 * clock-driven while the engine counts the synaptic events that reach each population. A population that received
 * fewer than {@link #EVENT_BELOW} events per neuron and step is judged sparse. If none is, the clock engine simply
 * goes on (nothing is switched, so a busy network such as CUBA runs as in the clock mode); otherwise the state is
 * handed, between two steps, to the event-driven grid engine, which visits the sparse populations by event and
 * the busy ones at every step. The choice and the measured activity are in {@link #device()} (the run report).
 */
final class AutoEngine implements CompiledNetwork {
    /** Length of the clock-driven probe, in ms. */
    static final double PROBE_MS = 50;
    /**
     * Input events per neuron and step below which a population runs event-driven. Measured break-even of the two
     * engines on this project's machine: a visit costs about 100 ns, a clock-driven neuron step 0.3 to 3.5 ns.
     */
    static final double EVENT_BELOW = 0.01;

    private final Network net;
    private final int threads;
    private final long probeSteps;
    private CpuEngine clock;
    private EventGridEngine event;
    private boolean decided;
    private String choice;

    AutoEngine(Network network, int threads) {
        org.myelin.core.plasticity.FixedWeights.require(network, "cpu backend, mode AUTO (it may switch to the event-grid engine)");
        org.myelin.core.network.Transmission.requireSpikes(network, "cpu backend, mode AUTO (it may switch to the event-grid engine)");
        this.net = network;
        this.threads = threads;
        this.probeSteps = Math.max(1, Math.round(PROBE_MS / network.dtMs()));
        clock = new CpuEngine(network, threads, false);
        clock.countInputEvents(true);
        choice = "undecided: probing the first " + probeSteps + " steps clock-driven";
    }

    private CompiledNetwork active() {
        return event != null ? event : clock;
    }

    @Override
    public Network network() {
        return net;
    }

    @Override
    public long currentStep() {
        return active().currentStep();
    }

    @Override
    public void advance(long fromStep, long toStep, Recording recording) {
        CompiledNetwork.checkRange(this, fromStep, toStep);
        long from = fromStep;
        if (!decided && from < probeSteps) {
            long mid = Math.min(toStep, probeSteps);
            clock.advance(from, mid, recording);
            from = mid;
        }
        if (!decided && from >= probeSteps) {
            decide();
        }
        if (from < toStep || toStep == fromStep) {
            active().advance(from, toStep, recording);
        }
    }

    private void decide() {
        long[] events = clock.inputEvents();
        boolean[] busy = new boolean[events.length];
        boolean anySparse = false;
        StringBuilder b = new StringBuilder("auto after " + probeSteps + " steps:");
        for (int p = 0; p < events.length; p++) {
            Population pop = net.populations().get(p);
            double perNeuronStep = events[p] / ((double) pop.size() * probeSteps);
            busy[p] = !(perNeuronStep < EVENT_BELOW);
            anySparse |= !busy[p];
            b.append(String.format(Locale.ROOT, " %s %s (%.4g input events per neuron and step)", pop.name(),
                    busy[p] ? "clock-driven" : "event-driven", perNeuronStep));
            if (p + 1 < events.length) {
                b.append(',');
            }
        }
        for (Population pop : net.populations()) {
            if (anySparse && pop.model().discretize(net.dtMs()).delayedReset()) {
                b.append("; stays clock-driven: population '").append(pop.name()).append("' resets at the step after"
                        + " a spike, which the switch does not carry over");
                anySparse = false;
            }
        }
        choice = b.toString();
        decided = true;
        clock.countInputEvents(false);
        if (anySparse) {
            EventGridEngine e = new EventGridEngine(net, busy, clock.synapses());
            e.importState(clock.exportState());
            clock.close();
            clock = null;
            event = e;
        }
    }

    @Override
    public String device() {
        return active().device() + "; " + choice;
    }

    @Override
    public int threads() {
        return active().threads();
    }

    @Override
    public double[] read(String population, String variable, int[] neurons) {
        return active().read(population, variable, neurons);
    }

    @Override
    public long synapseCount() {
        return active().synapseCount();
    }

    @Override
    public long synapseBytes() {
        return active().synapseBytes();
    }

    /** The active engine's checkpoint, plus whether the choice is made and, before it is, the counts so far. */
    @Override
    public Checkpoint snapshot() {
        Checkpoint c = event != null ? event.snapshot() : clock.snapshot();
        c.put("auto.decided", new int[] {decided ? 1 : 0});
        long[] counts = clock != null && !decided ? clock.inputEvents() : new long[net.populations().size()];
        double[] d = new double[counts.length];
        for (int p = 0; p < d.length; p++) {
            d[p] = counts[p];
        }
        c.put("auto.input-events", d);
        return c;
    }

    /** Restores an automatic-mode checkpoint into a new engine of the mode it was written in; refuses others. */
    @Override
    public void restore(Checkpoint c) {
        c.requireFor("cpu", net);
        if (!c.has("auto.decided")) {
            throw new MyelinException("checkpoint was not written in the automatic mode (AUTO); compile with the mode"
                    + " that wrote it to restore it");
        }
        boolean wasDecided = c.ints("auto.decided", 1)[0] != 0;
        double[] counts = c.doubles("auto.input-events", net.populations().size());
        if (CheckpointFrame.mode(c).equals(CpuEngineModes.EVENT_GRID)) {
            byte[] flags = c.bytes("event.clock-populations", net.populations().size());
            boolean[] busy = new boolean[flags.length];
            for (int p = 0; p < busy.length; p++) {
                busy[p] = flags[p] != 0;
            }
            EventGridEngine e = new EventGridEngine(net, busy);
            try {
                e.restore(c);
            } catch (RuntimeException ex) {
                e.close();
                throw ex;
            }
            closeActive();
            event = e;
            choice = "auto (restored): event-driven grid engine, " + e.device();
        } else {
            CpuEngine k = new CpuEngine(net, threads, false);
            try {
                k.restore(c);
            } catch (RuntimeException ex) {
                k.close();
                throw ex;
            }
            closeActive();
            clock = k;
            long[] l = new long[counts.length];
            for (int p = 0; p < l.length; p++) {
                l[p] = (long) counts[p];
            }
            k.countInputEvents(!wasDecided);
            if (!wasDecided) {
                k.presetInputEvents(l);
            }
            choice = wasDecided ? "auto (restored): every population clock-driven" : choice;
        }
        decided = wasDecided;
    }

    private void closeActive() {
        if (event != null) {
            event.close();
            event = null;
        }
        if (clock != null) {
            clock.close();
            clock = null;
        }
    }

    @Override
    public void close() {
        closeActive();
    }
}
