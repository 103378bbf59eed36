#include "myelin_rt.h"

#include <string.h>

static int32_t arena[5 * MRT_MAX_NEURONS];

static uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p) {
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Arithmetic shift right without relying on implementation-defined behaviour. */
static int32_t asr(int32_t x, unsigned s) {
    return x < 0 ? (int32_t)~(~(uint32_t)x >> s) : (int32_t)((uint32_t)x >> s);
}

static int32_t add32(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a + (uint32_t)b);
}

static int32_t sub32(int32_t a, int32_t b) {
    return (int32_t)((uint32_t)a - (uint32_t)b);
}

uint32_t mrt_crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
        }
    }
    return ~c;
}

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(uint32_t h[8], const uint8_t *b) {
    uint32_t w[64];
    for (int i = 0; i < 16; i++) {
        w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
    }
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = bb;
        bb = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += bb;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

void mrt_sha256(const uint8_t *p, size_t n, uint8_t out[32]) {
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        sha_block(h, p + i);
    }
    uint8_t tail[128];
    size_t r = n - i;
    memset(tail, 0, sizeof tail);
    memcpy(tail, p + i, r);
    tail[r] = 0x80;
    size_t blocks = r + 9 <= 64 ? 1 : 2;
    uint64_t bits = (uint64_t)n * 8;
    for (int k = 0; k < 8; k++) {
        tail[blocks * 64 - 1 - k] = (uint8_t)(bits >> (8 * k));
    }
    for (size_t b = 0; b < blocks; b++) {
        sha_block(h, tail + 64 * b);
    }
    for (int k = 0; k < 8; k++) {
        out[4 * k] = (uint8_t)(h[k] >> 24);
        out[4 * k + 1] = (uint8_t)(h[k] >> 16);
        out[4 * k + 2] = (uint8_t)(h[k] >> 8);
        out[4 * k + 3] = (uint8_t)h[k];
    }
}

static uint32_t packed_bytes(uint8_t bits, uint32_t n) {
    uint32_t b = bits == 8 ? n : (n + 1) / 2;
    return (b + 3) & ~3u;
}

