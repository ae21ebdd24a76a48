#include "bento_gated.h"

int32_t native_call(uint32_t x) { return host_echo(x); }
