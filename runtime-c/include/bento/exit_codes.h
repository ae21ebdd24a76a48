/* Exit codes a bento firmware ends QEMU with. src/run/exit-codes.ts mirrors this file (a test
 * checks they agree). 0..123 belong to the program itself. */
#ifndef BENTO_EXIT_CODES_H
#define BENTO_EXIT_CODES_H

#define BENTO_EXIT_TIMEOUT     124 /* host side: the firmware did not exit in time */
#define BENTO_EXIT_NO_EMULATOR 125 /* host side: QEMU could not run the firmware */
#define BENTO_EXIT_TRAP        134 /* a Wasm guest trapped (128 + SIGABRT, like a crashed process) */
#define BENTO_EXIT_HARDFAULT   140
#define BENTO_EXIT_MEMMANAGE   141
#define BENTO_EXIT_BUSFAULT    142
#define BENTO_EXIT_USAGEFAULT  143
#define BENTO_EXIT_UNEXPECTED  144 /* an interrupt nobody handles, or NMI */

#endif