int mrt_load(const uint8_t *img, size_t len, mrt_model *m) {
    if (len < 12 + 32) {
        return MRT_TOO_SHORT;
    }
    if (memcmp(img, "MYLN", 4) != 0) {
        return MRT_BAD_MAGIC;
    }
    if (rd16(img + 4) != MRT_IMAGE_VERSION) {
        return MRT_BAD_VERSION;
    }
    uint16_t n = rd16(img + 6);
    if (rd32(img + 8) != len) {
        return MRT_BAD_LENGTH;
    }
    const uint8_t *meta = NULL, *layr = NULL, *link = NULL, *bias = NULL, *wght = NULL;
    for (uint16_t k = 0; k < n; k++) {
        const uint8_t *e = img + 12 + 16 * k;
        uint32_t off = rd32(e + 4), l = rd32(e + 8), crc = rd32(e + 12);
        if (off < 12u + 16u * n || (uint64_t)off + l > len - 32) {
            return MRT_BAD_SECTION;
        }
        if (mrt_crc32(img + off, l) != crc) {
            return MRT_BAD_CRC;
        }
        if (memcmp(e, "META", 4) == 0) meta = img + off;
        else if (memcmp(e, "LAYR", 4) == 0) layr = img + off;
        else if (memcmp(e, "LINK", 4) == 0) link = img + off;
        else if (memcmp(e, "BIAS", 4) == 0) bias = img + off;
        else if (memcmp(e, "WGHT", 4) == 0) wght = img + off;
    }
    uint8_t h[32];
    mrt_sha256(img, len - 32, h);
    if (memcmp(h, img + len - 32, 32) != 0) {
        return MRT_BAD_HASH;
    }
    if (!meta || !layr || !link || !bias || !wght) {
        return MRT_BAD_SECTION;
    }
    m->inputs = rd32(meta);
    m->layers = rd16(meta + 4);
    m->classes = rd16(meta + 6);
    m->value_input = meta[8];
    m->input_frac = meta[9];
    m->nlinks = rd16(meta + 10);
    if (m->layers == 0 || m->layers > MRT_MAX_LAYERS || m->inputs > MRT_MAX_INPUTS || m->nlinks > MRT_MAX_LINKS) {
        return MRT_TOO_LARGE;
    }
    uint32_t used = 0;
    uint16_t li = 0;
    for (uint16_t l = 0; l < m->layers; l++) {
        const uint8_t *d = layr + 32 * l;
        mrt_layer *y = &m->layer[l];
        y->out = rd32(d);
        y->bits = d[4];
        y->frac = d[5];
        y->shift_a = d[6];
        y->shift_b = d[7];
        y->sign_b = (int8_t)d[8];
        y->subtract = d[9];
        y->syn_a = d[10];
        y->syn_b = d[11];
        y->threshold = (int32_t)rd32(d + 12);
        y->syn_sign = (int8_t)d[24];
        y->links = d[25];
        if (y->syn_sign == 0) {
            y->syn_sign = 1;
        }
        y->first_link = li;
        if (li + y->links > m->nlinks) {
            return MRT_BAD_SECTION;
        }
        for (uint8_t q = 0; q < y->links; q++, li++) {
            const uint8_t *e = link + 16 * li;
            mrt_link *k = &m->link[li];
            k->source = (int16_t)rd16(e);
            k->previous = e[2];
            k->blocks = rd16(e + 4);
            k->rows = rd32(e + 8);
            k->cols = rd32(e + 12);
            if (k->blocks == 0 || k->cols != y->out || k->rows % k->blocks || k->cols % k->blocks
                    || k->source < -1 || k->source >= (int)m->layers || (k->source >= (int)l && !k->previous)) {
                return MRT_BAD_SECTION;
            }
            k->weights = wght;
            wght += packed_bytes(y->bits, (k->rows / k->blocks) * (k->cols / k->blocks));
        }
        y->bias = bias;
        bias += 4 * y->out;
        if (used + y->out > MRT_MAX_NEURONS) {
            return MRT_TOO_LARGE;
        }
        y->v = arena + 5 * used;
        y->syn = y->v + y->out;
        y->input = y->syn + y->out;
        y->cur = (uint32_t *)(y->input + y->out);
        y->last = y->cur + y->out;
        used += y->out;
    }
    for (uint16_t q = 0; q < m->nlinks; q++) {
        const mrt_link *k = &m->link[q];
        uint32_t rows = k->source < 0 ? m->inputs : m->layer[k->source].out;
        if (k->rows != rows || (k->source < 0 && k->previous)) {
            return MRT_BAD_SECTION;
        }
    }
    mrt_reset(m);
    return MRT_OK;
}

void mrt_reset(mrt_model *m) {
    for (uint16_t l = 0; l < m->layers; l++) {
        memset(m->layer[l].v, 0, sizeof(int32_t) * m->layer[l].out);
        memset(m->layer[l].syn, 0, sizeof(int32_t) * m->layer[l].out);
        m->layer[l].cur_count = 0;
        m->layer[l].last_count = 0;
    }
}

static int32_t weight_at(const uint8_t *w, uint8_t bits, uint32_t k) {
    if (bits == 8) {
        return (int8_t)w[k];
    }
    uint8_t b = w[k >> 1];
    int32_t nib = (k & 1) ? b >> 4 : b & 0xF;
    return nib >= 8 ? nib - 16 : nib;
}

static int32_t decay(int32_t x, uint8_t a, uint8_t b, int8_t sign) {
    int32_t d = sub32(x, asr(x, a));
    if (b) {
        int32_t s2 = asr(x, b);
        d = sign > 0 ? add32(d, s2) : sub32(d, s2);
    }
    return d;
}

static int32_t shl32(int32_t x, unsigned s) {
    return (int32_t)((uint32_t)x << s);
}

