package org.myelin.experiments.stdp;

import org.myelin.core.MyelinException;
import org.myelin.core.backend.Backends;
import org.myelin.core.backend.CompiledNetwork;
import org.myelin.core.backend.SimulationConfig;
import org.myelin.core.backend.SynapseWeights;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.monitor.Recording;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.plasticity.PairStdp;
import org.myelin.core.plasticity.PlasticityRule;

/**
 * Song, Miller and Abbott (2000) as Brian2's examples/synapses/STDP.py sets it up: 1000 Poisson inputs at 15 Hz onto
 * one LIF neuron through additive all-to-all STDP with hard bounds [0, gmax], initial weights uniform in [0, gmax];
 * the weights end up bimodal and the output rate settles.
 *
 * <pre>
 *   Brian2:  taum dv/dt = ge (Ee - v) + El - v,   dge/dt = -ge / taue,   on a pre spike ge += w   (Ee = 0 mV)
 *   here:    taum dv/dt = ge' + El - v,           dge'/dt = -ge' / taue, on a pre spike ge' += w (Ee - vDrive)
 * </pre>
 * The core has no conductance-based neuron, so the conductance is replaced by a current-based input with a fixed
 * driving force {@code Ee - vDrive} (CuBa-LIF, {@link CubaLifModel}); {@code vDrive} defaults to the middle of reset
 * and threshold, -57 mV, where the membrane spends its time when the neuron fires (the true driving force varies
 * between 54 and 74 mV). Weights are kept in mV ({@code w * (Ee - vDrive)}) and reported divided by gmax, which does
 * not depend on the scale. Brian2 integrates with Euler at 0.1 ms; the core integrates exactly.
 *
 * <table>
 * <caption>Parameters (Brian2's example)</caption>
 * <tr><th>parameter</th><th>value</th></tr>
 * <tr><td>inputs, rate</td><td>1000, 15 Hz</td></tr>
 * <tr><td>taum, taue</td><td>10 ms, 5 ms</td></tr>
 * <tr><td>Vt, Vr, El, Ee</td><td>-54, -60, -74, 0 mV</td></tr>
 * <tr><td>gmax</td><td>0.01</td></tr>
 * <tr><td>taupre = taupost</td><td>20 ms</td></tr>
 * <tr><td>dApre, dApost</td><td>0.01 gmax, -0.01 gmax taupre / taupost * 1.05</td></tr>
 * <tr><td>dt</td><td>0.1 ms</td></tr>
 * </table>
 */
public final class SongStdp {
    public static final int INPUTS = 1000;
    public static final double RATE_HZ = 15;
    public static final double GMAX = 0.01;
    public static final double EE_MV = 0;
    /** The seconds at the end of the run that the output rate is measured over (fewer when the run is shorter). */
    public static final double RATE_WINDOW_S = 10;

    private SongStdp() {
    }

    /**
     * @param durationS biological time, seconds
     * @param seed      network seed (Poisson input and initial weights)
     * @param threads   worker threads (1 is fastest for one neuron)
     * @param vDriveMv  membrane potential at which the conductance's driving force is taken, mV
     */
    public record Config(double durationS, long seed, int threads, double vDriveMv) {
        public static Config of(double durationS, long seed) {
            return new Config(durationS, seed, 1, -57);
        }

        void validate() {
            if (!(durationS > 0) || durationS > 1e5) {
                throw new MyelinException("stdp-song: durationS must be in (0, 1e5] s, was " + durationS);
            }
            if (!(vDriveMv < EE_MV)) {
                throw new MyelinException("stdp-song: vDriveMv must be < Ee = 0 mV, was " + vDriveMv);
            }
        }
    }

    /**
     * @param weights     the final weights divided by gmax, by input
     * @param rateHz      output rate over the last {@link #RATE_WINDOW_S} seconds (or the whole run if shorter)
     * @param rateWindowS the seconds {@code rateHz} is measured over
     * @param spikes      output spikes of the whole run
     * @param simSeconds  wall-clock seconds of the simulation
     */
    public record Result(double[] weights, double rateHz, double rateWindowS, int spikes, double simSeconds) {
        /** The weights counted in {@code bins} equal bins over [0, 1] (1 falls in the last). */
        public int[] histogram(int bins) {
            int[] h = new int[bins];
            for (double w : weights) {
                h[Math.min(bins - 1, Math.max(0, (int) (w * bins)))]++;
            }
            return h;
        }

        /** The fraction of weights above {@code x}. */
        public double fractionAbove(double x) {
            int n = 0;
            for (double w : weights) {
                n += w > x ? 1 : 0;
            }
            return (double) n / weights.length;
        }

        /** The fraction of weights below {@code x}. */
        public double fractionBelow(double x) {
            int n = 0;
            for (double w : weights) {
                n += w < x ? 1 : 0;
            }
            return (double) n / weights.length;
        }
    }

    /** The network: Poisson input, one neuron, the plastic projection "input->neuron". */
    public static Network network(Config c) {
        double drive = EE_MV - c.vDriveMv();
        double gmaxMv = GMAX * drive;
        double dApre = 0.01 * gmaxMv;
        double dApost = dApre * 20.0 / 20.0 * 1.05;
        CubaLifModel lif = CubaLifModel.builder().tauMembraneMs(10).restingMv(-74).thresholdMv(-54).resetMv(-60)
                .refractoryMs(0).tauSynExcMs(5).build();
        return Network.builder().dtMs(0.1).seed(c.seed())
                .poisson("input", INPUTS, RATE_HZ)
                .population("neuron", 1, lif, Distribution.constant(-74))
                .projection(Projection.between("input", "neuron").weightMv(Distribution.uniform(0, gmaxMv))
                        .plasticity(new PairStdp(20, 20, dApre, dApost, 0, gmaxMv,
                                PairStdp.WeightDependence.ADDITIVE, PlasticityRule.Pairing.ALL_TO_ALL)))
                .monitorSpikes("neuron")
                .build();
    }

    public static Result run(Config c) {
        c.validate();
        Network net = network(c);
        long steps = Math.round(c.durationS() * 1000 / net.dtMs());
        Recording rec = Recording.inMemory();
        double gmaxMv = GMAX * (EE_MV - c.vDriveMv());
        long t0 = System.nanoTime();
        try (CompiledNetwork compiled = Backends.find("cpu").compile(net, new SimulationConfig(c.threads()))) {
            compiled.run(steps, rec);
            double sim = (System.nanoTime() - t0) / 1e9;
            SynapseWeights w = compiled.weights("input->neuron");
            double[] norm = new double[INPUTS];
            for (int k = 0; k < w.source().length; k++) {
                norm[w.source()[k]] = w.weightMv()[k] / gmaxMv;
            }
            SpikeRecord out = rec.memory().spikes("neuron");
            double window = Math.min(RATE_WINDOW_S, c.durationS());
            long from = steps - Math.round(window * 1000 / net.dtMs());
            int late = 0;
            for (int i = 0; i < out.size(); i++) {
                late += out.step(i) >= from ? 1 : 0;
            }
            return new Result(norm, late / window, window, out.size(), sim);
        }
    }
}
