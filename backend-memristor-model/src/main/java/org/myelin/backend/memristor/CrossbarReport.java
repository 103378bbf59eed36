package org.myelin.backend.memristor;

import java.util.Locale;
import org.myelin.core.io.Json;

/**
 * What a run on the crossbar did and cost: operations counted during the run and their energy and latency under
 * the {@link CrossbarSpec}. Reports of several runs (one per sample) add up with {@link #plus}.
 *
 * @param runs          runs added up
 * @param steps         time steps simulated
 * @param tiles         crossbar tiles the network takes (the largest of the runs added)
 * @param cellReads     device reads (two per synapse of a row driven by a spike)
 * @param conversions   ADC conversions (every column of a tile with an active row, each step)
 * @param neuronUpdates neuron updates (neurons times steps)
 * @param cellPj        energy of the cell reads, pJ (V_read^2 G t_read summed over the conductances read)
 * @param adcPj         energy of the conversions, pJ
 * @param neuronPj      energy of the neuron updates, pJ
 * @param latencyNs     time, ns (steps times the latency of a step)
 */
public record CrossbarReport(long runs, long steps, int tiles, long cellReads, long conversions, long neuronUpdates,
                             double cellPj, double adcPj, double neuronPj, double latencyNs) {

    public static final CrossbarReport NONE = new CrossbarReport(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public double totalPj() {
        return cellPj + adcPj + neuronPj;
    }

    public CrossbarReport plus(CrossbarReport o) {
        return new CrossbarReport(runs + o.runs, steps + o.steps, Math.max(tiles, o.tiles), cellReads + o.cellReads,
                conversions + o.conversions, neuronUpdates + o.neuronUpdates, cellPj + o.cellPj, adcPj + o.adcPj,
                neuronPj + o.neuronPj, latencyNs + o.latencyNs);
    }

    /** The figures as one JSON object (energies in nJ, latencies in us). */
    public Json json() {
        return Json.object().put("runs", runs).put("steps", steps).put("tiles", tiles).put("cell_reads", cellReads)
                .put("adc_conversions", conversions).put("neuron_updates", neuronUpdates)
                .put("cell_energy_nj", cellPj / 1e3).put("adc_energy_nj", adcPj / 1e3)
                .put("neuron_energy_nj", neuronPj / 1e3).put("total_energy_nj", totalPj() / 1e3)
                .put("energy_per_run_nj", runs == 0 ? 0 : totalPj() / 1e3 / runs).put("latency_us", latencyNs / 1e3)
                .put("latency_per_run_us", runs == 0 ? 0 : latencyNs / 1e3 / runs);
    }

    /** One line for people. */
    public String summary() {
        return String.format(Locale.ROOT, "crossbar: %d tiles, %d runs, %d steps; %d cell reads, %d ADC conversions, %d"
                        + " neuron updates; energy %.3f nJ (cells %.3f, ADC %.3f, neurons %.3f), %.3f nJ and %.2f us"
                        + " per run", tiles, runs, steps, cellReads, conversions, neuronUpdates, totalPj() / 1e3,
                cellPj / 1e3, adcPj / 1e3, neuronPj / 1e3, runs == 0 ? 0 : totalPj() / 1e3 / runs,
                runs == 0 ? 0 : latencyNs / 1e3 / runs);
    }
}
