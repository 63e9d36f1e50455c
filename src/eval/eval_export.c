/* The evaluation's exports (eval_export.h): XLSX with libxlsxwriter, the PDF with cairo and
 * pango, both through the statistics exports' plumbing (stats/export_util.h). */
#include "eval_export.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "../i18n/i18n.h"
#include "../stats/export_util.h"
#include "../stats/report.h"

const char *eval_class_key(enum eval_class c)
{
	switch (c) {
	case EVAL_FELL: return "evaluation.class.fell";
	case EVAL_ROSE: return "evaluation.class.rose";
	case EVAL_SAME: return "evaluation.class.same";
	default: return "evaluation.class.none";
	}
}

/* "2016/17" */
static const char *year_label(int y, char buf[16])
{
	snprintf(buf, 16, "%d/%02d", y, (y + 1) % 100);
	return buf;
}

/* The programme's name in lang ("Yrkesfag"). */
static const char *programme_label(const char *lang, const char *programme)
{
	char key[64];
	snprintf(key, sizeof key, "evaluation.track.%s", programme);
	const char *s = T(lang, key);
	return strcmp(s, key) == 0 ? programme : s; /* T answers an unknown key with the key */
}

/* ---- XLSX ---- */

struct formats {
	lxw_format *title, *head, *text, *share, *count, *mark, *note;
};

static void make_formats(lxw_workbook *wb, struct formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_bottom(f->head, LXW_BORDER_THIN);
	format_set_text_wrap(f->head);
	f->text = workbook_add_format(wb);
	format_set_num_format(f->text, "@");
	f->share = workbook_add_format(wb);
	format_set_num_format(f->share, "0.0");
	f->count = workbook_add_format(wb);
	format_set_num_format(f->count, "0");
	f->mark = workbook_add_format(wb);
	format_set_pattern(f->mark, LXW_PATTERN_SOLID);
	format_set_bg_color(f->mark, 0xD9D9D9);
	format_set_align(f->mark, LXW_ALIGN_RIGHT);
	f->note = workbook_add_format(wb);
	format_set_italic(f->note);
}

/* v as the page and the CSV print it, "%.1f", so that a cell holds the figure shown there (a
 * county's or the nation's average has more decimals). */
static double one_decimal(double v)
{
	char s[64];
	snprintf(s, sizeof s, "%.1f", v);
	return strtod(s, NULL);
}

/* A share in percent with one decimal, or the mark when Udir did not publish it. */
static void share_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, int has, double v, const struct formats *f)
{
	if (has && !isnan(v))
		worksheet_write_number(ws, row, col, one_decimal(v), f->share);
	else
		worksheet_write_string(ws, row, col, REPORT_MARK, f->mark);
}

/* The legend under a table: the mark on its grey fill, and what it means. */
static void legend(lxw_worksheet *ws, lxw_row_t row, const char *lang, const struct formats *f)
{
	worksheet_write_string(ws, row, 0, REPORT_MARK, f->mark);
	worksheet_write_string(ws, row, 1, T(lang, "evaluation.mark_legend"), f->note);
}

