package org.myelin.learning.optim;

import org.myelin.core.MyelinException;

/** The learning rate as a function of the optimiser step (0-based). */
@FunctionalInterface
public interface LearningRateSchedule {
    double rate(long step);

    /** The schedule in words (reports and checkpoint fingerprints). */
    default String describe() {
        return "custom";
    }

    /** A schedule with a description. */
    static LearningRateSchedule described(String description, LearningRateSchedule s) {
        return new LearningRateSchedule() {
            @Override
            public double rate(long step) {
                return s.rate(step);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    static LearningRateSchedule constant(double lr) {
        positive(lr);
        return described("constant(" + lr + ")", step -> lr);
    }

    /** {@code lr * gamma^(step / every)}, as PyTorch's StepLR counted in optimiser steps. */
    static LearningRateSchedule stepDecay(double lr, long every, double gamma) {
        positive(lr);
        if (every < 1) {
            throw new MyelinException("step schedule: every must be >= 1 step, was " + every);
        }
        return described("step(" + lr + ", every=" + every + ", gamma=" + gamma + ")",
                step -> lr * Math.pow(gamma, (double) (step / every)));
    }

    /**
     * Linear warm-up from lr/warmup to lr over {@code warmup} steps, then cosine annealing to {@code minLr} at
     * {@code total} steps (held there after).
     */
    static LearningRateSchedule cosine(double lr, long warmup, long total, double minLr) {
        positive(lr);
        if (warmup < 0 || total < 1 || warmup >= total) {
            throw new MyelinException("cosine schedule: need 0 <= warmup < total, were warmup " + warmup
                    + ", total " + total);
        }
        return described("cosine(" + lr + ", warmup=" + warmup + ", total=" + total + ", min=" + minLr + ")", step -> {
            if (step < warmup) {
                return lr * (step + 1) / warmup;
            }
            double progress = Math.min(1.0, (double) (step - warmup) / (total - warmup));
            return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * progress));
        });
    }

    private static void positive(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new MyelinException("learning rate must be > 0 and finite, was " + lr);
        }
    }
}
