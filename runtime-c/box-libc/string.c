/* memcpy, memmove and memset for native boxes: bento's block copies (runtime-c/string/fast_mem.c)
 * under the standard names, in the box's own code.
 *
 * The __aeabi_ names are what clang emits for struct copies and clears on EABI targets;
 * __aeabi_memset takes (dest, n, c), __aeabi_memclr (dest, n). */
#include "../string/fast_mem.c"

#define ALIAS(name, target) ".global " name "\n .type " name ",%function\n .thumb_set " name ", " target "\n"

__asm__(
    ".syntax unified\n"
    ".thumb\n"
    ALIAS("memcpy", "bento_memcpy") ALIAS("__aeabi_memcpy", "bento_memcpy") ALIAS("__aeabi_memcpy4", "bento_memcpy") ALIAS("__aeabi_memcpy8", "bento_memcpy")
    ALIAS("memmove", "bento_memmove") ALIAS("__aeabi_memmove", "bento_memmove") ALIAS("__aeabi_memmove4", "bento_memmove") ALIAS("__aeabi_memmove8", "bento_memmove")
    ALIAS("memset", "bento_memset")

    ".section .text.__aeabi_memclr,\"ax\",%progbits\n"
    ".global __aeabi_memclr\n .global __aeabi_memclr4\n .global __aeabi_memclr8\n"
    ".type __aeabi_memclr,%function\n .type __aeabi_memclr4,%function\n .type __aeabi_memclr8,%function\n"
    ".p2align 1\n"
    ".thumb_func\n"
    "__aeabi_memclr:\n"
    ".thumb_func\n"
    "__aeabi_memclr4:\n"
    ".thumb_func\n"
    "__aeabi_memclr8:\n"
    "    mov r2, r1\n"
    "    movs r1, #0\n"
    "    b bento_memset\n"

    ".section .text.__aeabi_memset,\"ax\",%progbits\n"
    ".global __aeabi_memset\n .global __aeabi_memset4\n .global __aeabi_memset8\n"
    ".type __aeabi_memset,%function\n .type __aeabi_memset4,%function\n .type __aeabi_memset8,%function\n"
    ".p2align 1\n"
    ".thumb_func\n"
    "__aeabi_memset:\n"
    ".thumb_func\n"
    "__aeabi_memset4:\n"
    ".thumb_func\n"
    "__aeabi_memset8:\n"
    "    mov r3, r1\n"
    "    mov r1, r2\n"
    "    mov r2, r3\n"
    "    b bento_memset\n"
    ".text\n");