int eval_schools_xlsx(const struct eval_school *v, int n, int from_year, int to_year, const char *programme,
		      const char *lang, buf_t *out, char *err, size_t errsz)
{
	char path[4096], a[16], b[16], title[300], subtitle[300];
	lxw_workbook *wb = xlsx_begin(path, sizeof path, err, errsz);
	if (!wb)
		return -1;
	snprintf(title, sizeof title, "%s – %s", T(lang, "evaluation.schools_title"), programme_label(lang, programme));
	snprintf(subtitle, sizeof subtitle, "%s %s → %s", T(lang, "evaluation.classes_title"), year_label(from_year, a),
		 year_label(to_year, b));
	lxw_doc_properties props = {.title = title, .subject = subtitle};
	workbook_set_properties(wb, &props);
	struct formats f;
	make_formats(wb, &f);

	/* The overview: schools per class, as the page's first table. */
	lxw_worksheet *ws = workbook_add_worksheet(wb, T(lang, "evaluation.export.overview"));
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 1, 12, NULL);
	worksheet_write_string(ws, 0, 0, title, f.title);
	worksheet_write_string(ws, 1, 0, subtitle, NULL);
	worksheet_write_string(ws, 3, 0, T(lang, "evaluation.class"), f.head);
	worksheet_write_string(ws, 3, 1, T(lang, "evaluation.schools"), f.head);
	int count[4] = {0};
	for (int i = 0; i < n; i++)
		count[v[i].cls]++;
	lxw_row_t row = 4;
	for (int c = 0; c < 4; c++, row++) {
		worksheet_write_string(ws, row, 0, T(lang, eval_class_key((enum eval_class)c)), NULL);
		worksheet_write_number(ws, row, 1, count[c], f.count);
	}

	/* One row per pilot school, as the page's second table and the CSV. */
	ws = workbook_add_worksheet(wb, T(lang, "evaluation.pilot_schools"));
	worksheet_set_column(ws, 0, 0, 14, f.text);
	worksheet_set_column(ws, 1, 1, 40, NULL);
	worksheet_set_column(ws, 2, 2, 16, NULL);
	worksheet_set_column(ws, 3, 10, 11, NULL);
	worksheet_set_column(ws, 8, 8, 20, NULL);
	worksheet_write_string(ws, 0, 0, title, f.title);
	worksheet_write_string(ws, 1, 0, subtitle, NULL);
	const char *heads[] = {T(lang, "evaluation.orgnr"),      T(lang, "evaluation.school"),
			       T(lang, "evaluation.pilot"),      T(lang, "evaluation.county"),
			       T(lang, "evaluation.start"),      T(lang, "evaluation.end"),
			       year_label(from_year, a),         year_label(to_year, b),
			       T(lang, "evaluation.class"),      T(lang, "evaluation.before_start"),
			       T(lang, "evaluation.last_year")};
	worksheet_set_row(ws, 3, 30, NULL); /* two lines of wrapped header */
	for (int c = 0; c < (int)(sizeof heads / sizeof heads[0]); c++)
		worksheet_write_string(ws, 3, (lxw_col_t)c, heads[c], f.head);
	row = 4;
	for (int i = 0; i < n; i++, row++) {
		const struct eval_school *s = &v[i];
		char y[16];
		worksheet_write_string(ws, row, 0, s->orgnr, f.text);
		worksheet_write_string(ws, row, 1, s->name, NULL);
		worksheet_write_string(ws, row, 2, s->pilot, NULL);
		worksheet_write_string(ws, row, 3, s->county_2024, f.text);
		worksheet_write_string(ws, row, 4, year_label(s->start_year, y), NULL);
		if (s->end_year)
			worksheet_write_string(ws, row, 5, year_label(s->end_year, y), NULL);
		share_cell(ws, row, 6, s->has_from, s->from, &f);
		share_cell(ws, row, 7, s->has_to, s->to, &f);
		worksheet_write_string(ws, row, 8, T(lang, eval_class_key(s->cls)), NULL);
		share_cell(ws, row, 9, s->has_before, s->before, &f);
		share_cell(ws, row, 10, s->has_last, s->last, &f);
	}
	legend(ws, row + 1, lang, &f);
	worksheet_freeze_panes(ws, 4, 0);
	return xlsx_finish(wb, path, out, err, errsz);
}

