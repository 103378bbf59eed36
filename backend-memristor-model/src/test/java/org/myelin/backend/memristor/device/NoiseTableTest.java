package org.myelin.backend.memristor.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The read-noise table is the standard normal, discretised: its moments and quantiles. */
class NoiseTableTest {

    @Test
    void theTableHasTheNormalsMomentsAndQuantiles() {
        double m1 = 0;
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        int n = 1 << 16;
        for (int i = 0; i < n; i++) {
            double z = NoiseTable.normal(i);
            m1 += z;
            m2 += z * z;
            m3 += z * z * z;
            m4 += z * z * z * z;
        }
        assertEquals(0, m1 / n, 1e-9, "mean");
        assertEquals(1, m2 / n, 5e-4, "variance (tails beyond 4.3 sigma cut)");
        assertTrue(m2 / n < 1, "the cut tails make it slightly narrower, never wider");
        assertEquals(0, m3 / n, 1e-9, "symmetric");
        assertEquals(3, m4 / n, 0.01, "kurtosis");
        // quantiles against known values of the normal CDF
        assertEquals(1.959963985, NoiseTable.quantile(0.975), 1e-8);
        assertEquals(-2.326347874, NoiseTable.quantile(0.01), 1e-8);
        assertEquals(3.719016485, NoiseTable.quantile(0.9999), 1e-7);
        assertEquals(0, NoiseTable.quantile(0.5), 1e-15);
    }
}
