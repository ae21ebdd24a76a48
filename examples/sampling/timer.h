#ifndef TIMER_H
#define TIMER_H

#include <stdint.h>

/* Interrupts on TIMER0 `hz` times a second; the sensor box owns the line. */
void timer_start(uint32_t hz);
void timer_stop(void);

#endif
