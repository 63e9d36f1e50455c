/* Prometheus counters: requests by route and status class, a latency histogram, errors. */
#ifndef ELEVLOS_METRICS_H
#define ELEVLOS_METRICS_H

#include <stdint.h>

#include "../core/util.h"

void metrics_record(int route_index, int status, int64_t ns);
void metrics_render(buf_t *out);

#endif
