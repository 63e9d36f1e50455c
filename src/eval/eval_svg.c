/* The evaluation's charts as inline SVG: the event-study profile (estimate and 95 % interval
 * per year relative to the start) and a school's dropout share against its county and the
 * nation. Text goes through the HTML writer; each chart stands above its data table. */
#include "eval_svg.h"

#include <math.h>
#include <stdio.h>

#include "../http/html.h"
#include "../http/svg.h"
#include "../i18n/format.h"
#include "../i18n/i18n.h"

#define W 640.0
#define INK SVG_INK
#define GRID SVG_GRID
#define BLUE "#0067c5"
#define GREEN "#06893a"
#define ORANGE "#c77300"

/* A vertical scale [lo, hi] with round steps that holds every value given and zero. */
struct scale {
	double lo, hi, step, top, bottom;
};

static void scale_fit(struct scale *s, double lo, double hi)
{
	if (!(hi > lo)) {
		lo -= 1;
		hi += 1;
	}
	s->step = svg_step(hi - lo);
	s->lo = s->step * floor(lo / s->step);
	s->hi = s->step * ceil(hi / s->step);
}

static double y_of(const struct scale *s, double v)
{
	return s->bottom - (v - s->lo) / (s->hi - s->lo) * (s->bottom - s->top);
}

static void grid(buf_t *b, const struct scale *s, double left, double right, const char *lang, int pct)
{
	int n = (int)lround((s->hi - s->lo) / s->step);
	for (int i = 0; i <= n; i++) {
		double v = s->lo + s->step * i, y = y_of(s, v);
		buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", left, right, y, y,
			   fabs(v) < 1e-9 ? INK : GRID);
		char t[I18N_NUM_MAX];
		if (pct)
			i18n_pct(lang, v, s->step < 1 ? 1 : 0, t, sizeof t);
		else
			i18n_num(lang, v, s->step < 1 ? 1 : 0, t, sizeof t);
		svg_text(b, left - 6, y + 4, "end", t);
	}
}

/* The range of the estimates after the start, and which years before it differ from zero
 * (their 95 % interval leaves out zero). */
static void event_sentence(const struct did_result *r, const char *lang, char *out, size_t n)
{
	double lo = NAN, hi = NAN;
	int npre = 0;
	char pre[128] = "";
	for (int i = 0; i < DID_EVENT_N; i++) {
		const struct did_est *e = &r->event[i];
		int ev = DID_EVENT_MIN + i;
		if (isnan(e->est))
			continue;
		if (ev >= 0) {
			lo = isnan(lo) ? e->est : fmin(lo, e->est);
			hi = isnan(hi) ? e->est : fmax(hi, e->est);
		} else if (!isnan(e->lo) && !isnan(e->hi) && (e->lo > 0 || e->hi < 0)) {
			/* The year as on the axis, with the minus sign pages use: "−3, −2". */
			char t[16];
			snprintf(t, sizeof t, "%s\xE2\x88\x92%d", npre ? ", " : "", -ev);
			i18n_fill(pre, sizeof pre, t, NULL, 0);
			npre++;
		}
	}
	if (isnan(lo)) {
		i18n_fill(out, n, T(lang, "chart.event_none"), NULL, 0);
	} else {
		char a[I18N_NUM_MAX], z[I18N_NUM_MAX];
		i18n_signed(lang, lo, 1, a, sizeof a);
		i18n_signed(lang, hi, 1, z, sizeof z);
		const char *args[] = {a, z};
		i18n_fill(out, n, T(lang, "chart.event_post"), args, 2);
	}
	i18n_fill(out, n, " ", NULL, 0);
	char count[I18N_NUM_MAX];
	i18n_int(lang, npre, count, sizeof count);
	const char *args[] = {count, pre};
	i18n_fill(out, n, T(lang, npre ? "chart.event_pre_some" : "chart.event_pre_none"), args, 2);
}

