package org.myelin.core.catalog;

import org.myelin.core.MyelinException;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.Distribution;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.Receptor;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * The cortical microcircuit of Potjans &amp; Diesmann (2014), as NEST's example {@code pynest/examples/Potjans_2014}
 * builds it: eight populations (layers 2/3, 4, 5, 6, excitatory and inhibitory) of iaf_psc_exp neurons.
 *
 * <pre>
 *   neurons: tau_m 10 ms, C_m 250 pF (R = tau_m / C_m = 40 MOhm), E_L = V_reset = -65 mV, V_th -50 mV, t_ref 2 ms,
 *            tau_syn 0.5 ms (both receptors); V(0) ~ N(-58, 10) mV; dt 0.1 ms
 *   synapses from source j to target i: K_ij = round(S * K * ln(1 - C_ij) / ln(1 - 1 / (N_i N_j)))  (full N),
 *            fixed total number (multapses, no autapses); PSC J = PSP * J/PSP(C_m, tau_m, tau_syn), PSP 0.15 mV
 *            (L4E -> L23E doubled), inhibitory g = -4 times; weights ~ N(J, 0.1 |J|) redrawn on the wrong side of 0,
 *            divided by sqrt(K); delays ~ N(1.5 ms exc, 0.75 ms inh; sd half the mean) redrawn below dt,
 *            rounded to the grid when the network is built (as NEST stores them)
 *   background: per neuron Poisson input (with multiplicity, as NEST's poisson_generator) at 8 Hz * K_ext * K (K_ext = 1600, 1500, 2100, 1900, 2000, 1900, 2900,
 *            2100), weight J / sqrt(K), delay 1.5 ms; or, with dc, the equivalent current 8 Hz * K_ext * J * tau_syn
 *   in-degree scaling K &lt; 1: a current 0.001 tau_syn (1 - sqrt K) (sum_j J_ij k_ij r_j + J K_ext 8 Hz) replaces
 *            the mean input lost (k_ij the full in-degree, r_j the full-scale mean rates; the Poisson term only
 *            with Poisson input), as NEST's example does
 * </pre>
 * In Myelin's units a current J (pA) is a jump of R J = 0.04 J mV of the synaptic variable ({@link CubaLifModel}).
 * Populations are named L23E, L23I, L4E, L4I, L5E, L5I, L6E, L6I and spike-monitored; the Poisson sources are
 * {@code bg_POP}.
 */
public final class MicrocircuitNetwork {
    /** Population names, in the paper's order. */
    public static final String[] POPULATIONS = {"L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"};
    /** Full-scale population sizes. */
    public static final int[] FULL_SIZE = {20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948};
    /** Connection probabilities, [target][source]. */
    static final double[][] CONN_PROB = {
        {0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0., 0.0076, 0.},
        {0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0., 0.0042, 0.},
        {0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.},
        {0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0., 0.1057, 0.},
        {0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.},
        {0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.},
        {0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252},
        {0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443}};
    /** External in-degrees. */
    static final int[] K_EXT = {1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100};
    /** NEST's full-scale mean rates (Hz), used for the in-degree compensation and as the reference. */
    public static final double[] FULL_MEAN_RATE_HZ = {0.971, 2.868, 4.746, 5.396, 8.142, 9.078, 0.991, 7.523};
    static final double DT_MS = 0.1;
    static final double TAU_M_MS = 10;
    static final double C_M_PF = 250;
    static final double TAU_SYN_MS = 0.5;
    static final double R_MOHM = TAU_M_MS / C_M_PF * 1000;
    static final double PSP_MV = 0.15;
    static final double PSP_REL_SD = 0.1;
    static final double G = -4;
    static final double BG_RATE_HZ = 8;
    static final double DELAY_EXC_MS = 1.5;
    static final double DELAY_INH_MS = 0.75;
    static final double DELAY_REL_SD = 0.5;
    static final double POISSON_DELAY_MS = 1.5;

    private MicrocircuitNetwork() {
    }

    /** The background input: Poisson spikes (NEST's default) or the equivalent constant current. */
    public enum Input { POISSON, DC }

