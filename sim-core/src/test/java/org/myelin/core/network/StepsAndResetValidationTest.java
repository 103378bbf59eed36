package org.myelin.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.core.MyelinException;
import org.myelin.core.model.CubaLifModel;
import org.myelin.core.model.LifModel;

/** Durations that give no sane step count, and a reset above the threshold, are refused with the value found. */
class StepsAndResetValidationTest {
    private static Network net() {
        return Network.builder().population("exc", 10, LifModel.builder().build()).build();
    }

    @Test
    void negativeNotANumberInfiniteAndHugeDurationsAreRefused() {
        Network n = net();
        for (double ms : new double[] {-1, -0.01, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            1e300}) {
            MyelinException e = assertThrows(MyelinException.class, () -> n.steps(ms), "steps(" + ms + ")");
            assertTrue(e.getMessage().startsWith("network: ") && e.getMessage().contains(String.valueOf(ms)),
                    e.getMessage());
        }
        assertEquals(0, n.steps(0));
        assertEquals(10, n.steps(1.0));
        assertEquals(10_000_000_000L, n.steps(1e9));
    }

    @Test
    void aResetAboveTheThresholdIsRefused() {
        MyelinException e = assertThrows(MyelinException.class, () -> LifModel.builder().thresholdMv(-50).resetMv(-40)
                .build());
        assertEquals("LIF model: resetMv must be <= thresholdMv (-50.0 mV; a reset above the threshold fires again at"
                + " once), was -40.0 mV", e.getMessage());
        assertThrows(MyelinException.class, () -> CubaLifModel.builder().thresholdMv(1).resetMv(2).build());
        // at the threshold is allowed: a spike needs v strictly above it
        LifModel.builder().thresholdMv(-50).resetMv(-50).build();
    }
}
