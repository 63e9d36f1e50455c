/* src/pilot/final_pdf.c and grant_xlsx.c, with the PDF kit's flowing paragraph (stats/export_util.c):
 * a hand-built report document (long texts, Norwegian letters, a suppressed count, a year without
 * statistics, a school series with a gap) renders as a PDF of several pages in both languages
 * and both kinds; a long paragraph flows over pages and never runs below the content's end; the
 * grant lines make a workbook of four sheets, also when there are none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "core/util.h"
#include "pilot/final.h"
#include "pilot/grant_xlsx.h"
#include "stats/export.h"
#include "stats/export_util.h"

/* n bytes of text: Norwegian sentences (æøå) in paragraphs, cut on a character boundary. */
static char *long_text(size_t n)
{
	static const char sentence[] = "Blåbærsyltetøy på skolen gir økt trivsel og færre fravær. ";
	char *s = xmalloc(n + 1);
	size_t len = 0, k = 0;
	while (len + sizeof sentence < n) {
		memcpy(s + len, sentence, sizeof sentence - 1);
		len += sizeof sentence - 1;
		if (++k % 12 == 0)
			s[len++] = '\n';
	}
	s[len] = '\0';
	return s;
}

static void fill_report(struct report *r, const char *lang, const char *year)
{
	memset(r, 0, sizeof *r);
	r->lang = lang;
	snprintf(r->school_year, sizeof r->school_year, "%s", year);
	r->version = 1;
	snprintf(r->status, sizeof r->status, "published");
	snprintf(r->unit, sizeof r->unit, "P-TEST");
	snprintf(r->unit_name, sizeof r->unit_name, "Pilot Ærø");
	r->k = 5;
	r->small_group = 10;
	r->title = "Statistikk";
	r->col_label = "Mål";
	r->col_count = "Antall";
	r->col_of = "Av";
	r->col_share = "Andel";
	r->protection_note = "\":\" betyr at tallet er skjermet.";
	r->trend_title = "Utvikling";
	r->ntables = 2;
	struct report_table *t = &r->tables[0];
	snprintf(t->id, sizeof t->id, "S1");
	snprintf(t->title, sizeof t->title, "S1 Elever fulgt opp");
	t->nrows = 2;
	snprintf(t->rows[0].label, sizeof t->rows[0].label, "Elever");
	t->rows[0].count = (struct report_value){1, 40};
	snprintf(t->rows[1].label, sizeof t->rows[1].label, "Nye saker");
	t->rows[1].count = (struct report_value){0, 0}; /* suppressed */
	t = &r->tables[1];
	snprintf(t->id, sizeof t->id, "S2");
	snprintf(t->title, sizeof t->title, "S2 Henvist av");
	t->with_of = 1;
	t->chart = 1;
	t->nrows = 2;
	snprintf(t->rows[0].label, sizeof t->rows[0].label, "Eleven selv");
	t->rows[0].count = (struct report_value){1, 15};
	t->rows[0].of = (struct report_value){1, 20};
	t->rows[0].has_share = 1;
	t->rows[0].share = 75;
	snprintf(t->rows[1].label, sizeof t->rows[1].label, "Rådgiver");
	t->rows[1].of = (struct report_value){1, 20};
}

