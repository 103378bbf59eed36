package org.myelin.datasets.event;

import java.util.Arrays;

/**
 * Events of one sample, in time order, held column-wise: time in microseconds, x, y and polarity (0 OFF,
 * 1 ON), on a sensor of {@code width} x {@code height} pixels.
 */
public final class EventStream {
    private final int width;
    private final int height;
    private long[] timeUs;
    private short[] x;
    private short[] y;
    private byte[] polarity;
    private int size;

    public EventStream(int width, int height, int capacity) {
        this.width = width;
        this.height = height;
        int c = Math.max(16, capacity);
        timeUs = new long[c];
        x = new short[c];
        y = new short[c];
        polarity = new byte[c];
    }

    public void add(long tUs, int ex, int ey, int p) {
        if (size == timeUs.length) {
            int c = size * 2;
            timeUs = Arrays.copyOf(timeUs, c);
            x = Arrays.copyOf(x, c);
            y = Arrays.copyOf(y, c);
            polarity = Arrays.copyOf(polarity, c);
        }
        timeUs[size] = tUs;
        x[size] = (short) ex;
        y[size] = (short) ey;
        polarity[size] = (byte) p;
        size++;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int size() {
        return size;
    }

    public long timeUs(int i) {
        return timeUs[i];
    }

    public int x(int i) {
        return x[i];
    }

    public int y(int i) {
        return y[i];
    }

    public int polarity(int i) {
        return polarity[i];
    }

    /** The first event whose time is before the previous event's, or -1 when the events are in time order. */
    public int firstDecrease() {
        for (int i = 1; i < size; i++) {
            if (timeUs[i] < timeUs[i - 1]) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Refuses a stream whose times decrease, naming {@code source} and the first event out of order: every format
     * Myelin reads holds time-ordered events.
     */
    public EventStream requireTimeOrder(String source) {
        int i = firstDecrease();
        if (i >= 0) {
            throw new org.myelin.core.MyelinException(source + ": event " + i + " at " + timeUs[i]
                    + " us comes before the previous event at " + timeUs[i - 1] + " us; events must be in time order");
        }
        return this;
    }

    /** Time of the last event minus the first, microseconds (0 when empty). */
    public long durationUs() {
        return size == 0 ? 0 : timeUs[size - 1] - timeUs[0];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EventStream e) || e.size != size || e.width != width || e.height != height) {
            return false;
        }
        return Arrays.equals(timeUs, 0, size, e.timeUs, 0, size) && Arrays.equals(x, 0, size, e.x, 0, size)
                && Arrays.equals(y, 0, size, e.y, 0, size) && Arrays.equals(polarity, 0, size, e.polarity, 0, size);
    }

    @Override
    public int hashCode() {
        return size * 31 + width * 7 + height;
    }

    @Override
    public String toString() {
        return "EventStream[" + width + "x" + height + ", " + size + " events, " + durationUs() + " us]";
    }
}
