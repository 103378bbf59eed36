package org.myelin.backend.cpu;

import static org.myelin.backend.cpu.GridRecords.FROZEN;
import static org.myelin.backend.cpu.GridRecords.GE;
import static org.myelin.backend.cpu.GridRecords.GI;
import static org.myelin.backend.cpu.GridRecords.LAST;
import static org.myelin.backend.cpu.GridRecords.PENDING_RESET;
import static org.myelin.backend.cpu.EventGridEngine.TABLE;
import static org.myelin.backend.cpu.GridRecords.U;

/**
 * A neuron of the event-driven grid engine while it is being advanced: its record ({@link EventGridEngine#STRIDE}
 * ints) loaded into doubles, advanced analytically without input ({@link #advanceTo}) or by one step with its input
 * ({@link #step}), and stored back rounded to float. A delayed-reset neuron's pending reset is
 * {@link GridRecords#PENDING_RESET} in its frozen step, taken off after it integrates at its next step.
 */
final class GridCursor {
    double u;
    double g;
    double h;
    double c;
    int last;
    int frozen;

    void load(int[] st, int b, float current) {
        u = Float.intBitsToFloat(st[b + U]);
        g = Float.intBitsToFloat(st[b + GE]);
        h = Float.intBitsToFloat(st[b + GI]);
        c = current;
        last = st[b + LAST];
        frozen = st[b + FROZEN];
    }

    /** As storing and loading again would: every variable rounded to float. */
    void round() {
        u = (float) u;
        g = (float) g;
        h = (float) h;
    }

    void store(int[] st, int b) {
        st[b + U] = Float.floatToRawIntBits((float) u);
        st[b + GE] = Float.floatToRawIntBits((float) g);
        st[b + GI] = Float.floatToRawIntBits((float) h);
        st[b + LAST] = last;
    }

    /** Advances without input and without threshold from the end of step {@code last} to the end of m. */
    void advanceTo(GridPopulation q, int m) {
        if (m <= last) {
            return;
        }
        if (last < frozen) {
            int k = Math.min(frozen, m) - last;
            while (k > TABLE) {
                g *= q.dePow[TABLE];
                h *= q.diPow[TABLE];
                k -= TABLE;
            }
            g *= q.dePow[k];
            h *= q.diPow[k];
            last = Math.min(frozen, m);
        }
        int k = m - last;
        while (k > TABLE) {
            chunk(q, TABLE);
            k -= TABLE;
        }
        if (k > 0) {
            chunk(q, k);
        }
        last = m;
    }

    private void chunk(GridPopulation q, int k) {
        double[] t = q.packed;
        int b = k << 3;
        u = t[b] * u + t[b + 1] * g + t[b + 2] * h + t[b + 3] * c;
        g *= t[b + 4];
        h *= t[b + 5];
    }

    /**
     * Step {@code n} (this state is at the end of n - 1, input already added): integrate unless frozen,
     * decay the synaptic variables; returns true when the neuron spikes (and resets it).
     */
    boolean step(GridPopulation q, int n) {
        boolean frozenNow = n <= frozen;
        if (!frozenNow) {
            u = u * q.dv + g * q.pe + h * q.pi + c * q.pc;
        }
        g *= q.de;
        h *= q.di;
        last = n;
        float uf = (float) u;
        if (frozen == PENDING_RESET) {
            uf = uf - q.subtract;
            u = uf;
            frozen = -1;
        }
        if (frozenNow || !(uf > q.vt)) {
            return false;
        }
        if (q.delayedReset) {
            frozen = PENDING_RESET;
            return true;
        }
        u = q.bySubtraction ? uf - q.subtract : q.reset;
        if (q.refractorySteps > 1) {
            frozen = n + q.refractorySteps - 1;
        }
        return true;
    }

    /**
     * Step {@code n} of a multi-rate population's neuron (input already added), in the clock engine's float
     * arithmetic, operation for operation ({@link CpuLifKernel#integrate}, {@link CpuLifKernel#integrateWithCurrent},
     * {@link CpuLifKernel#threshold}), so that the two engines agree bit for bit: such a neuron is visited at each of
     * its updates and never advanced analytically. {@code withCurrent} says whether the clock engine holds external
     * currents (it then adds {@code current * pc}, zero or not, to every neuron). Returns true on a spike.
     */
    boolean stepMultiRate(ClockPopulation s, int n, boolean withCurrent) {
        float x = (float) u;
        float e = (float) g;
        float hh = (float) h;
        float nu;
        if (s.integration() != org.myelin.core.model.Propagators.Integration.LINEAR) {
            // SpikingJelly's forms, as CpuLifKernel.integrateJelly computes them
            float in = withCurrent ? e + hh + (float) c : e + hh;
            nu = s.integration() == org.myelin.core.model.Propagators.Integration.DECAY_INPUT
                    ? x + (in - x) * s.inverseTau() : x - x * s.inverseTau() + in;
        } else {
            nu = withCurrent
                    ? x * s.dv() + (x * s.dvLo() + e * s.pe() + hh * s.pi() + (float) c * s.pc())
                    : x * s.dv() + (x * s.dvLo() + e * s.pe() + hh * s.pi());
        }
        g = e * s.de();
        h = hh * s.di();
        last = n;
        if (frozen == PENDING_RESET) {
            nu = nu - s.subtract();
            frozen = -1;
        }
        if (nu > s.vt() && s.delayedReset()) {
            u = nu;
            frozen = PENDING_RESET;
            return true;
        }
        if (nu > s.vt()) {
            u = s.bySubtraction() ? nu - s.subtract() : s.reset();
            return true;
        }
        u = nu;
        return false;
    }

    /** An upper bound of u at every later step without input (each term at its largest). */
    double bound(GridPopulation q) {
        return Math.max(u, 0) + Math.max(g, 0) * q.pMax + Math.max(h, 0) * q.qMax + Math.max(c, 0) * q.cMax;
    }
}
