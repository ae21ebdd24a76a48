/* Runs runtime-c/wasi and runtime-c/wasm/traps.c on the board against a fake guest memory of
 * 64 KiB, the way compiled Wasm code will call them, and prints one line per failed check.
 * Ends through proc_exit(7), so the run's exit code also tests proc_exit. test/wasi/harness.test.ts
 * builds and runs it on every board. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bento/semihost.h"
#include "bento/wasi.h"
#include "bento/wasm.h"

#define MEMORY_SIZE 65536u

static uint8_t memory[MEMORY_SIZE] __attribute__((aligned(8)));
static bento_wasm_instance_t inst = {memory, MEMORY_SIZE, MEMORY_SIZE, "harness"};
static unsigned checks, failures;

#define CHECK(cond)                                                   \
    do {                                                              \
        checks++;                                                     \
        if (!(cond)) {                                                \
            failures++;                                               \
            printf("FAIL harness/main.c:%d: %s\n", __LINE__, #cond); \
        }                                                             \
    } while (0)

void bento_wasm_exit(bento_wasm_instance_t *instance, int32_t code) {
    printf("proc_exit(%ld) from %s\n", (long)code, instance->name);
    fflush(stdout);
    bento_exit(code);
}

static void put32(uint32_t at, uint32_t v) {
    for (int i = 0; i < 4; i++) memory[at + i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(uint32_t at) {
    return (uint32_t)memory[at] | (uint32_t)memory[at + 1] << 8 | (uint32_t)memory[at + 2] << 16 | (uint32_t)memory[at + 3] << 24;
}

static uint64_t get64(uint32_t at) {
    return get32(at) | (uint64_t)get32(at + 4) << 32;
}

/* Writes an iovec array at iovs: {buf, len} pairs. */
static void put_iovec(uint32_t iovs, uint32_t index, uint32_t buf, uint32_t len) {
    put32(iovs + 8 * index, buf);
    put32(iovs + 8 * index + 4, len);
}

static void test_fd_write(void) {
    /* Unaligned iovec array and result: the guest decides where things are. */
    memcpy(memory + 0x1001, "fd_write: two ", 14);
    memcpy(memory + 0x1101, "iovecs\n", 7);
    put_iovec(0x2001, 0, 0x1001, 14);
    put_iovec(0x2001, 1, 0x1101, 7);
    put_iovec(0x2001, 2, 0x1101, 0);
    put32(0x3003, 0xffffffffu);
    CHECK(bento_wasi_fd_write(&inst, 1, 0x2001, 3, 0x3003) == BENTO_WASI_ESUCCESS);
    CHECK(get32(0x3003) == 21);
    memcpy(memory + 0x1201, "fd_write: to fd 2\n", 18);
    put_iovec(0x2001, 0, 0x1201, 18);
    CHECK(bento_wasi_fd_write(&inst, 2, 0x2001, 1, 0x3003) == BENTO_WASI_ESUCCESS);
    CHECK(get32(0x3003) == 18);
    CHECK(bento_wasi_fd_write(&inst, 1, 0x2001, 0, 0x3003) == BENTO_WASI_ESUCCESS);
    CHECK(get32(0x3003) == 0);

    CHECK(bento_wasi_fd_write(&inst, 0, 0x2001, 1, 0x3003) == BENTO_WASI_EBADF);
    CHECK(bento_wasi_fd_write(&inst, 3, 0x2001, 1, 0x3003) == BENTO_WASI_EBADF);
    CHECK(bento_wasi_fd_write(&inst, -1, 0x2001, 1, 0x3003) == BENTO_WASI_EBADF);

    /* Bad ranges: nothing may be printed for any of these (the test checks the UART text). */
    put_iovec(0x2001, 0, 0x1201, 18);
    CHECK(bento_wasi_fd_write(&inst, 1, MEMORY_SIZE - 4, 1, 0x3003) == BENTO_WASI_EFAULT);   /* iovec array runs off the end */
    CHECK(bento_wasi_fd_write(&inst, 1, 0x2001, 0x20000000, 0x3003) == BENTO_WASI_EFAULT);   /* count * 8 wraps to 0 */
    CHECK(bento_wasi_fd_write(&inst, 1, 0x2001, -1, 0x3003) == BENTO_WASI_EFAULT);
    CHECK(bento_wasi_fd_write(&inst, 1, (int32_t)0xfffffff8u, 1, 0x3003) == BENTO_WASI_EFAULT); /* offset past the end */
    CHECK(bento_wasi_fd_write(&inst, 1, 0x2001, 1, MEMORY_SIZE - 3) == BENTO_WASI_EFAULT);   /* nwritten runs off */
    put_iovec(0x2001, 1, MEMORY_SIZE - 5, 6);
    CHECK(bento_wasi_fd_write(&inst, 1, 0x2001, 2, 0x3003) == BENTO_WASI_EFAULT);            /* 2nd buffer runs off */
    put_iovec(0x2001, 1, 0xfffffff0u, 0x20);
    CHECK(bento_wasi_fd_write(&inst, 1, 0x2001, 2, 0x3003) == BENTO_WASI_EFAULT);            /* buf + len wraps */
    /* Ranges that end exactly at the end of memory are inside it. */
    memcpy(memory + 0x1301, "fd_write: empty buffer at the end\n", 34);
    put_iovec(0x2001, 0, 0x1301, 34);
    put_iovec(0x2001, 1, MEMORY_SIZE, 0);
    put32(0x3003, 0xffffffffu);
    CHECK(bento_wasi_fd_write(&inst, 1, 0x2001, 2, 0x3003) == BENTO_WASI_ESUCCESS);
    CHECK(get32(0x3003) == 34);
    memcpy(memory + 0x1401, "fd_write: iovecs at the end\n", 28);
    put_iovec(MEMORY_SIZE - 8, 0, 0x1401, 28);
    CHECK(bento_wasi_fd_write(&inst, 1, MEMORY_SIZE - 8, 1, MEMORY_SIZE - 4) == BENTO_WASI_ESUCCESS);
    CHECK(get32(MEMORY_SIZE - 4) == 28);
}

