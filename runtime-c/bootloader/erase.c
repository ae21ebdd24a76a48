/* ERASE (0x43, 8-bit page numbers) and EXTENDED_ERASE (0x44, 16-bit, big-endian). Pages are
 * collected in a bitmap while they arrive and erased only once the checksum matched and every
 * page was erasable: a list that names one of the bootloader's pages gets NACK and changes
 * nothing. A mass erase clears the application slot, never the bootloader. */
#include <stdbool.h>
#include <stdint.h>

#include "commands.h"
#include "flash.h"
#include "frame.h"
#include "layout.h"
#include "protocol.h"

static uint32_t chosen_pages[PAGE_COUNT / 32];

static void choose_no_pages(void) {
    /* volatile: there is no libc, and clang would make this loop a memset call. */
    volatile uint32_t *words = chosen_pages;
    for (uint32_t i = 0; i < PAGE_COUNT / 32; i++) {
        words[i] = 0;
    }
}

static bool choose_page(uint32_t page) {
    if (!flash_can_erase_page(page)) {
        return false;
    }
    chosen_pages[page / 32] |= 1u << (page % 32);
    return true;
}

static void erase_chosen_pages(void) {
    for (uint32_t page = 0; page < PAGE_COUNT; page++) {
        if (chosen_pages[page / 32] & (1u << (page % 32))) {
            flash_erase_page(page);
        }
    }
}

/* Reads `count` page numbers of `width` bytes each and the checksum that closes the list;
 * `checksum` already holds the XOR of the count bytes. */
static void erase_listed_pages(uint32_t count, uint32_t width, uint8_t checksum) {
    choose_no_pages();
    bool all_erasable = true;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t page = 0;
        for (uint32_t b = 0; b < width; b++) {
            uint8_t byte;
            if (!frame_receive(&byte)) {
                return;
            }
            page = (page << 8) | byte;
            checksum ^= byte;
        }
        /* Keep reading after a bad page so the reply comes where the host expects it. */
        all_erasable &= choose_page(page);
    }
    uint8_t expected;
    if (!frame_receive(&expected)) {
        return;
    }
    if (expected != checksum || !all_erasable) {
        frame_nack();
        return;
    }
    erase_chosen_pages();
    frame_ack();
}

/* The special count has arrived; `checksum` is what must follow it. */
static void erase_everything(bool allowed, uint8_t checksum) {
    uint8_t expected;
    if (!frame_receive(&expected)) {
        return;
    }
    if (!allowed || expected != checksum) {
        frame_nack();
        return;
    }
    flash_erase_slot();
    frame_ack();
}

/* N (pages - 1) then N+1 page bytes and their XOR with N; or 0xFF 0x00 for all pages. */
void command_erase(void) {
    uint8_t count_minus_one;
    if (!frame_receive(&count_minus_one)) {
        return;
    }
    if (count_minus_one == ERASE_ALL_PAGES) {
        erase_everything(true, (uint8_t)~ERASE_ALL_PAGES);
        return;
    }
    erase_listed_pages(count_minus_one + 1u, 1, count_minus_one);
}

/* N (pages - 1, two bytes) then N+1 two-byte page numbers and the XOR of all; or 0xFFFF 0x00
 * for a mass erase. The other 0xFFFx codes (bank erases, reserved) get NACK. */
void command_extended_erase(void) {
    uint8_t high;
    uint8_t low;
    if (!frame_receive(&high) || !frame_receive(&low)) {
        return;
    }
    const uint32_t count_minus_one = ((uint32_t)high << 8) | low;
    const uint8_t checksum = high ^ low;
    if (count_minus_one >= EXTENDED_ERASE_FIRST_CODE) {
        erase_everything(count_minus_one == EXTENDED_ERASE_MASS, checksum);
        return;
    }
    erase_listed_pages(count_minus_one + 1u, 2, checksum);
}
