package org.myelin.learning.lmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;

/**
 * The matrix exponential and the LMU's zero-order-hold discretisation against SciPy's values
 * ({@code benchmarks/peers/lmu_zoh_reference.py} wrote {@code lmu_zoh_reference.txt}).
 */
class LegendreMemoryTest {

    private static Map<String, double[][]> reference() throws IOException {
        Map<String, double[][]> m = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                LegendreMemoryTest.class.getResourceAsStream("/lmu_zoh_reference.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.trim().split(" ");
                int rows = Integer.parseInt(f[1]);
                int cols = Integer.parseInt(f[2]);
                double[][] v = new double[rows][cols];
                for (int k = 0; k < rows * cols; k++) {
                    v[k / cols][k % cols] = Double.parseDouble(f[3 + k]);
                }
                m.put(f[0], v);
            }
        }
        return m;
    }

    private static void close(double[][] expected, double[][] got, double tol, String what) {
        assertEquals(expected.length, got.length, what + ": rows");
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                double scale = Math.max(1, Math.abs(expected[i][j]));
                assertEquals(expected[i][j], got[i][j], tol * scale, what + " [" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void theMatrixExponentialMatchesScipy() throws IOException {
        Map<String, double[][]> ref = reference();
        close(ref.get("EXPM_X"), MatrixExponential.expm(ref.get("X")), 1e-12, "expm(X)");
        double[][] x10 = ref.get("X");
        double[][] scaled = new double[5][5];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                scaled[i][j] = 10 * x10[i][j];
            }
        }
        // a norm of about 50: six squarings
        close(ref.get("EXPM_10X"), MatrixExponential.expm(scaled), 1e-10, "expm(10 X)");
        double[][] diag = {{1, 0}, {0, -2}};
        close(new double[][] {{Math.E, 0}, {0, Math.exp(-2)}}, MatrixExponential.expm(diag), 1e-15, "expm(diag)");
        close(MatrixExponential.identity(3), MatrixExponential.expm(new double[3][3]), 0, "expm(0)");
        assertThrows(MyelinException.class, () -> MatrixExponential.expm(new double[][] {{1, 2}}));
    }

    @Test
    void theContinuousSystemIsTheLegendreDelay() {
        double[][] a = LegendreMemory.continuousA(4);
        assertEquals(-1, a[0][0]);
        assertEquals(-1, a[0][3]);
        assertEquals(3, a[1][0]);
        assertEquals(-3, a[1][1]);
        assertEquals(-5, a[2][0]);
        assertEquals(5, a[2][1]);
        assertEquals(-7, a[3][3]);
        assertEquals(7, a[3][2]);
        double[] b = LegendreMemory.continuousB(4);
        assertEquals(1, b[0]);
        assertEquals(-3, b[1]);
        assertEquals(5, b[2]);
        assertEquals(-7, b[3]);
    }

    @Test
    void zeroOrderHoldMatchesScipyForOrder4Theta7AndTheReferenceSizes() throws IOException {
        Map<String, double[][]> ref = reference();
        for (String key : new String[] {"4_7", "7_10", "12_40"}) {
            int order = Integer.parseInt(key.split("_")[0]);
            double theta = Double.parseDouble(key.split("_")[1]);
            LegendreMemory m = LegendreMemory.zeroOrderHold(order, theta);
            close(ref.get("A_" + key), m.aBar(), 1e-6, "Abar " + key);
            double[][] b = new double[order][1];
            for (int i = 0; i < order; i++) {
                b[i][0] = m.bBar()[i];
            }
            close(ref.get("B_" + key), b, 1e-6, "Bbar " + key);
            // in fact to rounding
            close(ref.get("A_" + key), m.aBar(), 1e-12, "Abar " + key + " (1e-12)");
        }
    }

    @Test
    void theReleasedConventionIsTheTransposeOfTheCanonicalOne() {
        LegendreMemory m = LegendreMemory.zeroOrderHold(7, 10);
        double[][] canonical = m.rowUpdate(LegendreMemory.Convention.CANONICAL);
        double[][] released = m.rowUpdate(LegendreMemory.Convention.RELEASED);
        double[][] a = m.aBar();
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(a[j][i], canonical[i][j]);
                assertEquals(a[i][j], released[i][j]);
            }
        }
        // the canonical memory of a constant input settles where Abar m + Bbar u = m: m[0] -> u (Legendre degree 0)
        double[] state = new double[7];
        for (int t = 0; t < 2000; t++) {
            double[] next = new double[7];
            for (int j = 0; j < 7; j++) {
                double v = m.bBar()[j];
                for (int i = 0; i < 7; i++) {
                    v += state[i] * canonical[i][j];
                }
                next[j] = v;
            }
            state = next;
        }
        assertEquals(1.0, state[0], 1e-6, "a constant input of 1 is remembered as 1 in the first coefficient");
        for (int i = 1; i < 7; i++) {
            assertTrue(Math.abs(state[i]) < 1e-6, "coefficient " + i + ": " + state[i]);
        }
        assertThrows(MyelinException.class, () -> LegendreMemory.zeroOrderHold(0, 10));
        assertThrows(MyelinException.class, () -> LegendreMemory.zeroOrderHold(4, -1));
    }
}
