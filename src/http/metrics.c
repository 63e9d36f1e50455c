#include "metrics.h"

#include <stdatomic.h>

#include "route.h"

#define MAX_ROUTES 128
#define NBUCKETS 10

static const double bucket_s[NBUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025,
					  0.05,  0.1,    0.25,  1.0,  5.0};
static const char *const classes[5] = {"1xx", "2xx", "3xx", "4xx", "5xx"};

/* Index MAX_ROUTES is "no route matched". */
static atomic_ullong requests[MAX_ROUTES + 1][5];
static atomic_ullong buckets[NBUCKETS];
static atomic_ullong count_all;
static atomic_ullong sum_us;

void metrics_record(int route_index, int status, int64_t ns)
{
	int ri = route_index >= 0 && route_index < MAX_ROUTES ? route_index : MAX_ROUTES;
	int ci = status >= 100 && status < 600 ? status / 100 - 1 : 4;
	atomic_fetch_add(&requests[ri][ci], 1);
	double s = (double)ns / 1e9;
	for (int b = 0; b < NBUCKETS; b++)
		if (s <= bucket_s[b])
			atomic_fetch_add(&buckets[b], 1);
	atomic_fetch_add(&count_all, 1);
	atomic_fetch_add(&sum_us, (unsigned long long)(ns / 1000));
}

void metrics_render(buf_t *out)
{
	buf_puts(out, "# HELP elevlos_http_requests_total HTTP requests by route and status class.\n"
		      "# TYPE elevlos_http_requests_total counter\n");
	unsigned long long errors = 0;
	for (int ri = 0; ri <= MAX_ROUTES; ri++) {
		if (ri < MAX_ROUTES && ri >= routes_count)
			continue;
		for (int ci = 0; ci < 5; ci++) {
			unsigned long long v = atomic_load(&requests[ri][ci]);
			if (ci == 4)
				errors += v;
			if (!v)
				continue;
			buf_printf(out,
				   "elevlos_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
				   ri < MAX_ROUTES ? routes[ri].method : "",
				   ri < MAX_ROUTES ? routes[ri].path : "unmatched", classes[ci], v);
		}
	}
	buf_puts(out, "# HELP elevlos_http_errors_total Responses with a 5xx status.\n"
		      "# TYPE elevlos_http_errors_total counter\n");
	buf_printf(out, "elevlos_http_errors_total %llu\n", errors);
	buf_puts(out, "# HELP elevlos_http_request_duration_seconds Time from request line to response.\n"
		      "# TYPE elevlos_http_request_duration_seconds histogram\n");
	for (int b = 0; b < NBUCKETS; b++)
		buf_printf(out, "elevlos_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			   bucket_s[b], atomic_load(&buckets[b]));
	unsigned long long n = atomic_load(&count_all);
	buf_printf(out, "elevlos_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", n);
	buf_printf(out, "elevlos_http_request_duration_seconds_sum %.6f\n",
		   (double)atomic_load(&sum_us) / 1e6);
	buf_printf(out, "elevlos_http_request_duration_seconds_count %llu\n", n);
}
