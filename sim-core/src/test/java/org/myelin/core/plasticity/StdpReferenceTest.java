package org.myelin.core.plasticity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.network.Network;
import org.myelin.core.network.Projection;
import org.myelin.core.model.LifModel;
import org.myelin.core.plasticity.PairStdp.WeightDependence;
import org.myelin.core.plasticity.PlasticityRule.Pairing;

class StdpReferenceTest {
    private static final double EPS = 1e-12;

    private static PairStdp pair(WeightDependence d, Pairing p) {
        return new PairStdp(17, 34, 0.01, 0.012, 0.0, 1.0, d, p);
    }

    /** dw of one pre (at 0) and one post (at dt) spike against the closed form, for every dependence and pairing. */
    @Test
    void pairWindowIsTheClosedForm() {
        for (WeightDependence d : WeightDependence.values()) {
            for (Pairing p : Pairing.values()) {
                PairStdp r = pair(d, p);
                double w0 = 0.4;
                for (double dt = -100; dt <= 100; dt += 0.7) {
                    double got = StdpReference.weight(r, w0, new double[] {0}, new double[] {dt}) - w0;
                    double fPlus = d == WeightDependence.ADDITIVE ? 1 : (1.0 - w0);
                    double fMinus = d == WeightDependence.ADDITIVE ? 1 : w0;
                    double want = dt > 0 ? 0.01 * fPlus * Math.exp(-dt / 17)
                            : dt < 0 ? -0.012 * fMinus * Math.exp(dt / 34) : 0;
                    assertEquals(want, got, EPS, d + " " + p + " dt=" + dt);
                }
                assertEquals(0.0, StdpReference.weight(r, w0, new double[] {5}, new double[] {5}) - w0, EPS);
            }
        }
    }

    @Test
    void hardBoundsClip() {
        PairStdp r = new PairStdp(20, 20, 0.5, 0.5, 0.0, 1.0, WeightDependence.ADDITIVE, Pairing.ALL_TO_ALL);
        assertEquals(1.0, StdpReference.weight(r, 0.9, new double[] {0}, new double[] {1}), 0);
        assertEquals(0.0, StdpReference.weight(r, 0.1, new double[] {1}, new double[] {0}), 0);
    }

    /** Two pre spikes before one post: all-to-all sums both pairs, nearest only the later. */
    @Test
    void pairingsDifferOnSpikeTrains() {
        double[] pre = {0, 4};
        double[] post = {10};
        double all = StdpReference.weight(pair(WeightDependence.ADDITIVE, Pairing.ALL_TO_ALL), 0.5, pre, post) - 0.5;
        double near = StdpReference.weight(pair(WeightDependence.ADDITIVE, Pairing.NEAREST), 0.5, pre, post) - 0.5;
        assertEquals(0.01 * (Math.exp(-10.0 / 17) + Math.exp(-6.0 / 17)), all, EPS);
        assertEquals(0.01 * Math.exp(-6.0 / 17), near, EPS);
        // post, post, pre: depression by both (all-to-all) or the nearest post (nearest)
        double[] pre2 = {20};
        double[] post2 = {3, 12};
        double all2 = StdpReference.weight(pair(WeightDependence.ADDITIVE, Pairing.ALL_TO_ALL), 0.5, pre2, post2)
                - 0.5;
        double near2 = StdpReference.weight(pair(WeightDependence.ADDITIVE, Pairing.NEAREST), 0.5, pre2, post2) - 0.5;
        assertEquals(-0.012 * (Math.exp(-17.0 / 34) + Math.exp(-8.0 / 34)), all2, EPS);
        assertEquals(-0.012 * Math.exp(-8.0 / 34), near2, EPS);
    }

    /** Multiplicative: the update scales with the distance to the bound it moves towards. */
    @Test
    void multiplicativeScalesWithWeight() {
        PairStdp r = new PairStdp(20, 20, 0.1, 0.1, 0.2, 1.2, WeightDependence.MULTIPLICATIVE, Pairing.ALL_TO_ALL);
        double w0 = 0.45;
        assertEquals(0.1 * (1.2 - w0) / 1.0 * Math.exp(-0.5), StdpReference.weight(r, w0, new double[] {0},
                new double[] {10}) - w0, EPS);
        assertEquals(-0.1 * (w0 - 0.2) / 1.0 * Math.exp(-0.5), StdpReference.weight(r, w0, new double[] {10},
                new double[] {0}) - w0, EPS);
    }

