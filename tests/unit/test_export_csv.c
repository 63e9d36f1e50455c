/* Unit tests for src/stats/export_csv.c: RFC 4180 fields and lines, formula neutralisation,
 * UTF-8 passed through as it is, and the lines a hand-made report gives. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "stats/export.h"

static int buf_setup(void **state)
{
	buf_t *b = malloc(sizeof *b);
	if (!b)
		return -1;
	buf_init(b);
	*state = b;
	return 0;
}

static int buf_teardown(void **state)
{
	buf_t *b = *state;
	buf_free(b);
	free(b);
	return 0;
}

static const char *field(buf_t *b, const char *in)
{
	buf_reset(b);
	buf_puts(b, "");
	export_csv_field(b, in);
	return b->p;
}

/* Plain text stays as it is; a comma, quote, CR or LF quotes the field, inner quotes doubled. */
static void quotes_only_when_needed(void **state)
{
	buf_t *b = *state;
	static const struct {
		const char *in, *out;
	} c[] = {
		{"", ""},
		{"Elever fulgt opp", "Elever fulgt opp"},
		{"a,b", "\"a,b\""},
		{"say \"hi\"", "\"say \"\"hi\"\"\""},
		{"\"", "\"\"\"\""},
		{"two\r\nlines", "\"two\r\nlines\""},
		{"line\nfeed", "\"line\nfeed\""},
		{"cr\ronly", "\"cr\ronly\""},
		{"Elever og saker (S1, S10)", "\"Elever og saker (S1, S10)\""},
		{"semi;colon and 'single'", "semi;colon and 'single'"},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		assert_string_equal(field(b, c[i].in), c[i].out);
}

/* A field a spreadsheet would run as a formula gets a ' in front (OWASP), inside the quotes. */
static void neutralises_formula_starts(void **state)
{
	buf_t *b = *state;
	static const struct {
		const char *in, *out;
	} c[] = {
		{"=1+2", "'=1+2"},
		{"+47 22 00 00 00", "'+47 22 00 00 00"},
		{"-3", "'-3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tindent", "'\tindent"},
		{"\rreturn", "\"'\rreturn\""},
		{"=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""},
		{"a=b", "a=b"},       /* only the first character counts */
		{"Pilot -x", "Pilot -x"},
		{"'=quoted", "'=quoted"}, /* already harmless */
		{" =space", " =space"},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		assert_string_equal(field(b, c[i].in), c[i].out);
}

/* Bokmål letters and other UTF-8 pass through byte for byte. */
static void keeps_utf8(void **state)
{
	buf_t *b = *state;
	assert_string_equal(field(b, "Økonomi, bosituasjon og rådgiving – ÆØÅ æøå"),
			    "\"Økonomi, bosituasjon og rådgiving – ÆØÅ æøå\"");
	assert_string_equal(field(b, "Årstad"), "Årstad");
	assert_string_equal(field(b, "=Åsane"), "'=Åsane");
}

static void small_report(struct report *r)
{
	memset(r, 0, sizeof *r);
	r->lang = "nb";
	strcpy(r->school_year, "2017/18");
	r->version = 2;
	strcpy(r->unit, "P-X");
	strcpy(r->unit_name, "=Pilot Ås, \"test\"");
	r->ntables = 2;
	struct report_table *t = &r->tables[0];
	strcpy(t->id, "S1");
	strcpy(t->title, "Elever og saker (S1, S10)");
	t->nrows = 3;
	strcpy(t->rows[0].code, "S1.students");
	strcpy(t->rows[0].label, "Elever fulgt opp");
	t->rows[0].count = (struct report_value){1, 759};
	strcpy(t->rows[1].code, "S1.cases");
	strcpy(t->rows[1].label, "Saker åpne");
	t->rows[1].count = (struct report_value){0, 0};
	strcpy(t->rows[2].code, "S10");
	strcpy(t->rows[2].label, "Dager (median / 90-persentil)");
	strcpy(t->rows[2].text, "4.0 / 9");
	t = &r->tables[1];
	strcpy(t->id, "S2");
	strcpy(t->title, "Nye saker");
	t->with_of = 1;
	t->nrows = 3;
	strcpy(t->rows[0].code, "ELEV");
	strcpy(t->rows[0].label, "Eleven selv");
	t->rows[0].count = (struct report_value){1, 7};
	t->rows[0].of = (struct report_value){1, 17};
	t->rows[0].has_share = 1;
	t->rows[0].share = 100.0 * 7 / 17; /* 41.176… */
	strcpy(t->rows[1].code, "OT");
	strcpy(t->rows[1].label, "-OT");
	t->rows[1].count = (struct report_value){0, 0};
	t->rows[1].of = (struct report_value){1, 17};
	strcpy(t->rows[2].code, "PPT");
	strcpy(t->rows[2].label, "PPT");
	t->rows[2].count = (struct report_value){1, 0};
	t->rows[2].of = (struct report_value){1, 17};
	t->rows[2].has_share = 1;
	t->rows[2].share = 0;
}

/* The whole file: header, CRLF after every line, empty suppressed counts, one-decimal shares. */
static void report_lines(void **state)
{
	buf_t *b = *state;
	struct report *r = malloc(sizeof *r);
	assert_non_null(r);
	small_report(r);
	buf_reset(b);
	assert_int_equal(report_csv(r, b), 0);
	const char *want =
		"school_year,release_version,unit,unit_name,table,table_title,code,label,count,of,share,status,text\r\n"
		"2017/18,2,P-X,\"'=Pilot Ås, \"\"test\"\"\",S1,\"Elever og saker (S1, S10)\",S1.students,Elever fulgt opp,"
		"759,,,published,\r\n"
		"2017/18,2,P-X,\"'=Pilot Ås, \"\"test\"\"\",S1,\"Elever og saker (S1, S10)\",S1.cases,Saker åpne,"
		",,,suppressed,\r\n"
		"2017/18,2,P-X,\"'=Pilot Ås, \"\"test\"\"\",S1,\"Elever og saker (S1, S10)\",S10,"
		"Dager (median / 90-persentil),,,,published,4.0 / 9\r\n"
		"2017/18,2,P-X,\"'=Pilot Ås, \"\"test\"\"\",S2,Nye saker,ELEV,Eleven selv,7,17,41.2,published,\r\n"
		"2017/18,2,P-X,\"'=Pilot Ås, \"\"test\"\"\",S2,Nye saker,OT,'-OT,,17,,suppressed,\r\n"
		"2017/18,2,P-X,\"'=Pilot Ås, \"\"test\"\"\",S2,Nye saker,PPT,PPT,0,17,0.0,published,\r\n";
	assert_string_equal(b->p, want);
	/* A figure given as text that was not published ("–") is suppressed. */
	strcpy(r->tables[0].rows[2].text, "–");
	buf_reset(b);
	report_csv(r, b);
	assert_non_null(strstr(b->p, ",S10,Dager (median / 90-persentil),,,,suppressed,–\r\n"));
	/* Shares round half away from zero at one decimal: 12.25 → 12.3, 99.95 → 100.0. */
	r->tables[1].rows[0].share = 12.25;
	buf_reset(b);
	report_csv(r, b);
	assert_non_null(strstr(b->p, ",7,17,12.3,published,"));
	r->tables[1].rows[0].share = 99.95;
	buf_reset(b);
	report_csv(r, b);
	assert_non_null(strstr(b->p, ",7,17,100.0,published,"));
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(quotes_only_when_needed, buf_setup, buf_teardown),
		cmocka_unit_test_setup_teardown(neutralises_formula_starts, buf_setup, buf_teardown),
		cmocka_unit_test_setup_teardown(keeps_utf8, buf_setup, buf_teardown),
		cmocka_unit_test_setup_teardown(report_lines, buf_setup, buf_teardown),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
