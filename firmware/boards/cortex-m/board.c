/*
 * Myelin on a microcontroller: the protocol's board side (myelin_board.c) over the HAL of hal.h. The HAL gives the
 * image slots' memory (RAM, or memory-mapped flash that it programs), the serial link and a microsecond clock, and may
 * keep the slots' bookkeeping across resets so that the active image runs again after power-up.
 */
#include "hal.h"

static mb_board board;

static void port_write(void *ctx, const uint8_t *p, size_t n) {
    (void)ctx;
    hal_serial_write(p, n);
}

static uint32_t port_micros(void *ctx) {
    (void)ctx;
    return hal_micros();
}

static int port_store(void *ctx, int k, uint32_t offset, const uint8_t *data, uint32_t n) {
    (void)ctx;
    return hal_store(k, offset, data, n);
}

static void port_save_slot(void *ctx, int k, const mb_slot *slot) {
    (void)ctx;
    hal_save_slot(k, slot);
}

static void port_save_active(void *ctx, int active) {
    (void)ctx;
    hal_save_active(active);
}

int main(void) {
    hal_init();
    uint32_t capacity = 0;
    int programmed = 0;
    for (int k = 0; k < MB_SLOTS; k++) {
        board.slot[k].data = hal_slot(k, &capacity, &programmed);
    }
    int active = hal_restore(board.slot);
    mb_port port = {0, port_write, port_micros, port_store, port_save_slot, port_save_active, capacity,
                    (uint8_t)programmed};
    mb_init(&board, &port, active);
    uint8_t buf[64];
    for (;;) {
        size_t n = hal_serial_read(buf, sizeof buf);
        if (n) {
            mb_receive(&board, buf, n);
        }
    }
}
