package org.myelin.learning.hlop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;

/**
 * The two projections of {@link HebbianSubspace}: with the frozen lateral rows themselves (the reference's
 * g - H^T H g) and with an orthonormalised basis of them (Myelin's). Where the rows are orthonormal they agree;
 * where they are not, the lateral form is H^T H applied literally and the orthonormal form is still a projection.
 */
class HebbianProjectionTest {
    private static final int N = 12;
    private static final int OUT = 5;

    private static float[] gradient(long seed) {
        float[] g = new float[N * OUT];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) CounterRandom.normal(seed, 3, i, 0);
        }
        return g;
    }

    /** g - H^T (H g) in double, H the subspace's rows as they are. */
    private static double[] literal(HebbianSubspace h, float[] g) {
        double[] out = new double[g.length];
        for (int k = 0; k < g.length; k++) {
            out[k] = g[k];
        }
        for (int r = 0; r < h.frozen(); r++) {
            float[] row = h.row(r);
            for (int o = 0; o < OUT; o++) {
                double d = 0;
                for (int i = 0; i < N; i++) {
                    d += row[i] * (double) g[i * OUT + o];
                }
                for (int i = 0; i < N; i++) {
                    out[i * OUT + o] -= row[i] * d;
                }
            }
        }
        return out;
    }

    private static HebbianSubspace trained(HebbianSubspace.Projection p, boolean learn) {
        HebbianSubspace h = new HebbianSubspace(N, 0.5f, 0f, 0f, p);
        h.addRows(4, 7);
        if (learn) {
            // a batch whose activity lies mostly along two directions: four rows trained by Oja's rule with a large
            // rate drift away from orthonormality
            int b = 32;
            float[] x = new float[b * N];
            for (int s = 0; s < b; s++) {
                double a = CounterRandom.normal(11, 1, s, 0);
                double c = CounterRandom.normal(11, 2, s, 0);
                for (int i = 0; i < N; i++) {
                    x[s * N + i] = (float) (3 * a * (i % 3 == 0 ? 1 : 0) + 2 * c * (i % 4 == 1 ? 1 : 0)
                            + 0.05 * CounterRandom.normal(11, 3, s * N + i, 0));
                }
            }
            h.update(x, b, 3);
        }
        h.merge();
        return h;
    }

    private static double offOrthonormality(HebbianSubspace h) {
        double worst = 0;
        for (int a = 0; a < h.frozen(); a++) {
            for (int c = 0; c < h.frozen(); c++) {
                float[] ra = h.row(a);
                float[] rc = h.row(c);
                double d = 0;
                for (int i = 0; i < N; i++) {
                    d += ra[i] * (double) rc[i];
                }
                worst = Math.max(worst, Math.abs(d - (a == c ? 1 : 0)));
            }
        }
        return worst;
    }

    @Test
    void withOrthonormalRowsBothProjectionsAgree() {
        HebbianSubspace lat = trained(HebbianSubspace.Projection.LATERAL, false);
        HebbianSubspace orth = trained(HebbianSubspace.Projection.ORTHONORMAL, false);
        assertTrue(offOrthonormality(lat) < 1e-5, "fresh rows are orthonormal: " + offOrthonormality(lat));
        float[] g1 = gradient(5);
        float[] g2 = g1.clone();
        lat.project(g1, OUT);
        orth.project(g2, OUT);
        double change = 0;
        for (int k = 0; k < g1.length; k++) {
            assertEquals(g2[k], g1[k], 1e-5, "entry " + k);
            change += Math.abs(g1[k] - gradient(5)[k]);
        }
        assertTrue(change > 0.1, "the projection must remove something: " + change);
    }

    @Test
    void withLearnedRowsTheLateralFormIsHtHAppliedLiterally() {
        HebbianSubspace lat = trained(HebbianSubspace.Projection.LATERAL, true);
        HebbianSubspace orth = trained(HebbianSubspace.Projection.ORTHONORMAL, true);
        assertTrue(offOrthonormality(lat) > 0.05, "the learned rows must no longer be orthonormal: "
                + offOrthonormality(lat));
        float[] g = gradient(6);
        double[] want = literal(lat, g);
        float[] gl = g.clone();
        lat.project(gl, OUT);
        float[] go = g.clone();
        orth.project(go, OUT);
        double differ = 0;
        for (int k = 0; k < g.length; k++) {
            assertEquals(want[k], gl[k], 1e-4 * (1 + Math.abs(want[k])), "entry " + k);
            differ = Math.max(differ, Math.abs(gl[k] - go[k]));
        }
        assertTrue(differ > 1e-2, "the two forms must differ on non-orthonormal rows: " + differ);
        // the orthonormal form leaves nothing along any frozen row; the lateral form in general does
        for (int r = 0; r < orth.frozen(); r++) {
            float[] row = orth.row(r);
            for (int o = 0; o < OUT; o++) {
                double d = 0;
                for (int i = 0; i < N; i++) {
                    d += row[i] * (double) go[i * OUT + o];
                }
                assertEquals(0, d, 1e-4, "row " + r + ", output " + o);
            }
        }
        // the same for a convolution's layout (outputs, inputs)
        float[] conv = new float[OUT * N];
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < N; i++) {
                conv[o * N + i] = g[i * OUT + o];
            }
        }
        lat.projectConv(conv, OUT);
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < N; i++) {
                assertEquals(want[i * OUT + o], conv[o * N + i], 1e-4 * (1 + Math.abs(want[i * OUT + o])));
            }
        }
    }

    @Test
    void badSettingsAreRefusedByName() {
        MyelinException e = assertThrows(MyelinException.class,
                () -> new HebbianSubspace(N, 0.1f, 0f, 0f, null));
        assertTrue(e.getMessage().contains("projection"), e.getMessage());
        MyelinException s = assertThrows(MyelinException.class,
                () -> new HebbianSubspace(N, 0.1f, 20f, 0f, HebbianSubspace.Projection.LATERAL));
        assertTrue(s.getMessage().contains("spiking lateral neurons"), s.getMessage());
    }
}
