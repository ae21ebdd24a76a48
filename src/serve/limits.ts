/** The protocol's fixed numbers (docs/serverless-protocol.md), in one place. */
export const protocolVersion = 1;
/** The longest decoded frame body. */
export const maxBody = 4096;
/** Route names are 1..31 ASCII bytes. */
export const maxRouteName = 31;
/** deadline_us that means "the route's own relative deadline". */
export const routeDeadline = 0xffff_ffff;
/** Buckets of a route's latency histogram in STATS; bucket i counts floor(log2(ticks)) == i + 8. */
export const histogramBuckets = 20;
export const histogramFirstLog2 = 8;
