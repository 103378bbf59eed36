package org.myelin.core.plasticity;

import java.util.Arrays;

/**
 * The reference of a rule on one synapse, event-driven in double precision: the spikes at the synapse in time
 * order, traces decayed exactly between them ({@code x exp(-dt / tau)}), at equal times the postsynaptic spikes'
 * potentiation first, then the presynaptic spikes' depression, each with the traces of strictly earlier spikes,
 * then the traces jump. Engines are tested against it; it is not meant for networks.
 */
public final class StdpReference {
    private StdpReference() {
    }

    /**
     * The weight after the spikes: {@code preMs} and {@code postMs} are the times at the synapse (see the package
     * comment: postsynaptic emission times plus the dendritic delay), each ascending.
     */
    public static double weight(PlasticityRule rule, double w0, double[] preMs, double[] postMs) {
        double[] pre = preMs.clone();
        double[] post = postMs.clone();
        Arrays.sort(pre);
        Arrays.sort(post);
        double w = w0;
        double r1 = 0;
        double r2 = 0;
        double o1 = 0;
        double o2 = 0;
        double last = Double.NEGATIVE_INFINITY;
        int i = 0;
        int j = 0;
        while (i < pre.length || j < post.length) {
            double t = Math.min(i < pre.length ? pre[i] : Double.POSITIVE_INFINITY,
                    j < post.length ? post[j] : Double.POSITIVE_INFINITY);
            if (last != Double.NEGATIVE_INFINITY) {
                double dt = t - last;
                r1 *= Math.exp(-dt / rule.preFastTauMs());
                r2 *= Math.exp(-dt / rule.preSlowTauMs());
                o1 *= Math.exp(-dt / rule.postFastTauMs());
                o2 *= Math.exp(-dt / rule.postSlowTauMs());
            }
            last = t;
            boolean postNow = j < post.length && post[j] == t;
            boolean preNow = i < pre.length && pre[i] == t;
            if (postNow) {
                w = rule.potentiate(w, r1, o2);
            }
            if (preNow) {
                w = rule.depress(w, o1, r2);
            }
            while (j < post.length && post[j] == t) {
                o1 = rule.bump(o1);
                o2 = rule.bump(o2);
                j++;
            }
            while (i < pre.length && pre[i] == t) {
                r1 = rule.bump(r1);
                r2 = rule.bump(r2);
                i++;
            }
        }
        return w;
    }
}
