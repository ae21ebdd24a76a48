/* Code memory seen as flash: which addresses a host may read, program and erase, and the
 * operations themselves. The bootloader's own region is never writable. */
#ifndef BOOTLOADER_FLASH_H
#define BOOTLOADER_FLASH_H

#include <stdbool.h>
#include <stdint.h>

/* Maps an address in the STM32 flash alias to code memory; any other address is returned as is. */
uint32_t flash_resolve(uint32_t address);

/* These take resolved addresses. */
bool flash_can_read(uint32_t address, uint32_t length);
bool flash_can_write(uint32_t address, uint32_t length);
bool flash_can_erase_page(uint32_t page);

void flash_program(uint32_t address, const uint8_t *data, uint32_t length);
void flash_erase_page(uint32_t page);
/* Erases the whole application slot (what a mass erase means here). */
void flash_erase_slot(void);

#endif
