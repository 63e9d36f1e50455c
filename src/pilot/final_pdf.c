/*
 * A pilot's annual or final report (final.h's document model) as an A4 PDF, drawn with the
 * statistics' PDF kit (export_util.h): the title and the register facts, the report's texts in
 * the order of its form, the feedback, the pilot's protected statistics per school year as the
 * statistics PDF draws them (":" on grey for a suppressed count), and for the final report the
 * Udir dropout shares of each pilot school beside its county's and the nation's.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../i18n/format.h"
#include "../i18n/i18n.h"
#include "../stats/export.h"
#include "../stats/export_util.h"
#include "final.h"
#include "flow.h"

#define GAP 14.0 /* between sections */

struct doc {
	const struct pdoc *d;
	int final;
};

/* T() of prefix + name, e.g. "pilot.status." + "active"; name itself (or "–") when the
 * catalogue has no such key, as T() would answer with the key, which lives here only. */
static const char *tx2(const struct doc *c, const char *prefix, const char *name)
{
	char key[96];
	snprintf(key, sizeof key, "%s%s", prefix, name);
	const char *t = T(c->d->lang, key);
	return t != key ? t : name[0] ? name : "–";
}

/* The catalogue sentence key with {1} (and {2}) filled into out. */
static const char *fill(const struct doc *c, const char *key, const char *a1, const char *a2, char *out, size_t n)
{
	const char *const args[2] = {a1, a2};
	out[0] = '\0';
	i18n_fill(out, n, T(c->d->lang, key), args, 2);
	return out;
}

static int blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

static void title_of(const struct pdoc *d, char *out, size_t n)
{
	const struct doc c = {d, !strcmp(d->row.kind, "final")};
	if (c.final) {
		fill(&c, "preport.final_title", d->pilot.name, NULL, out, n);
	} else {
		char year[16];
		pdoc_year_label(d->row.school_year, year);
		fill(&c, "preport.annual_title", year, d->pilot.name, out, n);
	}
}

static void header(struct pdf *p, const struct doc *c, const char *title)
{
	const struct pdoc *d = c->d;
	char s[600];
	p->y += pdf_text(p, PDF_MARGIN, p->y, PDF_CONTENT_W, PDF_H1, PDF_LEFT, title, 1) + 12;
	if (d->pilot.county_name[0])
		snprintf(s, sizeof s, "%s (%s)", d->pilot.county_name, d->pilot.county);
	else
		snprintf(s, sizeof s, "%s", d->pilot.county[0] ? d->pilot.county : "–");
	pdf_fact(p, T(c->d->lang, "pilot.county"), s);
	if (d->pilot.start_on[0])
		snprintf(s, sizeof s, "%s – %s", d->pilot.start_on,
			 d->pilot.end_on[0] ? d->pilot.end_on : T(c->d->lang, "pilot.open"));
	else
		snprintf(s, sizeof s, "–");
	pdf_fact(p, T(c->d->lang, "pilot.period"), s);
	pdf_fact(p, T(c->d->lang, "pilot.status"), tx2(c, "pilot.status.", d->pilot.status));
	/* "Status" is the pilot's already: the report's state goes under the report's kind. */
	const char *state = d->v.state[0] ? d->v.state : d->row.state;
	pdf_fact(p, T(c->d->lang, c->final ? "preport.final" : "preport.annual"), tx2(c, "preport.state.", state));
	char at[I18N_NUM_MAX];
	i18n_time(d->lang, d->v.at, at, sizeof at);
	if (at[0])
		snprintf(s, sizeof s, "%d (%s)", d->v.version, at);
	else
		snprintf(s, sizeof s, "%d", d->v.version);
	pdf_fact(p, T(c->d->lang, "preport.version"), s);
	p->y += 2 * GAP;
}

/* A text under its label; an empty one says so. */
static void text_section(struct pdf *p, const struct doc *c, enum preport_field f, const char *byline)
{
	const char *text = c->d->v.text[f];
	int empty = blank(text);
	const char *body = empty ? T(c->d->lang, "preport.empty_field") : text;
	/* The label stays with the byline and the text's first two lines. */
	double line = pdf_text(p, PDF_MARGIN, p->y, PDF_CONTENT_W, PDF_BODY, PDF_LEFT, "Ag", 0);
	double need = 2 * line + (byline ? line + 4 : 0);
	pdf_heading(p, tx2(c, "preport.field.", preport_field_names[f]), need);
	if (byline) {
		pdf_paragraph(p, PDF_SMALL, byline);
		p->y += 4;
	}
	pdf_paragraph(p, PDF_BODY, body);
	p->y += GAP;
}