/* A document as pdoc_build would make it, without a database. Free with pdoc_free. */
static void make_doc(struct pdoc *d, const char *kind, const char *lang)
{
	memset(d, 0, sizeof *d);
	d->lang = lang;
	snprintf(d->pilot.code, sizeof d->pilot.code, "P-TEST");
	snprintf(d->pilot.name, sizeof d->pilot.name, "Pilot Ærø og Åsgårdstrand");
	snprintf(d->pilot.county, sizeof d->pilot.county, "39");
	snprintf(d->pilot.county_name, sizeof d->pilot.county_name, "Vestfold");
	d->pilot.registered = 1;
	snprintf(d->pilot.start_on, sizeof d->pilot.start_on, "2016-08-01");
	snprintf(d->pilot.status, sizeof d->pilot.status, "active");
	snprintf(d->row.kind, sizeof d->row.kind, "%s", kind);
	d->row.school_year = strcmp(kind, "final") ? 2017 : 0;
	snprintf(d->row.state, sizeof d->row.state, "feedback");
	d->row.version = 4;
	d->v.version = 4;
	snprintf(d->v.state, sizeof d->v.state, "feedback");
	snprintf(d->v.action, sizeof d->v.action, "feedback");
	snprintf(d->v.by_user, sizeof d->v.by_user, "analytiker1");
	snprintf(d->v.by_directorate, sizeof d->v.by_directorate, "udir");
	snprintf(d->v.at, sizeof d->v.at, "2018-06-30T10:15:00Z");
	for (int i = 0; i < PR_NFIELDS; i++)
		d->v.text[i] = xstrdup(i % 3 == 0 ? "Kort tekst om øving, ærlighet og årsaker." : "");
	free(d->v.text[PR_GOAL1]);
	d->v.text[PR_GOAL1] = long_text(6000);
	free(d->v.text[PR_FUNDS]);
	d->v.text[PR_FUNDS] = xstrdup("   \n"); /* blank: shown as not filled in */
	free(d->v.text[PR_FEEDBACK]);
	d->v.text[PR_FEEDBACK] = xstrdup("Godt arbeid – fortsett slik.");
	d->years = xcalloc(PDOC_MAX_YEARS, sizeof *d->years);
	fill_report(&d->years[0], lang, "2017/18");
	d->nyears = 1;
	snprintf(d->missing[0], sizeof d->missing[0], "2016/17");
	d->nmissing = 1;
	d->schools = xcalloc(PDOC_MAX_SCHOOLS, sizeof *d->schools);
	struct pdoc_school *s = &d->schools[0];
	snprintf(s->orgnr, sizeof s->orgnr, "974123456");
	snprintf(s->name, sizeof s->name, "Færder videregående skole");
	snprintf(s->names[0], sizeof s->names[0], "%s", s->name);
	snprintf(s->names[1], sizeof s->names[1], "Fylket");
	snprintf(s->names[2], sizeof s->names[2], "Hele landet");
	for (int k = 0; k < 3; k++) {
		s->s[k].name = s->names[k];
		s->s[k].n = 3;
		for (int i = 0; i < 3; i++) {
			snprintf(s->s[k].year[i], sizeof s->s[k].year[i], "%d/%02d", 2015 + i, (16 + i) % 100);
			s->s[k].value[i] = 10.25 + k + i;
		}
	}
	s->s[0].value[1] = NAN; /* not published by Udir */
	/* A second school without any figures is left out. */
	snprintf(d->schools[1].orgnr, sizeof d->schools[1].orgnr, "974000000");
	d->nschools = 2;
}

static int starts_with(const buf_t *b, const char *prefix)
{
	return b->len >= strlen(prefix) && !memcmp(b->p, prefix, strlen(prefix));
}

static int contains(const buf_t *b, const char *s)
{
	return memmem(b->p, b->len, s, strlen(s)) != NULL;
}

/* Page objects ("/Type /Page", not "/Type /Pages") in an uncompressed cross-reference. */
static int pages(const buf_t *b)
{
	int n = 0;
	const char *p = b->p, *end = b->p + b->len;
	static const char key[] = "/Type /Page";
	while ((p = memmem(p, (size_t)(end - p), key, sizeof key - 1)) != NULL) {
		p += sizeof key - 1;
		if (p < end && *p != 's')
			n++;
	}
	return n;
}

static void render(const char *kind, const char *lang, int min_pages)
{
	struct pdoc d;
	make_doc(&d, kind, lang);
	buf_t b;
	buf_init(&b);
	char err[256] = "";
	assert_int_equal(pdoc_pdf(&d, &b, err, sizeof err), 0);
	assert_true(starts_with(&b, "%PDF-"));
	assert_true(contains(&b, "%%EOF"));
	int n = pages(&b);
	if (n < min_pages)
		fail_msg("%s/%s: %d pages, want at least %d", kind, lang, n, min_pages);
	buf_free(&b);
	pdoc_free(&d);
}

static void annual_nb(void **state)
{
	(void)state;
	render("annual", "nb", 2);
}

static void annual_en(void **state)
{
	(void)state;
	render("annual", "en", 2);
}

static void final_nb(void **state)
{
	(void)state;
	render("final", "nb", 2);
}

static void final_en(void **state)
{
	(void)state;
	render("final", "en", 2);
}

