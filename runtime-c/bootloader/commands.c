/* The AN3155 commands other than the erases (erase.c): identification, memory read and write,
 * and GO. The table below is the one list of what is implemented and what GET reports. */
#include "commands.h"

#include <stddef.h>

#include "boot.h"
#include "flash.h"
#include "frame.h"
#include "image.h"
#include "protocol.h"

static void command_get(void);
static void command_get_version(void);
static void command_get_id(void);
static void command_read_memory(void);
static void command_go(void);
static void command_write_memory(void);

/* EXTENDED_ERASE is the listed erase: its 16-bit page numbers reach all 2048 pages, where
 * ERASE's 8-bit ones stop at 512 KiB. stm32flash uses the higher listed code. */
static const command commands[] = {
    {COMMAND_GET, true, command_get},
    {COMMAND_GET_VERSION, true, command_get_version},
    {COMMAND_GET_ID, true, command_get_id},
    {COMMAND_READ_MEMORY, true, command_read_memory},
    {COMMAND_GO, true, command_go},
    {COMMAND_WRITE_MEMORY, true, command_write_memory},
    {COMMAND_ERASE, false, command_erase},
    {COMMAND_EXTENDED_ERASE, true, command_extended_erase},
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

const command *command_find(uint8_t code) {
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (commands[i].code == code) {
            return &commands[i];
        }
    }
    return NULL;
}

/* ACK, N (= the number of codes), version, N codes, ACK. */
static void command_get(void) {
    uint8_t listed = 0;
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        listed += commands[i].listed;
    }
    frame_send(listed);
    frame_send(IDENTITY_BOOTLOADER_VERSION);
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        if (commands[i].listed) {
            frame_send(commands[i].code);
        }
    }
    frame_ack();
}

/* ACK, version, two option bytes, ACK (the UART variant's three bytes). */
static void command_get_version(void) {
    frame_send(IDENTITY_BOOTLOADER_VERSION);
    frame_send(IDENTITY_OPTION_BYTE_1);
    frame_send(IDENTITY_OPTION_BYTE_2);
    frame_ack();
}

/* ACK, N = 1, the product ID big-endian, ACK. */
static void command_get_id(void) {
    frame_send(1);
    frame_send((uint8_t)(IDENTITY_PRODUCT_ID >> 8));
    frame_send((uint8_t)IDENTITY_PRODUCT_ID);
    frame_ack();
}

/* Address frame, ACK, N-1 and its complement, ACK, N bytes. */
static void command_read_memory(void) {
    uint32_t address;
    const frame_status status = frame_receive_address(&address);
    if (status == FRAME_LOST) {
        return;
    }
    if (status == FRAME_CORRUPT || !flash_can_read(address, 1)) {
        frame_nack();
        return;
    }
    frame_ack();

    uint8_t count_minus_one;
    uint8_t complement;
    if (!frame_receive(&count_minus_one) || !frame_receive(&complement)) {
        return;
    }
    const uint32_t count = count_minus_one + 1u;
    if ((uint8_t)(count_minus_one ^ complement) != 0xFFu || !flash_can_read(address, count)) {
        frame_nack();
        return;
    }
    frame_ack();
    const volatile uint8_t *source = (const volatile uint8_t *)address;
    for (uint32_t i = 0; i < count; i++) {
        frame_send(source[i]);
    }
}

/* Address frame, ACK, then the application runs. A header at the address is honoured first;
 * otherwise the address is taken as a vector table, as real parts do. */
static void command_go(void) {
    uint32_t address;
    const frame_status status = frame_receive_address(&address);
    if (status == FRAME_LOST) {
        return;
    }
    if (status == FRAME_CORRUPT) {
        frame_nack();
        return;
    }
    uint32_t vectors = image_vectors(address);
    if (vectors == 0) {
        vectors = address;
    }
    if (!boot_can_start(vectors)) {
        frame_nack();
        return;
    }
    frame_ack();
    boot_start(vectors);
}

/* Address frame, ACK, N-1, N bytes, XOR of N-1 and the bytes, ACK. The data is held here until
 * the checksum matches, so a write cut short changes nothing. */
static void command_write_memory(void) {
    static uint8_t data[PROTOCOL_MAX_DATA];

    uint32_t address;
    const frame_status status = frame_receive_address(&address);
    if (status == FRAME_LOST) {
        return;
    }
    if (status == FRAME_CORRUPT || !flash_can_write(address, 1)) {
        frame_nack();
        return;
    }
    frame_ack();

    uint8_t count_minus_one;
    if (!frame_receive(&count_minus_one)) {
        return;
    }
    const uint32_t count = count_minus_one + 1u;
    uint8_t checksum = count_minus_one;
    for (uint32_t i = 0; i < count; i++) {
        if (!frame_receive(&data[i])) {
            return;
        }
        checksum ^= data[i];
    }
    uint8_t expected;
    if (!frame_receive(&expected)) {
        return;
    }
    if (expected != checksum || !flash_can_write(address, count)) {
        frame_nack();
        return;
    }
    flash_program(address, data, count);
    frame_ack();
}
