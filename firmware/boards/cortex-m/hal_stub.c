/*
 * A HAL that does nothing: links board.c for a chip to measure the footprint (arm-none-eabi-size), not to run. Its
 * slots are RAM (ram_slots.c).
 */
#include "hal.h"

void hal_init(void) {
}

size_t hal_serial_read(uint8_t *buf, size_t n) {
    (void)buf;
    (void)n;
    return 0;
}

void hal_serial_write(const uint8_t *buf, size_t n) {
    (void)buf;
    (void)n;
}

uint32_t hal_micros(void) {
    return 0;
}