    /**
     * The microcircuit with populations scaled by {@code scale} and in-degrees by {@code kScale} (both in (0, 1]).
     */
    public static Network build(double scale, double kScale, Input input, long seed) {
        checkScales(scale, kScale);
        int n = POPULATIONS.length;
        int[] size = new int[n];
        for (int i = 0; i < n; i++) {
            size[i] = (int) Math.round(FULL_SIZE[i] * scale);
        }
        double jExt = PSP_MV * pscOverPsp();
        double sq = Math.sqrt(kScale);
        Network.Builder b = Network.builder().dtMs(DT_MS).seed(seed);
        for (int i = 0; i < n; i++) {
            double dcPa = 0;
            for (int j = 0; j < n; j++) {
                dcPa += weightPa(i, j) * fullInDegree(i, j) * FULL_MEAN_RATE_HZ[j];
            }
            dcPa = 0.001 * TAU_SYN_MS * (1 - sq) * (dcPa + (input == Input.POISSON ? jExt * K_EXT[i] * BG_RATE_HZ : 0));
            if (input == Input.DC) {
                dcPa += 0.001 * TAU_SYN_MS * BG_RATE_HZ * K_EXT[i] * jExt;
            }
            CubaLifModel model = CubaLifModel.builder().tauMembraneMs(TAU_M_MS).restingMv(-65).thresholdMv(-50)
                    .resetMv(-65).refractoryMs(2).resistanceMOhm(R_MOHM).biasCurrentNa(dcPa / 1000)
                    .tauSynExcMs(TAU_SYN_MS).tauSynInhMs(TAU_SYN_MS).build();
            b.population(POPULATIONS[i], size[i], model, Distribution.normal(-58, 10));
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                long k = synapses(i, j, scale, kScale);
                if (k == 0) {
                    continue;
                }
                boolean exc = j % 2 == 0;
                double mv = mv(weightPa(i, j)) / sq;
                double delay = (exc ? DELAY_EXC_MS : DELAY_INH_MS) / DT_MS;
                b.projection(Projection.between(POPULATIONS[j], POPULATIONS[i]).named(POPULATIONS[j] + "->"
                        + POPULATIONS[i]).connect(Connectivity.fixedTotalNumber(k))
                        .weightMv(exc ? Distribution.truncatedNormal(mv, PSP_REL_SD * mv, 0, Double.POSITIVE_INFINITY)
                                : Distribution.truncatedNormal(mv, -PSP_REL_SD * mv, Double.NEGATIVE_INFINITY, 0))
                        .delaySteps(Distribution.rounded(Distribution.truncatedNormal(delay, DELAY_REL_SD * delay, 1,
                                Projection.MAX_DELAY_STEPS)))
                        .receptor(exc ? Receptor.EXCITATORY : Receptor.INHIBITORY));
            }
        }
        if (input == Input.POISSON) {
            for (int i = 0; i < n; i++) {
                String src = "bg_" + POPULATIONS[i];
                b.poissonWithMultiplicity(src, size[i], BG_RATE_HZ * K_EXT[i] * kScale);
                b.projection(Projection.between(src, POPULATIONS[i]).named(src).connect(Connectivity.oneToOne())
                        .weightMv(mv(jExt) / sq).delaySteps((int) Math.round(POISSON_DELAY_MS / DT_MS)));
            }
        }
        for (String p : POPULATIONS) {
            b.monitorSpikes(p);
        }
        return b.build();
    }

    /** Refuses scales outside (0, 1] and one that leaves a population empty. */
    public static void checkScales(double scale, double kScale) {
        if (!(scale > 0 && scale <= 1) || !(kScale > 0 && kScale <= 1)) {
            throw new MyelinException("microcircuit: scale and k-scale must be in (0, 1], were " + scale + " and "
                    + kScale);
        }
        for (int i = 0; i < POPULATIONS.length; i++) {
            if (Math.round(FULL_SIZE[i] * scale) < 1) {
                throw new MyelinException("microcircuit: scale " + scale + " leaves population " + POPULATIONS[i]
                        + " empty (the smallest scale is " + 0.5 / 1065 + ")");
            }
        }
    }

    /** The synapses from population j onto population i at the given scales (NEST's formula, full sizes). */
    public static long synapses(int i, int j, double scale, double kScale) {
        double p = CONN_PROB[i][j];
        if (p == 0) {
            return 0;
        }
        double prod = (double) FULL_SIZE[i] * FULL_SIZE[j];
        double full = Math.log(1 - p) / Math.log((prod - 1) / prod);
        return Math.round(full * scale * kScale);
    }

    /** The full-scale in-degree of a neuron of population i from population j. */
    static double fullInDegree(int i, int j) {
        return synapses(i, j, 1, 1) / (double) FULL_SIZE[i];
    }

    /** The mean PSC (pA) of a synapse from j onto i at full scale. */
    static double weightPa(int i, int j) {
        double psp = PSP_MV * (j % 2 == 0 ? 1 : G) * (i == 0 && j == 2 ? 2 : 1);
        return psp * pscOverPsp();
    }

    /** The PSC amplitude (pA) per mV of PSP peak for iaf_psc_exp (NEST's postsynaptic_potential_to_current). */
    static double pscOverPsp() {
        double sub = 1.0 / (TAU_SYN_MS - TAU_M_MS);
        double pre = TAU_M_MS * TAU_SYN_MS / C_M_PF * sub;
        double frac = Math.pow(TAU_M_MS / TAU_SYN_MS, sub);
        return 1.0 / (pre * (Math.pow(frac, TAU_M_MS) - Math.pow(frac, TAU_SYN_MS)));
    }

    /** A current (pA) as the jump of the synaptic variable it causes (mV): R I. */
    static double mv(double pa) {
        return R_MOHM * pa / 1000;
    }
}
