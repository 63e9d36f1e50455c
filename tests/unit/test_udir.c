/* The evaluation's imports (src/eval/): org numbers, county reforms, schools and Udir files with
 * Norwegian numbers, suppressed cells, BOM, both separators, bad rows, idempotency; the panel. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/eval.h"
#include "eval/school.h"
#include "eval/udir.h"

static char errbuf[8192];

static db_t *fresh_db(void)
{
	char path[64], err[256];
	snprintf(path, sizeof path, "/tmp/elevlos-udir-%d.db", (int)getpid());
	unlink(path);
	db_t *db;
	struct db_opts o = {.busy_timeout_ms = 1000};
	assert_int_equal(db_open(path, &o, &db, err, sizeof err), DB_OK);
	assert_int_equal(db_migrate(db, NULL, NULL, err, sizeof err), DB_OK);
	unlink(path);
	return db;
}

/* Runs an import of text; errors land in errbuf. */
static int run(db_t *db, int schools, const char *text, void *rep)
{
	char err[256];
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	FILE *errs = fmemopen(errbuf, sizeof errbuf, "w");
	int rc = schools ? school_import(db, in, errs, rep, err, sizeof err)
			 : udir_import(db, in, errs, NULL, rep, err, sizeof err);
	fclose(in);
	fclose(errs);
	return rc;
}

static void test_orgnr(void **state)
{
	(void)state;
	assert_true(school_orgnr_valid("974568098"));
	assert_true(school_orgnr_valid("874568082"));
	assert_false(school_orgnr_valid("974568099"));
	assert_false(school_orgnr_valid("97456809"));
	assert_false(school_orgnr_valid("97456809a"));
}

static void test_numbers(void **state)
{
	(void)state;
	double v;
	const char *why;
	assert_int_equal(udir_number("6,3", 0, &v, &why), 0);
	assert_true(v > 6.29 && v < 6.31);
	assert_int_equal(udir_number("6.3 %", 0, &v, &why), 0);
	assert_true(v > 6.29 && v < 6.31);
	assert_int_equal(udir_number("5 943", 1, &v, &why), 0);
	assert_true(v == 5943);
	assert_int_equal(udir_number("5\xC2\xA0" "943", 1, &v, &why), 0);
	assert_true(v == 5943);
	assert_int_equal(udir_number("12\xE2\x80\xAF" "345", 1, &v, &why), 0);
	assert_true(v == 12345);
	assert_int_equal(udir_number("5.943", 1, &v, &why), 0);
	assert_true(v == 5943);
	assert_int_equal(udir_number("5.94", 1, &v, &why), -1);
	assert_int_equal(udir_number("59 43", 1, &v, &why), -1);
	assert_int_equal(udir_number("6,3", 1, &v, &why), -1);
	assert_int_equal(udir_number("abc", 0, &v, &why), -1);
	const char *supp[] = {"", " ", "*", ".", "..", ":"};
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(udir_number(supp[i], 0, &v, &why), 1);
	int y;
	assert_int_equal(school_year_parse("2016-17", &y), 0);
	assert_int_equal(y, 2016);
	assert_int_equal(school_year_parse("2016/17", &y), 0);
	assert_int_equal(school_year_parse("2016-2017", &y), 0);
	assert_int_equal(school_year_parse("2016-18", &y), -1);
	/* Before the database's first school year: a line's error, not a refused insert (found by
	 * tests/fuzz/fuzz_import_udir.c: "1916-17" ended the import as a database error). */
	assert_int_equal(school_year_parse("1916-17", &y), -1);
	assert_int_equal(school_year_parse("1989-90", &y), -1);
	assert_int_equal(school_year_parse("1990-91", &y), 0);
	assert_int_equal(y, 1990);
	assert_int_equal(school_year_parse("2099-00", &y), 0);
	char p[20];
	assert_int_equal(udir_programme("Yrkesfaglige utdanningsprogram", p), 0);
	assert_string_equal(p, "yrkesfag");
	assert_int_equal(udir_programme("Studieforberedende", p), 0);
	assert_string_equal(p, "studieforberedende");
	assert_int_equal(udir_programme("Alle utdanningsprogram", p), 0);
	assert_string_equal(p, "alle");
}

