package org.myelin.core.checkpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.myelin.core.connect.Connectivity;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;
import org.myelin.core.network.Population;
import org.myelin.core.network.Projection;
import org.myelin.core.network.SpikeSource;
import org.myelin.core.network.SpikeTrainSource;

/**
 * SHA-256 of everything that determines a network's dynamics: dt, seed, populations with their models and
 * initial states, spike sources, projections and current inputs (monitors are left out: a restored run may
 * record differently). Stable across processes and JVMs.
 */
public final class NetworkFingerprint {
    private NetworkFingerprint() {
    }

    public static byte[] of(Network net) {
        // a network is immutable: computed once per instance (a restore checks it every time)
        byte[] known = KNOWN.get(net);
        if (known == null) {
            known = compute(net);
            KNOWN.put(net, known);
        }
        return known.clone();
    }

    private static final java.util.Map<Network, byte[]> KNOWN =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private static byte[] compute(Network net) {
        StringBuilder b = new StringBuilder();
        b.append("dt=").append(net.dtMs()).append(";seed=").append(net.seed()).append('\n');
        for (Population p : net.populations()) {
            b.append("pop ").append(p).append('\n');
        }
        for (SpikeSource s : net.sources()) {
            if (s instanceof SpikeTrainSource st) {
                b.append("train ").append(st.name()).append(',').append(st.size()).append(',')
                        .append(Arrays.hashCode(st.neurons())).append(',').append(Arrays.hashCode(st.steps()));
            } else {
                b.append("source ").append(s);
            }
            b.append('\n');
        }
        for (Projection p : net.projections()) {
            b.append("proj ").append(p.name()).append(',').append(p.source()).append(',').append(p.target()).append(',')
                    .append(p.weightMv()).append(',').append(p.delaySteps()).append(',').append(p.receptor()).append(',');
            if (p.rule() instanceof Connectivity.Explicit e) {
                b.append("explicit ").append(Arrays.hashCode(e.pre())).append(',').append(Arrays.hashCode(e.post()))
                        .append(',').append(Arrays.hashCode(e.weightsMv())).append(',')
                        .append(Arrays.hashCode(e.delaySteps()));
            } else {
                b.append(p.rule());
            }
            if (p.plasticity() != null) {
                b.append(",plastic ").append(p.plasticity());
            }
            if (p.transmission() == org.myelin.core.network.Transmission.MEMBRANE) {
                b.append(",membrane");
            }
            b.append('\n');
        }
        for (CurrentInput c : net.currents()) {
            b.append("current ").append(c.name()).append(',').append(c.target()).append(',')
                    .append(Arrays.hashCode(c.neurons())).append(',').append(Arrays.toString(c.changeSteps())).append(',')
                    .append(Arrays.toString(c.currentsNa())).append('\n');
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
