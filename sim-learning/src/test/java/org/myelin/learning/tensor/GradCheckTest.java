package org.myelin.learning.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class GradCheckTest {
    @Test
    void aWrongBackwardIsCaught() {
        Tensor a = GradCheck.param(1, -1f, 1f, 6);
        assertThrows(AssertionFailedError.class, () -> GradCheck.check("square with a wrong gradient", tape -> {
            Tensor y = Tensor.result(a.requiresGrad(), 6);
            for (int i = 0; i < 6; i++) {
                y.data()[i] = a.data()[i] * a.data()[i];
            }
            tape.record(y, () -> {
                for (int i = 0; i < 6; i++) {
                    a.grad()[i] += y.grad()[i] * a.data()[i];
                }
            });
            return y;
        }, List.of(a), 1e-2, 1e-3, 1e-3));
    }
}