static void test_reforms(void **state)
{
	(void)state;
	db_t *db = fresh_db();
	char c[3], m[5], name[64];
	assert_int_equal(db_county_in_year(db, "08", 2016, c), DB_OK);
	assert_string_equal(c, "08");
	assert_int_equal(db_county_in_year(db, "08", 2021, c), DB_OK);
	assert_string_equal(c, "38");
	assert_int_equal(db_county_in_year(db, "08", 2024, c), DB_OK);
	assert_string_equal(c, "40");
	assert_int_equal(db_county_in_year(db, "40", 2015, c), DB_OK);
	assert_string_equal(c, "08");
	assert_int_equal(db_county_in_year(db, "38", 2024, c), DB_CONFLICT);
	assert_int_equal(db_county_in_year(db, "16", 2018, c), DB_OK);
	assert_string_equal(c, "50");
	assert_int_equal(db_county_in_year(db, "99", 2018, c), DB_NOTFOUND);
	assert_int_equal(db_county_name(db, "38", 2020, name, sizeof name), DB_OK);
	assert_string_equal(name, "Vestfold og Telemark");
	/* Skedsmo 0231 → Lillestrøm 3030 (2020) → 3205 (2024); Jevnaker left Oppland for Akershus. */
	assert_int_equal(db_municipality_in_year(db, "0231", 2024, m), DB_OK);
	assert_string_equal(m, "3205");
	assert_int_equal(db_municipality_in_year(db, "3205", 2021, m), DB_OK);
	assert_string_equal(m, "3030");
	assert_int_equal(db_municipality_in_year(db, "0532", 2024, m), DB_OK);
	assert_string_equal(m, "3236");
	assert_int_equal(db_municipality_in_year(db, "1613", 2020, m), DB_CONFLICT);
	assert_int_equal(db_municipality_in_year(db, "1534", 2024, m), DB_OK);
	assert_string_equal(m, "1580");
	db_close(db);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = calloc(1, 1 << 20);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_vtfk(void **state)
{
	(void)state;
	char *text = slurp("../shared/data/vtfk_schools.csv");
	if (!text)
		skip();
	db_t *db = fresh_db();
	struct school_report r;
	/* The two exam offices have no organisation number: listed, nothing written. */
	assert_int_equal(run(db, 1, text, &r), 1);
	assert_int_equal(r.errors, 2);
	assert_non_null(strstr(errbuf, "line 26: organisation number"));
	assert_non_null(strstr(errbuf, "line 27: organisation number"));
	struct school s;
	assert_int_equal(db_school_get(db, "974568098", &s), DB_NOTFOUND);
	char *cut = strstr(text, "\n70036");
	cut = strchr(cut + 1, '\n');
	cut[1] = '\0';
	assert_int_equal(run(db, 1, text, &r), 0);
	assert_int_equal(r.added, 24);
	assert_int_equal(run(db, 1, text, &r), 0);
	assert_int_equal(r.unchanged, 24);
	assert_int_equal(r.added + r.updated, 0);
	assert_int_equal(db_school_get(db, "974568098", &s), DB_OK); /* Bamble, Telemark */
	assert_string_equal(s.county_2024, "40");
	char c[3];
	assert_int_equal(db_school_county_in_year(db, &s, 2021, c), DB_OK);
	assert_string_equal(c, "38");
	assert_int_equal(db_school_county_in_year(db, &s, 2017, c), DB_OK);
	assert_string_equal(c, "08");
	free(text);
	db_close(db);
}

static const char SCHOOLS[] =
	"\xEF\xBB\xBF" "orgnr;navn;kommunenr;fylkesnr\n"
	"974568098;Bamble videregående skole;3813;\n"      /* 2020 number of Bamble */
	"974567997;Bø vidaregåande skule;;08\n"
	"974568012;\"Notodden videregående skole; avd. A\";0807;08\n";

static void test_schools_errors(void **state)
{
	(void)state;
	db_t *db = fresh_db();
	struct school_report r;
	assert_int_equal(run(db, 1,
			     "orgnr,navn,kommunenr,fylkesnr\n"
			     "974568099,A,0301,\n"   /* check digit */
			     "12345,B,0301,\n"       /* length */
			     "974568098,,0301,\n"    /* name */
			     "974567997,C,9998,\n"   /* municipality */
			     "974568012,D,,38\n"     /* split county */
			     "974568020,E,0301,08\n" /* not in that county */
			     "974568039,F,0301,\n"
			     "974568039,G,0301,\n",  /* twice */
			     &r),
			 1);
	assert_int_equal(r.errors, 7);
	for (int line = 2; line <= 7; line++) {
		char want[32];
		snprintf(want, sizeof want, "line %d:", line);
		assert_non_null(strstr(errbuf, want));
	}
	assert_non_null(strstr(errbuf, "line 9: organisation number 974568039 is also on line 8"));
	struct school s;
	assert_int_equal(db_school_get(db, "974568039", &s), DB_NOTFOUND);
	assert_int_equal(run(db, 1, SCHOOLS, &r), 0);
	assert_int_equal(r.added, 3);
	assert_int_equal(db_school_get(db, "974568098", &s), DB_OK);
	assert_string_equal(s.municipality_2024, "4012");
	assert_string_equal(s.county_2024, "40");
	assert_int_equal(db_school_get(db, "974568012", &s), DB_OK);
	assert_string_equal(s.name, "Notodden videregående skole; avd. A");
	db_close(db);
}

struct acc {
	int rows, cohort_rows, suppressed;
};

static int panel_cb(const struct eval_panel_row *p, void *ctx)
{
	struct acc *a = ctx;
	a->rows++;
	if (p->cohort == 2015) {
		a->cohort_rows++;
		assert_string_equal(p->orgnr, "974568098");
	} else {
		assert_int_equal(p->cohort, 0);
	}
	a->suppressed += !p->has_share;
	return 0;
}

static int avg_cb(const struct eval_average *x, void *ctx)
{
	void **args = ctx;
	struct eval_average *got = args[0];
	int *n = args[1];
	got[(*n)++] = *x;
	return 0;
}

/* Three schools, one a pilot from 2015; a semicolon file with BOM, then a comma file. */
static void test_udir_import_and_panel(void **state)
{
	(void)state;
	db_t *db = fresh_db();
	struct school_report sr;
	struct udir_report r;
	assert_int_equal(run(db, 1, SCHOOLS, &sr), 0);
	assert_int_equal(db_unit_add(db, "P-TEST", "Pilot test", "pilot", "08", 0, 0), DB_OK);
	int changed;
	assert_int_equal(db_pilot_school_put(db, "974568098", "P-TEST", 2015, 0, &changed), DB_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(db_pilot_school_put(db, "974568098", "08", 2015, 0, &changed), DB_INVALID);

	static const char semi[] =
		"\xEF\xBB\xBF" "Organisasjonsnummer;Skoleår;Utdanningsprogram;Antall elever;"
		"Andel elever som slutter i løpet av skoleåret\n"
		"974568098;2014-15;Yrkesfaglige utdanningsprogram;1\xC2\xA0" "000;6,0\n"
		"974568098;2015/16;Yrkesfag;1 000;4,0\n"
		"974567997;2014-2015;Yrkesfag;500;*\n"
		"974567997;2015-16;yrkesfag;500;3,0\n"
		";2015-16;Yrkesfag;5.943;5,1\n"; /* a national row has no school: an error */
	assert_int_equal(run(db, 0, semi, &r), 1);
	assert_int_equal(r.errors, 1);
	assert_non_null(strstr(errbuf, "line 6:"));
	long n;
	assert_int_equal(db_udir_count(db, &n), DB_OK);
	assert_int_equal(n, 0);
	char ok[sizeof semi];
	snprintf(ok, sizeof ok, "%s", semi);
	*strstr(ok, ";2015-16;Yrkesfag;5.943") = '\0';
	assert_int_equal(run(db, 0, ok, &r), 0);
	assert_int_equal(r.added, 4);
	assert_int_equal(r.suppressed, 1);
	assert_int_equal(run(db, 0, ok, &r), 0); /* idempotent */
	assert_int_equal(r.unchanged, 4);
	assert_int_equal(r.added + r.updated, 0);

	/* Commas, quoted decimal commas, name + municipality, a changed figure is an update. */
	static const char comma[] = "skole,kommunenr,år,program,elever,andel\n"
				    "Bø vidaregåande skule,,2015-16,yrkesfag,500,\"3,5\"\n"
				    "Notodden videregående skole; avd. A,0807,2015-16,alle,\"1 200\",..\n"
				    "Hele landet,,2015-16,yrkesfag,\"5 943\",\"6,3\"\n";
	assert_int_equal(run(db, 0, comma, &r), 1); /* Bø has no municipality number */
	assert_non_null(strstr(errbuf, "line 2:"));
	static const char comma2[] = "orgnr,år,program,elever,andel\n"
				     "974567997,2015-16,yrkesfag,500,\"3,5\"\n"
				     "974568012,2015-16,vocational,\"1 200\",..\n";
	assert_int_equal(run(db, 0, comma2, &r), 0);
	assert_int_equal(r.updated, 1);
	assert_int_equal(r.added, 1);

	/* Bad rows: every one listed. */
	static const char bad[] = "orgnr;skoleår;program;elever;andel\n"
				  "974568098;2016-18;yrkesfag;10;1\n"
				  "974568098;2016-17;voksen;10;1\n"
				  "974568098;2016-17;yrkesfag;1,5;1\n"
				  "974568098;2016-17;yrkesfag;10;101\n"
				  "974568004;2016-17;yrkesfag;10;1\n"
				  "974568098;2016-17;alle;10;1\n"
				  "974568098;2016-17;alle;10;2\n";
	assert_int_equal(run(db, 0, bad, &r), 1);
	assert_int_equal(r.errors, 6);
	for (int line = 2; line <= 6; line++) {
		char want[32];
		snprintf(want, sizeof want, "line %d:", line);
		assert_non_null(strstr(errbuf, want));
	}
	assert_non_null(strstr(errbuf, "line 8: the same school, year and programme as line 7"));

	/* A student count past any school's, and past what a long holds (found by
	 * tests/fuzz/fuzz_import_udir.c: the conversion was undefined). */
	static const char huge[] = "orgnr;skoleår;program;elever;andel\n"
				   "974568098;2017;alle;9999999999999999999;1\n"
				   "974568098;2018;alle;1 000 001;1\n"
				   "974568098;2019;alle;1 000 000;1\n";
	assert_int_equal(run(db, 0, huge, &r), 1);
	assert_int_equal(r.errors, 2);
	assert_non_null(strstr(errbuf, "line 2: students '9999999999999999999' is more than 1000000"));
	assert_non_null(strstr(errbuf, "line 3: students '1 000 001' is more than 1000000"));
	/* A school year before the database's first is the line's error, not a database error. */
	assert_int_equal(run(db, 0, "orgnr;skoleår;program;andel\n974568098;1916-17;alle;1\n", &r), 1);
	assert_non_null(strstr(errbuf, "line 2: school year '1916-17'"));

	/* Panel: Bamble is the pilot (cohort 2015), the others never piloted. */
	struct acc a = {0};
	assert_int_equal(db_eval_panel(db, "yrkesfag", panel_cb, &a), DB_OK);
	assert_int_equal(a.rows, 5); /* Notodden's 'vocational' row is suppressed */
	assert_int_equal(a.cohort_rows, 2);
	assert_int_equal(a.suppressed, 2);
	/* Averages weighted by students: 2015/16 (4.0·1000 + 3.5·500)/1500 = 3.83. */
	struct eval_average got[4];
	int nav = 0;
	void *args[2] = {got, &nav};
	assert_int_equal(db_eval_averages(db, "yrkesfag", "", avg_cb, args), DB_OK);
	assert_int_equal(nav, 2);
	assert_int_equal(got[0].school_year, 2014);
	assert_int_equal(got[0].suppressed, 1);
	assert_true(got[0].share > 5.99 && got[0].share < 6.01);
	assert_true(got[1].share > 3.83 && got[1].share < 3.84);
	assert_int_equal(got[1].students, 1500);
	nav = 0;
	assert_int_equal(db_eval_averages(db, "yrkesfag", "40", avg_cb, args), DB_OK);
	assert_int_equal(nav, 2);
	nav = 0;
	assert_int_equal(db_eval_averages(db, "yrkesfag", "03", avg_cb, args), DB_OK);
	assert_int_equal(nav, 0);
	db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orgnr),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_reforms),
		cmocka_unit_test(test_vtfk),
		cmocka_unit_test(test_schools_errors),
		cmocka_unit_test(test_udir_import_and_panel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
