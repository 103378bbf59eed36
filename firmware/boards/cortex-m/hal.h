/*
 * What a microcontroller board provides to run Myelin's runtime behind the serial protocol. A board support file
 * implements these for its chip (UART or USB CDC, a microsecond timer, the image slots' memory and their writes, and
 * optionally keeping the slots' bookkeeping across resets); board.c does the rest.
 */
#ifndef MYELIN_HAL_H
#define MYELIN_HAL_H

#include <stddef.h>
#include <stdint.h>

#include "../../src/myelin_board.h"

void hal_init(void);
/* Reads up to n received bytes without blocking; returns how many. */
size_t hal_serial_read(uint8_t *buf, size_t n);
void hal_serial_write(const uint8_t *buf, size_t n);
uint32_t hal_micros(void);
/*
 * The memory of image slot k and its capacity. With *programmed = 1 it is memory-mapped flash that only hal_store
 * writes (the runtime then executes images in place); with 0 it is RAM that board.c fills and hal_store may persist.
 */
uint8_t *hal_slot(int k, uint32_t *capacity, int *programmed);
/* Stores n bytes at offset of image slot k; 0 when they are safely stored. */
int hal_store(int k, uint32_t offset, const uint8_t *data, uint32_t n);
/* Fills the slots' bookkeeping (length, confirmed, state, sha) as saved before the last reset; returns the active slot
   or -1. A board that keeps nothing across resets leaves the slots empty and returns -1. */
int hal_restore(mb_slot slot[MB_SLOTS]);
void hal_save_slot(int k, const mb_slot *slot);
void hal_save_active(int active);

#endif
