/*
 * The HAL of hal.h for STM32F4 chips (STM32F405/407/411/446 and the like), written against the reference manual's
 * registers (RM0090 / RM0390) without a vendor library:
 *   serial  USART2 on PA2 (TX) / PA3 (RX), alternate function 7, 115200 8N1, polled: the ST-LINK virtual COM port of
 *           Nucleo-64 boards (/dev/ttyACM0 on the host). Build with USART=1 for USART1 on PA9/PA10.
 *   clock   the 16 MHz internal oscillator as left by reset (no PLL), so the peripheral clocks are 16 MHz; TIM2 counts
 *           microseconds (prescaler TIMER_HZ / 1 MHz - 1).
 *   slots   SLOTS_IN_FLASH (default): images are programmed into flash as they arrive and run in place: slot 0 at
 *           SLOT0_ADDR, slot 1 at SLOT1_ADDR, SLOT_BYTES each (default 256 KiB = two 128 KiB sectors, 6-7 and 8-9 of a
 *           1 MiB part); the slots' bookkeeping is an append-only log of records in the 16 KiB sector 2, so the
 *           active image runs again after a reset. Without SLOTS_IN_FLASH (make SLOTS=ram) the slots are RAM arrays of
 *           SLOT_BYTES (small models; nothing survives a reset): the variant that runs in QEMU, whose STM32 models
 *           have no flash controller. The RAM slots are ../cortex-m/ram_slots.c (MB_SLOT_BYTES each).
 */
#include "../cortex-m/hal.h"

#include <string.h>

#define REG(a) (*(volatile uint32_t *)(a))

#define RCC 0x40023800u
#define RCC_AHB1ENR REG(RCC + 0x30)
#define RCC_APB1ENR REG(RCC + 0x40)
#define RCC_APB2ENR REG(RCC + 0x44)
#define GPIOA 0x40020000u
#define GPIOA_MODER REG(GPIOA + 0x00)
#define GPIOA_AFRL REG(GPIOA + 0x20)
#define GPIOA_AFRH REG(GPIOA + 0x24)
#define TIM2 0x40000000u
#define TIM2_CR1 REG(TIM2 + 0x00)
#define TIM2_EGR REG(TIM2 + 0x14)
#define TIM2_CNT REG(TIM2 + 0x24)
#define TIM2_PSC REG(TIM2 + 0x28)
#define TIM2_ARR REG(TIM2 + 0x2C)

#ifndef USART
#define USART 2
#endif
#if USART == 1
#define UART_BASE 0x40011000u
#else
#define UART_BASE 0x40004400u
#endif
#define UART_SR REG(UART_BASE + 0x00)
#define UART_DR REG(UART_BASE + 0x04)
#define UART_BRR REG(UART_BASE + 0x08)
#define UART_CR1 REG(UART_BASE + 0x0C)
#define SR_RXNE (1u << 5)
#define SR_TXE (1u << 7)
#define SR_ORE (1u << 3)

#ifndef PCLK_HZ
#define PCLK_HZ 16000000u
#endif
#ifndef TIMER_HZ
#define TIMER_HZ PCLK_HZ
#endif
#ifndef BAUD
#define BAUD 115200u
#endif

void hal_init(void) {
    RCC_AHB1ENR |= 1u;                   /* GPIOA */
    RCC_APB1ENR |= 1u;                   /* TIM2 */
#if USART == 1
    RCC_APB2ENR |= 1u << 4;              /* USART1 */
    GPIOA_MODER = (GPIOA_MODER & ~(0xFu << 18)) | (0xAu << 18);          /* PA9, PA10 alternate */
    GPIOA_AFRH = (GPIOA_AFRH & ~(0xFFu << 4)) | (0x77u << 4);             /* AF7 */
#else
    RCC_APB1ENR |= 1u << 17;             /* USART2 */
    GPIOA_MODER = (GPIOA_MODER & ~(0xFu << 4)) | (0xAu << 4);            /* PA2, PA3 alternate */
    GPIOA_AFRL = (GPIOA_AFRL & ~(0xFFu << 8)) | (0x77u << 8);             /* AF7 */
#endif
    UART_BRR = (PCLK_HZ + BAUD / 2) / BAUD;
    UART_CR1 = (1u << 13) | (1u << 3) | (1u << 2); /* UE, TE, RE */
    TIM2_PSC = TIMER_HZ / 1000000u - 1;
    TIM2_ARR = 0xFFFFFFFFu;
    TIM2_EGR = 1u;                       /* load the prescaler */
    TIM2_CR1 = 1u;                       /* count */
}

