/*
 * What a microcontroller board provides to run Myelin's runtime behind the serial protocol. A board support file
 * implements these for its chip (UART or USB CDC, a microsecond timer, flash writes); board.c does the rest.
 */
#ifndef MYELIN_HAL_H
#define MYELIN_HAL_H

#include <stddef.h>
#include <stdint.h>

void hal_init(void);
/* Reads up to n received bytes without blocking; returns how many. */
size_t hal_serial_read(uint8_t *buf, size_t n);
void hal_serial_write(const uint8_t *buf, size_t n);
uint32_t hal_micros(void);
/* Persists n bytes at offset of image slot k (flash); 0 when stored. The image is also kept in RAM by board.c. */
int hal_store(int k, uint32_t offset, const uint8_t *data, uint32_t n);

#endif
