package org.myelin.backend.cpu;

import java.util.Arrays;

/**
 * A binary min-heap of events in parallel arrays, ordered by (time, kind, tie): tie is the neuron for crossings
 * (so the order does not depend on when a prediction was made) and the sending order for arrivals.
 */
final class EventHeap {
    double[] time = new double[256];
    long[] tie = new long[256];
    int[] kindTarget = new int[256];
    int[] target = new int[256];
    int[] aux = new int[256];
    double[] weight = new double[256];
    int size;

    int kind(int k) {
        return kindTarget[k];
    }

    void push(double t, int kind, int tgt, int ax, double w) {
        push(t, kind, tgt, ax, w, tgt);
    }

    void push(double t, int kind, int tgt, int ax, double w, long tieBreak) {
        if (size == time.length) {
            int n = size * 2;
            time = Arrays.copyOf(time, n);
            tie = Arrays.copyOf(tie, n);
            kindTarget = Arrays.copyOf(kindTarget, n);
            target = Arrays.copyOf(target, n);
            aux = Arrays.copyOf(aux, n);
            weight = Arrays.copyOf(weight, n);
        }
        int k = size++;
        set(k, t, tieBreak, kind, tgt, ax, w);
        while (k > 0) {
            int p = (k - 1) >>> 1;
            if (!less(k, p)) {
                break;
            }
            swap(k, p);
            k = p;
        }
    }

    private void set(int k, double t, long tb, int kind, int tgt, int ax, double w) {
        time[k] = t;
        tie[k] = tb;
        kindTarget[k] = kind;
        target[k] = tgt;
        aux[k] = ax;
        weight[k] = w;
    }

    private boolean less(int a, int b) {
        if (time[a] != time[b]) {
            return time[a] < time[b];
        }
        if (kindTarget[a] != kindTarget[b]) {
            return kindTarget[a] < kindTarget[b];
        }
        return tie[a] < tie[b];
    }

    private void swap(int a, int b) {
        double t = time[a];
        time[a] = time[b];
        time[b] = t;
        long l = tie[a];
        tie[a] = tie[b];
        tie[b] = l;
        int x = kindTarget[a];
        kindTarget[a] = kindTarget[b];
        kindTarget[b] = x;
        x = target[a];
        target[a] = target[b];
        target[b] = x;
        x = aux[a];
        aux[a] = aux[b];
        aux[b] = x;
        double w = weight[a];
        weight[a] = weight[b];
        weight[b] = w;
    }

    double topTime() {
        return time[0];
    }

    int topKind() {
        return kindTarget[0];
    }

    int topTarget() {
        return target[0];
    }

    int topAux() {
        return aux[0];
    }

    long topTie() {
        return tie[0];
    }

    double topWeight() {
        return weight[0];
    }

    void pop() {
        size--;
        if (size == 0) {
            return;
        }
        set(0, time[size], tie[size], kindTarget[size], target[size], aux[size], weight[size]);
        int k = 0;
        while (true) {
            int l = 2 * k + 1;
            if (l >= size) {
                break;
            }
            int m = l + 1 < size && less(l + 1, l) ? l + 1 : l;
            if (!less(m, k)) {
                break;
            }
            swap(k, m);
            k = m;
        }
    }
}