/* A document without statistics, schools or texts still renders (on one page). */
static void empty_final(void **state)
{
	(void)state;
	struct pdoc d;
	memset(&d, 0, sizeof d);
	d.lang = "nb";
	snprintf(d.row.kind, sizeof d.row.kind, "final");
	buf_t b;
	buf_init(&b);
	char err[256] = "";
	if (pdoc_pdf(&d, &b, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_true(starts_with(&b, "%PDF-"));
	assert_int_equal(pages(&b), 1);
	buf_free(&b);
	pdoc_free(&d);
}

/* ---- the flowing paragraph ---- */

struct flow {
	const char *text;
	double start;  /* where the paragraph begins on page 1 */
	double max_y;  /* the lowest the cursor went */
	int last_page; /* the page it ended on */
};

static void draw_flow(struct pdf *p, const void *ctx)
{
	struct flow *f = (struct flow *)ctx;
	p->y = f->start;
	pdf_paragraph(p, PDF_BODY, f->text);
	f->max_y = p->y;
	f->last_page = p->page;
	/* Something after it goes on under it, on the same page. */
	double y = p->y;
	pdf_paragraph(p, PDF_BODY, "Etter.");
	assert_true(p->y > y || p->page > f->last_page);
}

static void paragraph_flows(void **state)
{
	(void)state;
	char *text = long_text(4000);
	/* Near the foot of page 1: the text goes on over the next page instead of running off it. */
	struct flow f = {text, PDF_BOTTOM - 30, 0, 0};
	buf_t b;
	buf_init(&b);
	char err[256] = "";
	assert_int_equal(pdf_render(draw_flow, &f, "nb", "test", "test", &b, err, sizeof err), 0);
	assert_true(f.last_page >= 2);
	assert_true(f.max_y <= PDF_BOTTOM);
	assert_int_equal(pages(&b), f.last_page);
	/* Five times as long from the top of page 1: at least three pages, nothing below the end. */
	buf_reset(&b);
	char *longer = long_text(20000);
	f = (struct flow){longer, PDF_MARGIN, 0, 0};
	assert_int_equal(pdf_render(draw_flow, &f, "en", "test", "test", &b, err, sizeof err), 0);
	assert_true(f.last_page >= 3);
	assert_true(f.max_y <= PDF_BOTTOM);
	free(longer);
	free(text);
	buf_free(&b);
}

/* ---- grants ---- */

static struct grant_row line(int budget_year, const char *county, const char *pilot, int project_year,
			     const char *post, long amount, const char *paid_on)
{
	struct grant_row g;
	memset(&g, 0, sizeof g);
	g.budget_year = budget_year;
	snprintf(g.county, sizeof g.county, "%s", county);
	snprintf(g.county_name, sizeof g.county_name, "%s", !strcmp(county, "39") ? "Vestfold" : "Østfold");
	snprintf(g.pilot_code, sizeof g.pilot_code, "%s", pilot);
	snprintf(g.pilot_name, sizeof g.pilot_name, "Pilot %s – Ærø", pilot);
	g.project_year = project_year;
	snprintf(g.chapter, sizeof g.chapter, "0621");
	snprintf(g.post, sizeof g.post, "%s", post);
	g.share_pct = !strcmp(post, "63") ? 100 : -1;
	g.salary_base = !strcmp(post, "63") ? 600000 : -1;
	g.months = 12;
	g.amount = amount;
	snprintf(g.paid_on, sizeof g.paid_on, "%s", paid_on);
	return g;
}

static void workbook_sheets(const buf_t *b)
{
	assert_true(starts_with(b, "PK\x03\x04"));
	assert_true(contains(b, "xl/workbook.xml"));
	for (int i = 1; i <= 4; i++) {
		char name[40];
		snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", i);
		assert_true(contains(b, name));
	}
	assert_false(contains(b, "xl/worksheets/sheet5.xml"));
}

static void grants(void **state)
{
	(void)state;
	struct grant_row g[4] = {line(2016, "39", "P-A", 1, "63", 250000, "2016-09-01"),
				 line(2016, "39", "P-A", 1, "21", 50000, ""),
				 line(2017, "31", "P-B", 1, "63", 600000, "2017-02-28"),
				 line(2017, "39", "P-A", 2, "63", 600000, "")};
	const char *langs[2] = {"nb", "en"};
	for (int i = 0; i < 2; i++) {
		buf_t b;
		buf_init(&b);
		char err[256] = "";
		assert_int_equal(grants_xlsx(g, 4, langs[i], &b, err, sizeof err), 0);
		workbook_sheets(&b);
		buf_free(&b);
	}
	/* No lines: the same sheets, headers and zero totals. */
	buf_t b;
	buf_init(&b);
	char err[256] = "";
	assert_int_equal(grants_xlsx(NULL, 0, "nb", &b, err, sizeof err), 0);
	workbook_sheets(&b);
	/* Appends: a second workbook after the first. */
	size_t first = b.len;
	assert_int_equal(grants_xlsx(g, 1, "en", &b, err, sizeof err), 0);
	assert_true(b.len > first);
	assert_int_equal(memcmp(b.p + first, "PK\x03\x04", 4), 0);
	buf_free(&b);
	/* A negative count is refused and leaves out as it was. */
	buf_init(&b);
	assert_int_equal(grants_xlsx(g, -1, "nb", &b, err, sizeof err), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static int teardown(void **state)
{
	(void)state;
	report_pdf_cleanup(); /* the font caches, for the leak checkers */
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(annual_nb),   cmocka_unit_test(annual_en),	  cmocka_unit_test(final_nb),
		cmocka_unit_test(final_en),    cmocka_unit_test(empty_final),	  cmocka_unit_test(paragraph_flows),
		cmocka_unit_test(grants),
	};
	return cmocka_run_group_tests_name("pilot_export", tests, NULL, teardown);
}
