#include "bento_peer.h"

int32_t peer_echo(int32_t x) { return x; }
