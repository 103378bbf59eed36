/*
 * Board emulator: the runtime behind the serial protocol (src/myelin_proto.h) on a host serial device, such as one
 * end of a socat pty pair, so that the Java side talks to it through jSerialComm exactly as to a board. Slots are
 * kept in STATE_DIR (slot<k>.bin, slot<k>.meta, active), written before each chunk is acknowledged, so an emulator
 * killed in the middle of an upload resumes where it was confirmed.
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

#include "../src/myelin_proto.h"
#include "../src/myelin_rt.h"

#define SLOTS 2
#define MAX_IMAGE (4u << 20)
#define MAX_FRAME 4096

static unsigned char slot_data[SLOTS][MAX_IMAGE];
static uint32_t slot_len[SLOTS], slot_conf[SLOTS];
static uint8_t slot_state[SLOTS], slot_sha[SLOTS][32];
static int active = -1;
static mrt_model model;
static const char *state_dir;
static int fd;
static long corrupt_every;
static long answers;
static uint32_t windows_run, max_latency;
static uint64_t total_latency, accumulates;
static int have_last;
static uint8_t last_type, last_seq;
static unsigned char last_answer[MAX_FRAME * 2 + 16];
static size_t last_answer_len;

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void path(char *out, size_t n, const char *name, int k) {
    if (k >= 0) {
        snprintf(out, n, "%s/slot%d.%s", state_dir, k, name);
    } else {
        snprintf(out, n, "%s/%s", state_dir, name);
    }
}

static void save_meta(int k) {
    char p[1024];
    path(p, sizeof p, "meta", k);
    FILE *f = fopen(p, "w");
    if (!f) {
        perror(p);
        exit(4);
    }
    fprintf(f, "%u %u %u ", (unsigned)slot_len[k], (unsigned)slot_conf[k], (unsigned)slot_state[k]);
    for (int i = 0; i < 32; i++) {
        fprintf(f, "%02x", slot_sha[k][i]);
    }
    fprintf(f, "\n");
    fclose(f);
}

static void save_active(void) {
    char p[1024];
    path(p, sizeof p, "active", -1);
    FILE *f = fopen(p, "w");
    if (f) {
        fprintf(f, "%d\n", active);
        fclose(f);
    }
}

static void load_state(void) {
    for (int k = 0; k < SLOTS; k++) {
        char p[1024];
        path(p, sizeof p, "meta", k);
        FILE *f = fopen(p, "r");
        if (!f) {
            continue;
        }
        unsigned len, conf, st;
        char hex[65];
        if (fscanf(f, "%u %u %u %64s", &len, &conf, &st, hex) == 4 && len <= MAX_IMAGE && conf <= len) {
            slot_len[k] = len;
            slot_conf[k] = conf;
            slot_state[k] = (uint8_t)st;
            for (int i = 0; i < 32; i++) {
                unsigned b;
                sscanf(hex + 2 * i, "%2x", &b);
                slot_sha[k][i] = (uint8_t)b;
            }
            path(p, sizeof p, "bin", k);
            FILE *d = fopen(p, "rb");
            if (d) {
                size_t got = fread(slot_data[k], 1, conf, d);
                fclose(d);
                if (got < conf) {
                    slot_conf[k] = (uint32_t)got;
                    slot_state[k] = MP_PARTIAL;
                }
            }
        }
        fclose(f);
    }
    char p[1024];
    path(p, sizeof p, "active", -1);
    FILE *f = fopen(p, "r");
    if (f) {
        if (fscanf(f, "%d", &active) != 1) {
            active = -1;
        }
        fclose(f);
    }
    if (active >= 0 && (active >= SLOTS || mrt_load(slot_data[active], slot_len[active], &model) != MRT_OK)) {
        active = -1;
    }
}

static size_t slip(const unsigned char *raw, size_t len, unsigned char *out) {
    size_t o = 0;
    out[o++] = MP_END;
    for (size_t i = 0; i < len; i++) {
        if (raw[i] == MP_END) {
            out[o++] = MP_ESC;
            out[o++] = MP_ESC_END;
        } else if (raw[i] == MP_ESC) {
            out[o++] = MP_ESC;
            out[o++] = MP_ESC_ESC;
        } else {
            out[o++] = raw[i];
        }
    }
    out[o++] = MP_END;
    return o;
}

static void write_all(const unsigned char *p, size_t n) {
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

/* Sends a frame; with cache != 0 it is kept (undamaged) as the answer to repeat if the same request comes again. */
static void send_frame(uint8_t type, uint8_t seq, const unsigned char *payload, size_t n, int cache) {
    unsigned char raw[MAX_FRAME + 16];
    raw[0] = type;
    raw[1] = seq;
    raw[2] = (unsigned char)n;
    raw[3] = (unsigned char)(n >> 8);
    memcpy(raw + 4, payload, n);
    put32(raw + 4 + n, mrt_crc32(raw, 4 + n));
    size_t len = 8 + n;
    if (cache) {
        last_answer_len = slip(raw, len, last_answer);
    }
    answers++;
    if (corrupt_every > 0 && answers % corrupt_every == 0) {
        raw[len / 2] ^= 0x10; /* a bit error on the way to the host */
    }
    unsigned char out[2 * (MAX_FRAME + 16) + 2];
    write_all(out, slip(raw, len, out));
}

