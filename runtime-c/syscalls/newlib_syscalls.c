/* The newlib system calls bento firmware uses: stdout and stderr go to the console UART,
 * the heap grows between the linker's heap symbols, exit ends the emulator run. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "bento/console.h"
#include "bento/semihost.h"

extern char __bento_heap_start[];
extern char __bento_heap_end[];

int _write(int fd, const char *buf, int len) {
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    bento_console_write(buf, (size_t)len);
    return len;
}

int _read(int fd, char *buf, int len) {
    if (fd != 0) {
        errno = EBADF;
        return -1;
    }
    int n = 0;
    while (n < len) {
        int c = bento_console_getc();
        if (c < 0) {
            if (n > 0) break;
            continue;
        }
        buf[n++] = (char)c;
        if (c == '\n') break;
    }
    return n;
}

void *_sbrk(ptrdiff_t increment) {
    static char *brk = __bento_heap_start;
    if (increment > __bento_heap_end - brk || increment < __bento_heap_start - brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    char *old = brk;
    brk += increment;
    return old;
}

void _exit(int code) {
    bento_exit(code);
}

int _close(int fd) {
    (void)fd;
    return 0;
}

int _fstat(int fd, struct stat *st) {
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd) {
    return fd >= 0 && fd <= 2;
}

int _lseek(int fd, int offset, int whence) {
    (void)fd;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int _kill(int pid, int sig) {
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

int _getpid(void) {
    return 1;
}
