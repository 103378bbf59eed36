package org.myelin.experiments.l2mu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.myelin.core.MyelinException;
import org.myelin.datasets.emulate.SyntheticHar;
import org.myelin.datasets.wisdm.WisdmReader;
import org.myelin.learning.lmu.L2muTraining;

/**
 * HAR windows (2 s, 40 samples at 20 Hz, 6 channels: accelerometer and gyroscope) split by subject (80 / 20), from
 * {@code synthetic-har} (generated with the seed) or {@code wisdm:FOLDER}: what the L2MU trains on and {@code edge
 * compress} evaluates on.
 *
 * @param train  the training windows (of the first 80 % of the subjects), at the given stride
 * @param test   the test windows, not overlapping
 * @param source the data in words
 * @param split  the training and the test subjects
 */
public record HarWindows(L2muTraining.Windows train, L2muTraining.Windows test, String source,
                         List<List<Integer>> split) {
    /**
     * Loads (or, for {@code synthetic-har}, generates {@code subjects} subjects of {@code seconds} s per activity
     * with {@code seed} into a temporary folder, deleted afterwards) the seven hand activities' windows.
     */
    public static HarWindows load(String data, int subjects, int seconds, int stride, long seed) {
        try {
            return read(data, subjects, seconds, stride, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HarWindows read(String data, int subjects, int seconds, int stride, long seed) throws IOException {
        Path folder;
        List<Integer> ids = new ArrayList<>();
        String source;
        if (data.equals("synthetic-har")) {
            folder = Files.createTempDirectory("myelin-har");
            SyntheticHar.write(folder, subjects, seconds, seed);
            for (int s = 0; s < subjects; s++) {
                ids.add(SyntheticHar.FIRST_SUBJECT + s);
            }
            source = String.format(Locale.ROOT, "SYNTHETIC smartwatch data (%d subjects x 7 activities x %d s)",
                    subjects, seconds);
        } else if (data.startsWith("wisdm:")) {
            folder = Path.of(data.substring("wisdm:".length()));
            ids.addAll(subjectsIn(folder));
            source = "WISDM watch data in " + folder + " (" + ids.size() + " subjects)";
        } else {
            throw new MyelinException("--data must be synthetic-har or wisdm:FOLDER, was '" + data + "'");
        }
        List<List<Integer>> split = WisdmReader.subjectSplit(ids, 0.8);
        String acts = SyntheticHar.ACTIVITIES;
        L2muTraining.Windows train = windows(WisdmReader.windows(folder, split.get(0), acts, 40, stride), acts);
        L2muTraining.Windows test = windows(WisdmReader.windows(folder, split.get(1), acts, 40, 40), acts);
        if (data.equals("synthetic-har")) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
        if (train.size() == 0 || test.size() == 0) {
            throw new MyelinException("no windows of the activities " + acts + " for training or testing in "
                    + folder);
        }
        return new HarWindows(train, test, source, split);
    }

    /** The subjects with watch files ({@code data_<s>_accel_watch.txt}) in {@code folder} or its {@code accel/}. */
    static List<Integer> subjectsIn(Path folder) throws IOException {
        TreeSet<Integer> s = new TreeSet<>();
        Pattern p = Pattern.compile("data_(\\d+)_accel_watch\\.txt");
        for (Path dir : new Path[] {folder, folder.resolve("accel")}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> {
                    Matcher m = p.matcher(f.getFileName().toString());
                    if (m.matches()) {
                        s.add(Integer.parseInt(m.group(1)));
                    }
                });
            }
        }
        if (s.size() < 2) {
            throw new MyelinException("WISDM: need watch files of at least 2 subjects (data_<s>_accel_watch.txt) in "
                    + folder + " or " + folder.resolve("accel") + ", found " + s.size());
        }
        return new ArrayList<>(s);
    }

    /** The windows as one tensor layout: per window, its steps, each of 6 channel values. */
    static L2muTraining.Windows windows(List<WisdmReader.Window> ws, String acts) {
        int steps = ws.isEmpty() ? 40 : ws.get(0).channels()[0].length;
        float[] v = new float[ws.size() * steps * 6];
        int[] y = new int[ws.size()];
        for (int i = 0; i < ws.size(); i++) {
            WisdmReader.Window w = ws.get(i);
            y[i] = acts.indexOf(w.activity());
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < 6; c++) {
                    v[(i * steps + t) * 6 + c] = w.channels()[c][t];
                }
            }
        }
        return new L2muTraining.Windows(v, y, steps, 6);
    }
}