int eval_trend_xlsx(const struct eval_series s[3], const char *school_name, const char *programme, const char *lang,
		    buf_t *out, char *err, size_t errsz)
{
	char path[4096], subtitle[300];
	lxw_workbook *wb = xlsx_begin(path, sizeof path, err, errsz);
	if (!wb)
		return -1;
	snprintf(subtitle, sizeof subtitle, "%s – %s", T(lang, "evaluation.trend_title"), programme_label(lang, programme));
	lxw_doc_properties props = {.title = (char *)school_name, .subject = subtitle};
	workbook_set_properties(wb, &props);
	struct formats f;
	make_formats(wb, &f);
	const char *sheet = T(lang, "evaluation.export.trend_sheet"), *data_sheet = T(lang, "evaluation.export.chart_data");
	lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
	/* The chart's figures: a sheet of its own, hidden, where an unpublished share is an empty
	 * cell (a gap in the line) rather than the mark, which a chart would draw as zero. */
	lxw_worksheet *data = workbook_add_worksheet(wb, data_sheet);
	worksheet_hide(data);
	worksheet_set_column(ws, 0, 0, 12, NULL);
	worksheet_set_column(ws, 1, 3, 24, NULL);
	worksheet_write_string(ws, 0, 0, school_name, f.title);
	worksheet_write_string(ws, 1, 0, subtitle, NULL);
	const char *heads[4] = {T(lang, "stats.school_year"), s[0].name ? s[0].name : school_name,
				s[1].name ? s[1].name : T(lang, "evaluation.county_average"),
				s[2].name ? s[2].name : T(lang, "evaluation.national_average")};
	worksheet_set_row(ws, 3, 30, NULL);
	for (lxw_col_t c = 0; c < 4; c++) {
		worksheet_write_string(ws, 3, c, heads[c], f.head);
		worksheet_write_string(data, 0, c, heads[c], NULL);
	}
	int n = s[0].n;
	for (int i = 0; i < n; i++) {
		lxw_row_t row = (lxw_row_t)(4 + i);
		worksheet_write_string(ws, row, 0, s[0].year[i], NULL);
		worksheet_write_string(data, (lxw_row_t)(1 + i), 0, s[0].year[i], NULL);
		for (int k = 0; k < 3; k++) {
			int has = i < s[k].n && !isnan(s[k].value[i]);
			share_cell(ws, row, (lxw_col_t)(1 + k), has, has ? s[k].value[i] : NAN, &f);
			if (has)
				worksheet_write_number(data, (lxw_row_t)(1 + i), (lxw_col_t)(1 + k), one_decimal(s[k].value[i]),
						       f.share);
		}
	}
	legend(ws, (lxw_row_t)(4 + n + 1), lang, &f);
	worksheet_freeze_panes(ws, 4, 0);
	if (n > 0) {
		lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_LINE);
		chart_title_set_name(chart, T(lang, "evaluation.trend_title"));
		lxw_chart_font title_font = {.size = 12, .bold = LXW_TRUE};
		chart_title_set_name_font(chart, &title_font);
		chart_show_blanks_as(chart, LXW_CHART_BLANKS_AS_GAP);
		chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
		chart_axis_set_name(chart->x_axis, T(lang, "stats.school_year"));
		chart_axis_set_name(chart->y_axis, "%");
		chart_axis_set_num_format(chart->y_axis, "0");
		static const uint32_t colors[3] = {0x0067C5, 0x06893A, 0xC77300};
		for (int k = 0; k < 3; k++) {
			lxw_chart_series *x = chart_add_series(chart, NULL, NULL);
			chart_series_set_categories(x, data_sheet, 1, 0, (lxw_row_t)n, 0);
			chart_series_set_values(x, data_sheet, 1, (lxw_col_t)(1 + k), (lxw_row_t)n, (lxw_col_t)(1 + k));
			chart_series_set_name_range(x, data_sheet, 0, (lxw_col_t)(1 + k));
			lxw_chart_line line = {.color = colors[k], .width = 2.25};
			chart_series_set_line(x, &line);
			chart_series_set_marker_type(x, LXW_CHART_MARKER_CIRCLE);
			chart_series_set_marker_size(x, 5);
			lxw_chart_fill fill = {.color = colors[k]};
			chart_series_set_marker_fill(x, &fill);
			chart_series_set_marker_line(x, &line);
		}
		/* Under the table and its legend, so that it prints with them on A4. */
		lxw_chart_options o = {.x_scale = 1.2, .y_scale = 1.2};
		worksheet_insert_chart_opt(ws, (lxw_row_t)(4 + n + 3), 0, chart, &o);
	}
	worksheet_activate(ws);
	return xlsx_finish(wb, path, out, err, errsz);
}

