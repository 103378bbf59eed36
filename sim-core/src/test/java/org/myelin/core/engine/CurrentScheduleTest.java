package org.myelin.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myelin.core.model.LifModel;
import org.myelin.core.network.CurrentInput;
import org.myelin.core.network.Network;

class CurrentScheduleTest {
    private static Network net() {
        return Network.builder().dtMs(0.1).population("p", 4, LifModel.builder().build())
                .current(CurrentInput.stepped("a", "p", new long[] {5, 20}, new double[] {1, 0}))
                .current(CurrentInput.stepped("b", "p", new long[] {20, 30}, new double[] {2, 0}))
                .build();
    }

    @Test
    void holdsStepZeroAndEveryChangeOnceInOrder() {
        CurrentSchedule s = CurrentSchedule.of(net());
        assertEquals(4, s.size()); // 0, 5, 20, 30
        int cursor = s.cursorAt(0);
        StringBuilder seen = new StringBuilder();
        for (long n = 0; n < 40; n++) {
            if (s.changesAt(cursor, n)) {
                seen.append(n).append(' ');
                cursor++;
            }
        }
        assertEquals("0 5 20 30 ", seen.toString());
        assertTrue(s.contains(20));
        assertFalse(s.contains(21));
    }

    @Test
    void aRunThatStartsLaterSkipsTheChangesBeforeIt() {
        CurrentSchedule s = CurrentSchedule.of(net());
        assertEquals(2, s.cursorAt(20)); // the change at 20 is still due
        assertEquals(3, s.cursorAt(21));
        assertEquals(4, s.cursorAt(31)); // none left
        assertFalse(s.changesAt(4, 31));
        assertEquals(1, s.cursorAt(1)); // engines that set step 0's currents at compile start here
    }

    @Test
    void aNetworkWithoutCurrentInputsHasOnlyStepZero() {
        Network n = Network.builder().dtMs(1).population("p", 1, LifModel.builder().build()).build();
        CurrentSchedule s = CurrentSchedule.of(n);
        assertEquals(1, s.size());
        assertTrue(s.changesAt(0, 0));
    }
}
