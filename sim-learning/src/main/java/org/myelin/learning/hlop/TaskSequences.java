package org.myelin.learning.hlop;

import java.util.ArrayList;
import java.util.List;
import org.myelin.learning.hlop.ContinualLearning.Task;
import org.myelin.learning.train.LabelledData;
import org.myelin.learning.train.Trainer;

/** Sequences of continual-learning tasks made from one labelled data set: split by classes, or permuted. */
public final class TaskSequences {
    private TaskSequences() {
    }

    /** All tasks' training sets in one, in task order. */
    static LabelledData concat(List<Task> tasks) {
        int f = tasks.get(0).train().features();
        int total = 0;
        for (Task t : tasks) {
            total += t.train().size();
        }
        float[] v = new float[total * f];
        int[] y = new int[total];
        int at = 0;
        for (Task t : tasks) {
            System.arraycopy(t.train().values(), 0, v, at * f, t.train().size() * f);
            System.arraycopy(t.train().labels(), 0, y, at, t.train().size());
            at += t.train().size();
        }
        return new LabelledData(v, y, f, tasks.get(0).train().classes());
    }

    /**
     * Split tasks (task-incremental): task t holds the samples of classes [t k, (t + 1) k) and answers with
     * those output units only.
     */
    public static List<Task> split(LabelledData train, LabelledData test, int classesPerTask) {
        List<Task> out = new ArrayList<>();
        for (int first = 0; first + classesPerTask <= train.classes(); first += classesPerTask) {
            int[] classes = new int[classesPerTask];
            for (int q = 0; q < classesPerTask; q++) {
                classes[q] = first + q;
            }
            out.add(new Task("classes " + first + "-" + (first + classesPerTask - 1), only(train, classes),
                    only(test, classes), classes));
        }
        return out;
    }

    private static LabelledData only(LabelledData d, int[] classes) {
        int f = d.features();
        int n = 0;
        for (int y : d.labels()) {
            n += java.util.Arrays.stream(classes).anyMatch(c -> c == y) ? 1 : 0;
        }
        float[] v = new float[n * f];
        int[] labels = new int[n];
        int k = 0;
        for (int i = 0; i < d.size(); i++) {
            int y = d.labels()[i];
            if (java.util.Arrays.stream(classes).anyMatch(c -> c == y)) {
                System.arraycopy(d.values(), i * f, v, k * f, f);
                labels[k++] = y;
            }
        }
        return new LabelledData(v, labels, f, d.classes());
    }

    /** Permuted tasks: task t applies a seeded permutation of the features to every sample (task 0 too). */
    public static List<Task> permuted(LabelledData train, LabelledData test, int tasks, long seed) {
        List<Task> out = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            int[] perm = Trainer.shuffle(train.features(), seed * 1_000_003L + t, 0);
            out.add(new Task("task " + t, permute(train, perm), permute(test, perm)));
        }
        return out;
    }

    private static LabelledData permute(LabelledData d, int[] perm) {
        int f = d.features();
        float[] v = new float[d.values().length];
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < f; j++) {
                v[i * f + j] = d.values()[i * f + perm[j]];
            }
        }
        return new LabelledData(v, d.labels().clone(), f, d.classes());
    }
}