size_t hal_serial_read(uint8_t *buf, size_t n) {
    size_t k = 0;
    while (k < n) {
        uint32_t sr = UART_SR;
        if (!(sr & (SR_RXNE | SR_ORE))) {
            break;
        }
        buf[k++] = (uint8_t)UART_DR; /* reading DR after SR also clears an overrun; the protocol retransmits */
        if (!(sr & SR_RXNE)) {
            k--;
        }
    }
    return k;
}

void hal_serial_write(const uint8_t *buf, size_t n) {
    for (size_t i = 0; i < n; i++) {
        while (!(UART_SR & SR_TXE)) {
        }
        UART_DR = buf[i];
    }
}

uint32_t hal_micros(void) {
    return TIM2_CNT;
}

#ifdef SLOTS_IN_FLASH

#define FLASH_R 0x40023C00u
#define FLASH_KEYR REG(FLASH_R + 0x04)
#define FLASH_SR REG(FLASH_R + 0x0C)
#define FLASH_CR REG(FLASH_R + 0x10)
#define CR_PG (1u << 0)
#define CR_SER (1u << 1)
#define CR_PSIZE32 (2u << 8)
#define CR_STRT (1u << 16)
#define CR_LOCK (1u << 31)
#define SR_BSY (1u << 16)
#define SR_ERRORS 0xF0u /* PGSERR, PGPERR, PGAERR, WRPERR */

#ifndef SLOT_BYTES
#define SLOT_BYTES (256u * 1024u)
#endif
#ifndef SLOT0_ADDR
#define SLOT0_ADDR 0x08040000u /* sectors 6-7 */
#endif
#ifndef SLOT1_ADDR
#define SLOT1_ADDR 0x08080000u /* sectors 8-9 */
#endif
#define LOG_ADDR 0x08008000u   /* sector 2, 16 KiB */
#define LOG_SECTOR 2u
#define LOG_BYTES (16u * 1024u)

static const uint32_t slot_addr[MB_SLOTS] = {SLOT0_ADDR, SLOT1_ADDR};

/* The sector that starts at address a (F4 layout: 4 x 16 KiB, 64 KiB, then 128 KiB sectors), or -1 inside one. */
static int sector_at(uint32_t a) {
    uint32_t o = a - 0x08000000u;
    if (o < 0x10000u) {
        return o % 0x4000u ? -1 : (int)(o / 0x4000u);
    }
    if (o < 0x20000u) {
        return o == 0x10000u ? 4 : -1;
    }
    return (o - 0x20000u) % 0x20000u ? -1 : (int)(5 + (o - 0x20000u) / 0x20000u);
}

static int flash_wait(void) {
    while (FLASH_SR & SR_BSY) {
    }
    uint32_t e = FLASH_SR & SR_ERRORS;
    FLASH_SR = SR_ERRORS; /* write 1 to clear */
    return e ? -1 : 0;
}

static void flash_unlock(void) {
    if (FLASH_CR & CR_LOCK) {
        FLASH_KEYR = 0x45670123u;
        FLASH_KEYR = 0xCDEF89ABu;
    }
}

static int flash_erase(unsigned sector) {
    flash_unlock();
    if (flash_wait()) {
        return -1;
    }
    FLASH_CR = CR_SER | CR_PSIZE32 | (sector << 3);
    FLASH_CR |= CR_STRT;
    int r = flash_wait();
    FLASH_CR = 0;
    return r;
}

/* Programs n bytes (n a multiple of 4, a word-aligned destination) from data. */
static int flash_program(uint32_t addr, const uint8_t *data, uint32_t n) {
    flash_unlock();
    if (flash_wait()) {
        return -1;
    }
    FLASH_CR = CR_PG | CR_PSIZE32;
    int r = 0;
    for (uint32_t i = 0; i < n && !r; i += 4) {
        uint32_t w;
        memcpy(&w, data + i, 4);
        REG(addr + i) = w;
        r = flash_wait();
    }
    FLASH_CR = 0;
    return r;
}

uint8_t *hal_slot(int k, uint32_t *capacity, int *programmed) {
    *capacity = SLOT_BYTES;
    *programmed = 1;
    return (uint8_t *)slot_addr[k];
}

