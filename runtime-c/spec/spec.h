/* The spec conformance firmware (bento spec): the step table the host generates, the results
 * buffer the generated driver fills, and what the policy and the spectest module provide. */
#ifndef BENTO_SPEC_H
#define BENTO_SPEC_H

#include <stdint.h>

/* What a step is: instantiating a module (its <prefix>_init), or one generated command function,
 * which reports its own outcome through bento_spec_pass/bento_spec_fail. */
#define BENTO_SPEC_INSTANTIATE 1u
#define BENTO_SPEC_INVOKE      2u

typedef struct bento_spec_step {
    uint32_t command; /* index of the command in the script's JSON */
    uint32_t kind;    /* BENTO_SPEC_INSTANTIATE or BENTO_SPEC_INVOKE */
    void (*run)(void);
} bento_spec_step_t;

/* Generated from templates/spec-steps.c.hbs, in command order. */
extern const bento_spec_step_t bento_spec_steps[];
extern const uint32_t bento_spec_step_count;

/* The bits of each result of the last invocation, zero-extended (src/spec/driver-ir.ts). */
#define BENTO_SPEC_MAX_RESULTS 64
extern uint64_t bento_spec_results[BENTO_SPEC_MAX_RESULTS];

/* Reports of the generated command functions. */
void bento_spec_pass(uint32_t command);
void bento_spec_fail(uint32_t command, uint32_t result_count);

/* Outcomes reported as traps beyond the Wasm kinds: the guest called proc_exit with
 * (kind - BENTO_SPEC_EXIT); the watchdog stopped a step that ran past its time limit. */
#define BENTO_SPEC_EXIT    0x100
#define BENTO_SPEC_TIMEOUT 0x200

/* Policy (policy.c): sets the guest stack limit and starts the step watchdog; runs `fn`, returning
 * 0, or the kind of the trap (or BENTO_SPEC_TIMEOUT) that unwound it. */
void bento_spec_policy_start(void);
int32_t bento_spec_protected(void (*fn)(void));

/* The spectest host module (spectest.c): back to its initial state. */
void bento_spectest_reset(void);

#endif
