package org.myelin.datasets.encode;

import org.myelin.core.MyelinException;
import org.myelin.datasets.event.EventStream;

/** Transforms of event streams, each returning a new stream and leaving its input unchanged. */
public final class EventTransforms {
    private EventTransforms() {
    }

    /** Events inside the rectangle [x0, x0 + w) x [y0, y0 + h), moved to its origin. */
    public static EventStream crop(EventStream e, int x0, int y0, int w, int h) {
        if (w < 1 || h < 1 || x0 < 0 || y0 < 0) {
            throw new MyelinException("crop: needs x0, y0 >= 0 and w, h >= 1, got " + x0 + ", " + y0 + ", " + w + ", " + h);
        }
        EventStream out = new EventStream(w, h, e.size());
        for (int i = 0; i < e.size(); i++) {
            int x = e.x(i) - x0;
            int y = e.y(i) - y0;
            if (x >= 0 && y >= 0 && x < w && y < h) {
                out.add(e.timeUs(i), x, y, e.polarity(i));
            }
        }
        return out;
    }

    /** Coordinates divided by {@code factor} (integer division): a coarser sensor. */
    public static EventStream downsample(EventStream e, int factor) {
        if (factor < 1) {
            throw new MyelinException("downsample: factor must be >= 1, was " + factor);
        }
        EventStream out = new EventStream((e.width() + factor - 1) / factor, (e.height() + factor - 1) / factor, e.size());
        for (int i = 0; i < e.size(); i++) {
            out.add(e.timeUs(i), e.x(i) / factor, e.y(i) / factor, e.polarity(i));
        }
        return out;
    }

    /** Every event made ON: polarity dropped. */
    public static EventStream mergePolarity(EventStream e) {
        EventStream out = new EventStream(e.width(), e.height(), e.size());
        for (int i = 0; i < e.size(); i++) {
            out.add(e.timeUs(i), e.x(i), e.y(i), 1);
        }
        return out;
    }

    /**
     * Refractory denoising: drops an event when the same pixel emitted one (of either polarity) less than
     * {@code refractoryUs} before.
     */
    public static EventStream refractory(EventStream e, long refractoryUs) {
        if (refractoryUs < 0) {
            throw new MyelinException("refractory filter: refractoryUs must be >= 0, was " + refractoryUs);
        }
        long[] last = new long[e.width() * e.height()];
        java.util.Arrays.fill(last, Long.MIN_VALUE / 2);
        EventStream out = new EventStream(e.width(), e.height(), e.size());
        for (int i = 0; i < e.size(); i++) {
            int p = e.y(i) * e.width() + e.x(i);
            if (e.timeUs(i) - last[p] >= refractoryUs) {
                out.add(e.timeUs(i), e.x(i), e.y(i), e.polarity(i));
                last[p] = e.timeUs(i);
            }
        }
        return out;
    }

    /**
     * Event counts in frames of {@code binUs} from the first event: {@code [frame][polarity][y][x]} flattened
     * as {@code ((frame * 2 + polarity) * height + y) * width + x}; {@code frames} frames, later events dropped.
     */
    public static float[] frames(EventStream e, long binUs, int frames) {
        if (binUs < 1 || frames < 1) {
            throw new MyelinException("frames: binUs and frames must be >= 1, were " + binUs + " and " + frames);
        }
        int plane = e.width() * e.height();
        float[] out = new float[frames * 2 * plane];
        long t0 = e.size() == 0 ? 0 : e.timeUs(0);
        for (int i = 0; i < e.size(); i++) {
            long f = (e.timeUs(i) - t0) / binUs;
            if (f < frames) {
                out[(int) ((f * 2 + e.polarity(i)) * plane) + e.y(i) * e.width() + e.x(i)] += 1;
            }
        }
        return out;
    }
}
