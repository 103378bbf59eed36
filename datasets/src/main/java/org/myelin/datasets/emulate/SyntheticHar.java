package org.myelin.datasets.emulate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.myelin.core.MyelinException;
import org.myelin.core.random.CounterRandom;

/**
 * SYNTHETIC smartwatch data for the seven hand activities of WISDM's subset 2, written in WISDM's raw format so
 * the WISDM reader loads it: six channels (accelerometer in m/s^2 with gravity, gyroscope in rad/s) at 20 Hz.
 * Each activity is a characteristic motion (rhythm, amplitude, axis), varied per subject (tempo, strength,
 * wrist orientation) and overlaid with sensor noise. Subjects are numbered from 9001, outside WISDM's
 * 1600-1650, and the output folder holds a SYNTHETIC.txt that says what it is: these are not recordings.
 *
 * <table>
 * <caption>Activities</caption>
 * <tr><th>code</th><th>activity</th><th>motion</th></tr>
 * <tr><td>F</td><td>typing</td><td>small 5 Hz tremor of the fingers</td></tr>
 * <tr><td>G</td><td>brushing teeth</td><td>4 Hz back-and-forth along y</td></tr>
 * <tr><td>O</td><td>catching</td><td>a sharp impulse every 1-2 s</td></tr>
 * <tr><td>P</td><td>dribbling</td><td>strong 2 Hz vertical bounces</td></tr>
 * <tr><td>Q</td><td>writing</td><td>small 2.5 Hz loops in x and y</td></tr>
 * <tr><td>R</td><td>clapping</td><td>2.5 Hz sharp hits along x</td></tr>
 * <tr><td>S</td><td>folding clothes</td><td>slow 0.5 Hz large sweeps</td></tr>
 * </table>
 */
public final class SyntheticHar {
    public static final String ACTIVITIES = "FGOPQRS";
    public static final int RATE_HZ = 20;
    public static final int FIRST_SUBJECT = 9001;

    private SyntheticHar() {
    }

    /** Writes {@code subjects} subjects x 7 activities x {@code seconds} s into {@code folder}. */
    public static void write(Path folder, int subjects, int seconds, long seed) {
        if (subjects < 1 || seconds < 2) {
            throw new MyelinException("synthetic HAR: needs at least 1 subject and 2 seconds, got " + subjects + " and "
                    + seconds);
        }
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("SYNTHETIC.txt"), "SYNTHETIC data made by Myelin's SyntheticHar (seed " + seed
                    + "), in WISDM's raw format: not recordings of people.\n", StandardCharsets.UTF_8);
            for (int s = 0; s < subjects; s++) {
                int subject = FIRST_SUBJECT + s;
                try (PrintWriter acc = new PrintWriter(Files.newBufferedWriter(
                        folder.resolve("data_" + subject + "_accel_watch.txt"), StandardCharsets.UTF_8));
                     PrintWriter gyr = new PrintWriter(Files.newBufferedWriter(
                             folder.resolve("data_" + subject + "_gyro_watch.txt"), StandardCharsets.UTF_8))) {
                    long t = 100_000_000_000L * subject;
                    for (int a = 0; a < ACTIVITIES.length(); a++) {
                        char act = ACTIVITIES.charAt(a);
                        double[][] six = activity(act, seconds * RATE_HZ, seed, subject, a);
                        for (int k = 0; k < six[0].length; k++) {
                            acc.printf(Locale.ROOT, "%d,%c,%d,%.6f,%.6f,%.6f;%n", subject, act, t, six[0][k], six[1][k], six[2][k]);
                            gyr.printf(Locale.ROOT, "%d,%c,%d,%.6f,%.6f,%.6f;%n", subject, act, t, six[3][k], six[4][k], six[5][k]);
                            t += 50_000_000L;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new MyelinException("synthetic HAR: cannot write " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Six channels of one (subject, activity) recording of n readings. */
    static double[][] activity(char act, int n, long seed, int subject, int a) {
        double tempo = 0.85 + 0.3 * CounterRandom.uniform(seed, subject, 0, 0);
        double strength = 0.8 + 0.4 * CounterRandom.uniform(seed, subject, 1, 0);
        double tilt = 0.4 * (CounterRandom.uniform(seed, subject, 2, 0) - 0.5);
        double[][] c = new double[6][n];
        int stream = subject * 16 + a;
        double nextImpulse = 1.0;
        for (int k = 0; k < n; k++) {
            double t = (double) k / RATE_HZ;
            double x = 0;
            double y = 0;
            double z = 0;
            switch (act) {
                case 'F' -> {
                    x = 0.3 * Math.sin(2 * Math.PI * 5 * tempo * t);
                    y = 0.2 * Math.sin(2 * Math.PI * 5 * tempo * t + 1);
                }
                case 'G' -> y = 3.0 * Math.sin(2 * Math.PI * 4 * tempo * t);
                case 'O' -> {
                    if (t >= nextImpulse) {
                        x = 8;
                        z = -6;
                        nextImpulse = t + 1 + CounterRandom.uniform(seed, stream, k, 1);
                    }
                }
                case 'P' -> z = 9.0 * Math.max(0, Math.sin(2 * Math.PI * 2 * tempo * t));
                case 'Q' -> {
                    x = 0.8 * Math.sin(2 * Math.PI * 2.5 * tempo * t);
                    y = 0.8 * Math.cos(2 * Math.PI * 2.5 * tempo * t);
                }
                case 'R' -> x = 12.0 * Math.pow(Math.max(0, Math.sin(2 * Math.PI * 2.5 * tempo * t)), 8);
                case 'S' -> {
                    x = 4.0 * Math.sin(2 * Math.PI * 0.5 * tempo * t);
                    z = 3.0 * Math.cos(2 * Math.PI * 0.5 * tempo * t);
                }
                default -> throw new MyelinException("synthetic HAR: unknown activity " + act);
            }
            double g = 9.81;
            c[0][k] = strength * x + g * Math.sin(tilt) + 0.15 * CounterRandom.normal(seed, stream, k, 10);
            c[1][k] = strength * y + 0.15 * CounterRandom.normal(seed, stream, k, 11);
            c[2][k] = strength * z + g * Math.cos(tilt) + 0.15 * CounterRandom.normal(seed, stream, k, 12);
            c[3][k] = 0.3 * strength * y + 0.05 * CounterRandom.normal(seed, stream, k, 13);
            c[4][k] = 0.3 * strength * z + 0.05 * CounterRandom.normal(seed, stream, k, 14);
            c[5][k] = 0.3 * strength * x + 0.05 * CounterRandom.normal(seed, stream, k, 15);
        }
        return c;
    }
}
