#include "bento_box.h"

int32_t echo_twin(int32_t x) { return x; }