/* ---- PDF ---- */

struct doc {
	const struct eval_run *e;
	const char *lang;
};

static const char *tx(const struct doc *d, const char *key)
{
	return T(d->lang, key);
}

/* A boxed notice: a coloured bar at the left, the text beside it. */
static void notice(struct pdf *p, const double bar[3], const char *s)
{
	double h = pdf_text(p, PDF_MARGIN + 12, p->y, PDF_CONTENT_W - 12, PDF_BODY, PDF_LEFT, s, 0);
	pdf_ensure(p, h + 8);
	pdf_color(p->cr, bar);
	cairo_rectangle(p->cr, PDF_MARGIN, p->y, 4, h + 4);
	cairo_fill(p->cr);
	pdf_text(p, PDF_MARGIN + 12, p->y + 2, PDF_CONTENT_W - 12, PDF_BODY, PDF_LEFT, s, 1);
	p->y += h + 12;
}

static void header(struct pdf *p, const struct doc *d)
{
	const struct eval_run *e = d->e;
	const struct did_result *r = &e->r;
	char s[200], a[16], b[16];
	p->y += pdf_text(p, PDF_MARGIN, p->y, PDF_CONTENT_W, PDF_H1, PDF_LEFT, tx(d, "evaluation.title"), 1) + 10;
	pdf_paragraph(p, PDF_BODY, tx(d, "evaluation.intro"));
	p->y += 10;
	pdf_fact(p, tx(d, "evaluation.track"), programme_label(d->lang, e->programme));
	snprintf(s, sizeof s, "%s – %s", year_label(e->first_year, a), year_label(e->first_year + e->nperiods - 1, b));
	pdf_fact(p, tx(d, "evaluation.years"), s);
	snprintf(s, sizeof s, "%d", e->npilot);
	pdf_fact(p, tx(d, "evaluation.pilot_schools"), s);
	snprintf(s, sizeof s, "%d", r->n_control);
	pdf_fact(p, tx(d, "evaluation.control_schools"), s);
	snprintf(s, sizeof s, "B = %d, seed %llu", r->nboot, (unsigned long long)e->opts.seed);
	pdf_fact(p, tx(d, "evaluation.bootstrap"), s);
	p->y += 12;
	/* The warnings, as on the page. */
	if (r->warning)
		notice(p, PDF_ORANGE, tx(d, r->warning));
	if (r->notes & DID_NOTE_SMALL_COHORT)
		notice(p, PDF_BLUE, tx(d, "evaluation.note.small_cohort"));
	p->y += 6;
}

static const struct pdf_cols *est_cols(const struct doc *d, const char *first, struct pdf_cols *c)
{
	*c = (struct pdf_cols){5,
			       {first, tx(d, "evaluation.effect"), tx(d, "evaluation.ci"), tx(d, "evaluation.cohorts"),
				tx(d, "evaluation.schools")},
			       {PDF_CONTENT_W - 80 - 110 - 2 * 60, 80, 110, 60, 60}};
	return c;
}

/* The page's row: estimate (signed, two decimals), interval, cohorts, schools. */
static void est_row(struct pdf *p, const struct pdf_cols *c, const char *label, const struct did_est *x)
{
	char est[32] = "–", ci[64] = "–", nc[16], ns[16];
	if (!isnan(x->est))
		snprintf(est, sizeof est, "%+.2f", x->est);
	if (!isnan(x->lo) && !isnan(x->hi))
		snprintf(ci, sizeof ci, "%.2f – %.2f", x->lo, x->hi);
	snprintf(nc, sizeof nc, "%d", x->n_cohorts);
	snprintf(ns, sizeof ns, "%d", x->n_schools);
	struct pdf_cell cells[5] = {{label, 0}, {est, 0}, {ci, 0}, {nc, 0}, {ns, 0}};
	pdf_body_row(p, c, cells);
}

