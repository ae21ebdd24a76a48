/* The free-running counter on an STM32 general-purpose timer (TIM2 or TIM5, 32 bits wide):
 * no prescaler, the largest auto-reload, counting up. BENTO_COUNTER_ADDRESS is its TIMx_CNT. */
#include <stdint.h>

#include "bento/counter.h"

#define TIM_BASE (BENTO_COUNTER_ADDRESS - 0x24u)
#define TIM_CR1  (*(volatile uint32_t *)(TIM_BASE + 0x00u))
#define TIM_EGR  (*(volatile uint32_t *)(TIM_BASE + 0x14u))
#define TIM_PSC  (*(volatile uint32_t *)(TIM_BASE + 0x28u))
#define TIM_ARR  (*(volatile uint32_t *)(TIM_BASE + 0x2Cu))

#define CR1_CEN  (1u << 0)
#define EGR_UG   (1u << 0)

void bento_counter_init(void) {
    TIM_CR1 = 0u;
    TIM_PSC = 0u;
    TIM_ARR = 0xFFFFFFFFu;
    TIM_EGR = EGR_UG; /* load PSC and ARR now, not at the first overflow */
    TIM_CR1 = CR1_CEN;
}
