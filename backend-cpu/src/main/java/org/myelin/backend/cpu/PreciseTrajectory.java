package org.myelin.backend.cpu;

/** A neuron's trajectory without input from a time on: E + a e^(-t/tauM) + b e^(-t/tauE) + c e^(-t/tauI). */
final class PreciseTrajectory {
    /** Branch and bound stops splitting at this width, then tests the bracket. */
    private static final double LEAF_MS = 1e-3;
    /** Narrowest interval examined for a crossing that does not show at its ends. */
    private static final double FINEST_MS = 1e-10;
    /** Width of the final bracket of a crossing time. */
    private static final double ROOT_MS = 1e-12;
    PrecisePopulation q;
    double e;
    double a;
    double b;
    double c;

    void set(PrecisePopulation p, double uu, double g, double h, double cur) {
        q = p;
        e = p.r * cur;
        if (p.delta) {
            b = 0;
            c = 0;
        } else {
            b = p.equalE ? g : g * p.kE;
            c = p.equalI ? h : h * p.kI;
        }
        a = uu - e - (p.equalE ? 0 : b) - (p.equalI ? 0 : c);
    }

    double value(double t) {
        double em = Math.exp(-t / q.tauM);
        double v = e + a * em;
        if (!q.delta) {
            v += q.equalE ? b * (t / q.tauM) * em : b * Math.exp(-t / q.tauE);
            v += q.equalI ? c * (t / q.tauM) * em : c * Math.exp(-t / q.tauI);
        }
        return v;
    }

    /** Largest value a term can take on [t1, t2]. */
    private double termMax(double coef, double tau, boolean alpha, double t1, double t2) {
        if (coef == 0) {
            return 0;
        }
        if (!alpha) {
            return Math.max(coef * Math.exp(-t1 / tau), coef * Math.exp(-t2 / tau));
        }
        // coef * (t / tauM) e^(-t / tauM): peaks at t = tauM
        double f1 = coef * (t1 / q.tauM) * Math.exp(-t1 / q.tauM);
        double f2 = coef * (t2 / q.tauM) * Math.exp(-t2 / q.tauM);
        if (coef > 0 && t1 <= q.tauM && q.tauM <= t2) {
            return coef / Math.E;
        }
        return Math.max(f1, f2);
    }

    double bound(double t1, double t2) {
        double v = e + termMax(a, q.tauM, false, t1, t2);
        if (!q.delta) {
            v += termMax(b, q.equalE ? q.tauM : q.tauE, q.equalE, t1, t2);
            v += termMax(c, q.equalI ? q.tauM : q.tauI, q.equalI, t1, t2);
        }
        return v;
    }

    /** Bound of every value after t. */
    double tail(double t) {
        double v = e + Math.max(a * Math.exp(-t / q.tauM), 0);
        if (!q.delta) {
            v += q.equalE ? termMax(b, q.tauM, true, t, Double.MAX_VALUE) : Math.max(b * Math.exp(-t / q.tauE), 0);
            v += q.equalI ? termMax(c, q.tauM, true, t, Double.MAX_VALUE) : Math.max(c * Math.exp(-t / q.tauI), 0);
        }
        return Math.max(v, e);
    }

    double slope(double t) {
        double em = Math.exp(-t / q.tauM);
        double d = -a / q.tauM * em;
        if (!q.delta) {
            d += q.equalE ? b / q.tauM * (1 - t / q.tauM) * em : -b / q.tauE * Math.exp(-t / q.tauE);
            d += q.equalI ? c / q.tauM * (1 - t / q.tauM) * em : -c / q.tauI * Math.exp(-t / q.tauI);
        }
        return d;
    }

    /** Smallest value a slope term can take on [t1, t2]. */
    private double slopeTermMin(double coef, double tau, boolean alpha, double t1, double t2) {
        if (coef == 0) {
            return 0;
        }
        if (!alpha) {
            double k = -coef / tau;
            return Math.min(k * Math.exp(-t1 / tau), k * Math.exp(-t2 / tau));
        }
        // coef / tauM * (1 - t / tauM) e^(-t / tauM): (1 - x) e^(-x) falls to its minimum -e^-2 at x = 2, then rises
        double f1 = coef / q.tauM * (1 - t1 / q.tauM) * Math.exp(-t1 / q.tauM);
        double f2 = coef / q.tauM * (1 - t2 / q.tauM) * Math.exp(-t2 / q.tauM);
        if (coef > 0 && t1 <= 2 * q.tauM && 2 * q.tauM <= t2) {
            return -coef / q.tauM * Math.exp(-2);
        }
        return Math.min(f1, f2);
    }

    /** A lower bound of the slope on [t1, t2]: positive means the trajectory rises throughout. */
    double slopeBound(double t1, double t2) {
        double d = slopeTermMin(a, q.tauM, false, t1, t2);
        if (!q.delta) {
            d += slopeTermMin(b, q.equalE ? q.tauM : q.tauE, q.equalE, t1, t2);
            d += slopeTermMin(c, q.equalI ? q.tauM : q.tauI, q.equalI, t1, t2);
        }
        return d;
    }

    /**
     * The crossing in a bracket (value(lo) not above threshold, value(hi) above) to {@link #ROOT_MS}: Newton
     * steps where the trajectory is known to rise, bisection otherwise; returns the upper end (above threshold).
     */
    double solve(double lo, double hi, boolean rising) {
        double x = hi;
        for (int it = 0; it < 200 && hi - lo > ROOT_MS; it++) {
            double next = Double.NaN;
            if (rising) {
                double d = slope(x);
                if (d > 0) {
                    next = x - (value(x) - q.vt) / d;
                }
            }
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
            }
            if (next <= lo || next >= hi) {
                break;
            }
            boolean above = value(next) > q.vt;
            if (above) {
                hi = next;
            } else {
                lo = next;
            }
            x = next;
            if (rising && hi - lo > ROOT_MS) {
                // Newton converges from one side: close the bracket from that side once it is within reach
                if (above) {
                    double probe = hi - ROOT_MS;
                    if (probe > lo && !(value(probe) > q.vt)) {
                        lo = probe;
                    }
                } else {
                    double probe = lo + ROOT_MS;
                    if (probe < hi && value(probe) > q.vt) {
                        hi = probe;
                    }
                }
            }
        }
        return hi;
    }

    /** The first t in (t1, t2] where the trajectory rises above threshold (value(t1) is not above), or NaN. */
    double firstCrossing(double t1, double t2) {
        if (!(bound(t1, t2) > q.vt)) {
            return Double.NaN;
        }
        double w = t2 - t1;
        boolean above = value(t2) > q.vt;
        if (above && slopeBound(t1, t2) > 0) {
            // rising throughout: the crossing in the bracket is the only one
            return solve(t1, t2, true);
        }
        if (w <= LEAF_MS && above) {
            return solve(t1, t2, false);
        }
        if (w <= FINEST_MS) {
            return Double.NaN;
        }
        double mid = 0.5 * (t1 + t2);
        double r = firstCrossing(t1, mid);
        return Double.isNaN(r) ? firstCrossing(mid, t2) : r;
    }
}