    private static final TripletStdp TRIPLET = new TripletStdp(16.8, 101, 33.7, 125, 0.005, 0.0062, 0.007, 0.00023,
            -10, 10, Pairing.ALL_TO_ALL);

    @Test
    void tripletPairsAreTheClosedForm() {
        for (double dt = -80; dt <= 80; dt += 1.3) {
            double got = StdpReference.weight(TRIPLET, 0, new double[] {0}, new double[] {dt});
            double want = dt > 0 ? 0.005 * Math.exp(-dt / 16.8) : dt < 0 ? -0.007 * Math.exp(dt / 33.7) : 0;
            assertEquals(want, got, EPS, "dt=" + dt);
        }
    }

    @Test
    void tripletTripletsAreTheClosedForm() {
        double t1 = 6;
        double t2 = 15;
        // pre(0) post(t1) post(t2): the second post sees o2 of the first
        double ppp = StdpReference.weight(TRIPLET, 0, new double[] {0}, new double[] {t1, t2});
        double want = 0.005 * Math.exp(-t1 / 16.8)
                + Math.exp(-t2 / 16.8) * (0.005 + 0.0062 * Math.exp(-(t2 - t1) / 125));
        assertEquals(want, ppp, EPS);
        // post(0) pre(t1) pre(t2): the second pre sees r2 of the first
        double dpp = StdpReference.weight(TRIPLET, 0, new double[] {t1, t2}, new double[] {0});
        double wantD = -0.007 * Math.exp(-t1 / 33.7)
                - Math.exp(-t2 / 33.7) * (0.007 + 0.00023 * Math.exp(-(t2 - t1) / 101));
        assertEquals(wantD, dpp, EPS);
        // pre(0) post(t1) pre(t2): pair potentiation, then depression by the post with the pre's slow trace
        double pqp = StdpReference.weight(TRIPLET, 0, new double[] {0, t2}, new double[] {t1});
        double wantM = 0.005 * Math.exp(-t1 / 16.8)
                - Math.exp(-(t2 - t1) / 33.7) * (0.007 + 0.00023 * Math.exp(-t2 / 101));
        assertEquals(wantM, pqp, EPS);
        // nearest: traces saturate at 1, so the second post sees o2 = exp(-(t2 - t1) / tau_y) and r1 of one pre
        double near = StdpReference.weight(TRIPLET.with(Pairing.NEAREST), 0, new double[] {0}, new double[] {t1, t2});
        assertEquals(want, near, EPS);
        double near3 = StdpReference.weight(TRIPLET.with(Pairing.NEAREST), 0, new double[] {0}, new double[] {t1, t1 + 1,
                t2});
        double o2 = Math.exp(-(t2 - t1 - 1) / 125); // set to 1 at t1 + 1, not 1 + exp(-1/125)
        double o2b = Math.exp(-1 / 125.0);
        double wantN = 0.005 * Math.exp(-t1 / 16.8) + Math.exp(-(t1 + 1) / 16.8) * (0.005 + 0.0062 * o2b)
                + Math.exp(-t2 / 16.8) * (0.005 + 0.0062 * o2);
        assertEquals(wantN, near3, EPS);
    }

    @Test
    void validationNamesTheParameter() {
        MyelinException e = assertThrows(MyelinException.class,
                () -> new PairStdp(-1, 20, 0.01, 0.01, 0, 1, WeightDependence.ADDITIVE, Pairing.ALL_TO_ALL)
                        .validate("projection 'x'"));
        assertTrue(e.getMessage().contains("projection 'x': pair STDP: tauPlusMs must be > 0"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> TRIPLET.withBounds(1, 1).validate("p"));
        assertTrue(e.getMessage().contains("wMaxMv must be finite and > wMinMv"), e.getMessage());
        e = assertThrows(MyelinException.class, () -> TRIPLET.withAmplitudes(0.1, -0.1, 0, 0).validate("p"));
        assertTrue(e.getMessage().contains("a3Plus must be >= 0"), e.getMessage());
        // the network builder validates the rule of every projection
        e = assertThrows(MyelinException.class, () -> Network.builder()
                .population("a", 2, LifModel.builder().build())
                .projection(Projection.between("a", "a").plasticity(PairStdp.additive(0.01, -1, 0, 1)))
                .build());
        assertTrue(e.getMessage().contains("projection 'a->a': pair STDP: aMinus"), e.getMessage());
    }
}
