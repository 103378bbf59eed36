/*
 * Myelin on a microcontroller: the protocol's board side (myelin_board.c) over the HAL of hal.h. Image slots live in
 * RAM (MB_SLOT_BYTES each; size them for the chip: two 96 KiB slots fit an RP2040's 264 KiB with the runtime's
 * arena) and are written through hal_store as they arrive.
 */
#include "../../src/myelin_board.h"
#include "hal.h"

#ifndef MB_SLOT_BYTES
#define MB_SLOT_BYTES (96u * 1024u)
#endif

static uint8_t slots[MB_SLOTS][MB_SLOT_BYTES];
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

int main(void) {
    hal_init();
    for (int k = 0; k < MB_SLOTS; k++) {
        board.slot[k].data = slots[k];
    }
    mb_port port = {0, port_write, port_micros, port_store, 0, 0, MB_SLOT_BYTES};
    mb_init(&board, &port, -1);
    uint8_t buf[64];
    for (;;) {
        size_t n = hal_serial_read(buf, sizeof buf);
        if (n) {
            mb_receive(&board, buf, n);
        }
    }
}
