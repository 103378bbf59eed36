package org.myelin.learning.export;

import java.util.Locale;
import org.myelin.learning.lmu.L2muExport;

/**
 * What a core check measured: trained-model samples exported to core networks and run on a backend, each compared with
 * the training graph's forward pass ({@link NetworkExport#verify}, {@link L2muExport#verify}).
 *
 * @param samples   samples checked
 * @param identical of them, those whose spiking populations spiked as the training graph's in every step
 * @param sameClass those whose core answer is the training graph's
 * @param accuracy  the core's accuracy on them
 * @param spikes    spikes compared
 * @param differing spikes that differ
 * @param first     the first difference ("sample: where"), or "none"
 * @param seconds   wall time
 */
public record CoreCheck(int samples, int identical, int sameClass, double accuracy, long spikes, long differing,
                        String first, double seconds) {

    /** One line for a progress log: what was checked ({@code what}, e.g. "840 test windows ... on cpu") and the counts. */
    public String describe(String what) {
        return String.format(Locale.ROOT, "core check: %s: %d with identical spikes in every step (%,d spikes, %d"
                + " differing), %d of the same class; core accuracy %.2f %% (%.1f s)", what, identical, spikes, differing,
                sameClass, 100.0 * accuracy, seconds);
    }

    /** Collects the agreements of a core check, sample by sample. */
    public static final class Tally {
        private final long t0 = System.nanoTime();
        private int samples;
        private int identical;
        private int sameClass;
        private int correct;
        private long spikes;
        private long differing;
        private String first = "none";

        /**
         * Adds one sample's agreement; {@code correct} says whether the core's answer is the label, {@code where}
         * names the sample in the first difference.
         */
        public void add(L2muExport.Agreement a, boolean correct, String where) {
            samples++;
            identical += a.identical() ? 1 : 0;
            sameClass += a.coreClass() == a.graphClass() ? 1 : 0;
            this.correct += correct ? 1 : 0;
            spikes += a.spikes();
            differing += a.differing();
            if (first.equals("none") && !a.identical()) {
                first = where + ": " + a.firstDifference();
            }
        }

        public CoreCheck result() {
            return new CoreCheck(samples, identical, sameClass, samples == 0 ? 0 : (double) correct / samples, spikes,
                    differing, first, (System.nanoTime() - t0) / 1e9);
        }
    }
}
