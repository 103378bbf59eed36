package org.myelin.experiments.lsm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.myelin.datasets.event.EventStream;
import org.myelin.datasets.nmnist.NmnistDataset;
import org.myelin.datasets.ntidigits.NtidigitsFile;

/** Labelled event samples of one split of a data set. */
public interface EventSamples {
    /** The samples in the split. */
    int size();

    /** Sample i's events and label. */
    Item item(int i);

    /** One sample: its events and its label. */
    record Item(EventStream events, int label) {
    }

    /** A split ({@code Train} or {@code Test}) of an N-MNIST-format folder. */
    static EventSamples images(Path folder, String split) {
        NmnistDataset d = NmnistDataset.open(folder, split);
        return new EventSamples() {
            @Override
            public int size() {
                return d.size();
            }

            @Override
            public Item item(int i) {
                var s = d.sample(i);
                return new Item(s.events(), s.label());
            }
        };
    }

    /** The isolated digits of an N-TIDIGITS split (11 classes: zero to nine and "oh"), sequences left out. */
    static EventSamples audio(Path file, String split) {
        NtidigitsFile f = NtidigitsFile.open(file, split);
        List<Integer> isolated = new ArrayList<>();
        for (int i = 0; i < f.samples(); i++) {
            if (f.isolatedLabel(i) >= 0) {
                isolated.add(i);
            }
        }
        return new EventSamples() {
            @Override
            public int size() {
                return isolated.size();
            }

            @Override
            public Item item(int i) {
                return new Item(f.sample(isolated.get(i)), f.isolatedLabel(isolated.get(i)));
            }
        };
    }
}
