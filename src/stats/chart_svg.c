/* The statistics page's charts as inline SVG, drawn from the report model only. Each chart
 * stands beside its data table on the page; text goes through the HTML writer. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../http/html.h"
#include "../http/svg.h"
#include "../i18n/format.h"
#include "../i18n/i18n.h"
#include "report.h"

#define W 640.0
#define COLOR_A "#0067c5" /* NAV blue, 5.6:1 on white */
#define COLOR_B "#06893a" /* green, 4.5:1 on white */
#define INK SVG_INK
#define GRID SVG_GRID

/* One series over the school years: its first and last shown value and the direction. */
static void trend_sentence(const struct report *r, int which, const char *name, char *out, size_t n)
{
	int first = -1, last = -1;
	for (int i = 0; i < r->ntrend; i++) {
		const struct report_value *v = which ? &r->trend[i].new_cases : &r->trend[i].students;
		if (!v->shown)
			continue;
		if (first < 0)
			first = i;
		last = i;
	}
	if (first < 0) {
		const char *args[] = {name};
		i18n_fill(out, n, T(r->lang, "chart.trend_none"), args, 1);
		return;
	}
	long a = which ? r->trend[first].new_cases.n : r->trend[first].students.n;
	long z = which ? r->trend[last].new_cases.n : r->trend[last].students.n;
	char sa[I18N_NUM_MAX], sz[I18N_NUM_MAX];
	i18n_int(r->lang, a, sa, sizeof sa);
	i18n_int(r->lang, z, sz, sizeof sz);
	const char *args[] = {name, sa, r->trend[first].school_year, sz, r->trend[last].school_year};
	const char *key = first == last ? "chart.trend_one" : z > a ? "chart.trend_rose" : z < a ? "chart.trend_fell"
											 : "chart.trend_same";
	i18n_fill(out, n, T(r->lang, key), args, 5);
}

void report_svg_trend(const struct report *r, buf_t *b)
{
	const double h = 300, left = 56, right = 16, top = 40, bottom = 44;
	char id[48];
	snprintf(id, sizeof id, "chart-trend-%s", r->unit);
	svg_open(b, W, h, id, r->trend_title);
	double max = 0;
	for (int i = 0; i < r->ntrend; i++) {
		if (r->trend[i].students.shown && r->trend[i].students.n > max)
			max = (double)r->trend[i].students.n;
		if (r->trend[i].new_cases.shown && r->trend[i].new_cases.n > max)
			max = (double)r->trend[i].new_cases.n;
	}
	double step = (max <= 5 ? 1 : svg_step(max)), top_value = step * ceil(max / step);
	if (top_value <= 0)
		top_value = step;
	double plot_h = h - top - bottom, plot_w = W - left - right;
	int ticks = (int)lround(top_value / step);
	for (int i = 0; i <= ticks; i++) {
		double v = step * i, y = top + plot_h - v / top_value * plot_h;
		buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" GRID "\"/>", left,
			   W - right, y, y);
		char t[I18N_NUM_MAX];
		i18n_num(r->lang, v, 0, t, sizeof t);
		svg_text(b, left - 6, y + 4, "end", t);
	}
	/* Legend: the two series. */
	buf_printf(b, "<rect x=\"%.1f\" y=\"10\" width=\"12\" height=\"12\" fill=\"" COLOR_A "\"/>", left);
	svg_text(b, left + 18, 21, "start", T(r->lang, "stats.s1_students"));
	buf_printf(b, "<rect x=\"%.1f\" y=\"10\" width=\"12\" height=\"12\" fill=\"" COLOR_B "\"/>", left + 260);
	svg_text(b, left + 278, 21, "start", T(r->lang, "stats.s1_new"));
	double slot = r->ntrend ? plot_w / r->ntrend : plot_w, bw = slot * 0.3;
	for (int i = 0; i < r->ntrend; i++) {
		double x0 = left + slot * i + slot * 0.2;
		const struct report_value *v[2] = {&r->trend[i].students, &r->trend[i].new_cases};
		for (int s = 0; s < 2; s++) {
			double x = x0 + s * bw, cx = x + bw / 2;
			char t[I18N_NUM_MAX];
			if (!v[s]->shown) {
				svg_text(b, cx, top + plot_h - 4, "middle", REPORT_MARK);
				continue;
			}
			double bh = (double)v[s]->n / top_value * plot_h;
			buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x,
				   top + plot_h - bh, bw - 2, bh, s ? COLOR_B : COLOR_A);
			i18n_int(r->lang, v[s]->n, t, sizeof t);
			svg_text(b, cx, top + plot_h - bh - 4, "middle", t);
		}
		svg_text(b, left + slot * i + slot / 2, h - bottom + 20, "middle", r->trend[i].school_year);
	}
	buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" INK "\"/>", left, W - right,
		   top + plot_h, top + plot_h);
	char text[1024] = "";
	trend_sentence(r, 0, T(r->lang, "stats.s1_students"), text, sizeof text);
	i18n_fill(text, sizeof text, " ", NULL, 0);
	trend_sentence(r, 1, T(r->lang, "stats.s1_new"), text, sizeof text);
	svg_close(b, id, text);
}

