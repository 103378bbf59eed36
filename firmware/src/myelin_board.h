/*
 * The board side of Myelin's serial protocol (myelin_proto.h), portable C99 without malloc: the same code runs in the
 * host emulator and on a microcontroller. A port supplies the byte output, a microsecond clock, the memory that holds
 * the image slots (RAM, or memory-mapped flash with a writer) and persistence hooks; it feeds every received byte to
 * mb_receive.
 */
#ifndef MYELIN_BOARD_H
#define MYELIN_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "myelin_proto.h"
#include "myelin_rt.h"

#define MB_SLOTS 2
#ifndef MB_MAX_FRAME
#define MB_MAX_FRAME 4096 /* largest frame payload: a 1 KiB chunk and its header need 1029 */
#endif
#ifndef MB_MAX_SPIKES
#define MB_MAX_SPIKES (8 * (MB_MAX_FRAME - 4)) /* steps x inputs of one RUN window (RUNV: half as many values fit) */
#endif

typedef struct {
    uint8_t *data;      /* capacity bytes where the slot's image lives */
    uint32_t length;    /* announced image length */
    uint32_t confirmed; /* bytes stored and acknowledged */
    uint8_t state;      /* enum mp_slot_state */
    uint8_t sha[32];    /* announced SHA-256 */
} mb_slot;

typedef struct {
    void *ctx;
    void (*write)(void *ctx, const uint8_t *bytes, size_t n);
    uint32_t (*micros)(void *ctx);
    /* Stores data at offset of slot k (the bytes are already in the slot's memory when the port keeps images in
       RAM); returns 0 when it is safely stored. May be NULL. */
    int (*store)(void *ctx, int k, uint32_t offset, const uint8_t *data, uint32_t n);
    /* Persists a slot's bookkeeping and the active slot; may be NULL. */
    void (*save_slot)(void *ctx, int k, const mb_slot *slot);
    void (*save_active)(void *ctx, int active);
    uint32_t capacity; /* bytes per slot */
    /* 1: store() itself puts the bytes where the slot's data points (memory-mapped flash programmed by the port);
       0: the board copies them into the slot's RAM first and store() only persists them */
    uint8_t store_writes;
} mb_port;

typedef struct {
    mb_port port;
    mb_slot slot[MB_SLOTS];
    int active;
    mrt_model model;
    uint32_t windows, max_latency;
    uint64_t total_latency, accumulates, macs;
    long corrupt_every; /* testing: damage one bit of every n-th answer (0: never) */
    long answers;
    int have_last;
    uint8_t last_type, last_seq;
    uint8_t last_answer[2 * (MB_MAX_FRAME + 16) + 2];
    size_t last_answer_len;
    uint8_t frame[MB_MAX_FRAME + 16];
    size_t frame_len;
    int escaped, overflow;
} mb_board;

/* Takes the port and the slots as the port restored them (data, length, confirmed, state, sha; active slot or -1);
   loads the active image, falling back to none when it does not load. */
void mb_init(mb_board *b, const mb_port *port, int active);

/* Feeds received bytes: frames are decoded, executed and answered through the port. */
void mb_receive(mb_board *b, const uint8_t *bytes, size_t n);

#endif
