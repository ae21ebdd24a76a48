#include "bento/serverless.h"
#include "bento_host.h"

int main(void) {
    bento_serverless_run();
}