static void test_fd_read_and_friends(void) {
    put_iovec(0x2001, 0, 0x1001, 100);
    put32(0x3003, 0xffffffffu);
    CHECK(bento_wasi_fd_read(&inst, 0, 0x2001, 1, 0x3003) == BENTO_WASI_ESUCCESS);
    CHECK(get32(0x3003) == 0);
    CHECK(bento_wasi_fd_read(&inst, 1, 0x2001, 1, 0x3003) == BENTO_WASI_EBADF);
    CHECK(bento_wasi_fd_read(&inst, 0, 0x2001, 1, MEMORY_SIZE) == BENTO_WASI_EFAULT);
    put_iovec(0x2001, 0, MEMORY_SIZE - 10, 11);
    CHECK(bento_wasi_fd_read(&inst, 0, 0x2001, 1, 0x3003) == BENTO_WASI_EFAULT);

    for (int32_t fd = 0; fd <= 2; fd++) {
        CHECK(bento_wasi_fd_close(&inst, fd) == BENTO_WASI_ESUCCESS);
        CHECK(bento_wasi_fd_seek(&inst, fd, 0, 0, 0x3003) == BENTO_WASI_ESPIPE);
        CHECK(bento_wasi_fd_prestat_get(&inst, fd, 0x3003) == BENTO_WASI_EBADF);
    }
    CHECK(bento_wasi_fd_close(&inst, 3) == BENTO_WASI_EBADF);
    CHECK(bento_wasi_fd_close(&inst, -1) == BENTO_WASI_EBADF);
    CHECK(bento_wasi_fd_seek(&inst, 3, 0, 0, 0x3003) == BENTO_WASI_EBADF);
    CHECK(bento_wasi_fd_prestat_get(&inst, 3, 0x3003) == BENTO_WASI_EBADF);
    CHECK(bento_wasi_fd_prestat_dir_name(&inst, 3, 0x3003, 16) == BENTO_WASI_EBADF);
    CHECK(bento_wasi_sched_yield(&inst) == BENTO_WASI_ESUCCESS);
}

static void test_fdstat(void) {
    static const uint8_t expected[24] = {2, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x3f, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x3f, 0, 0, 0, 0};
    for (int32_t fd = 0; fd <= 2; fd++) {
        memset(memory + 0x4001, 0xee, 32);
        CHECK(bento_wasi_fd_fdstat_get(&inst, fd, 0x4001) == BENTO_WASI_ESUCCESS);
        CHECK(memcmp(memory + 0x4001, expected, 24) == 0);
        CHECK(memory[0x4001 + 24] == 0xee);
    }
    CHECK(bento_wasi_fd_fdstat_get(&inst, 3, 0x4001) == BENTO_WASI_EBADF);
    CHECK(bento_wasi_fd_fdstat_get(&inst, 1, MEMORY_SIZE - 23) == BENTO_WASI_EFAULT);
    CHECK(bento_wasi_fd_fdstat_get(&inst, 1, MEMORY_SIZE - 24) == BENTO_WASI_ESUCCESS);
}

static void test_args_environ(void) {
    put32(0x3003, 0xffffffffu);
    put32(0x3007, 0xffffffffu);
    CHECK(bento_wasi_args_sizes_get(&inst, 0x3003, 0x3007) == BENTO_WASI_ESUCCESS);
    CHECK(get32(0x3003) == 0 && get32(0x3007) == 0);
    put32(0x3003, 0xffffffffu);
    CHECK(bento_wasi_environ_sizes_get(&inst, 0x3003, MEMORY_SIZE - 2) == BENTO_WASI_EFAULT);
    CHECK(get32(0x3003) == 0xffffffffu); /* nothing written when one output is bad */
    CHECK(bento_wasi_environ_sizes_get(&inst, 0x3003, 0x3007) == BENTO_WASI_ESUCCESS);
    CHECK(get32(0x3003) == 0);
    CHECK(bento_wasi_args_get(&inst, 0x3003, 0x3007) == BENTO_WASI_ESUCCESS);
    CHECK(bento_wasi_environ_get(&inst, 0x3003, MEMORY_SIZE) == BENTO_WASI_ESUCCESS);
    CHECK(bento_wasi_args_get(&inst, MEMORY_SIZE + 1, 0x3007) == BENTO_WASI_EFAULT);
    CHECK(bento_wasi_environ_get(&inst, 0x3003, -1) == BENTO_WASI_EFAULT);
}