int hal_store(int k, uint32_t offset, const uint8_t *data, uint32_t n) {
    uint32_t a = slot_addr[k] + offset;
    if (offset + n > SLOT_BYTES || (a & 3u)) {
        return -1;
    }
    int s = sector_at(a);
    if (s >= 0 && flash_erase((unsigned)s)) { /* a chunk that starts a sector erases it first */
        return -1;
    }
    uint8_t last[4] = {0xFF, 0xFF, 0xFF, 0xFF};
    uint32_t whole = n & ~3u;
    if (flash_program(a, data, whole)) {
        return -1;
    }
    if (whole < n) {
        memcpy(last, data + whole, n - whole);
        if (flash_program(a + whole, last, 4)) {
            return -1;
        }
    }
    return memcmp((const void *)a, data, n) ? -1 : 0;
}

/* One bookkeeping record in the log: the last valid one wins. */
typedef struct {
    uint32_t magic;
    int32_t slot;       /* the slot described, or -1 for an active-slot record */
    int32_t active;
    uint32_t length, confirmed, state;
    uint8_t sha[32];
    uint32_t check;     /* sum of the words above, so a half-written record is ignored */
} log_record;

#define LOG_MAGIC 0x4D594C47u /* "MYLG" */

static uint32_t checksum(const log_record *r) {
    const uint32_t *w = (const uint32_t *)r;
    uint32_t c = 0x9E3779B9u;
    for (size_t i = 0; i < offsetof(log_record, check) / 4; i++) {
        c = (c ^ w[i]) * 16777619u;
    }
    return c;
}

static uint32_t log_next; /* offset of the first free record */
static mb_slot shadow[MB_SLOTS];
static int shadow_active = -1;

static void log_append(const log_record *r);

static void log_compact(void) {
    flash_erase(LOG_SECTOR);
    log_next = 0;
    for (int k = 0; k < MB_SLOTS; k++) {
        log_record r = {LOG_MAGIC, k, shadow_active, shadow[k].length, shadow[k].confirmed, shadow[k].state, {0}, 0};
        memcpy(r.sha, shadow[k].sha, 32);
        r.check = checksum(&r);
        log_append(&r);
    }
}

static void log_append(const log_record *r) {
    if (log_next + sizeof *r > LOG_BYTES) {
        log_compact(); /* rewrites the current state, then appends */
    }
    flash_program(LOG_ADDR + log_next, (const uint8_t *)r, sizeof *r);
    log_next += sizeof *r;
}

int hal_restore(mb_slot slot[MB_SLOTS]) {
    log_next = 0;
    while (log_next + sizeof(log_record) <= LOG_BYTES) {
        const log_record *r = (const log_record *)(LOG_ADDR + log_next);
        if (r->magic == 0xFFFFFFFFu) {
            break; /* erased: the end of the log */
        }
        if (r->magic == LOG_MAGIC && r->check == checksum(r)) {
            if (r->slot >= 0 && r->slot < MB_SLOTS) {
                shadow[r->slot].length = r->length;
                shadow[r->slot].confirmed = r->confirmed;
                shadow[r->slot].state = (uint8_t)r->state;
                memcpy(shadow[r->slot].sha, r->sha, 32);
            }
            shadow_active = r->active;
        }
        log_next += sizeof(log_record);
    }
    for (int k = 0; k < MB_SLOTS; k++) {
        slot[k].length = shadow[k].length;
        slot[k].confirmed = shadow[k].confirmed;
        slot[k].state = shadow[k].state;
        memcpy(slot[k].sha, shadow[k].sha, 32);
    }
    return shadow_active;
}

void hal_save_slot(int k, const mb_slot *slot) {
    shadow[k].length = slot->length;
    shadow[k].confirmed = slot->confirmed;
    shadow[k].state = slot->state;
    memcpy(shadow[k].sha, slot->sha, 32);
    log_record r = {LOG_MAGIC, k, shadow_active, slot->length, slot->confirmed, slot->state, {0}, 0};
    memcpy(r.sha, slot->sha, 32);
    r.check = checksum(&r);
    log_append(&r);
}

void hal_save_active(int active) {
    shadow_active = active;
    log_record r = {LOG_MAGIC, -1, active, 0, 0, 0, {0}, 0};
    r.check = checksum(&r);
    log_append(&r);
}

#endif
