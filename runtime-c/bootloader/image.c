/* Checks an application header against the image it describes. */
#include "image.h"

#include "crc32.h"
#include "layout.h"

typedef struct {
    uint32_t magic;
    uint32_t size;
    uint32_t crc32;
    uint32_t reserved;
} image_header;

/* An image shorter than this has no initial stack pointer and reset vector. */
#define IMAGE_MIN_SIZE 8u

uint32_t image_vectors(uint32_t header_address) {
    if (header_address < SLOT_START || header_address % 4u != 0 ||
        header_address > SLOT_END - IMAGE_OFFSET) {
        return 0;
    }
    const image_header *header = (const image_header *)header_address;
    const uint32_t image = header_address + IMAGE_OFFSET;
    if (header->magic != IMAGE_MAGIC || header->size < IMAGE_MIN_SIZE ||
        header->size > SLOT_END - image) {
        return 0;
    }
    if (crc32_of((const uint8_t *)image, header->size) != header->crc32) {
        return 0;
    }
    return image;
}
