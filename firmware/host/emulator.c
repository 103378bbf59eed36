/*
 * Board emulator: the board side of the serial protocol (src/myelin_board.c) on a host serial device, such as one end
 * of a socat pty pair, so that the Java side talks to it through jSerialComm exactly as to a board. The port keeps the
 * slots in RAM and in STATE_DIR (slot<k>.bin, slot<k>.meta, active), each chunk written before it is acknowledged, so
 * an emulator killed in the middle of an upload resumes where it was confirmed.
 *
 *   emulator DEVICE STATE_DIR [--corrupt-every N]
 *
 * --corrupt-every N flips one bit in every N-th answer after its CRC is computed (the host must retransmit).
 * The neuron arena is this build's MRT_MAX_NEURONS (compile with -DMRT_MAX_NEURONS=... to model a smaller board).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../src/myelin_board.h"

#define CAPACITY (4u << 20)

static unsigned char slots[MB_SLOTS][CAPACITY];
static const char *state_dir;
static int fd;
static mb_board board;

static void path(char *out, size_t n, const char *name, int k) {
    if (k >= 0) {
        snprintf(out, n, "%s/slot%d.%s", state_dir, k, name);
    } else {
        snprintf(out, n, "%s/%s", state_dir, name);
    }
}

static void port_write(void *ctx, const uint8_t *p, size_t n) {
    (void)ctx;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, p + done, n - done);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("write");
            exit(4);
        }
        done += (size_t)w;
    }
}

static uint32_t port_micros(void *ctx) {
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)(ts.tv_sec * 1000000u + ts.tv_nsec / 1000);
}

static int port_store(void *ctx, int k, uint32_t offset, const uint8_t *data, uint32_t n) {
    (void)ctx;
    (void)offset;
    char p[1024];
    path(p, sizeof p, "bin", k);
    FILE *d = fopen(p, "ab");
    if (!d) {
        return -1;
    }
    int ok = fwrite(data, 1, n, d) == n;
    return fclose(d) == 0 && ok ? 0 : -1;
}

static void port_save_slot(void *ctx, int k, const mb_slot *s) {
    (void)ctx;
    char p[1024];
    if (s->confirmed == 0) {
        path(p, sizeof p, "bin", k); /* a new upload: the stored bytes start again */
        FILE *d = fopen(p, "wb");
        if (d) {
            fclose(d);
        }
    }
    path(p, sizeof p, "meta", k);
    FILE *f = fopen(p, "w");
    if (!f) {
        perror(p);
        exit(4);
    }
    fprintf(f, "%u %u %u ", (unsigned)s->length, (unsigned)s->confirmed, (unsigned)s->state);
    for (int i = 0; i < 32; i++) {
        fprintf(f, "%02x", s->sha[i]);
    }
    fprintf(f, "\n");
    fclose(f);
}

static void port_save_active(void *ctx, int active) {
    (void)ctx;
    char p[1024];
    path(p, sizeof p, "active", -1);
    FILE *f = fopen(p, "w");
    if (f) {
        fprintf(f, "%d\n", active);
        fclose(f);
    }
}

/* Restores the slots from STATE_DIR; returns the active slot (-1: none). */
static int restore(void) {
    for (int k = 0; k < MB_SLOTS; k++) {
        mb_slot *s = &board.slot[k];
        s->data = slots[k];
        char p[1024];
        path(p, sizeof p, "meta", k);
        FILE *f = fopen(p, "r");
        if (!f) {
            continue;
        }
        unsigned len, conf, st;
        char hex[65];
        if (fscanf(f, "%u %u %u %64s", &len, &conf, &st, hex) == 4 && len <= CAPACITY && conf <= len) {
            s->length = len;
            s->confirmed = conf;
            s->state = (uint8_t)st;
            for (int i = 0; i < 32; i++) {
                unsigned v;
                sscanf(hex + 2 * i, "%2x", &v);
                s->sha[i] = (uint8_t)v;
            }
            path(p, sizeof p, "bin", k);
            FILE *d = fopen(p, "rb");
            size_t got = d ? fread(s->data, 1, conf, d) : 0;
            if (d) {
                fclose(d);
            }
            if (got < conf) {
                s->confirmed = (uint32_t)got;
                s->state = MP_PARTIAL;
            }
        }
        fclose(f);
    }
    int active = -1;
    char p[1024];
    path(p, sizeof p, "active", -1);
    FILE *f = fopen(p, "r");
    if (f) {
        if (fscanf(f, "%d", &active) != 1) {
            active = -1;
        }
        fclose(f);
    }
    return active;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: emulator DEVICE STATE_DIR [--corrupt-every N]\n");
        return 2;
    }
    state_dir = argv[2];
    long corrupt = 0;
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--corrupt-every") == 0) {
            corrupt = atol(argv[i + 1]);
        }
    }
    fd = open(argv[1], O_RDWR | O_NOCTTY);
    if (fd < 0) {
        perror(argv[1]);
        return 2;
    }
    struct termios t;
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(fd, TCSANOW, &t);
    }
    int active = restore();
    mb_port port = {NULL, port_write, port_micros, port_store, port_save_slot, port_save_active, CAPACITY, 0};
    mb_init(&board, &port, active);
    board.corrupt_every = corrupt;
    fprintf(stderr, "emulator ready on %s (active slot %d)\n", argv[1], board.active);
    unsigned char buf[512];
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("read");
            return 4;
        }
        if (r == 0) {
            usleep(1000);
            continue;
        }
        mb_receive(&board, buf, (size_t)r);
    }
}
