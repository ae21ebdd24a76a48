/* The host of a serverless device: nothing to do but hand the CPU to bento's dispatcher, which
 * starts the functions and answers requests on UART1 for ever. */
#include <stdio.h>

#include "bento/serverless.h"
#include "bento_host.h"

int main(void) {
    printf("serverless example: parse, filter, pack on UART1\n");
    bento_serverless_run();
}
