/* Exit codes a bento firmware ends QEMU with. src/run/exit-codes.ts mirrors this file (a test
 * checks they agree). 0..123 belong to the program itself. Fault codes keep clear of 128 + the
 * signals a process is usually killed with (129, 130, 137, 143), so the two never mix. */
#ifndef BENTO_EXIT_CODES_H
#define BENTO_EXIT_CODES_H

#define BENTO_EXIT_TIMEOUT     124 /* host side: the firmware did not exit in time */
#define BENTO_EXIT_TRAP        134 /* a Wasm guest trapped (128 + SIGABRT, like a crashed process) */
#define BENTO_EXIT_HARDFAULT   150
#define BENTO_EXIT_MEMMANAGE   151
#define BENTO_EXIT_BUSFAULT    152
#define BENTO_EXIT_USAGEFAULT  153
#define BENTO_EXIT_UNEXPECTED  154 /* an interrupt nobody handles, or NMI */
#define BENTO_EXIT_BOX_PANIC   155 /* a box with on-fault = "panic" aborted */

#endif
