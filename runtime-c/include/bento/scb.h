/* The ARMv7-M System Control Block registers the runtime touches. */
#ifndef BENTO_SCB_H
#define BENTO_SCB_H

#include <stdint.h>

#define BENTO_REG(addr) (*(volatile uint32_t *)(addr))

#define SCB_ICSR  BENTO_REG(0xE000ED04u)
#define SCB_VTOR  BENTO_REG(0xE000ED08u)
#define SCB_CCR   BENTO_REG(0xE000ED14u)
#define SCB_SHCSR BENTO_REG(0xE000ED24u)
#define SCB_CFSR  BENTO_REG(0xE000ED28u)
#define SCB_HFSR  BENTO_REG(0xE000ED2Cu)
#define SCB_MMFAR BENTO_REG(0xE000ED34u)
#define SCB_BFAR  BENTO_REG(0xE000ED38u)
#define SCB_CPACR BENTO_REG(0xE000ED88u)

#define SHCSR_MEMFAULTENA (1u << 16)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_USGFAULTENA (1u << 18)
/* Pending bits of UsageFault, MemManage, BusFault and SVCall. */
#define SHCSR_PENDED ((1u << 12) | (1u << 13) | (1u << 14) | (1u << 15))

#define CFSR_MMARVALID (1u << 7)
#define CFSR_BFARVALID (1u << 15)
#define CFSR_MSTKERR   (1u << 4)
#define CFSR_STKERR    (1u << 12)
#define CFSR_UNALIGNED (1u << 24)

static inline void bento_barrier(void) {
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

#endif
