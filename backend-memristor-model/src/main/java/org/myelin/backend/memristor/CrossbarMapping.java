package org.myelin.backend.memristor;

import java.util.ArrayList;
import java.util.List;
import org.myelin.backend.memristor.device.DeviceArray;
import org.myelin.backend.memristor.device.DeviceModel;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.connect.SynapseExpansion;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;

/**
 * Maps every projection's weights onto differential conductance pairs and back: synapse k of a projection whose
 * largest |weight| is wMax targets G+ = gMin + (gMax - gMin) max(w, 0) / wMax and G- likewise for -w; the devices
 * are programmed (and drifted to the given time) under the model, and the synapse's effective weight becomes
 * w + ((G+ - G+target) - (G- - G-target)) wMax / (gMax - gMin). The ideal model changes nothing, bit for bit.
 * Tiles, read noise per read and IR drop come with the crossbar engine; this mapping is the programmed state.
 */
public final class CrossbarMapping {
    private CrossbarMapping() {
    }

    /** The network with device-perturbed weights (explicit synapses), everything else unchanged. */
    public static Network map(Network net, DeviceModel model, long seed, double seconds) {
        List<Projection> out = new ArrayList<>();
        for (Projection p : net.projections()) {
            // two passes over the deterministic expansion (count, then fill): primitive arrays, no object per synapse
            int[] count = new int[1];
            SynapseExpansion.expand(net, p, false, (a, b, w, d) -> count[0]++);
            int n = count[0];
            int[] pre = new int[n];
            int[] post = new int[n];
            int[] delay = new int[n];
            double[] weight = new double[n];
            int[] at = new int[1];
            SynapseExpansion.expand(net, p, true, (a, b, w, d) -> {
                int k = at[0]++;
                pre[k] = a;
                post[k] = b;
                weight[k] = w;
                delay[k] = d;
            });
            String key = key(p, pre, post, weight, delay, model, seed, seconds);
            double[] cached = CACHE.get(key);
            if (cached != null) {
                out.add(Projection.between(p.source(), p.target()).named(p.name()).receptor(p.receptor())
                        .connect(Connectivity.explicit(pre, post, cached.clone(), delay)).build());
                continue;
            }
            double wMax = 0;
            for (double w : weight) {
                wMax = Math.max(wMax, Math.abs(w));
            }
            double span = model.gMaxUs() - model.gMinUs();
            double[] targets = new double[2 * n];
            for (int k = 0; k < n; k++) {
                double w = weight[k];
                targets[2 * k] = model.gMinUs() + (wMax == 0 ? 0 : span * Math.max(w, 0) / wMax);
                targets[2 * k + 1] = model.gMinUs() + (wMax == 0 ? 0 : span * Math.max(-w, 0) / wMax);
            }
            DeviceArray devices = new DeviceArray(model, targets, seed, p.name());
            for (int k = 0; k < n; k++) {
                double plus = devices.drifted(2 * k, seconds) - targets[2 * k];
                double minus = devices.drifted(2 * k + 1, seconds) - targets[2 * k + 1];
                weight[k] += (plus - minus) * (wMax == 0 ? 0 : wMax / span);
            }
            CACHE.put(key, weight.clone());
            out.add(Projection.between(p.source(), p.target()).named(p.name()).receptor(p.receptor())
                    .connect(Connectivity.explicit(pre, post, weight, delay)).build());
        }
        return net.withProjections(out);
    }

    /**
     * Mapped weights of recently mapped projections, keyed by everything the mapping depends on (the synapses, the
     * device model, the seed, the time): a network compiled again and again with the same synapses and another
     * input (a reservoir fed one sample after another) programs its devices once. Deterministic: the cached weights
     * are exactly what mapping again would give.
     */
    private static final java.util.Map<String, double[]> CACHE = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<String, double[]> e) {
                    return size() > 8;
                }
            });

    private static String key(Projection p, int[] pre, int[] post, double[] weight, int[] delay, DeviceModel m,
                              long seed, double seconds) {
        java.util.zip.CRC32 a = new java.util.zip.CRC32();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * 1024);
        for (int k = 0; k < pre.length; k++) {
            if (b.remaining() < 24) {
                a.update(b.array(), 0, b.position());
                b.clear();
            }
            b.putInt(pre[k]).putInt(post[k]).putDouble(weight[k]).putInt(delay[k]);
        }
        a.update(b.array(), 0, b.position());
        return p.name() + "|" + p.source() + "|" + p.target() + "|" + pre.length + "|" + Long.toHexString(a.getValue())
                + "|" + java.util.Arrays.hashCode(weight) + "|" + java.util.Arrays.toString(m.progCoeff()) + "|"
                + java.util.List.of(m.gMinUs(), m.gMaxUs(), m.levels(), m.progReference(), m.progScale(), m.d2dSigma(),
                m.stuckLow(), m.stuckHigh(), m.driftScale(), m.t0Seconds(), m.readScale(), m.tReadSeconds(),
                m.readSigma(), m.adcBits(), m.adcRange()) + "|" + seed + "|" + seconds;
    }
}
