package org.myelin.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.myelin.core.MyelinException;

/**
 * A parameter sweep: fixed parameters and a grid, read from a small text file of {@code key = value} lines
 * ({@code #} starts a comment). {@code grid.KEY = a, b, c} or {@code grid.KEY = lo..hi} (integers, inclusive) makes KEY
 * an axis; the points are the Cartesian product, the first axis varying slowest. Example, 100 points:
 *
 * <pre>
 *   experiment = cuba
 *   neurons = 2000
 *   duration = 0.1
 *   backend = memristor
 *   device = rram
 *   grid.read = 0, 0.01, 0.02, 0.05, 0.1
 *   grid.adc = 0, 4, 6, 8
 *   grid.seed = 1..5
 * </pre>
 */
public record SweepSpec(Map<String, String> fixed, List<String> axes, List<List<String>> values) {
    /** The most grid values all axes of a spec may hold together (a range is under a million values too). */
    static final int MAX_VALUES = 1_000_000;
    /** Keys a point may set (the crossbar's are {@link SweepTask#CROSSBAR_KEYS}). */
    static final Set<String> KEYS = Set.of("experiment", "neurons", "duration", "seed", "backend", "device", "p",
            "threads");

    public SweepSpec {
        fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
        axes = List.copyOf(axes);
        values = values.stream().map(List::copyOf).toList();
        for (String k : fixed.keySet()) {
            checkKey(k);
        }
        for (String k : axes) {
            checkKey(k);
            if (fixed.containsKey(k)) {
                throw new MyelinException("sweep: '" + k + "' is both fixed and an axis of the grid");
            }
        }
    }

    private static void checkKey(String k) {
        if (!KEYS.contains(k) && !SweepTask.CROSSBAR_KEYS.contains(k)) {
            throw new MyelinException("sweep: unknown key '" + k + "'; known: " + new java.util.TreeSet<>(KEYS)
                    + " and the crossbar's " + new java.util.TreeSet<>(SweepTask.CROSSBAR_KEYS));
        }
    }

    /** Reads a spec file. */
    public static SweepSpec read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new MyelinException("sweep: no spec file " + file, e);
        } catch (IOException e) {
            throw new MyelinException("sweep: cannot read " + file + ": " + e, e);
        }
    }

    /** Parses spec text; {@code origin} names it in errors. */
    public static SweepSpec parse(String text, String origin) {
        Map<String, String> fixed = new LinkedHashMap<>();
        List<String> axes = new ArrayList<>();
        List<List<String>> values = new ArrayList<>();
        long total = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new MyelinException(origin + ":" + (i + 1) + ": expected key = value, was '" + line + "'");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            if (key.startsWith("grid.")) {
                String axis = key.substring(5);
                if (axes.contains(axis)) {
                    throw new MyelinException(origin + ":" + (i + 1) + ": axis '" + axis + "' given twice");
                }
                axes.add(axis);
                values.add(expand(value, origin + ":" + (i + 1)));
                total += values.get(values.size() - 1).size();
                if (total > MAX_VALUES) {
                    throw new MyelinException(origin + ":" + (i + 1) + ": the axes hold more than " + MAX_VALUES
                            + " values in all");
                }
            } else {
                if (fixed.containsKey(key)) {
                    throw new MyelinException(origin + ":" + (i + 1) + ": '" + key + "' given twice");
                }
                fixed.put(key, value);
            }
        }
        return new SweepSpec(fixed, axes, values);
    }

    private static List<String> expand(String value, String where) {
        List<String> out = new ArrayList<>();
        if (value.matches("-?\\d+\\s*\\.\\.\\s*-?\\d+")) {
            String[] ab = value.split("\\.\\.");
            long a = bound(ab[0].strip(), where);
            long b = bound(ab[1].strip(), where);
            if (b < a || b - a >= 1_000_000) {
                throw new MyelinException(where + ": range " + value + " must be ascending and under a million values");
            }
            for (long v = a; v <= b; v++) {
                out.add(Long.toString(v));
            }
        } else {
            for (String v : value.split(",")) {
                if (v.isBlank()) {
                    throw new MyelinException(where + ": empty value in '" + value + "'");
                }
                out.add(v.strip());
            }
        }
        return out;
    }

    /** A range bound: an integer of at most 18 digits. */
    private static long bound(String digits, String where) {
        if (digits.replace("-", "").length() > 18) {
            throw new MyelinException(where + ": range bound " + digits + " has more than 18 digits");
        }
        return Long.parseLong(digits);
    }

    /** The number of points. */
    public int size() {
        long n = 1;
        for (List<String> v : values) {
            n *= v.size();
            if (n > 10_000_000) {
                throw new MyelinException("sweep: more than ten million points");
            }
        }
        return (int) n;
    }

    /** Point i: the fixed parameters plus its grid values (axes in order, the first varying slowest). */
    public Map<String, String> point(int i) {
        if (i < 0 || i >= size()) {
            throw new MyelinException("sweep: point " + i + " out of [0, " + size() + ")");
        }
        Map<String, String> p = new LinkedHashMap<>(fixed);
        int rest = i;
        String[] chosen = new String[axes.size()];
        for (int a = axes.size() - 1; a >= 0; a--) {
            int n = values.get(a).size();
            chosen[a] = values.get(a).get(rest % n);
            rest /= n;
        }
        for (int a = 0; a < axes.size(); a++) {
            p.put(axes.get(a), chosen[a]);
        }
        return p;
    }
}
