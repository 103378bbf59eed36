package org.myelin.backend.memristor;

import java.util.List;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.checkpoint.Checkpoint;
import org.myelin.core.monitor.Recording;
import org.myelin.core.network.Network;

/**
 * A network compiled for the memristor backend: the cpu engine's neurons with every projection on crossbar tiles
 * read in the loop. {@link #report()} gives the operations of the run so far and their energy and latency.
 */
public final class CrossbarNetwork implements CompiledNetwork {
    private final CompiledNetwork inner;
    private final List<Crossbar> crossbars;
    private final MemristorBackend.Device device;
    private final String label;
    private long steps;

    CrossbarNetwork(CompiledNetwork inner, List<Crossbar> crossbars, MemristorBackend.Device device, String label) {
        this.inner = inner;
        this.crossbars = crossbars;
        this.device = device;
        this.label = label;
    }

    /** The device model, the crossbar and the time since programming this network runs with. */
    public MemristorBackend.Device deviceModel() {
        return device;
    }

    /**
     * What the run did so far: tiles, cell reads and ADC conversions counted at every read, neuron updates (neurons
     * times steps), and their energy and latency under the crossbar's costs. One run.
     */
    public CrossbarReport report() {
        long reads = 0;
        long conversions = 0;
        int tiles = 0;
        double cellPj = 0;
        double adcPj = 0;
        for (Crossbar c : crossbars) {
            CrossbarReport r = c.report();
            reads += r.cellReads();
            conversions += r.conversions();
            tiles += r.tiles();
            cellPj += r.cellPj();
            adcPj += r.adcPj();
        }
        long updates = steps * inner.network().neuronCount();
        CrossbarSpec s = device.crossbar();
        return new CrossbarReport(1, steps, tiles, reads, conversions, updates, cellPj, adcPj, updates * s.neuronPj(),
                steps * s.stepNs());
    }

    @Override
    public Network network() {
        return inner.network();
    }

    @Override
    public long currentStep() {
        return inner.currentStep();
    }

    @Override
    public void advance(long fromStep, long toStep, Recording recording) {
        inner.advance(fromStep, toStep, recording);
        steps += toStep - fromStep;
    }

    @Override
    public double[] read(String population, String variable, int[] neurons) {
        return inner.read(population, variable, neurons);
    }

    @Override
    public String device() {
        return label;
    }

    @Override
    public int threads() {
        return inner.threads();
    }

    @Override
    public Checkpoint snapshot() {
        return inner.snapshot();
    }

    @Override
    public void restore(Checkpoint c) {
        inner.restore(c);
    }

    @Override
    public long synapseCount() {
        return inner.synapseCount();
    }

    @Override
    public long synapseBytes() {
        return inner.synapseBytes();
    }

    @Override
    public void close() {
        inner.close();
    }
}