static void overall_section(struct pdf *p, const struct doc *d)
{
	const struct did_result *r = &d->e->r;
	struct pdf_cols c;
	est_cols(d, tx(d, "evaluation.estimator"), &c);
	pdf_heading(p, tx(d, "evaluation.overall_title"),
		    pdf_table_start_height(p, &c, tx(d, "evaluation.overall")));
	pdf_table_start(p, &c, tx(d, "evaluation.overall"));
	est_row(p, &c, tx(d, "evaluation.overall"), &r->overall);
	est_row(p, &c, tx(d, "evaluation.simple"), &r->simple);
	est_row(p, &c, tx(d, "evaluation.twfe"), &r->twfe);
	p->y += 6;
	pdf_paragraph(p, PDF_SMALL, tx(d, "evaluation.reading"));
	p->y += 18;
}

#define EVENT_H 230.0

/* A vertical scale: values lo .. hi drawn from bottom up to top. */
struct scale {
	double lo, hi, top, bottom;
};

static double y_of(const struct scale *s, double v)
{
	return s->bottom - (v - s->lo) / (s->hi - s->lo) * (s->bottom - s->top);
}

/* Estimate and interval per year relative to the start (as eval_svg_event): pre-years in
 * orange, the start a dashed line between -1 and 0, the zero line in ink. */
static void event_chart(struct pdf *p, const struct doc *d)
{
	const struct did_result *r = &d->e->r;
	cairo_t *cr = p->cr;
	const double left = PDF_MARGIN + 40, right = PDF_PAGE_W - PDF_MARGIN, top = p->y + 26,
		     bottom = p->y + EVENT_H - 40;
	double lo = 0, hi = 0;
	for (int i = 0; i < DID_EVENT_N; i++) {
		const struct did_est *x = &r->event[i];
		if (isnan(x->est))
			continue;
		lo = fmin(lo, isnan(x->lo) ? x->est : x->lo);
		hi = fmax(hi, isnan(x->hi) ? x->est : x->hi);
	}
	if (!(hi > lo)) {
		lo -= 1;
		hi += 1;
	}
	double raw = (hi - lo) / 5, mag = pow(10, floor(log10(raw))), f = raw / mag;
	double step = mag * (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10);
	const struct scale sc = {step * floor(lo / step), step * ceil(hi / step), top, bottom};
	char t[64];
	int nticks = (int)lround((sc.hi - sc.lo) / step);
	for (int i = 0; i <= nticks; i++) {
		double v = sc.lo + step * i, y = y_of(&sc, v);
		int zero = fabs(v) < 1e-9;
		pdf_line(cr, left, y, right, y, zero ? PDF_INK : PDF_GRID, zero ? 0.9 : 0.5);
		snprintf(t, sizeof t, "%.*f", step < 1 ? 1 : 0, zero ? 0.0 : v);
		pdf_text(p, left - 40, y - 6, 34, PDF_SMALL, PDF_RIGHT, t, 1);
	}
	/* Legend: before the start, from the start, the start. */
	const char *names[3] = {tx(d, "evaluation.legend.pre"), tx(d, "evaluation.legend.post"),
				tx(d, "evaluation.legend.start")};
	const double *colors[3] = {PDF_ORANGE, PDF_BLUE, PDF_INK};
	double third = (right - left) / 3;
	for (int k = 0; k < 3; k++) {
		double x = left + k * third;
		if (k < 2) {
			pdf_color(cr, colors[k]);
			cairo_new_path(cr); /* no line from where the last text began */
			cairo_arc(cr, x + 4.5, p->y + 8.5, 4, 0, 2 * M_PI);
			cairo_fill(cr);
		} else {
			const double dash[2] = {4, 3};
			cairo_set_dash(cr, dash, 2, 0);
			pdf_line(cr, x + 4.5, p->y + 2, x + 4.5, p->y + 15, PDF_INK, 1);
			cairo_set_dash(cr, NULL, 0, 0);
		}
		pdf_text(p, x + 14, p->y + 2, third - 20, PDF_SMALL, PDF_LEFT, names[k], 1);
	}
	double slot = (right - left) / DID_EVENT_N;
	double xs = left + slot * (0 - DID_EVENT_MIN);
	const double dash[2] = {4, 3};
	cairo_set_dash(cr, dash, 2, 0);
	pdf_line(cr, xs, top, xs, bottom, PDF_INK, 1);
	cairo_set_dash(cr, NULL, 0, 0);
	for (int i = 0; i < DID_EVENT_N; i++) {
		int ev = DID_EVENT_MIN + i;
		double x = left + slot * (i + 0.5);
		snprintf(t, sizeof t, ev ? "%+d" : "%d", ev);
		pdf_text(p, x - slot / 2, bottom + 4, slot, PDF_SMALL, PDF_CENTER, t, 1);
		const struct did_est *v = &r->event[i];
		if (isnan(v->est))
			continue;
		const double *c = ev < 0 ? PDF_ORANGE : PDF_BLUE;
		if (!isnan(v->lo) && !isnan(v->hi)) {
			pdf_line(cr, x, y_of(&sc, v->lo), x, y_of(&sc, v->hi), c, 1.6);
			pdf_line(cr, x - 4, y_of(&sc, v->lo), x + 4, y_of(&sc, v->lo), c, 1.2);
			pdf_line(cr, x - 4, y_of(&sc, v->hi), x + 4, y_of(&sc, v->hi), c, 1.2);
		}
		pdf_color(cr, c);
		cairo_new_path(cr);
		cairo_arc(cr, x, y_of(&sc, v->est), 4, 0, 2 * M_PI);
		cairo_fill(cr);
	}
	pdf_text(p, left, bottom + 20, right - left, PDF_SMALL, PDF_CENTER, tx(d, "evaluation.event_axis"), 1);
	p->y += EVENT_H + 8;
}