/* A NAK: not cached, and the cached answer to the last executed request stays (a damaged retransmission of it must
   not make it run twice). */
static void nak(uint8_t seq, uint8_t reason) {
    send_frame(MP_NAK, seq, &reason, 1, 0);
}

static uint32_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)(ts.tv_sec * 1000000u + ts.tv_nsec / 1000);
}

static void handle(const unsigned char *f, size_t n) {
    if (n < 8) {
        nak(n >= 2 ? f[1] : 0, MP_NAK_SHORT);
        return;
    }
    uint8_t type = f[0], seq = f[1];
    size_t len = (size_t)f[2] | (size_t)f[3] << 8;
    if (len + 8 != n || mrt_crc32(f, 4 + len) != get32(f + 4 + len)) {
        nak(seq, MP_NAK_CRC);
        return;
    }
    if (have_last && type == last_type && seq == last_seq) {
        /* a retransmitted request whose answer was lost: answer again (damaged again when due), not execute twice */
        unsigned char out[sizeof last_answer];
        memcpy(out, last_answer, last_answer_len);
        answers++;
        if (corrupt_every > 0 && answers % corrupt_every == 0) {
            out[last_answer_len / 2] ^= 0x10;
        }
        write_all(out, last_answer_len);
        return;
    }
    const unsigned char *p = f + 4;
    unsigned char a[MAX_FRAME];
    size_t an = 0;
    uint8_t answer = (uint8_t)(type | 0x80);
    switch (type) {
        case MP_HELLO: {
            if (len < 2) {
                nak(seq, MP_NAK_ARGUMENT);
                return;
            }
            unsigned v = p[0] | p[1] << 8;
            if (v != MP_VERSION) {
                nak(seq, MP_NAK_VERSION);
                return;
            }
            a[0] = MP_VERSION;
            a[1] = 0;
            a[2] = 1;
            a[3] = 0;
            put32(a + 4, MAX_IMAGE);
            a[8] = SLOTS;
            a[9] = (unsigned char)(active < 0 ? 0xFF : active);
            an = 10;
            break;
        }
        case MP_INFO: {
            a[an++] = (unsigned char)(active < 0 ? 0xFF : active);
            for (int k = 0; k < SLOTS; k++) {
                a[an++] = slot_state[k];
                put32(a + an, slot_len[k]);
                put32(a + an + 4, slot_conf[k]);
                memcpy(a + an + 8, slot_sha[k], 32);
                an += 40;
            }
            break;
        }
        case MP_BEGIN: {
            if (len != 37 || p[0] >= SLOTS || get32(p + 1) > MAX_IMAGE || get32(p + 1) < 44) {
                nak(seq, MP_NAK_ARGUMENT);
                return;
            }
            int k = p[0];
            if (k == active) {
                nak(seq, MP_NAK_STATE);
                return;
            }
            uint32_t total = get32(p + 1);
            if (!(slot_len[k] == total && memcmp(slot_sha[k], p + 5, 32) == 0 && slot_state[k] != MP_EMPTY)) {
                slot_len[k] = total;
                slot_conf[k] = 0;
                slot_state[k] = MP_PARTIAL;
                memcpy(slot_sha[k], p + 5, 32);
                char q[1024];
                path(q, sizeof q, "bin", k);
                FILE *d = fopen(q, "wb");
                if (d) {
                    fclose(d);
                }
                save_meta(k);
            }
            put32(a, slot_conf[k]);
            an = 4;
            break;
        }
        case MP_CHUNK: {
            if (len < 5 || p[0] >= SLOTS || slot_state[p[0]] == MP_EMPTY) {
                nak(seq, MP_NAK_ARGUMENT);
                return;
            }
            int k = p[0];
            uint32_t off = get32(p + 1);
            uint32_t dn = (uint32_t)(len - 5);
            if (off == slot_conf[k] && off + dn <= slot_len[k]) {
                memcpy(slot_data[k] + off, p + 5, dn);
                char q[1024];
                path(q, sizeof q, "bin", k);
                FILE *d = fopen(q, "ab");
                if (!d || fwrite(p + 5, 1, dn, d) != dn) {
                    perror(q);
                    exit(4);
                }
                fclose(d);
                slot_conf[k] += dn;
                if (slot_conf[k] == slot_len[k]) {
                    slot_state[k] = MP_COMPLETE;
                }
                save_meta(k);
            }
            put32(a, slot_conf[k]);
            an = 4;
            break;
        }
        case MP_VERIFY: {
            if (len != 1 || p[0] >= SLOTS) {
                nak(seq, MP_NAK_ARGUMENT);
                return;
            }
            int k = p[0];
            uint8_t status;
            if (slot_state[k] < MP_COMPLETE) {
                status = 0x41; /* incomplete */
            } else {
                uint8_t h[32];
                mrt_sha256(slot_data[k], slot_len[k], h);
                if (memcmp(h, slot_sha[k], 32) != 0) {
                    status = 0x40; /* not the announced image */
                } else {
                    mrt_model probe;
                    int s = mrt_load(slot_data[k], slot_len[k], &probe);
                    status = (uint8_t)(s == MRT_TOO_LARGE ? MRT_OK : s); /* the limits are the self-test's */
                    if (active >= 0) {
                        mrt_load(slot_data[active], slot_len[active], &model); /* the arena is shared */
                    }
                }
                if (status == 0) {
                    slot_state[k] = MP_VERIFIED;
                    save_meta(k);
                }
            }
            a[0] = status;
            an = 1;
            break;
        }
        case MP_ACTIVATE: {
            if (len != 1 || p[0] >= SLOTS) {
                nak(seq, MP_NAK_ARGUMENT);
                return;
            }
            int k = p[0];
            uint8_t status;
            if (slot_state[k] != MP_VERIFIED) {
                status = 0x42; /* not verified */
            } else {
                status = (uint8_t)mrt_load(slot_data[k], slot_len[k], &model);
                if (status == MRT_OK) {
                    uint8_t zero[MRT_MAX_INPUTS];
                    uint32_t counts[4096];
                    memset(zero, 0, sizeof zero);
                    memset(counts, 0, sizeof counts);
                    status = (uint8_t)mrt_run(&model, zero, 1, counts, NULL);
                }
                if (status == MRT_OK) {
                    active = k;
                    save_active();
                } else if (active >= 0) {
                    mrt_load(slot_data[active], slot_len[active], &model); /* rollback: the old image again */
                }
            }
            a[0] = status;
            a[1] = (unsigned char)(active < 0 ? 0xFF : active);
            an = 2;
            break;
        }
        case MP_RUN: {
            if (active < 0) {
                nak(seq, MP_NAK_STATE);
                return;
            }
            if (len < 4) {
                nak(seq, MP_NAK_ARGUMENT);
                return;
            }
            uint32_t steps = p[0] | p[1] << 8, inputs = p[2] | p[3] << 8;
            if (inputs != model.inputs || len != 4 + (steps * inputs + 7) / 8 || steps * inputs > 65536) {
                nak(seq, MP_NAK_ARGUMENT);
                return;
            }
            static uint8_t spikes[65536];
            for (uint32_t i = 0; i < steps * inputs; i++) {
                spikes[i] = (p[4 + i / 8] >> (i % 8)) & 1;
            }
            uint32_t counts[4096];
            memset(counts, 0, sizeof counts);
            uint64_t ops[3] = {0, 0, 0};
            uint32_t t0 = now_us();
            mrt_run(&model, spikes, steps, counts, ops);
            uint32_t lat = now_us() - t0;
            windows_run++;
            total_latency += lat;
            if (lat > max_latency) {
                max_latency = lat;
            }
            accumulates += ops[0];
            for (uint16_t c = 0; c < model.classes; c++) {
                a[an++] = (unsigned char)counts[c];
                a[an++] = (unsigned char)(counts[c] >> 8);
            }
            put32(a + an, lat);
            put32(a + an + 4, (uint32_t)ops[0]);
            an += 8;
            break;
        }
        case MP_STATS: {
            put32(a, windows_run);
            put32(a + 4, (uint32_t)total_latency);
            put32(a + 8, (uint32_t)(total_latency >> 32));
            put32(a + 12, max_latency);
            put32(a + 16, (uint32_t)accumulates);
            put32(a + 20, (uint32_t)(accumulates >> 32));
            an = 24;
            break;
        }
        default:
            nak(seq, MP_NAK_UNKNOWN);
            return;
    }
    send_frame(answer, seq, a, an, 1);
    have_last = 1;
    last_type = type;
    last_seq = seq;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: emulator DEVICE STATE_DIR [--corrupt-every N]\n");
        return 2;
    }
    state_dir = argv[2];
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--corrupt-every") == 0) {
            corrupt_every = atol(argv[i + 1]);
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
    load_state();
    fprintf(stderr, "emulator ready on %s (active slot %d)\n", argv[1], active);
    static unsigned char frame[MAX_FRAME + 16];
    size_t n = 0;
    int esc = 0, overflow = 0;
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
        for (ssize_t i = 0; i < r; i++) {
            unsigned char c = buf[i];
            if (c == MP_END) {
                if (n > 0 && !overflow) {
                    handle(frame, n);
                }
                n = 0;
                esc = 0;
                overflow = 0;
            } else if (c == MP_ESC) {
                esc = 1;
            } else {
                if (esc) {
                    c = c == MP_ESC_END ? MP_END : c == MP_ESC_ESC ? MP_ESC : c;
                    esc = 0;
                }
                if (n < sizeof frame) {
                    frame[n++] = c;
                } else {
                    overflow = 1;
                }
            }
        }
    }
}
