/*
 * Image slots in RAM (MB_SLOT_BYTES each) that board.c fills as chunks arrive; nothing is kept across a reset. Linked
 * by boards that keep images in RAM: the footprint stub, the STM32F4 port's SLOTS=ram build.
 */
#include "hal.h"

#ifndef MB_SLOT_BYTES
#define MB_SLOT_BYTES (96u * 1024u)
#endif

static uint8_t slots[MB_SLOTS][MB_SLOT_BYTES];

uint8_t *hal_slot(int k, uint32_t *capacity, int *programmed) {
    *capacity = MB_SLOT_BYTES;
    *programmed = 0;
    return slots[k];
}

int hal_store(int k, uint32_t offset, const uint8_t *data, uint32_t n) {
    (void)k;
    (void)offset;
    (void)data;
    (void)n;
    return 0; /* board.c has copied the bytes into RAM */
}

int hal_restore(mb_slot slot[MB_SLOTS]) {
    (void)slot;
    return -1;
}

void hal_save_slot(int k, const mb_slot *slot) {
    (void)k;
    (void)slot;
}

void hal_save_active(int active) {
    (void)active;
}
