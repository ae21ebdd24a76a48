/* The application header at the start of the slot: magic "BNTO", image size, CRC-32 of the
 * image, a reserved word, then 0xFF to 256 bytes; the image follows at +0x100. */
#ifndef BOOTLOADER_IMAGE_H
#define BOOTLOADER_IMAGE_H

#include <stdint.h>

#define IMAGE_MAGIC 0x4f544e42u /* "BNTO" in little-endian memory */

/* The vector table of the image whose header is at `header_address` (resolved) when the header
 * is valid (magic, size inside the slot, CRC over the image), else 0. */
uint32_t image_vectors(uint32_t header_address);

#endif
