/* src/stats/report.c and chart_svg.c: the model every statistics view renders, from hand-written
 * releases: shares only from two published counts, suppressed counts never read, labels in the
 * reader's language, the trend over published years only, and SVG text escaped and clipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "db/db.h"
#include "db/stats.h"
#include "stats/report.h"

static char path[64];
static db_t *db;
static int64_t draft_id;

/* A release of the nation alone; cells as "key": value pairs (null = suppressed). */
static int64_t release(const char *year, const char *cells, const char *waits, int publish)
{
	char content[4096];
	snprintf(content, sizeof content,
		 "{\"format\":\"elevlos-release\",\"version\":1,\"school_year\":\"%s\","
		 "\"protection\":{\"k\":5,\"small_group\":10},"
		 "\"units\":[{\"code\":\"NO\",\"name\":\"Norge\",\"kind\":\"nation\",\"parent\":null}],"
		 "\"codes\":{\"referral_source\":[\"ELEV\",\"RADGIVER\"],\"reason\":[\"OKONOMI\"],"
		 "\"followup\":[\"MOTIVASJON\"],\"duration\":[\"LANGTID\",\"KORTTID\",\"ENGANG\",\"UKJENT\"]},"
		 "\"cells\":{%s},\"waits\":{\"NO\":%s}}",
		 year, cells, waits);
	struct release_row r;
	memset(&r, 0, sizeof r);
	snprintf(r.school_year, sizeof r.school_year, "%s", year);
	snprintf(r.inputs_hash, sizeof r.inputs_hash, "%064d", 0);
	snprintf(r.created_by, sizeof r.created_by, "maker");
	r.content = content;
	assert_int_equal(db_release_insert(db, &r), DB_OK);
	if (publish) {
		assert_int_equal(db_release_advance(db, r.id, "draft", "approved", "checker"), DB_OK);
		assert_int_equal(db_release_advance(db, r.id, "approved", "published", "checker"), DB_OK);
	}
	return r.id;
}

static int setup(void **state)
{
	(void)state;
	char err[256];
	snprintf(path, sizeof path, "/tmp/elevlos-report-%d.db", (int)getpid());
	unlink(path);
	if (db_open(path, NULL, &db, err, sizeof err) != DB_OK || db_migrate(db, NULL, NULL, err, sizeof err) != DB_OK)
		return -1;
	release("2016/17", "\"S1.students|NO\":null,\"S1.new|NO\":12", "null", 1);
	release("2017/18",
		"\"S1.students|NO\":40,\"S1.cases|NO\":44,\"S1.new|NO\":20,\"S10.n|NO\":15,"
		"\"S2.ELEV|NO\":15,\"S2.RADGIVER|NO\":null,"
		"\"S3.OKONOMI|NO\":20,"
		"\"S4.yes|NO\":null,\"S4.group|NO\":11,\"S6.yes|NO\":0,\"S6.group|NO\":0,"
		"\"S7.yes|NO\":22,\"S8.yes|NO\":5,\"S8.group|NO\":null,\"S11.yes|NO\":10,"
		"\"S5.total|NO\":8,\"S5.LANGTID|NO\":null,\"S5.KORTTID|NO\":null,\"S5.ENGANG|NO\":0,\"S5.UKJENT|NO\":0,"
		"\"S9.group|NO\":30,\"S9.MOTIVASJON.yes|NO\":30",
		"{\"median\":4.0,\"p90\":9.0}", 1);
	/* A draft of a later year: previewable by id, absent from the trend and published views. */
	draft_id = release("2018/19", "\"S1.students|NO\":99,\"S1.new|NO\":50", "{\"median\":3.0,\"p90\":null}", 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_close(db);
	unlink(path);
	return 0;
}

static const struct report_table *table(const struct report *r, const char *id)
{
	for (int i = 0; i < r->ntables; i++)
		if (!strcmp(r->tables[i].id, id))
			return &r->tables[i];
	fail_msg("no table %s", id);
	return NULL;
}

static const struct report_row *row(const struct report_table *t, const char *code)
{
	for (int i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i].code, code))
			return &t->rows[i];
	fail_msg("no row %s in %s", code, t->id);
	return NULL;
}

