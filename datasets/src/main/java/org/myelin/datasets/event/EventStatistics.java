package org.myelin.datasets.event;

import java.util.Locale;

/**
 * Summary statistics of a set of event samples, the figures dataset papers report: samples, events per sample
 * (mean and standard deviation), duration per sample (last event minus first), ON fraction, and the mean rate per
 * input channel (pixel x polarity merged, or cochlea channel): events per sample / channels / mean duration.
 */
public final class EventStatistics {
    private final int channels;
    private long samples;
    private double events;
    private double events2;
    private double durationUs;
    private double on;

    /** {@code channels}: input channels a sample spreads over (34 x 34 = 1,156 for N-MNIST, 64 for N-TIDIGITS). */
    public EventStatistics(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, was " + channels);
        }
        this.channels = channels;
    }

    public void add(EventStream s) {
        samples++;
        events += s.size();
        events2 += (double) s.size() * s.size();
        durationUs += s.durationUs();
        for (int i = 0; i < s.size(); i++) {
            on += s.polarity(i);
        }
    }

    public long samples() {
        return samples;
    }

    public double eventsPerSample() {
        return samples == 0 ? 0 : events / samples;
    }

    public double eventsSd() {
        double m = eventsPerSample();
        return samples == 0 ? 0 : Math.sqrt(Math.max(0, events2 / samples - m * m));
    }

    public double durationMs() {
        return samples == 0 ? 0 : durationUs / samples / 1000.0;
    }

    public double onFraction() {
        return events == 0 ? 0 : on / events;
    }

    /** Mean rate per channel in Hz (0 when no sample has a duration). */
    public double ratePerChannelHz() {
        return durationUs == 0 ? 0 : eventsPerSample() / channels / (durationUs / samples / 1e6);
    }

    /** One line: events per sample (sd), duration, ON fraction, rate per channel. */
    public String summary() {
        return String.format(Locale.ROOT, "%,d samples, %,.0f events per sample (sd %,.0f), %.1f ms per sample, ON fraction"
                + " %.3f, %.1f Hz per channel (%d channels)", samples, eventsPerSample(), eventsSd(), durationMs(),
                onFraction(), ratePerChannelHz(), channels);
    }
}
