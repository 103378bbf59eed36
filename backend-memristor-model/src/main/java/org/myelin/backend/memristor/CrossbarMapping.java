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
            out.add(Projection.between(p.source(), p.target()).named(p.name()).receptor(p.receptor())
                    .connect(Connectivity.explicit(pre, post, weight, delay)).build());
        }
        return net.withProjections(out);
    }
}
