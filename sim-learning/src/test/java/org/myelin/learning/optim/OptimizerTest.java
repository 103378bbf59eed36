package org.myelin.learning.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.myelin.learning.tensor.Tensor;

/** The update rules against values worked out by hand from PyTorch's formulas. */
class OptimizerTest {
    private static Tensor param(float value, float grad) {
        Tensor p = Tensor.parameter("p", 1);
        p.data()[0] = value;
        p.grad()[0] = grad;
        return p;
    }

    @Test
    void sgdWithMomentumFollowsPyTorch() {
        Tensor p = param(1f, 0.5f);
        Optimizer o = Optimizer.sgd(List.of(p), LearningRateSchedule.constant(0.1), 0.9, false, 0);
        o.step();
        assertEquals(1f - 0.1f * 0.5f, p.data()[0], 1e-7);
        o.step();
        assertEquals(0.95f - 0.1f * (0.9f * 0.5f + 0.5f), p.data()[0], 1e-7);
    }

    @Test
    void adamFirstStepMovesByTheLearningRate() {
        Tensor p = param(1f, 0.3f);
        Optimizer o = Optimizer.adam(List.of(p), LearningRateSchedule.constant(0.01), 0.9, 0.999, 1e-8, 0);
        o.step();
        assertEquals(0.99f, p.data()[0], 1e-6);
    }

    @Test
    void adamWDecaysWeightsDecoupled() {
        Tensor p = param(2f, 0f);
        Optimizer o = Optimizer.adamW(List.of(p), LearningRateSchedule.constant(0.1), 0.9, 0.999, 1e-8, 0.5);
        o.step();
        assertEquals(2f * (1f - 0.05f), p.data()[0], 1e-6);
    }

    @Test
    void cosineScheduleWarmsUpThenAnneals() {
        LearningRateSchedule s = LearningRateSchedule.cosine(1.0, 10, 110, 0.0);
        assertEquals(0.1, s.rate(0), 1e-12);
        assertEquals(1.0, s.rate(9), 1e-12);
        assertEquals(1.0, s.rate(10), 1e-12);
        assertEquals(0.5, s.rate(60), 1e-12);
        assertEquals(0.0, s.rate(110), 1e-12);
        assertEquals(0.01, LearningRateSchedule.stepDecay(1.0, 5, 0.1).rate(10), 1e-12);
    }

    @Test
    void stateRoundTripsThroughRestore() {
        Tensor p = param(1f, 0.3f);
        Optimizer o = Optimizer.adam(List.of(p), LearningRateSchedule.constant(0.01), 0.9, 0.999, 1e-8, 0);
        o.step();
        Tensor q = param(p.data()[0], 0.3f);
        Optimizer o2 = Optimizer.adam(List.of(q), LearningRateSchedule.constant(0.01), 0.9, 0.999, 1e-8, 0);
        o2.restore(o.state());
        p.grad()[0] = 0.3f;
        o.step();
        o2.step();
        assertEquals(p.data()[0], q.data()[0]);
        assertEquals(2, o2.steps());
    }
}
