package org.myelin.core.analysis;

import java.util.Arrays;
import org.myelin.core.monitor.MemorySink;
import org.myelin.core.monitor.SpikeMonitor;
import org.myelin.core.monitor.SpikeRecord;
import org.myelin.core.network.Network;

/** Spike statistics over a whole network or one record. */
public final class SpikeStatistics {
    private SpikeStatistics() {
    }

    /**
     * All spikes of the given spike monitors (all of the network's when none are named), with global neuron
     * indices, sorted by step then neuron.
     */
    public static SpikeRecord merged(Network network, MemorySink memory, String... monitors) {
        long total = 0;
        String[] names = monitors.length > 0 ? monitors
                : network.spikeMonitors().stream().map(SpikeMonitor::name).toArray(String[]::new);
        for (String m : names) {
            total += memory.spikes(m).size();
        }
        long[] keys = new long[(int) total];
        int k = 0;
        for (String m : names) {
            SpikeMonitor mon = network.spikeMonitors().stream().filter(x -> x.name().equals(m)).findFirst().orElseThrow();
            int off = network.offset(mon.node());
            SpikeRecord r = memory.spikes(m);
            for (int i = 0; i < r.size(); i++) {
                keys[k++] = (r.step(i) << 31) | (off + r.neuron(i));
            }
        }
        Arrays.sort(keys);
        SpikeRecord out = new SpikeRecord(keys.length);
        for (long key : keys) {
            out.add(key >>> 31, (int) (key & 0x7FFFFFFFL));
        }
        return out;
    }

    /** Mean rate per neuron in Hz over {@code neurons} neurons and {@code steps} steps. */
    public static double meanRateHz(SpikeRecord r, int neurons, long steps, double dtMs) {
        return r.size() / (neurons * steps * dtMs / 1000.0);
    }

    /**
     * Mean, over neurons with at least 5 spikes, of each neuron's coefficient of variation of its
     * inter-spike intervals (population standard deviation over mean), as in Brian2's reference statistics.
     * NaN when no neuron has 5 spikes.
     */
    public static double meanIsiCv(SpikeRecord r, int neurons) {
        int[] counts = r.countsPerNeuron(neurons);
        long[] last = new long[neurons];
        double[] sum = new double[neurons];
        double[] sumSq = new double[neurons];
        Arrays.fill(last, -1);
        for (int i = 0; i < r.size(); i++) {
            int n = r.neuron(i);
            long s = r.step(i);
            if (last[n] >= 0) {
                double isi = s - last[n];
                sum[n] += isi;
                sumSq[n] += isi * isi;
            }
            last[n] = s;
        }
        double total = 0;
        int used = 0;
        for (int n = 0; n < neurons; n++) {
            if (counts[n] >= 5) {
                int m = counts[n] - 1;
                double mean = sum[n] / m;
                double var = Math.max(0, sumSq[n] / m - mean * mean);
                total += Math.sqrt(var) / mean;
                used++;
            }
        }
        return used == 0 ? Double.NaN : total / used;
    }

    /**
     * FNV-1a 64-bit hash of the spikes in the record's order: for each spike, the step as 8 bytes and then
     * the neuron index as 4 bytes, both little-endian. Over {@link #merged} records this compares runs.
     */
    public static long checksum(SpikeRecord r) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < r.size(); i++) {
            long s = r.step(i);
            for (int b = 0; b < 8; b++) {
                h ^= (s >>> (8 * b)) & 0xFF;
                h *= 0x100000001b3L;
            }
            int n = r.neuron(i);
            for (int b = 0; b < 4; b++) {
                h ^= (n >>> (8 * b)) & 0xFF;
                h *= 0x100000001b3L;
            }
        }
        return h;
    }

    /** A population's activity over a window: mean rate, mean ISI CV and synchrony. */
    public record Activity(double rateHz, double cvIsi, double synchrony) {
    }

    /**
     * The activity of the spikes with step in {@code [fromStep, toStep)} of a population of {@code neurons}: the mean
     * rate per neuron (Hz); the mean ISI CV of the neurons with at least 5 spikes in the window (NaN when none has);
     * the synchrony, the variance over mean of the population's spike count in bins of {@code binMs} (1 for
     * independent Poisson neurons, larger when they fire together; NaN without spikes).
     */
    public static Activity activity(SpikeRecord r, int neurons, long fromStep, long toStep, double dtMs,
                                    double binMs) {
        SpikeRecord w = new SpikeRecord();
        for (int i = 0; i < r.size(); i++) {
            if (r.step(i) >= fromStep && r.step(i) < toStep) {
                w.add(r.step(i), r.neuron(i));
            }
        }
        long steps = toStep - fromStep;
        double rate = steps <= 0 || neurons == 0 ? Double.NaN : meanRateHz(w, neurons, steps, dtMs);
        long binSteps = Math.max(1, Math.round(binMs / dtMs));
        int bins = (int) (steps / binSteps);
        double synchrony = Double.NaN;
        if (bins > 1 && w.size() > 0) {
            long[] count = new long[bins];
            for (int i = 0; i < w.size(); i++) {
                int b = (int) ((w.step(i) - fromStep) / binSteps);
                if (b < bins) {
                    count[b]++;
                }
            }
            double mean = 0;
            for (long c : count) {
                mean += c;
            }
            mean /= bins;
            double var = 0;
            for (long c : count) {
                var += (c - mean) * (c - mean);
            }
            var /= bins;
            synchrony = mean > 0 ? var / mean : Double.NaN;
        }
        return new Activity(rate, meanIsiCv(w, neurons), synchrony);
    }
}
