/* The STM32 system bootloader protocol (ST AN3155) as this bootloader speaks it: the bytes on
 * the wire and the identity it presents (an STM32F1 high-density part, bootloader v2.2). */
#ifndef BOOTLOADER_PROTOCOL_H
#define BOOTLOADER_PROTOCOL_H

#define PROTOCOL_SYNC 0x7Fu
#define PROTOCOL_ACK  0x79u
#define PROTOCOL_NACK 0x1Fu

#define COMMAND_GET            0x00u
#define COMMAND_GET_VERSION    0x01u
#define COMMAND_GET_ID         0x02u
#define COMMAND_READ_MEMORY    0x11u
#define COMMAND_GO             0x21u
#define COMMAND_WRITE_MEMORY   0x31u
#define COMMAND_ERASE          0x43u
#define COMMAND_EXTENDED_ERASE 0x44u

#define IDENTITY_BOOTLOADER_VERSION 0x22u
#define IDENTITY_PRODUCT_ID         0x0414u
#define IDENTITY_OPTION_BYTE_1      0x00u
#define IDENTITY_OPTION_BYTE_2      0x00u

/* Page counts with special meanings: ERASE's "all pages", EXTENDED_ERASE's 0xFFFx codes. */
#define ERASE_ALL_PAGES           0xFFu
#define EXTENDED_ERASE_MASS       0xFFFFu
#define EXTENDED_ERASE_FIRST_CODE 0xFFF0u

/* Data bytes one READ_MEMORY or WRITE_MEMORY carries at most. */
#define PROTOCOL_MAX_DATA 256u

#endif
