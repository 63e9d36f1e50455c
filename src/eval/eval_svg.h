/* SVG charts of the evaluation: the event-study profile and a school's trend. */
#ifndef ELEVLOS_EVAL_SVG_H
#define ELEVLOS_EVAL_SVG_H

#include "../core/util.h"
#include "did.h"

#define EVAL_MAX_YEARS 24

/* One line of a trend chart: a share in percent per school year, NAN where not published. */
struct eval_series {
	const char *name;
	int n;
	char year[EVAL_MAX_YEARS][16];
	double value[EVAL_MAX_YEARS];
};

/* Estimate and 95 % interval per year relative to the start (−4 .. +4); pre-years in orange.
 * Numbers in lang ("nb" or "en"); a text summary follows the SVG (<p class="app-chart-summary">,
 * the SVG's aria-describedby). */
void eval_svg_event(const struct did_result *r, const char *lang, const char *title, const char *axis_label,
		    buf_t *out);
/* Up to three lines (a school, its county, the nation) over the same school years; the same. */
void eval_svg_trend(const struct eval_series *series, int nseries, const char *lang, const char *title, buf_t *out);

#endif
