package org.myelin.core.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhiloxTest {
    /** Known-answer vectors of Random123 (kat_vectors, philox4x32 with 10 rounds). */
    @Test
    void matchesTheRandom123KnownAnswers() {
        int[] out = new int[4];
        Philox.block(0, 0, 0, 0, 0, 0, out);
        assertArrayEquals(new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}, out);
        Philox.block(-1, -1, -1, -1, -1, -1, out);
        assertArrayEquals(new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}, out);
        Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
        assertArrayEquals(new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}, out);
    }

    @Test
    void firstWordsAgreeWithTheFullBlock() {
        int[] out = new int[4];
        Philox.block(5, 6, 7, 8, 9, 10, out);
        assertEquals(((long) out[0] << 32) | (out[1] & 0xFFFFFFFFL), Philox.first64(5, 6, 7, 8, 9, 10));
    }

    @Test
    void uniformDrawsAreUniformAndDependOnEveryKeyPart() {
        int n = 200_000;
        int[] bins = new int[10];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double u = CounterRandom.uniform(42, 3, i, 17);
            assertTrue(u >= 0 && u < 1);
            bins[(int) (u * 10)]++;
            sum += u;
        }
        assertEquals(0.5, sum / n, 0.005);
        for (int b : bins) {
            assertEquals(n / 10.0, b, 5 * Math.sqrt(n / 10.0));
        }
        double base = CounterRandom.uniform(1, 2, 3, 4);
        assertNotEquals(base, CounterRandom.uniform(9, 2, 3, 4));
        assertNotEquals(base, CounterRandom.uniform(1, 9, 3, 4));
        assertNotEquals(base, CounterRandom.uniform(1, 2, 9, 4));
        assertNotEquals(base, CounterRandom.uniform(1, 2, 3, 9));
        assertNotEquals(base, CounterRandom.uniform(1, 2, 3L << 32, 4), "high index bits matter");
        assertEquals(base, CounterRandom.uniform(1, 2, 3, 4), "pure function of the key");
    }

    @Test
    void normalDrawsHaveUnitVariance() {
        int n = 100_000;
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double x = CounterRandom.normal(7, 1, i, 0);
            s += x;
            s2 += x * x;
        }
        assertEquals(0, s / n, 0.02);
        assertEquals(1, s2 / n - (s / n) * (s / n), 0.02);
    }
}
