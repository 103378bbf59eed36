/*
 * Host build of the runtime: runs a model image on windows from a file and prints one line per window with the
 * output spike counts, then a line of operation totals. Used by the Java tests to check the runtime against the
 * Java reference bit for bit.
 *
 *   run_windows MODEL.img WINDOWS.bin
 *   WINDOWS.bin: u32 windows, u32 steps, u32 inputs (little-endian), then windows x steps x inputs values: bytes of
 *   0/1 for a spike model, int16 little-endian (Q input_frac) for a value model
 */
#include <stdio.h>
#include <stdlib.h>

#include "../src/myelin_rt.h"

static unsigned char image[1 << 24];
static unsigned char raw[1 << 21];
static int16_t window[1 << 20];

static unsigned rd(const unsigned char *p) {
    return p[0] | p[1] << 8 | p[2] << 16 | (unsigned)p[3] << 24;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: run_windows MODEL.img WINDOWS.bin\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    size_t len = fread(image, 1, sizeof image, f);
    fclose(f);
    static mrt_model m;
    int s = mrt_load(image, len, &m);
    if (s != MRT_OK) {
        fprintf(stderr, "model image: %s (status %d)\n", mrt_status_text(s), s);
        return 3;
    }
    f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 2;
    }
    unsigned char head[12];
    if (fread(head, 1, 12, f) != 12) {
        fprintf(stderr, "windows: no header\n");
        return 2;
    }
    unsigned windows = rd(head), steps = rd(head + 4), inputs = rd(head + 8);
    size_t per = m.value_input ? 2 : 1;
    if (inputs != m.inputs || (size_t)steps * inputs > sizeof window / sizeof window[0]) {
        fprintf(stderr, "windows: %u inputs per step, the model takes %u\n", inputs, m.inputs);
        return 2;
    }
    uint64_t ops[4] = {0, 0, 0, 0};
    size_t n = (size_t)steps * inputs;
    for (unsigned w = 0; w < windows; w++) {
        if (fread(raw, per, n, f) != n) {
            fprintf(stderr, "windows: file ends in window %u\n", w);
            return 2;
        }
        for (size_t i = 0; i < n; i++) {
            window[i] = per == 2 ? (int16_t)(uint16_t)(raw[2 * i] | raw[2 * i + 1] << 8) : (int16_t)raw[i];
        }
        unsigned counts[4096] = {0};
        s = mrt_run(&m, window, steps, counts, ops);
        if (s != MRT_OK) {
            fprintf(stderr, "window %u: %s\n", w, mrt_status_text(s));
            return 3;
        }
        for (unsigned c = 0; c < m.classes; c++) {
            printf(c ? " %u" : "%u", counts[c]);
        }
        printf("\n");
    }
    printf("ops %llu %llu %llu %llu\n", (unsigned long long)ops[0], (unsigned long long)ops[1],
           (unsigned long long)ops[2], (unsigned long long)ops[3]);
    fclose(f);
    return 0;
}