/* Shortens a label to at most max characters (not bytes), the last an ellipsis when cut. */
static void clip_label(const char *in, char *out, size_t outsz, int max)
{
	int chars = 0;
	size_t cut = 0, i;
	for (i = 0; in[i]; i++)
		if (((unsigned char)in[i] & 0xC0) != 0x80 && ++chars == max)
			cut = i; /* where the max-th character starts */
	if (chars <= max && i < outsz) {
		memcpy(out, in, i + 1);
		return;
	}
	if (!cut || cut + 4 > outsz)
		cut = 0;
	memcpy(out, in, cut);
	snprintf(out + cut, outsz - cut, "…");
}

/* The two largest shares and how many categories are suppressed. */
static void distribution_sentence(const struct report *r, const struct report_table *t, char *out, size_t n)
{
	int top[2] = {-1, -1}, hidden = 0;
	for (int i = 0; i < t->nrows; i++) {
		const struct report_row *w = &t->rows[i];
		if (!w->has_share) {
			hidden += !w->count.shown || (t->with_of && !w->of.shown);
			continue;
		}
		if (top[0] < 0 || w->share > t->rows[top[0]].share) {
			top[1] = top[0];
			top[0] = i;
		} else if (top[1] < 0 || w->share > t->rows[top[1]].share) {
			top[1] = i;
		}
	}
	char p0[I18N_NUM_MAX], p1[I18N_NUM_MAX], nh[I18N_NUM_MAX];
	if (top[0] < 0) {
		i18n_fill(out, n, T(r->lang, "chart.dist_none"), NULL, 0);
	} else {
		i18n_pct(r->lang, t->rows[top[0]].share, 0, p0, sizeof p0);
		if (top[1] >= 0)
			i18n_pct(r->lang, t->rows[top[1]].share, 0, p1, sizeof p1);
		const char *args[] = {t->rows[top[0]].label, p0, top[1] >= 0 ? t->rows[top[1]].label : "", p1};
		i18n_fill(out, n, T(r->lang, top[1] >= 0 ? "chart.dist_top2" : "chart.dist_top1"), args, top[1] >= 0 ? 4 : 2);
	}
	if (hidden) {
		i18n_int(r->lang, hidden, nh, sizeof nh);
		const char *args[] = {nh};
		i18n_fill(out, n, " ", NULL, 0);
		i18n_fill(out, n, T(r->lang, hidden == 1 ? "chart.dist_hidden_one" : "chart.dist_hidden"), args, 1);
	}
}

void report_svg_distribution(const struct report *r, const struct report_table *t, buf_t *b)
{
	const double row = 26, top = 8, label_w = 290, right = 70;
	double h = top * 2 + row * t->nrows;
	char id[64];
	snprintf(id, sizeof id, "chart-%s-%s", t->id, r->unit);
	svg_open(b, W, h, id, t->title);
	double bar_max = W - label_w - right;
	for (int i = 0; i < t->nrows; i++) {
		const struct report_row *w = &t->rows[i];
		double y = top + row * i;
		char label[160], value[I18N_NUM_MAX];
		clip_label(w->label, label, sizeof label, 40);
		svg_text(b, label_w - 8, y + 17, "end", label);
		if (w->has_share) {
			double bw = w->share / 100.0 * bar_max;
			buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" COLOR_A "\"/>",
				   label_w, y + 4, bw, row - 8);
			i18n_pct(r->lang, w->share, 0, value, sizeof value);
			svg_text(b, label_w + bw + 6, y + 17, "start", value);
		} else {
			svg_text(b, label_w + 6, y + 17, "start", w->count.shown ? "–" : REPORT_MARK);
		}
	}
	buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" INK "\"/>", label_w, label_w,
		   top, h - top);
	char text[1024] = "";
	distribution_sentence(r, t, text, sizeof text);
	svg_close(b, id, text);
}