void eval_svg_event(const struct did_result *r, const char *lang, const char *title, const char *axis_label, buf_t *b)
{
	const double h = 300, left = 64, right = W - 16;
	struct scale s = {.top = 20, .bottom = h - 48};
	double lo = 0, hi = 0;
	for (int i = 0; i < DID_EVENT_N; i++) {
		const struct did_est *e = &r->event[i];
		if (isnan(e->est))
			continue;
		lo = fmin(lo, isnan(e->lo) ? e->est : e->lo);
		hi = fmax(hi, isnan(e->hi) ? e->est : e->hi);
	}
	scale_fit(&s, lo, hi);
	svg_open(b, W, h, "chart-event", title);
	grid(b, &s, left, right, lang, 0);
	double slot = (right - left) / DID_EVENT_N;
	/* The start: between e = -1 and e = 0. */
	double xs = left + slot * (0 - DID_EVENT_MIN);
	buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" INK "\" stroke-dasharray=\"4 3\"/>",
		   xs, xs, s.top, s.bottom);
	for (int i = 0; i < DID_EVENT_N; i++) {
		int e = DID_EVENT_MIN + i;
		double x = left + slot * (i + 0.5);
		char t[I18N_NUM_MAX];
		i18n_signed(lang, e, 0, t, sizeof t);
		svg_text(b, x, s.bottom + 18, "middle", t);
		const struct did_est *v = &r->event[i];
		if (isnan(v->est))
			continue;
		const char *color = e < 0 ? ORANGE : BLUE;
		if (!isnan(v->lo) && !isnan(v->hi))
			buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>", x, x,
				   y_of(&s, v->lo), y_of(&s, v->hi), color);
		buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>", x, y_of(&s, v->est), color);
	}
	svg_text(b, (left + right) / 2, h - 8, "middle", axis_label);
	char text[1024] = "";
	event_sentence(r, lang, text, sizeof text);
	svg_close(b, "chart-event", text);
}

/* Each line's first and last published share: "School: 10,4 % in 2015/16 … 4,8 % in 2021/22". */
static void trend_sentence(const struct eval_series *series, int nseries, const char *lang, char *out, size_t n)
{
	for (int k = 0; k < nseries && k < 3; k++) {
		const struct eval_series *x = &series[k];
		int first = -1, last = -1;
		for (int i = 0; i < x->n; i++)
			if (!isnan(x->value[i])) {
				if (first < 0)
					first = i;
				last = i;
			}
		if (k)
			i18n_fill(out, n, "; ", NULL, 0);
		char a[I18N_NUM_MAX] = "", z[I18N_NUM_MAX] = "";
		if (first >= 0) {
			i18n_pct(lang, x->value[first], 1, a, sizeof a);
			i18n_pct(lang, x->value[last], 1, z, sizeof z);
		}
		const char *args[] = {x->name, a, first >= 0 ? x->year[first] : "", z, last >= 0 ? x->year[last] : ""};
		const char *key = first < 0 ? "chart.series_none" : first == last ? "chart.series_one" : "chart.series_span";
		i18n_fill(out, n, T(lang, key), args, 5);
	}
	i18n_fill(out, n, ".", NULL, 0);
}

void eval_svg_trend(const struct eval_series *series, int nseries, const char *lang, const char *title, buf_t *b)
{
	static const char *const colors[] = {BLUE, GREEN, ORANGE};
	const double h = 330, left = 56, right = W - 16;
	struct scale s = {.top = 70, .bottom = h - 40};
	double hi = 0;
	int n = 0;
	for (int k = 0; k < nseries; k++) {
		if (series[k].n > n)
			n = series[k].n;
		for (int i = 0; i < series[k].n; i++)
			if (!isnan(series[k].value[i]) && series[k].value[i] > hi)
				hi = series[k].value[i];
	}
	scale_fit(&s, 0, hi);
	svg_open(b, W, h, "chart-trend", title);
	grid(b, &s, left, right, lang, 1);
	double slot = n ? (right - left) / n : right - left;
	for (int k = 0; k < nseries && k < 3; k++) {
		const struct eval_series *x = &series[k];
		/* One legend line each: a school's name can be long. */
		buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>", left, 6 + 18.0 * k,
			   colors[k]);
		svg_text(b, left + 18, 17 + 18.0 * k, "start", x->name);
		/* A line through the published years; a gap where a year is missing or suppressed. */
		int open = 0;
		for (int i = 0; i < x->n; i++) {
			double v = x->value[i], px = left + slot * (i + 0.5);
			if (isnan(v)) {
				if (open)
					html_raw(b, "\"/>");
				open = 0;
				continue;
			}
			if (!open)
				buf_printf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", colors[k]);
			buf_printf(b, "%.1f,%.1f ", px, y_of(&s, v));
			open = 1;
		}
		if (open)
			html_raw(b, "\"/>");
		for (int i = 0; i < x->n; i++)
			if (!isnan(x->value[i]))
				buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>", left + slot * (i + 0.5),
					   y_of(&s, x->value[i]), colors[k]);
	}
	if (nseries > 0)
		for (int i = 0; i < series[0].n; i++)
			if (series[0].year[i][0] && (n <= 8 || i % 2 == 0))
				svg_text(b, left + slot * (i + 0.5), h - 18, "middle", series[0].year[i]);
	char text[1024] = "";
	trend_sentence(series, nseries, lang, text, sizeof text);
	svg_close(b, "chart-trend", text);
}