/* Who gave the feedback, when the version shown is the feedback itself: the analyst's
 * directorate by its short name ("udir" → "Udir", the same in both languages). NULL when the
 * version does not tell. */
static const char *feedback_byline(const struct doc *c, char *out, size_t n)
{
	const struct preport_version *v = &c->d->v;
	if (strcmp(v->action, "feedback") != 0 || !v->by_directorate[0])
		return NULL;
	char who[sizeof v->by_directorate];
	snprintf(who, sizeof who, "%s", v->by_directorate);
	who[0] = (char)toupper((unsigned char)who[0]);
	return fill(c, "preport.feedback_by", who, NULL, out, n);
}

/* The school years with figures and those without, oldest first. */
static void statistics_section(struct pdf *p, const struct doc *c)
{
	const struct pdoc *d = c->d;
	pdf_heading(p, T(c->d->lang, "preport.statistics"), 40);
	char s[300];
	int i = 0, m = 0;
	while (i < d->nyears || m < d->nmissing) {
		if (m >= d->nmissing || (i < d->nyears && strcmp(d->years[i].school_year, d->missing[m]) <= 0)) {
			const struct report *r = &d->years[i++];
			report_pdf_tables(p, r, fill(c, "preport.statistics_year", r->school_year, NULL, s, sizeof s));
		} else {
			pdf_paragraph(p, PDF_BODY, fill(c, "preport.no_statistics", d->missing[m++], NULL, s, sizeof s));
			p->y += 8;
		}
	}
	p->y += GAP;
}

/* A share in the reader's language with one decimal; "–" where Udir published none. */
static const char *share(const struct doc *c, double v, char *out, size_t n)
{
	if (isnan(v))
		snprintf(out, n, "–");
	else
		i18n_pct(c->d->lang, v, 1, out, n);
	return out;
}

static void school_table(struct pdf *p, const struct doc *c, const struct pdoc_school *sc)
{
	char h[400], who[260];
	snprintf(who, sizeof who, "%s (%s)", sc->name[0] ? sc->name : sc->names[0], sc->orgnr);
	struct pdf_cols cols = {4,
				{T(c->d->lang, "stats.school_year"), sc->names[0], sc->names[1], sc->names[2]},
				{PDF_CONTENT_W - 3 * 110, 110, 110, 110}};
	pdf_heading_in(p, PDF_H3, fill(c, "preport.udir_trend", who, NULL, h, sizeof h),
		       pdf_table_start_height(p, &cols, sc->s[0].year[0]));
	pdf_table_start(p, &cols, sc->s[0].year[0]);
	for (int i = 0; i < sc->s[0].n && i < EVAL_MAX_YEARS; i++) {
		char v[3][I18N_NUM_MAX];
		struct pdf_cell cells[4] = {{sc->s[0].year[i], 0}};
		for (int k = 0; k < 3; k++)
			cells[k + 1] = (struct pdf_cell){share(c, i < sc->s[k].n ? sc->s[k].value[i] : NAN, v[k],
							       sizeof v[k]),
							 0};
		pdf_body_row(p, &cols, cells);
	}
	p->y += 12;
}

static void udir_section(struct pdf *p, const struct doc *c)
{
	const struct pdoc *d = c->d;
	int shown = 0;
	pdf_heading(p, T(c->d->lang, "preport.udir_heading"), 40);
	for (int i = 0; i < d->nschools; i++) {
		if (d->schools[i].s[0].n <= 0)
			continue;
		school_table(p, c, &d->schools[i]);
		shown++;
	}
	if (!shown)
		pdf_paragraph(p, PDF_BODY, T(c->d->lang, "preport.udir_none"));
}

static void draw(struct pdf *p, const void *ctx)
{
	const struct doc *c = ctx;
	const struct pdoc *d = c->d;
	char title[600];
	title_of(d, title, sizeof title);
	header(p, c, title);
	int n;
	const enum preport_field *f = preport_fields(d->row.kind, &n);
	for (int i = 0; i < n; i++)
		text_section(p, c, f[i], NULL);
	if (!blank(d->v.text[PR_FEEDBACK])) {
		char by[300];
		text_section(p, c, PR_FEEDBACK, feedback_byline(c, by, sizeof by));
	}
	statistics_section(p, c);
	if (c->final)
		udir_section(p, c);
}

int pdoc_pdf(const struct pdoc *d, buf_t *out, char *err, size_t errsz)
{
	const struct doc c = {d, !strcmp(d->row.kind, "final")};
	char title[600];
	title_of(d, title, sizeof title);
	return pdf_render(draw, &c, d->lang, title, title, out, err, errsz);
}
