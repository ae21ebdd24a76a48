/* The commands this bootloader implements, looked up by code. Each handler runs after the
 * command byte and its complement were ACKed, and sends every later reply itself. */
#ifndef BOOTLOADER_COMMANDS_H
#define BOOTLOADER_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint8_t code;
    /* GET lists it. Real parts list one erase command; the other one is accepted unlisted. */
    bool listed;
    void (*run)(void);
} command;

/* The command with this code, or NULL. */
const command *command_find(uint8_t code);

/* erase.c */
void command_erase(void);
void command_extended_erase(void);

#endif