static void event_section(struct pdf *p, const struct doc *d)
{
	const struct did_result *r = &d->e->r;
	pdf_heading(p, tx(d, "evaluation.event_title"), EVENT_H);
	event_chart(p, d);
	struct pdf_cols c;
	est_cols(d, tx(d, "evaluation.event_time"), &c);
	char label[16];
	snprintf(label, sizeof label, "%+d", DID_EVENT_MIN);
	pdf_table_start(p, &c, label);
	for (int i = 0; i < DID_EVENT_N; i++) {
		int ev = DID_EVENT_MIN + i;
		snprintf(label, sizeof label, ev ? "%+d" : "%d", ev);
		est_row(p, &c, label, &r->event[i]);
	}
	p->y += 6;
	pdf_paragraph(p, PDF_BODY, tx(d, r->pretrend ? "evaluation.pretrend_yes" : "evaluation.pretrend_no"));
	p->y += 18;
}

static void cohort_section(struct pdf *p, const struct doc *d)
{
	const struct eval_run *e = d->e;
	const struct did_result *r = &e->r;
	struct pdf_cols c;
	est_cols(d, tx(d, "evaluation.start"), &c);
	pdf_heading(p, tx(d, "evaluation.cohort_title"),
		    pdf_table_start_height(p, &c, "2016/17"));
	if (r->ncohorts)
		pdf_table_start(p, &c, "2016/17");
	for (int i = 0; i < r->ncohorts; i++) {
		struct did_est x = r->cohorts[i].att;
		x.n_cohorts = 1;
		x.n_schools = r->cohorts[i].n_schools;
		char y[16];
		est_row(p, &c, year_label(e->first_year + r->cohorts[i].g - 1, y), &x);
	}
}

static void draw(struct pdf *p, const void *ctx)
{
	const struct doc *d = ctx;
	header(p, d);
	overall_section(p, d);
	event_section(p, d);
	cohort_section(p, d);
}

int eval_pdf(const struct eval_run *e, const char *lang, buf_t *out, char *err, size_t errsz)
{
	const struct doc d = {e, lang};
	char left[400], a[16], b[16];
	snprintf(left, sizeof left, "%s – %s – %s–%s", T(lang, "evaluation.title"), programme_label(lang, e->programme),
		 year_label(e->first_year, a), year_label(e->first_year + e->nperiods - 1, b));
	return pdf_render(draw, &d, lang, left, left, out, err, errsz);
}
