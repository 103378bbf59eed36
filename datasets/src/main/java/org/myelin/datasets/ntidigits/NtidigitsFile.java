package org.myelin.datasets.ntidigits;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import java.nio.file.Path;
import org.myelin.core.MyelinException;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.hdf5.Hdf5Access;

/**
 * One split of the N-TIDIGITS file: {@code <split>_labels} holds sample ids {@code speaker-digits} (digits
 * 1..9, {@code o} for "oh", {@code z} for zero), and each id has {@code <split>_timestamps/<id>} (seconds) and
 * {@code <split>_addresses/<id>} (cochlea channel 0..63). A sample is an {@link EventStream} of 64 x 1: x is
 * the channel, polarity 1, time in microseconds. Samples are read one at a time.
 */
public final class NtidigitsFile implements AutoCloseable {
    public static final int CHANNELS = 64;

    private final Path path;
    private final HdfFile hdf;
    private final String split;
    private final String[] ids;

    private NtidigitsFile(Path path, HdfFile hdf, String split, String[] ids) {
        this.path = path;
        this.hdf = hdf;
        this.split = split;
        this.ids = ids;
    }

    /** Opens split {@code train} or {@code test}. */
    public static NtidigitsFile open(Path path, String split) {
        if (!split.equals("train") && !split.equals("test")) {
            throw new MyelinException("N-TIDIGITS: split must be train or test, was '" + split + "'");
        }
        HdfFile hdf = Hdf5Access.open(path);
        try {
            Object labels = Hdf5Access.data(dataset(hdf, path, "/" + split + "_labels"), path, "/" + split + "_labels");
            if (!(labels instanceof String[] ids)) {
                throw new MyelinException(path + ": HDF5 path /" + split + "_labels must hold strings");
            }
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] == null || ids[i].isEmpty() || ids[i].contains("/")) {
                    throw new MyelinException(path + ": /" + split + "_labels[" + i + "] is not a sample id: '"
                            + (ids[i] == null ? "" : ids[i].replaceAll("\\p{Cntrl}", "?")) + "'");
                }
            }
            return new NtidigitsFile(path, hdf, split, ids);
        } catch (RuntimeException e) {
            hdf.close();
            throw e;
        }
    }

    private static Dataset dataset(HdfFile hdf, Path path, String name) {
        return Hdf5Access.dataset(hdf, path, name, "");
    }

    public int samples() {
        return ids.length;
    }

    public String id(int i) {
        return ids[i];
    }

    /** The spoken digits of sample i: its id after the last '-', e.g. "1z3". */
    public String digits(int i) {
        String id = ids[i];
        return id.substring(id.lastIndexOf('-') + 1);
    }

    /** The class of an isolated digit: 0..9, 10 for "oh"; -1 for a digit sequence. */
    public int isolatedLabel(int i) {
        String d = digits(i);
        if (d.length() != 1) {
            return -1;
        }
        char c = d.charAt(0);
        return c == 'o' ? 10 : c == 'z' ? 0 : Character.isDigit(c) ? c - '0' : -1;
    }

    public EventStream sample(int i) {
        String id = ids[i];
        String tn = "/" + split + "_timestamps/" + id;
        String an = "/" + split + "_addresses/" + id;
        double[] t = numbers(Hdf5Access.data(dataset(hdf, path, tn), path, tn), id, "timestamps");
        double[] a = numbers(Hdf5Access.data(dataset(hdf, path, an), path, an), id, "addresses");
        if (t.length != a.length) {
            throw new MyelinException(path + ": sample " + id + ": " + t.length + " timestamps but " + a.length + " addresses");
        }
        EventStream s = new EventStream(CHANNELS, 1, t.length);
        for (int k = 0; k < t.length; k++) {
            int ch = (int) a[k];
            if (ch < 0 || ch >= CHANNELS) {
                throw new MyelinException(path + ": /" + split + "_addresses/" + id + "[" + k + "]: channel " + ch
                        + " is outside 0.." + (CHANNELS - 1));
            }
            if (!(t[k] >= 0) || t[k] > 1e9) {
                throw new MyelinException(path + ": /" + split + "_timestamps/" + id + "[" + k + "]: time " + t[k]
                        + " s is not a finite time of 0 or more");
            }
            s.add(Math.round(t[k] * 1e6), ch, 0, 1);
        }
        return s.requireTimeOrder(path + ": sample " + id);
    }

    private double[] numbers(Object o, String id, String what) {
        if (o instanceof double[] d) {
            return d;
        }
        if (o instanceof float[] f) {
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        if (o instanceof int[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
        if (o instanceof long[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
        if (o instanceof short[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i];
            }
            return d;
        }
        if (o instanceof byte[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = v[i] & 0xFF;
            }
            return d;
        }
        throw new MyelinException(path + ": sample " + id + ": " + what + " must be numbers, found "
                + o.getClass().getSimpleName());
    }

    @Override
    public void close() {
        hdf.close();
    }

    /**
     * Writes samples in the N-TIDIGITS layout: for each split, {@code <split>_labels} (the ids), and
     * {@code <split>_timestamps/<id>} (float64 seconds) and {@code <split>_addresses/<id>} (channels).
     */
    public static void write(Path file, java.util.Map<String, java.util.List<java.util.Map.Entry<String, EventStream>>> splits) {
        try (io.jhdf.WritableHdfFile f = HdfFile.write(file)) {
            for (var split : splits.entrySet()) {
                String name = split.getKey();
                var samples = split.getValue();
                String[] ids = new String[samples.size()];
                io.jhdf.api.WritableGroup times = f.putGroup(name + "_timestamps");
                io.jhdf.api.WritableGroup addresses = f.putGroup(name + "_addresses");
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = samples.get(i).getKey();
                    EventStream s = samples.get(i).getValue();
                    double[] t = new double[s.size()];
                    int[] a = new int[s.size()];
                    for (int k = 0; k < s.size(); k++) {
                        t[k] = s.timeUs(k) / 1e6;
                        a[k] = s.x(k);
                    }
                    times.putDataset(ids[i], t);
                    addresses.putDataset(ids[i], a);
                }
                f.putDataset(name + "_labels", ids);
            }
        } catch (RuntimeException e) {
            throw new MyelinException("cannot write N-TIDIGITS file " + file + ": " + e.getMessage(), e);
        }
    }
}
