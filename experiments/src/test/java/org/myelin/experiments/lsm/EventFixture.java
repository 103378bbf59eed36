package org.myelin.experiments.lsm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.nmnist.NmnistFormat;
import org.myelin.datasets.ntidigits.NtidigitsFile;

/** Small event data sets written by the tests: N-MNIST-format folders and N-TIDIGITS-format files. */
public final class EventFixture {
    private EventFixture() {
    }

    /**
     * An N-MNIST-format folder (Train/<digit>/*.bin, Test/<digit>/*.bin): a sample of digit d is 150 events over
     * 100 ms on the rows 12 + 2 (d % 5) .. 13 + 2 (d % 5) of the centre, ON for d < 5 and OFF above, plus noise.
     */
    public static Path images(Path dir, int[] digits, int trainPer, int testPer) throws Exception {
        Random r = new Random(3);
        for (String split : new String[] {"Train", "Test"}) {
            int n = digits.length * (split.equals("Train") ? trainPer : testPer);
            for (int i = 0; i < n; i++) {
                int d = digits[i % digits.length];
                EventStream s = new EventStream(NmnistFormat.SIZE, NmnistFormat.SIZE, 150);
                for (int k = 0; k < 150; k++) {
                    boolean noise = r.nextInt(5) == 0;
                    int y = noise ? 9 + r.nextInt(16) : 12 + 2 * (d % 5) + r.nextInt(2);
                    int x = 9 + r.nextInt(16);
                    s.add(k * 660L + r.nextInt(600), x, y, d < 5 ? 1 : 0);
                }
                Path folder = Files.createDirectories(dir.resolve(split).resolve(Integer.toString(d)));
                NmnistFormat.write(s, folder.resolve(String.format("%05d.bin", i)));
            }
        }
        return dir;
    }

    /** Spoken-digit-like event streams: digit d excites cochlea channels 6d .. 6d + 9, a sweep up in time. */
    public static Path audio(Path dir, int[] digits, int trainPer, int testPer) {
        Map<String, List<Map.Entry<String, EventStream>>> splits = new LinkedHashMap<>();
        for (String split : new String[] {"train", "test"}) {
            List<Map.Entry<String, EventStream>> list = new ArrayList<>();
            int n = digits.length * (split.equals("train") ? trainPer : testPer);
            for (int i = 0; i < n; i++) {
                int d = digits[i % digits.length];
                EventStream s = new EventStream(64, 1, 200);
                for (int k = 0; k < 200; k++) {
                    int ch = (6 * d + (k * 10 / 200 + i + k) % 10) % 64;
                    s.add(k * 1500L + (i * 37L + k * 11L) % 700, ch, 0, 1);
                }
                list.add(Map.entry("spk" + i + "-" + (d == 0 ? "z" : Integer.toString(d)), s));
            }
            splits.put(split, list);
        }
        Path f = dir.resolve("digits.h5");
        NtidigitsFile.write(f, splits);
        return f;
    }
}
