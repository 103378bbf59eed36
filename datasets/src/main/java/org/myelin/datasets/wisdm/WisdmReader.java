package org.myelin.datasets.wisdm;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.myelin.core.MyelinException;

/**
 * WISDM raw files (Weiss 2019, "WISDM Smartphone and Smartwatch Activity and Biometrics Dataset"): one reading
 * per line, {@code subject,activity,timestamp_ns,x,y,z;}, 20 Hz, one file per subject and sensor
 * ({@code data_<subject>_accel_watch.txt}, {@code data_<subject>_gyro_watch.txt}). Activities are letters A..S
 * (no N); subset 2's hand activities are F typing, G brushing teeth, O catching, P dribbling, Q writing,
 * R clapping and S folding clothes.
 *
 * <p>{@link #windows} aligns the accelerometer and gyroscope of each (subject, activity) recording by reading
 * order, cuts windows of {@code length} readings every {@code stride} readings (default 40 and 40: 2 s at
 * 20 Hz), and gives six channels per window: accel x, y, z, gyro x, y, z.
 */
public final class WisdmReader {
    /** One window: who, what, and the six channels of {@code length} readings. */
    public record Window(int subject, char activity, float[][] channels) {
    }

    private WisdmReader() {
    }

    /** Readings of one file, grouped by (subject, activity) in file order: each float[] is {x, y, z}. */
    public static Map<String, List<float[]>> read(Path file) {
        Map<String, List<float[]>> out = new TreeMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                line = line.trim();
                if (line.isEmpty()) {
                    continue;
                }
                if (line.endsWith(";")) {
                    line = line.substring(0, line.length() - 1);
                }
                String[] f = line.split(",");
                if (f.length != 6) {
                    throw new MyelinException(file + ": line " + no + ": expected subject,activity,timestamp,x,y,z; found "
                            + f.length + " fields");
                }
                if (f[1].length() != 1 || f[1].charAt(0) < 'A' || f[1].charAt(0) > 'S') {
                    throw new MyelinException(file + ": line " + no + ": activity must be a letter A..S, was '"
                            + f[1].replaceAll("\\p{Cntrl}", "?") + "'");
                }
                try {
                    int subject = Integer.parseInt(f[0].trim());
                    Long.parseLong(f[2].trim());
                    float[] xyz = {Float.parseFloat(f[3]), Float.parseFloat(f[4]), Float.parseFloat(f[5])};
                    for (int c = 0; c < 3; c++) {
                        if (!Float.isFinite(xyz[c])) {
                            throw new MyelinException(file + ": line " + no + ": " + "xyz".charAt(c) + " is " + xyz[c]
                                    + ", expected a finite reading");
                        }
                    }
                    out.computeIfAbsent(subject + ":" + f[1], k -> new ArrayList<>()).add(xyz);
                } catch (NumberFormatException e) {
                    throw new MyelinException(file + ": line " + no + ": " + e.getMessage().replaceAll("\\p{Cntrl}", "?"));
                }
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MyelinException(file + ": not UTF-8 text (" + e + ")", e);
        } catch (IOException e) {
            throw new MyelinException("cannot read WISDM file " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Windows of the watch accelerometer and gyroscope files of the given subjects under {@code folder}
     * ({@code accel/data_<s>_accel_watch.txt} and {@code gyro/data_<s>_gyro_watch.txt}, or both files directly in
     * the folder), for the given activities (all when empty).
     */
    public static List<Window> windows(Path folder, List<Integer> subjects, String activities, int length, int stride) {
        if (length < 1 || stride < 1) {
            throw new MyelinException("WISDM windows: length and stride must be >= 1, were " + length + " and " + stride);
        }
        List<Window> out = new ArrayList<>();
        for (int s : subjects) {
            Map<String, List<float[]>> acc = read(find(folder, "accel", s));
            Map<String, List<float[]>> gyr = read(find(folder, "gyro", s));
            for (Map.Entry<String, List<float[]>> e : acc.entrySet()) {
                char activity = e.getKey().charAt(e.getKey().length() - 1);
                if (!activities.isEmpty() && activities.indexOf(activity) < 0) {
                    continue;
                }
                List<float[]> a = e.getValue();
                List<float[]> g = gyr.getOrDefault(e.getKey(), List.of());
                int n = Math.min(a.size(), g.size());
                for (int start = 0; start + length <= n; start += stride) {
                    float[][] ch = new float[6][length];
                    for (int k = 0; k < length; k++) {
                        for (int c = 0; c < 3; c++) {
                            ch[c][k] = a.get(start + k)[c];
                            ch[3 + c][k] = g.get(start + k)[c];
                        }
                    }
                    out.add(new Window(s, activity, ch));
                }
            }
        }
        return out;
    }

    /**
     * Splits subjects by identity, not by window, so that no subject is in both parts: the first
     * {@code trainFraction} of the sorted subjects train; with two or more subjects each part keeps at least one.
     */
    public static List<List<Integer>> subjectSplit(List<Integer> subjects, double trainFraction) {
        List<Integer> sorted = new ArrayList<>(subjects);
        sorted.sort(null);
        int cut = (int) Math.round(sorted.size() * trainFraction);
        if (sorted.size() >= 2) {
            cut = Math.max(1, Math.min(sorted.size() - 1, cut));
        }
        return List.of(List.copyOf(sorted.subList(0, cut)), List.copyOf(sorted.subList(cut, sorted.size())));
    }

    private static Path find(Path folder, String sensor, int subject) {
        String name = "data_" + subject + "_" + sensor + "_watch.txt";
        Path nested = folder.resolve(sensor).resolve(name);
        if (Files.exists(nested)) {
            return nested;
        }
        Path flat = folder.resolve(name);
        if (Files.exists(flat)) {
            return flat;
        }
        throw new MyelinException("WISDM: no " + name + " in " + folder + " or " + folder.resolve(sensor));
    }
}
