/* Host interrupt handlers. A recipe names them (host.interrupts.<name>: irq, handler, priority);
 * bento generates bento_irq_table from it (build/<board>/glue/interrupts.c), and every external
 * vector of bento's table goes to one dispatcher (runtime-c/irq/) that runs the line's handler
 * between bento_budget_irq_enter() and bento_budget_irq_exit(). At reset each declared line gets
 * its priority; no line is enabled: the host enables one with bento_irq_enable() once its
 * peripheral is set up. Priority 0 (the highest) is bento's own: SVC, MemManage, BusFault and
 * UsageFault (and SysTick while a box's budget counts), so no handler preempts the box boundary. */
#ifndef BENTO_IRQ_H
#define BENTO_IRQ_H

#include <stddef.h>
#include <stdint.h>

/* External vectors in bento's vector table (runtime-c/startup/startup.c): one per line of the
 * board's NVIC (cpu.irqs), and the table's alignment (its size rounded up to a power of two, at
 * least 128 bytes, as VTOR requires). bento passes both to every C file it compiles, from
 * vectorTable() in src/plan/interrupts.ts. */
#if !defined(BENTO_IRQ_VECTORS) || !defined(BENTO_VECTOR_TABLE_ALIGN)
#error "BENTO_IRQ_VECTORS and BENTO_VECTOR_TABLE_ALIGN come from the board (bento's compile flags)"
#endif

/* One line of the table: the host's handler (NULL: undeclared, so the line ends in the
 * unexpected-exception report, exit 154) and the byte for its NVIC priority register (the
 * recipe's priority shifted into the implemented top bits). */
typedef struct {
    void (*handler)(void);
    uint8_t priority;
} bento_irq_entry_t;

/* Lines the table covers; a weak empty table (0 lines) in images without declared interrupts. */
extern const uint32_t bento_irq_lines;
extern const bento_irq_entry_t bento_irq_table[];

/* The vector of every external interrupt. */
void bento_irq_vector(void);

/* Around each handler. box/budget.c pauses a box's CPU budget while the host handler runs;
 * bento_budget_irq_exit gets the EXC_RETURN the dispatcher was entered with, is tail-called,
 * and may not return to the dispatcher (it can abort the interrupted box). Weak no-ops in
 * images without boxes. */
void bento_budget_irq_enter(void);
void bento_budget_irq_exit(uint32_t exc_return);

/* Lines boxes own (box.<name>.interrupts). The line's vector runs bento_irq_defer, the top half:
 * it masks the line, notes it and pends PendSV. PendSV (the lowest priority, so only once no
 * handler runs) finds the host in Thread mode and has it run bento's runner there, as if the host
 * had called it: the runner calls each noted box's handler export as an ordinary box call (its
 * budget and fault policy apply) and unmasks the line after, unless the box is held dead. While a
 * box runs, or a budget counts, the runner waits for the box's return to the host. Generated in
 * build/<board>/glue/interrupts.c. */
struct bento_box;
typedef struct {
    uint32_t line;
    struct bento_box *box;
    int32_t (*call)(void); /* the box's handler through its checked call: 0 or an error code */
} bento_irq_deferred_t;

/* What happened on a box's line, for the host to read. */
typedef struct {
    uint32_t raised;      /* top halves: times the line was taken */
    uint32_t handled;     /* bottom halves run */
    uint32_t failed;      /* of those, how many returned an error */
    int32_t last_error;   /* the latest error, 0 if none */
} bento_irq_box_stats_t;

extern const uint32_t bento_irq_deferred_count;
extern const bento_irq_deferred_t bento_irq_deferred[];
extern bento_irq_box_stats_t bento_irq_box_stats[];

/* The vector handler of a box's line. */
void bento_irq_defer(void);

/* The statistics of box-owned line n, or NULL if no box owns it. */
const bento_irq_box_stats_t *bento_irq_box_stats_of(uint32_t n);

/* Nonzero while a box-owned line waits for its handler: box/svc.c looks at it when a box
 * returns to the host, and pends PendSV again so the runner goes on. */
extern volatile uint32_t bento_irq_waiting;

#define BENTO_NVIC_ISER(n) (*(volatile uint32_t *)(0xE000E100u + 4u * ((n) >> 5)))
#define BENTO_NVIC_ICER(n) (*(volatile uint32_t *)(0xE000E180u + 4u * ((n) >> 5)))
#define BENTO_NVIC_ISPR(n) (*(volatile uint32_t *)(0xE000E200u + 4u * ((n) >> 5)))
#define BENTO_NVIC_ICPR(n) (*(volatile uint32_t *)(0xE000E280u + 4u * ((n) >> 5)))
#define BENTO_NVIC_IPR(n)  (*(volatile uint8_t *)(0xE000E400u + (n)))
/* The priority byte of system exception e (4 MemManage ... 15 SysTick), in SHPR1-3. */
#define BENTO_SHPR(e)      (*(volatile uint8_t *)(0xE000ED18u + (e) - 4u))

/* Lines the host keeps disabled, one bit each (all of them at reset): the runner of a box's line
 * unmasks it after the box's handler only if the host has it enabled. */
extern volatile uint32_t bento_irq_off[(BENTO_IRQ_VECTORS + 31) / 32];

/* Lets line n interrupt (once its peripheral asks). */
static inline void bento_irq_enable(uint32_t n) {
    __atomic_fetch_and(&bento_irq_off[n >> 5], ~(1u << (n & 31u)), __ATOMIC_RELAXED);
    BENTO_NVIC_ISER(n) = 1u << (n & 31u);
}

/* Stops line n; when it returns, the line's handler is not running and will not start (a box's
 * line: its handler may still run once, for an interrupt taken before, and leaves it masked). */
static inline void bento_irq_disable(uint32_t n) {
    __atomic_fetch_or(&bento_irq_off[n >> 5], 1u << (n & 31u), __ATOMIC_RELAXED);
    BENTO_NVIC_ICER(n) = 1u << (n & 31u);
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}

/* Marks line n pending, as if its peripheral had asked: it runs once enabled. */
static inline void bento_irq_pend(uint32_t n) {
    BENTO_NVIC_ISPR(n) = 1u << (n & 31u);
}

/* Forgets a pending request of line n. */
static inline void bento_irq_unpend(uint32_t n) {
    BENTO_NVIC_ICPR(n) = 1u << (n & 31u);
}

#endif