static void tables_and_shares(void **state)
{
	(void)state;
	static struct report r;
	assert_int_equal(report_build(db, "2017/18", "NO", "nb", &r), DB_OK);
	assert_string_equal(r.unit_name, "Norge");
	assert_string_equal(r.status, "published");
	assert_int_equal(r.k, 5);
	const struct report_table *s1 = table(&r, "S1");
	assert_int_equal(s1->with_of, 0);
	assert_int_equal(row(s1, "S1.students")->count.n, 40);
	assert_string_equal(row(s1, "S10")->text, "4.0 / 9");
	/* S2: ELEV 15 of 20 new = 75 %; RADGIVER suppressed: no count, no share. */
	const struct report_table *s2 = table(&r, "S2");
	assert_true(s2->chart);
	assert_int_equal(s2->nrows, 2);
	assert_string_equal(s2->rows[0].code, "ELEV");
	assert_true(s2->rows[0].has_share);
	assert_true(s2->rows[0].share > 74.99 && s2->rows[0].share < 75.01);
	assert_int_equal(s2->rows[0].of.n, 20);
	assert_false(s2->rows[1].count.shown);
	assert_false(s2->rows[1].has_share);
	/* Labels come from the code lists, in the reader's language. */
	assert_string_equal(row(table(&r, "S3"), "OKONOMI")->label, "Økonomi");
	const struct report_table *sh = table(&r, "shares");
	assert_false(row(sh, "S4")->has_share);  /* numerator suppressed */
	assert_true(row(sh, "S4")->of.shown);
	assert_false(row(sh, "S6")->has_share);  /* 0 of 0: no share */
	assert_false(row(sh, "S8")->has_share);  /* denominator suppressed */
	assert_true(row(sh, "S7")->has_share);   /* 22 of the 44 cases */
	assert_true(row(sh, "S7")->share > 49.99 && row(sh, "S7")->share < 50.01);
	assert_int_equal(row(sh, "S12")->count.n, 8); /* S5 students of S1 students */
	assert_int_equal(row(sh, "S12")->of.n, 40);
	const struct report_table *s5 = table(&r, "S5");
	assert_string_equal(row(s5, "UKJENT")->label, "Ikke oppgitt");
	assert_int_equal(row(table(&r, "S9"), "MOTIVASJON")->count.n, 30);

	static struct report en;
	assert_int_equal(report_build(db, "2017/18", "NO", "en", &en), DB_OK);
	assert_string_equal(row(table(&en, "S3"), "OKONOMI")->label, "Economy");
	assert_string_equal(en.col_count, "Count");
}

static void trend_and_availability(void **state)
{
	(void)state;
	static struct report r;
	assert_int_equal(report_build(db, "2017/18", "NO", "nb", &r), DB_OK);
	assert_int_equal(r.ntrend, 2); /* the draft's year is not in it */
	assert_string_equal(r.trend[0].school_year, "2016/17");
	assert_false(r.trend[0].students.shown);
	assert_int_equal(r.trend[0].new_cases.n, 12);
	assert_string_equal(r.trend[1].school_year, "2017/18");
	assert_int_equal(r.trend[1].students.n, 40);

	assert_int_equal(report_build(db, "2017/18", "P-NONE", "nb", &r), DB_NOTFOUND);
	assert_int_equal(report_build(db, "2018/19", "NO", "nb", &r), DB_NOTFOUND); /* only a draft */
	assert_int_equal(report_build(db, "2015/16", "NO", "nb", &r), DB_NOTFOUND);
	assert_int_equal(report_build_id(db, draft_id, "NO", "nb", &r), DB_OK);
	assert_string_equal(r.status, "draft");
	assert_string_equal(row(table(&r, "S1"), "S10")->text, "3.0 / –");
	assert_int_equal(report_build_id(db, 999999, "NO", "nb", &r), DB_NOTFOUND);
}

static void svg_escapes_and_clips(void **state)
{
	(void)state;
	static struct report r;
	assert_int_equal(report_build(db, "2017/18", "NO", "nb", &r), DB_OK);
	struct report_table t = *table(&r, "S2");
	snprintf(t.rows[0].label, sizeof t.rows[0].label, "A<b>&\"x\"");
	/* 50 two-byte letters: clipped to 40 characters, the last an ellipsis, on a character boundary. */
	char long_label[120] = "";
	for (int i = 0; i < 50; i++)
		strcat(long_label, "ø");
	snprintf(t.rows[1].label, sizeof t.rows[1].label, "%s", long_label);
	buf_t b;
	buf_init(&b);
	report_svg_distribution(&r, &t, &b);
	buf_putc(&b, '\0');
	assert_non_null(strstr(b.p, "A&lt;b&gt;&amp;&quot;x&quot;"));
	assert_null(strstr(b.p, "<b>"));
	char want[100] = ">";
	for (int i = 0; i < 39; i++)
		strcat(want, "ø");
	strcat(want, "…</text>");
	assert_non_null(strstr(b.p, want));
	assert_non_null(strstr(b.p, ">75\xC2\xA0%</text>")); /* bokmål: a no-break space before % */
	assert_non_null(strstr(b.p, ">" REPORT_MARK "</text>")); /* the suppressed row */
	assert_non_null(strstr(b.p, "role=\"img\""));
	assert_non_null(strstr(b.p, "<title id=\"chart-S2-NO\">"));
	/* The text summary follows the SVG, which points to it; its labels are escaped too. */
	assert_non_null(strstr(b.p, "aria-describedby=\"chart-S2-NO-summary\""));
	assert_non_null(strstr(b.p, "</svg><p class=\"app-chart-summary\" id=\"chart-S2-NO-summary\">St\xC3\xB8rst: "));
	assert_non_null(strstr(b.p, "(75\xC2\xA0%)"));
	buf_reset(&b);
	report_svg_trend(&r, &b);
	buf_putc(&b, '\0');
	assert_non_null(strstr(b.p, ">2016/17</text>"));
	assert_non_null(strstr(b.p, ">40</text>"));
	assert_non_null(strstr(b.p, ">" REPORT_MARK "</text>")); /* 2016/17's suppressed students */
	assert_non_null(strstr(b.p, "</svg><p class=\"app-chart-summary\" id=\"chart-trend-NO-summary\">Elever fulgt opp"));
	assert_non_null(strstr(b.p, "40 i 2017/18"));
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tables_and_shares),
		cmocka_unit_test(trend_and_availability),
		cmocka_unit_test(svg_escapes_and_clips),
	};
	return cmocka_run_group_tests_name("report", tests, setup, teardown);
}
