/* "Flash" operations on code memory. QEMU models it as RAM, so programming is a store and
 * erasing fills with 0xFF, the value erased flash reads as. Stores go through volatile
 * pointers: there is no libc here, and clang would otherwise turn the fill into a memset call. */
#include "flash.h"

#include "layout.h"

#include "bento/scb.h"

uint32_t flash_resolve(uint32_t address) {
    if (address >= FLASH_ALIAS_BASE && address < FLASH_ALIAS_END) {
        return address - FLASH_ALIAS_BASE + CODE_BASE;
    }
    return address;
}

/* [address, address + length) lies inside [low, high), without overflowing. */
static bool span_within(uint32_t address, uint32_t length, uint32_t low, uint32_t high) {
    return address >= low && address <= high && length <= high - address;
}

bool flash_can_read(uint32_t address, uint32_t length) {
    return span_within(address, length, CODE_BASE, CODE_END) ||
           span_within(address, length, SRAM_BASE, SRAM_END);
}

bool flash_can_write(uint32_t address, uint32_t length) {
    /* Flash programs whole words; holding hosts to word-aligned starts costs them nothing. */
    return address % 4u == 0 && span_within(address, length, SLOT_START, SLOT_END);
}

bool flash_can_erase_page(uint32_t page) {
    return page >= FIRST_SLOT_PAGE && page < PAGE_COUNT;
}

void flash_program(uint32_t address, const uint8_t *data, uint32_t length) {
    volatile uint8_t *target = (volatile uint8_t *)address;
    for (uint32_t i = 0; i < length; i++) {
        target[i] = data[i];
    }
    /* Code memory may be executed next (GO): finish the stores first. */
    bento_barrier();
}

static void fill_erased(uint32_t start, uint32_t end) {
    for (volatile uint32_t *word = (volatile uint32_t *)start; word < (volatile uint32_t *)end; word++) {
        *word = 0xFFFFFFFFu;
    }
    bento_barrier();
}

void flash_erase_page(uint32_t page) {
    const uint32_t start = CODE_BASE + page * PAGE_SIZE;
    fill_erased(start, start + PAGE_SIZE);
}

void flash_erase_slot(void) {
    fill_erased(SLOT_START, SLOT_END);
}