int mrt_run(mrt_model *m, const int16_t *input, uint32_t steps, uint32_t *counts, uint64_t ops[4]) {
    static uint32_t active[MRT_MAX_INPUTS];
    mrt_reset(m);
    for (uint32_t t = 0; t < steps; t++) {
        const int16_t *x = input + (size_t)t * m->inputs;
        uint32_t n = 0;
        for (uint32_t i = 0; i < m->inputs; i++) {
            if (!m->value_input && x[i] != 0 && x[i] != 1) {
                return MRT_BAD_INPUT;
            }
            if (x[i]) {
                active[n++] = i;
            }
        }
        for (uint16_t l = 0; l < m->layers; l++) {
            mrt_layer *y = &m->layer[l];
            for (uint32_t j = 0; j < y->out; j++) {
                y->input[j] = (int32_t)rd32(y->bias + 4 * j);
            }
            for (uint8_t q = 0; q < y->links; q++) {
                const mrt_link *k = &m->link[y->first_link + q];
                if (k->source < 0 && m->value_input) {
                    int sh = (int)y->frac - (int)m->input_frac;
                    for (uint32_t a = 0; a < n; a++) {
                        uint32_t i = active[a];
                        int32_t xi = x[i];
                        uint32_t row = i * y->out;
                        for (uint32_t j = 0; j < y->out; j++) {
                            int32_t c = xi * weight_at(k->weights, y->bits, row + j);
                            y->input[j] = add32(y->input[j], sh >= 0 ? shl32(c, (unsigned)sh) : asr(c, (unsigned)-sh));
                        }
                    }
                    if (ops) {
                        ops[3] += (uint64_t)n * y->out;
                    }
                    continue;
                }
                const uint32_t *src;
                uint32_t count;
                if (k->source < 0) {
                    src = active;
                    count = n;
                } else if (k->previous) {
                    src = m->layer[k->source].last;
                    count = m->layer[k->source].last_count;
                } else {
                    src = m->layer[k->source].cur;
                    count = m->layer[k->source].cur_count;
                }
                uint32_t kr = k->rows / k->blocks, kc = k->cols / k->blocks;
                for (uint32_t a = 0; a < count; a++) {
                    uint32_t s = src[a];
                    /* a dense link (one block) needs no division */
                    uint32_t row = k->blocks == 1 ? s * kc : (s % kr) * kc, base = k->blocks == 1 ? 0 : (s / kr) * kc;
                    for (uint32_t j = 0; j < kc; j++) {
                        y->input[base + j] = add32(y->input[base + j],
                                                   shl32(weight_at(k->weights, y->bits, row + j), y->frac));
                    }
                }
                if (ops) {
                    ops[0] += (uint64_t)count * kc;
                }
            }
            for (uint32_t j = 0; j < y->out; j++) {
                int32_t d = decay(y->v[j], y->shift_a, y->shift_b, y->sign_b);
                if (y->syn_a) {
                    y->syn[j] = add32(decay(y->syn[j], y->syn_a, y->syn_b, y->syn_sign), y->input[j]);
                    y->v[j] = add32(d, y->syn[j]);
                } else {
                    y->v[j] = add32(d, y->input[j]);
                }
            }
            uint32_t spiked = 0;
            for (uint32_t j = 0; j < y->out; j++) {
                if (y->v[j] > y->threshold) {
                    y->cur[spiked++] = j;
                    y->v[j] = y->subtract ? sub32(y->v[j], y->threshold) : 0;
                }
            }
            y->cur_count = spiked;
            if (ops) {
                ops[1] += y->out;
                ops[2] += spiked;
            }
            if (l == m->layers - 1) {
                for (uint32_t k = 0; k < spiked; k++) {
                    counts[y->cur[k]]++;
                }
            }
        }
        for (uint16_t l = 0; l < m->layers; l++) {
            mrt_layer *y = &m->layer[l];
            uint32_t *tmp = y->last;
            y->last = y->cur;
            y->cur = tmp;
            y->last_count = y->cur_count;
            y->cur_count = 0;
        }
    }
    return MRT_OK;
}

const char *mrt_status_text(int s) {
    switch (s) {
        case MRT_OK: return "ok";
        case MRT_TOO_SHORT: return "image too short";
        case MRT_BAD_MAGIC: return "not a Myelin model image";
        case MRT_BAD_VERSION: return "model image of another format version";
        case MRT_BAD_LENGTH: return "image length does not match its header";
        case MRT_BAD_SECTION: return "a section is missing or lies outside the image";
        case MRT_BAD_CRC: return "a section fails its CRC-32";
        case MRT_BAD_HASH: return "the SHA-256 does not match";
        case MRT_TOO_LARGE: return "the model exceeds this build's MRT_MAX_* limits";
        case MRT_BAD_INPUT: return "input spikes must be 0 or 1";
        default: return "unknown status";
    }
}
