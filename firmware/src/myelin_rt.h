/*
 * Myelin edge runtime: executes a Myelin model image (format version 2, see ModelImage.java) in fixed point.
 * Portable C99, no malloc: the model points into the caller's image buffer, the neuron state lives in a static arena
 * of MRT_MAX_NEURONS x 5 words. The arithmetic is the Java reference's (FixedPointNet.java) bit for bit. Layers update
 * once per step in image order; each sums its links (the input of the step, an earlier layer's spikes of this step, or
 * any layer's spikes of the previous step):
 *
 *   D(x; a, b, sign) = x - asr(x, a) + sign * asr(x, b)    (b == 0: no second term; asr: arithmetic shift right)
 *   I = bias[j] + sum over spike links, over the source's spikes k, of (w[k][j] << frac)
 *               + sum over value links, over input channels i, of shift(x[i] * w[i][j], frac - input_frac)
 *   leaky:    v = D(v; a, b, sign) + I
 *   synaptic: s = D(s; a2, b2, sign2) + I;  v = D(v; a, b, sign) + s
 *   spike when v > threshold; then v -= threshold (reset by subtraction) or v = 0     (two's complement, wrapping)
 *
 * A block link (blocks B > 1) stores one (rows/B) x (cols/B) matrix shared by B diagonal blocks.
 */
#ifndef MYELIN_RT_H
#define MYELIN_RT_H

#include <stddef.h>
#include <stdint.h>

#ifndef MRT_MAX_LAYERS
#define MRT_MAX_LAYERS 8
#endif
#ifndef MRT_MAX_LINKS
#define MRT_MAX_LINKS 24 /* links of all layers together */
#endif
#ifndef MRT_MAX_NEURONS
#define MRT_MAX_NEURONS 4096 /* neurons of all layers together; the arena holds 5 words per neuron */
#endif
#ifndef MRT_MAX_INPUTS
#define MRT_MAX_INPUTS 1024
#endif

#define MRT_IMAGE_VERSION 2

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
    int16_t source;           /* -1: the window's input, else a layer index */
    uint8_t previous;         /* read the source's spikes of the previous step */
    uint16_t blocks;          /* 1: dense */
    uint32_t rows, cols;
    const uint8_t *weights;   /* (rows/blocks) x (cols/blocks), int8 bytes or int4 nibbles (low first) */
} mrt_link;

typedef struct {
    uint32_t out;
    uint8_t bits, frac, shift_a, shift_b;
    int8_t sign_b;
    uint8_t subtract;
    uint8_t syn_a, syn_b;   /* synaptic decay shifts (syn_a == 0: a leaky layer) */
    int8_t syn_sign;
    uint8_t links;
    uint16_t first_link;
    int32_t threshold;
    const uint8_t *bias;      /* out x int32, little-endian */
    int32_t *v;               /* membranes, in the arena */
    int32_t *syn;             /* synaptic currents, in the arena */
    int32_t *input;           /* this step's input, in the arena */
    uint32_t *cur;            /* the layer's spikes of this step, in the arena */
    uint32_t *last;           /* and of the previous step */
    uint32_t cur_count, last_count;
} mrt_layer;

typedef struct {
    uint32_t inputs;
    uint16_t layers, classes, nlinks;
    uint8_t value_input, input_frac;
    mrt_layer layer[MRT_MAX_LAYERS];
    mrt_link link[MRT_MAX_LINKS];
} mrt_model;

/* Checks the whole image (magic, version, length, section CRC-32s, SHA-256) and fills m. */
int mrt_load(const uint8_t *img, size_t len, mrt_model *m);

/* Zeroes every membrane (the start of a window). */
void mrt_reset(mrt_model *m);

/*
 * Runs one window: input[t * inputs + i] is input i in step t, 0 or 1 for a spike model, a Q(input_frac) value for a
 * value model. Adds the output layer's spikes to counts[classes]; ops (may be NULL) gets {accumulates, neuron updates,
 * spikes, multiply-accumulates} added.
 */
int mrt_run(mrt_model *m, const int16_t *input, uint32_t steps, uint32_t *counts, uint64_t ops[4]);

/* CRC-32 (IEEE 802.3) and SHA-256, exposed for the serial protocol. */
uint32_t mrt_crc32(const uint8_t *p, size_t n);
void mrt_sha256(const uint8_t *p, size_t n, uint8_t out[32]);

const char *mrt_status_text(int status);

#endif