static void test_clocks(void) {
    CHECK(bento_wasi_clock_res_get(&inst, BENTO_WASI_CLOCK_MONOTONIC, 0x5001) == BENTO_WASI_ESUCCESS);
    CHECK(get64(0x5001) == (1000000000u + BENTO_COUNTER_HZ - 1) / BENTO_COUNTER_HZ);
    CHECK(bento_wasi_clock_res_get(&inst, BENTO_WASI_CLOCK_REALTIME, 0x5001) == BENTO_WASI_ESUCCESS);
    CHECK(bento_wasi_clock_res_get(&inst, 2, 0x5001) == BENTO_WASI_EINVAL);
    CHECK(bento_wasi_clock_res_get(&inst, 1, MEMORY_SIZE - 7) == BENTO_WASI_EFAULT);

    uint64_t previous = 0;
    for (int i = 0; i < 100; i++) {
        CHECK(bento_wasi_clock_time_get(&inst, BENTO_WASI_CLOCK_MONOTONIC, 1, 0x5003) == BENTO_WASI_ESUCCESS);
        const uint64_t now = get64(0x5003);
        CHECK(now >= previous);
        previous = now;
    }
    /* 100k iterations of a short loop take well over a microsecond and well under a minute. */
    CHECK(bento_wasi_clock_time_get(&inst, BENTO_WASI_CLOCK_REALTIME, 0, 0x5003) == BENTO_WASI_ESUCCESS);
    const uint64_t t0 = get64(0x5003);
    for (volatile uint32_t i = 0; i < 100000; i++) {
    }
    CHECK(bento_wasi_clock_time_get(&inst, BENTO_WASI_CLOCK_REALTIME, 0, 0x5003) == BENTO_WASI_ESUCCESS);
    const uint64_t t1 = get64(0x5003);
    CHECK(t1 - t0 > 1000u && t1 - t0 < UINT64_C(60000000000));
    CHECK(bento_wasi_clock_time_get(&inst, 2, 0, 0x5003) == BENTO_WASI_EINVAL);
    CHECK(bento_wasi_clock_time_get(&inst, -1, 0, 0x5003) == BENTO_WASI_EINVAL);
    CHECK(bento_wasi_clock_time_get(&inst, 1, 0, MEMORY_SIZE - 7) == BENTO_WASI_EFAULT);
    CHECK(bento_wasi_clock_time_get(&inst, 1, 0, MEMORY_SIZE - 8) == BENTO_WASI_ESUCCESS);
}

static void test_random(void) {
    memset(memory + 0x6000, 0, 64);
    CHECK(bento_wasi_random_get(&inst, 0x6001, 13) == BENTO_WASI_ESUCCESS);
    CHECK(memory[0x6000] == 0 && memory[0x6001 + 13] == 0); /* nothing outside the range */
    unsigned nonzero = 0;
    for (int i = 0; i < 13; i++) nonzero += memory[0x6001 + i] != 0;
    CHECK(nonzero > 0);
    CHECK(bento_wasi_random_get(&inst, 0x6021, 13) == BENTO_WASI_ESUCCESS);
    CHECK(memcmp(memory + 0x6001, memory + 0x6021, 13) != 0);
    CHECK(bento_wasi_random_get(&inst, MEMORY_SIZE, 0) == BENTO_WASI_ESUCCESS);
    CHECK(bento_wasi_random_get(&inst, MEMORY_SIZE + 1, 0) == BENTO_WASI_EFAULT);
    CHECK(bento_wasi_random_get(&inst, MEMORY_SIZE - 16, 17) == BENTO_WASI_EFAULT);
    CHECK(bento_wasi_random_get(&inst, 16, -1) == BENTO_WASI_EFAULT);
}

static void print_trap_names(void) {
    for (int32_t kind = 0; kind <= 11; kind++) printf("trap %ld: %s\n", (long)kind, bento_wasm_trap_name(kind));
}

int main(void) {
    printf("wasi harness on %s\n", BENTO_BOARD_NAME);
    test_fd_write();
    test_fd_read_and_friends();
    test_fdstat();
    test_args_environ();
    test_clocks();
    test_random();
    print_trap_names();
    printf("wasi harness: %u checks, %u failures\n", checks, failures);
    fflush(stdout);
    if (failures != 0) return 1;
    bento_wasi_proc_exit(&inst, 7);
}
