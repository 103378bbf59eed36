/*
 * Myelin edge runtime: executes a Myelin model image (format version 1, see ModelImage.java) in fixed point.
 * Portable C99, no malloc: the model points into the caller's image buffer, the membranes live in a static arena of
 * MRT_MAX_NEURONS int32 values. The arithmetic is the Java reference's (FixedPointMlp.java) bit for bit:
 *
 *   D(x; a, b, sign) = x - asr(x, a) + sign * asr(x, b)    (b == 0: no second term; asr: arithmetic shift right)
 *   I = bias[j] + sum over input spikes i of (w[i][j] << frac)
 *       + sum over the layer's own spikes k of the previous step of (r[k][j] << frac)   (recurrent layers)
 *   leaky:    v = D(v; a, b, sign) + I
 *   synaptic: s = D(s; a2, b2, sign2) + I;  v = D(v; a, b, sign) + s
 *   spike when v > threshold; then v -= threshold (reset by subtraction) or v = 0     (two's complement, wrapping)
 */
#ifndef MYELIN_RT_H
#define MYELIN_RT_H

#include <stddef.h>
#include <stdint.h>

#ifndef MRT_MAX_LAYERS
#define MRT_MAX_LAYERS 8
#endif
#ifndef MRT_MAX_NEURONS
#define MRT_MAX_NEURONS 4096 /* neurons of all layers together; the arena holds 4 words per neuron */
#endif
#ifndef MRT_MAX_INPUTS
#define MRT_MAX_INPUTS 1024
#endif

enum mrt_status {
    MRT_OK = 0,
    MRT_TOO_SHORT = 1,
    MRT_BAD_MAGIC = 2,
    MRT_BAD_VERSION = 3,
    MRT_BAD_LENGTH = 4,
    MRT_BAD_SECTION = 5,
    MRT_BAD_CRC = 6,
    MRT_BAD_HASH = 7,
    MRT_TOO_LARGE = 8,
    MRT_BAD_INPUT = 9
};

typedef struct {
    uint32_t in, out;
    uint8_t bits, frac, shift_a, shift_b;
    int8_t sign_b;
    uint8_t subtract;
    uint8_t syn_a, syn_b;   /* synaptic decay shifts (syn_a == 0: a leaky layer) */
    int8_t syn_sign;
    uint8_t recurrent;
    int32_t threshold;
    const uint8_t *weights;   /* in x out, int8 bytes or int4 nibbles (low first) */
    const uint8_t *rec;       /* out x out recurrent weights, or NULL */
    const uint8_t *bias;      /* out x int32, little-endian */
    int32_t *v;               /* membranes, in the arena */
    int32_t *syn;             /* synaptic currents, in the arena */
    int32_t *input;           /* this step's input, in the arena */
    uint32_t *last;           /* the layer's spikes of the previous step, in the arena */
    uint32_t last_count;
} mrt_layer;

typedef struct {
    uint32_t inputs;
    uint16_t layers, classes;
    mrt_layer layer[MRT_MAX_LAYERS];
} mrt_model;

/* Checks the whole image (magic, version, length, section CRC-32s, SHA-256) and fills m. */
int mrt_load(const uint8_t *img, size_t len, mrt_model *m);

/* Zeroes every membrane (the start of a window). */
void mrt_reset(mrt_model *m);

/*
 * Runs one window: spikes[t * inputs + i] is 1 when input i spikes in step t. Adds the output layer's spikes to
 * counts[classes]; ops (may be NULL) gets {accumulates, neuron updates, spikes} added.
 */
int mrt_run(mrt_model *m, const uint8_t *spikes, uint32_t steps, uint32_t *counts, uint64_t ops[3]);

/* CRC-32 (IEEE 802.3) and SHA-256, exposed for the serial protocol. */
uint32_t mrt_crc32(const uint8_t *p, size_t n);
void mrt_sha256(const uint8_t *p, size_t n, uint8_t out[32]);

const char *mrt_status_text(int status);

#endif
