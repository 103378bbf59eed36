/*
 * Myelin serial protocol, version 2 (the Java side: org.myelin.backend.edge.Board).
 *
 * Frames are SLIP-delimited (END 0xC0; ESC 0xDB, 0xC0 -> DB DC, 0xDB -> DB DD). Inside a frame, little-endian:
 *   type u8 | seq u8 | length u16 | payload[length] | crc32 u32 (IEEE, over type..payload)
 * The host sends requests; the board answers each with a frame of type (request | 0x80) and the same seq, or with
 * NAK (0x7F, the seq, payload: reason u8) when a frame fails its CRC or makes no sense. A request that arrives again
 * with the seq of the last one is answered from the cache, not executed twice (the host retransmits when an answer
 * is lost or damaged).
 *
 *   HELLO   0x01  u16 protocol          -> u16 protocol, u16 image format, u32 max image bytes, u8 slots, u8 active
 *   INFO    0x02  -                     -> u8 active, then per slot: u8 state, u32 length, u32 confirmed, u8 sha[32]
 *   BEGIN   0x10  u8 slot, u32 length, u8 sha[32]  -> u32 confirmed offset (kept when the same image was begun)
 *   CHUNK   0x11  u8 slot, u32 offset, data         -> u32 confirmed offset (data accepted only at that offset)
 *   VERIFY  0x12  u8 slot               -> u8 status (0 ok; SHA-256 of the slot vs announced, then the image's own checks)
 *   ACTIVATE 0x13 u8 slot               -> u8 status, u8 active: self-test (load within this board's limits, run an
 *                                          empty window); on failure the previous image stays active (rollback)
 *   RUN     0x20  u16 steps, u16 inputs, spikes bit-packed (step-major, LSB first) -> u16 counts[classes],
 *                                          u32 latency us, u32 accumulates, u32 multiply-accumulates   (spike models)
 *   RUNV    0x22  u16 steps, u16 inputs, i16 values (step-major, Q input_frac) -> as RUN           (value models)
 *   STATS   0x21  -                     -> u32 windows, u64 total latency us, u32 max latency us, u64 accumulates,
 *                                          u64 multiply-accumulates
 */
#ifndef MYELIN_PROTO_H
#define MYELIN_PROTO_H

#define MP_VERSION 2
#define MP_END 0xC0
#define MP_ESC 0xDB
#define MP_ESC_END 0xDC
#define MP_ESC_ESC 0xDD

enum mp_type {
    MP_HELLO = 0x01,
    MP_INFO = 0x02,
    MP_BEGIN = 0x10,
    MP_CHUNK = 0x11,
    MP_VERIFY = 0x12,
    MP_ACTIVATE = 0x13,
    MP_RUN = 0x20,
    MP_STATS = 0x21,
    MP_RUNV = 0x22,
    MP_NAK = 0x7F
};

enum mp_nak {
    MP_NAK_CRC = 1,
    MP_NAK_SHORT = 2,
    MP_NAK_UNKNOWN = 3,
    MP_NAK_ARGUMENT = 4,
    MP_NAK_VERSION = 5,
    MP_NAK_STATE = 6
};

enum mp_slot_state { MP_EMPTY = 0, MP_PARTIAL = 1, MP_COMPLETE = 2, MP_VERIFIED = 3 };

#endif
