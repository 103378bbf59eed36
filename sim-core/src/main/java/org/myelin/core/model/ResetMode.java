package org.myelin.core.model;

/** What happens to the membrane potential at a spike. */
public enum ResetMode {
    /** {@code v = resetMv}. */
    TO_VALUE,
    /** {@code v = v - (thresholdMv - resetMv)}: the overshoot is kept (snnTorch's "subtract"). */
    SUBTRACT
}
