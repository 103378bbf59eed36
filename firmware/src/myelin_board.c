#include "myelin_board.h"

#include <string.h>

static void put32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void save_slot(mb_board *b, int k) {
    if (b->port.save_slot) {
        b->port.save_slot(b->port.ctx, k, &b->slot[k]);
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

/* Sends a frame; with cache != 0 it is kept (undamaged) as the answer to repeat if the same request comes again. */
static void send_frame(mb_board *b, uint8_t type, uint8_t seq, const unsigned char *payload, size_t n, int cache) {
    static unsigned char raw[MB_MAX_FRAME + 16];
    static unsigned char out[2 * (MB_MAX_FRAME + 16) + 2];
    raw[0] = type;
    raw[1] = seq;
    raw[2] = (unsigned char)n;
    raw[3] = (unsigned char)(n >> 8);
    memcpy(raw + 4, payload, n);
    put32(raw + 4 + n, mrt_crc32(raw, 4 + n));
    size_t len = 8 + n;
    if (cache) {
        b->last_answer_len = slip(raw, len, b->last_answer);
    }
    b->answers++;
    if (b->corrupt_every > 0 && b->answers % b->corrupt_every == 0) {
        raw[len / 2] ^= 0x10; /* a bit error on the way to the host (testing) */
    }
    b->port.write(b->port.ctx, out, slip(raw, len, out));
}

/* A NAK: not cached, and the cached answer to the last executed request stays (a damaged retransmission of it must
   not make it run twice). */
static void nak(mb_board *b, uint8_t seq, uint8_t reason) {
    send_frame(b, MP_NAK, seq, &reason, 1, 0);
}

static void handle(mb_board *b, const unsigned char *f, size_t n) {
    if (n < 8) {
        nak(b, n >= 2 ? f[1] : 0, MP_NAK_SHORT);
        return;
    }
    uint8_t type = f[0], seq = f[1];
    size_t len = (size_t)f[2] | (size_t)f[3] << 8;
    if (len + 8 != n || mrt_crc32(f, 4 + len) != get32(f + 4 + len)) {
        nak(b, seq, MP_NAK_CRC);
        return;
    }
    if (b->have_last && type == b->last_type && seq == b->last_seq) {
        /* a retransmitted request whose answer was lost: answer again (damaged again when due), not execute twice */
        unsigned char out[sizeof b->last_answer];
        memcpy(out, b->last_answer, b->last_answer_len);
        b->answers++;
        if (b->corrupt_every > 0 && b->answers % b->corrupt_every == 0) {
            out[b->last_answer_len / 2] ^= 0x10;
        }
        b->port.write(b->port.ctx, out, b->last_answer_len);
        return;
    }
    const unsigned char *p = f + 4;
    unsigned char a[MB_MAX_FRAME];
    size_t an = 0;
    uint8_t answer = (uint8_t)(type | 0x80);
    switch (type) {
        case MP_HELLO: {
            if (len < 2) {
                nak(b, seq, MP_NAK_ARGUMENT);
                return;
            }
            unsigned v = p[0] | p[1] << 8;
            if (v != MP_VERSION) {
                nak(b, seq, MP_NAK_VERSION);
                return;
            }
            a[0] = MP_VERSION;
            a[1] = 0;
            a[2] = MRT_IMAGE_VERSION;
            a[3] = 0;
            put32(a + 4, b->port.capacity);
            a[8] = MB_SLOTS;
            a[9] = (unsigned char)(b->active < 0 ? 0xFF : b->active);
            an = 10;
            break;
        }
        case MP_INFO: {
            a[an++] = (unsigned char)(b->active < 0 ? 0xFF : b->active);
            for (int k = 0; k < MB_SLOTS; k++) {
                a[an++] = b->slot[k].state;
                put32(a + an, b->slot[k].length);
                put32(a + an + 4, b->slot[k].confirmed);
                memcpy(a + an + 8, b->slot[k].sha, 32);
                an += 40;
            }
            break;
        }
        case MP_BEGIN: {
            if (len != 37 || p[0] >= MB_SLOTS || get32(p + 1) > b->port.capacity || get32(p + 1) < 44) {
                nak(b, seq, MP_NAK_ARGUMENT);
                return;
            }
            int k = p[0];
            if (k == b->active) {
                nak(b, seq, MP_NAK_STATE);
                return;
            }
            uint32_t total = get32(p + 1);
            if (!(b->slot[k].length == total && memcmp(b->slot[k].sha, p + 5, 32) == 0 && b->slot[k].state != MP_EMPTY)) {
                b->slot[k].length = total;
                b->slot[k].confirmed = 0;
                b->slot[k].state = MP_PARTIAL;
                memcpy(b->slot[k].sha, p + 5, 32);
                save_slot(b, k);
            }
            put32(a, b->slot[k].confirmed);
            an = 4;
            break;
        }
        case MP_CHUNK: {
            if (len < 5 || p[0] >= MB_SLOTS || b->slot[p[0]].state == MP_EMPTY) {
                nak(b, seq, MP_NAK_ARGUMENT);
                return;
            }
            int k = p[0];
            uint32_t off = get32(p + 1);
            uint32_t dn = (uint32_t)(len - 5);
            if (off == b->slot[k].confirmed && off + dn <= b->slot[k].length) {
                if (!b->port.store_writes) {
                    memcpy(b->slot[k].data + off, p + 5, dn);
                }
                if (b->port.store && b->port.store(b->port.ctx, k, off, p + 5, dn) != 0) {
                    nak(b, seq, MP_NAK_STATE); /* not stored: the host tries again */
                    return;
                }
                b->slot[k].confirmed += dn;
                if (b->slot[k].confirmed == b->slot[k].length) {
                    b->slot[k].state = MP_COMPLETE;
                }
                save_slot(b, k);
            }
            put32(a, b->slot[k].confirmed);
            an = 4;
            break;
        }
        case MP_VERIFY: {
            if (len != 1 || p[0] >= MB_SLOTS) {
                nak(b, seq, MP_NAK_ARGUMENT);
                return;
            }
            int k = p[0];
            uint8_t status;
            if (b->slot[k].state < MP_COMPLETE) {
                status = 0x41; /* incomplete */
            } else {
                uint8_t h[32];
                mrt_sha256(b->slot[k].data, b->slot[k].length, h);
                if (memcmp(h, b->slot[k].sha, 32) != 0) {
                    status = 0x40; /* not the announced image */
                } else {
                    mrt_model probe;
                    int s = mrt_load(b->slot[k].data, b->slot[k].length, &probe);
                    status = (uint8_t)(s == MRT_TOO_LARGE ? MRT_OK : s); /* the limits are the self-test's */
                    if (b->active >= 0) {
                        mrt_load(b->slot[b->active].data, b->slot[b->active].length, &b->model); /* the arena is shared */
                    }
                }
                if (status == 0) {
                    b->slot[k].state = MP_VERIFIED;
                    save_slot(b, k);
                }
            }
            a[0] = status;
            an = 1;
            break;
        }
        case MP_ACTIVATE: {
            if (len != 1 || p[0] >= MB_SLOTS) {
                nak(b, seq, MP_NAK_ARGUMENT);
                return;
            }
            int k = p[0];
            uint8_t status;
            if (b->slot[k].state != MP_VERIFIED) {
                status = 0x42; /* not verified */
            } else {
                status = (uint8_t)mrt_load(b->slot[k].data, b->slot[k].length, &b->model);
                if (status == MRT_OK) {
                    static int16_t zero[MRT_MAX_INPUTS];
                    static uint32_t counts[MRT_MAX_NEURONS];
                    memset(zero, 0, sizeof zero);
                    memset(counts, 0, sizeof counts);
                    status = (uint8_t)mrt_run(&b->model, zero, 1, counts, NULL);
                }
                if (status == MRT_OK) {
                    b->active = k;
                    if (b->port.save_active) {
                        b->port.save_active(b->port.ctx, b->active);
                    }
                } else if (b->active >= 0) {
                    mrt_load(b->slot[b->active].data, b->slot[b->active].length, &b->model); /* rollback: the old image again */
                }
            }
            a[0] = status;
            a[1] = (unsigned char)(b->active < 0 ? 0xFF : b->active);
            an = 2;
            break;
        }
        case MP_RUN:
        case MP_RUNV: {
            if (b->active < 0) {
                nak(b, seq, MP_NAK_STATE);
                return;
            }
            if (len < 4) {
                nak(b, seq, MP_NAK_ARGUMENT);
                return;
            }
            uint32_t steps = p[0] | p[1] << 8, inputs = p[2] | p[3] << 8;
            int values = type == MP_RUNV;
            uint32_t n = steps * inputs;
            uint32_t need = values ? 4 + 2 * n : 4 + (n + 7) / 8;
            if (values != b->model.value_input || inputs != b->model.inputs || len != need || n > MB_MAX_SPIKES) {
                nak(b, seq, MP_NAK_ARGUMENT);
                return;
            }
            static int16_t window[MB_MAX_SPIKES];
            for (uint32_t i = 0; i < n; i++) {
                window[i] = values ? (int16_t)(uint16_t)(p[4 + 2 * i] | p[5 + 2 * i] << 8)
                                   : (int16_t)((p[4 + i / 8] >> (i % 8)) & 1);
            }
            static uint32_t counts[MRT_MAX_NEURONS];
            memset(counts, 0, sizeof counts);
            uint64_t ops[4] = {0, 0, 0, 0};
            uint32_t t0 = b->port.micros(b->port.ctx);
            mrt_run(&b->model, window, steps, counts, ops);
            uint32_t lat = b->port.micros(b->port.ctx) - t0;
            b->windows++;
            b->total_latency += lat;
            if (lat > b->max_latency) {
                b->max_latency = lat;
            }
            b->accumulates += ops[0];
            b->macs += ops[3];
            for (uint16_t c = 0; c < b->model.classes; c++) {
                a[an++] = (unsigned char)counts[c];
                a[an++] = (unsigned char)(counts[c] >> 8);
            }
            put32(a + an, lat);
            put32(a + an + 4, (uint32_t)ops[0]);
            put32(a + an + 8, (uint32_t)ops[3]);
            an += 12;
            break;
        }
        case MP_STATS: {
            put32(a, b->windows);
            put32(a + 4, (uint32_t)b->total_latency);
            put32(a + 8, (uint32_t)(b->total_latency >> 32));
            put32(a + 12, b->max_latency);
            put32(a + 16, (uint32_t)b->accumulates);
            put32(a + 20, (uint32_t)(b->accumulates >> 32));
            put32(a + 24, (uint32_t)b->macs);
            put32(a + 28, (uint32_t)(b->macs >> 32));
            an = 32;
            break;
        }
        default:
            nak(b, seq, MP_NAK_UNKNOWN);
            return;
    }
    send_frame(b, answer, seq, a, an, 1);
    b->have_last = 1;
    b->last_type = type;
    b->last_seq = seq;
}


void mb_init(mb_board *b, const mb_port *port, int active) {
    b->port = *port;
    b->active = -1;
    b->frame_len = 0;
    b->escaped = 0;
    b->overflow = 0;
    b->have_last = 0;
    b->windows = 0;
    b->max_latency = 0;
    b->total_latency = 0;
    b->accumulates = 0;
    b->macs = 0;
    if (active >= 0 && active < MB_SLOTS && b->slot[active].state == MP_VERIFIED
            && mrt_load(b->slot[active].data, b->slot[active].length, &b->model) == MRT_OK) {
        b->active = active;
    }
}

void mb_receive(mb_board *b, const uint8_t *bytes, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char c = bytes[i];
        if (c == MP_END) {
            if (b->frame_len > 0 && !b->overflow) {
                handle(b, b->frame, b->frame_len);
            }
            b->frame_len = 0;
            b->escaped = 0;
            b->overflow = 0;
        } else if (c == MP_ESC) {
            b->escaped = 1;
        } else {
            if (b->escaped) {
                c = c == MP_ESC_END ? MP_END : c == MP_ESC_ESC ? MP_ESC : c;
                b->escaped = 0;
            }
            if (b->frame_len < sizeof b->frame) {
                b->frame[b->frame_len++] = c;
            } else {
                b->overflow = 1;
            }
        }
    }
}
