/*
 * Start-up code for STM32F4 chips (Cortex-M4): the vector table (the core's exceptions; peripheral interrupts are
 * not used: the HAL polls) and the reset handler, which copies .data from flash, zeroes .bss and calls main.
 */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);

void Reset_Handler(void);

static void Default_Handler(void) {
    for (;;) {
    }
}

void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

/* The first entry is the initial stack pointer, the others handlers. */
typedef union {
    uint32_t *stack;
    void (*handler)(void);
} vector;

__attribute__((section(".isr_vector"), used)) static const vector vectors[16] = {
    {.stack = &_estack}, {.handler = Reset_Handler}, {.handler = NMI_Handler}, {.handler = HardFault_Handler},
    {.handler = MemManage_Handler}, {.handler = BusFault_Handler}, {.handler = UsageFault_Handler}, {0}, {0}, {0}, {0},
    {.handler = SVC_Handler}, {.handler = DebugMon_Handler}, {0}, {.handler = PendSV_Handler},
    {.handler = SysTick_Handler}};

void Reset_Handler(void) {
    uint32_t *src = &_sidata;
    for (uint32_t *dst = &_sdata; dst < &_edata;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = &_sbss; dst < &_ebss;) {
        *dst++ = 0;
    }
    main();
    for (;;) {
    }
}
