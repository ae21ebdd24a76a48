#include "bento_nativebox.h"

int32_t echo_native(int32_t x) { return x; }
