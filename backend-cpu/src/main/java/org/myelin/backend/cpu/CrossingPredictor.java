package org.myelin.backend.cpu;

import static org.myelin.backend.cpu.GridRecords.NONE;
import static org.myelin.backend.cpu.EventGridEngine.SCAN;
import static org.myelin.backend.cpu.GridRecords.STRIDE;

/**
 * The event-driven grid engine's prediction of a neuron's next threshold crossing without input, with the arithmetic
 * of the wake-up itself, so that a predicted spike is the spike the visit computes. Reads the engine's neuron records
 * and currents; keeps its own scratch state (one predictor per engine, one thread).
 */
final class CrossingPredictor {
    private final int[] st;
    private final float[] current;
    private final GridCursor probe = new GridCursor();

    CrossingPredictor(int[] records, float[] current) {
        this.st = records;
        this.current = current;
    }

    /**
     * The first step after n at which neuron i (state at the end of step n), without further input, crosses
     * threshold ({@link EventGridEngine#NONE} when the bound rules a crossing out), computed by the arithmetic of that wake-up (advance to the step before, round to
     * float as storing does, one step).
     *
     * <p>The search is branch and bound over the next {@link #SCAN} steps: without input the membrane is
     * E + a dv^k + b de^k + c di^k, each term monotonic in k, so the largest value over steps [k1, k2] is at most
     * E plus each term's larger end value; intervals whose bound stays below threshold are skipped, and short
     * ones are scanned with the wake-up's own arithmetic. Cost: a few dozen bound evaluations per prediction
     * instead of one step per step ahead.
     */
    int wakeUp(int i, GridPopulation q, int n) {
        int b = i * STRIDE;
        GridCursor p = probe;
        p.load(st, b, current == null ? 0f : current[i]);
        predictCurrent = (float) p.c;
        if (!(p.bound(q) > q.vt)) {
            return NONE;
        }
        int base = Math.max(n, p.frozen);
        int span = n + SCAN - base;
        if (span <= 0) {
            return n + SCAN;
        }
        p.advanceTo(q, base);
        p.round();
        boolean closedForm = terms(q, p);
        predictBase = base;
        predictRecord = b;
        predictPop = q;
        int k = closedForm ? firstCrossing(1, span) : scanCrossing(1, span);
        if (k > 0) {
            return base + k;
        } else if (closedForm && !(tailBound(q, span) > q.vt - margin)) {
            return NONE;
        }
        return base + span;
    }

    /** The membrane without input after k steps from the prediction's base: tE + tV dv^k + tG de^k + tH di^k. */
    private double tE;
    private double tV;
    private double tG;
    private double tH;
    private double margin;
    private int predictBase;
    private int predictRecord;
    private float predictCurrent;
    private GridPopulation predictPop;

    /** Splits the state into the closed form's terms; false where it has none (equal time constants). */
    private boolean terms(GridPopulation q, GridCursor p) {
        double sepE = q.dv - q.de;
        double sepI = q.dv - q.di;
        if (Math.abs(sepE) < 1e-9 || Math.abs(sepI) < 1e-9 || !(q.dv < 1)) {
            return false;
        }
        tE = p.c * q.pc / (1 - q.dv);
        tG = -p.g * q.pe / sepE;
        tH = -p.h * q.pi / sepI;
        tV = p.u - tE - tG - tH;
        // the closed form and the tabulated recursion differ by rounding: prune only with room to spare
        margin = 1e-9 + 1e-7 * (Math.abs(tE) + Math.abs(tV) + Math.abs(tG) + Math.abs(tH));
        return true;
    }

    private double term(double a, double[] pow, int k) {
        return a * pow[k];
    }

    private double intervalBound(GridPopulation q, int k1, int k2) {
        return tE + Math.max(term(tV, q.dvPow, k1), term(tV, q.dvPow, k2))
                + Math.max(term(tG, q.dePow, k1), term(tG, q.dePow, k2))
                + Math.max(term(tH, q.diPow, k1), term(tH, q.diPow, k2));
    }

    /** Bound for every step after the k-th (the terms tend to 0). */
    private double tailBound(GridPopulation q, int k) {
        return tE + Math.max(term(tV, q.dvPow, k), 0) + Math.max(term(tG, q.dePow, k), 0)
                + Math.max(term(tH, q.diPow, k), 0);
    }

    private int firstCrossing(int k1, int k2) {
        GridPopulation q = predictPop;
        if (!(intervalBound(q, k1, k2) > q.vt - margin)) {
            return -1;
        }
        if (k2 - k1 < 8) {
            return scanCrossing(k1, k2);
        }
        int mid = (k1 + k2) >>> 1;
        int r = firstCrossing(k1, mid);
        return r > 0 ? r : firstCrossing(mid + 1, k2);
    }

    /** Steps base + k1 .. base + k2 with the wake-up's arithmetic; the first that spikes, or -1. */
    private int scanCrossing(int k1, int k2) {
        GridCursor p = probe;
        GridPopulation q = predictPop;
        for (int k = k1; k <= k2; k++) {
            int m = predictBase + k;
            p.load(st, predictRecord, predictCurrent);
            p.advanceTo(q, m - 1);
            p.round();
            if (!(p.bound(q) > q.vt)) {
                return -1;
            }
            if (p.step(q, m)) {
                return k;
            }
        }
        return -1;
    }
}
