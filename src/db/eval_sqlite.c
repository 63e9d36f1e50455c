/* The SQLite statements behind the evaluation's data (see eval.h and docs/udir.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "eval.h"
#include "sqlite_internal.h"

/* The column of each reform table that is in force on 1 January of year ?2. */
#define COUNTY_ERA(p)                                                                              \
	"CASE WHEN ?2 < 2018 THEN " p "2014 WHEN ?2 < 2020 THEN " p "2018 WHEN ?2 < 2024 THEN " p  \
	"2020 ELSE " p "2024 END"
#define SCHOOL_COLS                                                                                \
	"SELECT s.id, s.orgnr, s.name, coalesce(s.municipality, ''), coalesce(s.municipality_2024, ''),"\
	" s.county, s.county_2024, coalesce(u.code, '') FROM school s LEFT JOIN unit u ON u.id = s.unit_id "

enum estmt {
	E_COUNTY,
	E_COUNTY_NAME,
	E_MUNI,
	E_SCHOOL_GET,
	E_SCHOOL_FIND,
	E_SCHOOL_LIST,
	E_SCHOOL_INSERT,
	E_SCHOOL_UPDATE,
	E_UNIT_KIND,
	E_UDIR_GET,
	E_UDIR_INSERT,
	E_UDIR_UPDATE,
	E_UDIR_SERIES,
	E_UDIR_COUNT,
	E_AVERAGES,
	E_PILOT_GET,
	E_PILOT_PUT,
	E_PILOT_LIST,
	E_PANEL,
	E__MAX
};
_Static_assert(E__MAX <= DBI_SLOTS_EVAL, "evaluation statements overflow their slots");

static const char *const esql[E__MAX] = {
	[E_COUNTY] = "SELECT DISTINCT " COUNTY_ERA("c") " FROM county_reform"
		     " WHERE ?1 IN (c2014, c2018, c2020, c2024) LIMIT 2",
	[E_COUNTY_NAME] = "SELECT DISTINCT " COUNTY_ERA("n") " FROM county_reform"
			  " WHERE " COUNTY_ERA("c") " = ?1 LIMIT 1",
	[E_MUNI] = "SELECT DISTINCT CASE WHEN ?2 < 2017 THEN m2013 WHEN ?2 = 2017 THEN m2017"
		   " WHEN ?2 = 2018 THEN m2018 WHEN ?2 = 2019 THEN m2019 WHEN ?2 < 2024 THEN m2020"
		   " ELSE m2024 END FROM municipality_reform"
		   " WHERE ?1 IN (m2013, m2017, m2018, m2019, m2020, m2024) LIMIT 2",
	[E_SCHOOL_GET] = SCHOOL_COLS "WHERE s.orgnr = ?1",
	[E_SCHOOL_FIND] = SCHOOL_COLS "WHERE s.municipality_2024 = ?1 AND s.name = ?2 COLLATE NOCASE LIMIT 2",
	[E_SCHOOL_LIST] = SCHOOL_COLS "ORDER BY s.county_2024, s.name, s.orgnr",
	[E_SCHOOL_INSERT] = "INSERT INTO school (orgnr, name, municipality, municipality_2024, county,"
			    " county_2024, unit_id, updated_at) VALUES (?1, ?2, nullif(?3, ''),"
			    " nullif(?4, ''), ?5, ?6, ?7, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	[E_SCHOOL_UPDATE] = "UPDATE school SET name = ?2, municipality = nullif(?3, ''),"
			    " municipality_2024 = nullif(?4, ''), county = ?5, county_2024 = ?6, unit_id = ?7,"
			    " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE orgnr = ?1",
	[E_UNIT_KIND] = "SELECT id, kind FROM unit WHERE code = ?1",
	[E_UDIR_GET] = "SELECT coalesce(students, -1), coalesce(dropout_share, 0), suppressed"
		       " FROM udir_dropout WHERE school_id = ?1 AND school_year = ?2 AND programme = ?3",
	[E_UDIR_INSERT] = "INSERT INTO udir_dropout (school_id, school_year, programme, students,"
			  " dropout_share, suppressed, source_hash, imported_at)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[E_UDIR_UPDATE] = "UPDATE udir_dropout SET students = ?4, dropout_share = ?5, suppressed = ?6,"
			  " source_hash = ?7, imported_at = ?8"
			  " WHERE school_id = ?1 AND school_year = ?2 AND programme = ?3",
	[E_UDIR_SERIES] = "SELECT school_id, school_year, programme, coalesce(students, -1),"
			  " coalesce(dropout_share, 0), suppressed, source_hash, imported_at"
			  " FROM udir_dropout WHERE school_id = ?1 AND programme = ?2 ORDER BY school_year",
	[E_UDIR_COUNT] = "SELECT count(*) FROM udir_dropout",
	[E_AVERAGES] = "SELECT d.school_year,"
		       " sum(CASE WHEN d.suppressed = 0 AND d.students > 0"
		       "     THEN d.dropout_share * d.students END),"
		       " coalesce(sum(CASE WHEN d.suppressed = 0 AND d.students > 0 THEN d.students END), 0),"
		       " count(CASE WHEN d.suppressed = 0 AND d.students > 0 THEN 1 END),"
		       " count(CASE WHEN d.suppressed = 1 OR coalesce(d.students, 0) = 0 THEN 1 END)"
		       " FROM udir_dropout d JOIN school s ON s.id = d.school_id"
		       " WHERE d.programme = ?1 AND (?2 = '' OR s.county_2024 = ?2)"
		       " GROUP BY d.school_year ORDER BY d.school_year",
	[E_PILOT_GET] = "SELECT pilot_id, start_year, coalesce(end_year, 0) FROM pilot_school"
			" WHERE school_id = ?1",
	[E_PILOT_PUT] = "INSERT INTO pilot_school (school_id, pilot_id, start_year, end_year)"
			" VALUES (?1, ?2, ?3, nullif(?4, 0)) ON CONFLICT (school_id) DO UPDATE SET"
			" pilot_id = excluded.pilot_id, start_year = excluded.start_year,"
			" end_year = excluded.end_year",
	[E_PILOT_LIST] = "SELECT s.id, s.orgnr, s.name, s.county_2024, u.code, p.start_year,"
			 " coalesce(p.end_year, 0) FROM pilot_school p JOIN school s ON s.id = p.school_id"
			 " JOIN unit u ON u.id = p.pilot_id ORDER BY p.start_year, u.code, s.name",
	[E_PANEL] = "SELECT s.id, s.orgnr, s.county_2024, d.school_year, 1 - d.suppressed,"
		    " coalesce(d.dropout_share, 0), coalesce(d.students, -1), coalesce(p.start_year, 0)"
		    " FROM udir_dropout d JOIN school s ON s.id = d.school_id"
		    " LEFT JOIN pilot_school p ON p.school_id = s.id"
		    " WHERE d.programme = ?1 ORDER BY s.id, d.school_year",
};

static sqlite3_stmt *ep(db_t *db, enum estmt s)
{
	return dbi_prep(db, DBI_SLOTS_CORE + DBI_SLOTS_RECORD + DBI_SLOTS_STATS + (int)s, esql[s]);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

/* Runs a code lookup: one distinct answer, none, or more than one. */
static int one_code(db_t *db, sqlite3_stmt *st, char *out, size_t outsz)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		int r = rc == SQLITE_DONE ? DB_NOTFOUND : dbi_rc(db, rc);
		dbi_done(st);
		return r;
	}
	dbi_copy(out, outsz, st, 0);
	rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? DB_CONFLICT : rc == SQLITE_DONE ? DB_OK : dbi_rc(db, rc);
	dbi_done(st);
	return r;
}

int db_county_in_year(db_t *db, const char *code, int year, char out[3])
{
	sqlite3_stmt *st = ep(db, E_COUNTY);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, code);
	sqlite3_bind_int(st, 2, year);
	return one_code(db, st, out, 3);
}

int db_municipality_in_year(db_t *db, const char *code, int year, char out[5])
{
	sqlite3_stmt *st = ep(db, E_MUNI);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, code);
	sqlite3_bind_int(st, 2, year);
	return one_code(db, st, out, 5);
}

int db_county_name(db_t *db, const char *code, int year, char *out, size_t outsz)
{
	sqlite3_stmt *st = ep(db, E_COUNTY_NAME);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, code);
	sqlite3_bind_int(st, 2, year);
	int rc = one_code(db, st, out, outsz);
	return rc == DB_CONFLICT ? DB_OK : rc;
}

static void school_row(sqlite3_stmt *st, struct school *s)
{
	s->id = sqlite3_column_int64(st, 0);
	dbi_copy(s->orgnr, sizeof s->orgnr, st, 1);
	dbi_copy(s->name, sizeof s->name, st, 2);
	dbi_copy(s->municipality, sizeof s->municipality, st, 3);
	dbi_copy(s->municipality_2024, sizeof s->municipality_2024, st, 4);
	dbi_copy(s->county, sizeof s->county, st, 5);
	dbi_copy(s->county_2024, sizeof s->county_2024, st, 6);
	dbi_copy(s->unit_code, sizeof s->unit_code, st, 7);
}

/* Steps a statement expected to give at most one school. */
static int one_school(db_t *db, sqlite3_stmt *st, struct school *out)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		int r = rc == SQLITE_DONE ? DB_NOTFOUND : dbi_rc(db, rc);
		dbi_done(st);
		return r;
	}
	school_row(st, out);
	rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? DB_CONFLICT : rc == SQLITE_DONE ? DB_OK : dbi_rc(db, rc);
	dbi_done(st);
	return r;
}

int db_school_get(db_t *db, const char *orgnr, struct school *out)
{
	sqlite3_stmt *st = ep(db, E_SCHOOL_GET);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, orgnr);
	return one_school(db, st, out);
}

int db_school_find(db_t *db, const char *name, const char *municipality, struct school *out)
{
	char m24[5];
	int rc = db_municipality_in_year(db, municipality, 2024, m24);
	if (rc != DB_OK)
		return rc == DB_CONFLICT ? DB_CONFLICT : DB_NOTFOUND;
	sqlite3_stmt *st = ep(db, E_SCHOOL_FIND);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, m24);
	bind_text(st, 2, name);
	return one_school(db, st, out);
}

int db_school_list(db_t *db, db_school_cb cb, void *ctx)
{
	sqlite3_stmt *st = ep(db, E_SCHOOL_LIST);
	if (!st)
		return DB_ERROR;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct school s;
		school_row(st, &s);
		if (cb(&s, ctx) != 0) {
			dbi_done(st);
			return DB_OK;
		}
	}
	int r = dbi_rc(db, rc);
	dbi_done(st);
	return r;
}

/* The id of unit code when it is of kind; DB_INVALID when it is not. */
static int unit_of_kind(db_t *db, const char *code, const char *kind, int64_t *id)
{
	sqlite3_stmt *st = ep(db, E_UNIT_KIND);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	int r = DB_INVALID;
	if (rc == SQLITE_ROW) {
		const unsigned char *k = sqlite3_column_text(st, 1);
		if (k && strcmp((const char *)k, kind) == 0) {
			*id = sqlite3_column_int64(st, 0);
			r = DB_OK;
		}
	} else if (rc != SQLITE_DONE) {
		r = dbi_rc(db, rc);
	}
	dbi_done(st);
	return r;
}

int db_school_put(db_t *db, const struct school *s, int *changed)
{
	int64_t unit_id = 0;
	*changed = 0;
	if (s->unit_code[0]) {
		int rc = unit_of_kind(db, s->unit_code, "school", &unit_id);
		if (rc != DB_OK)
			return rc;
	}
	struct school old;
	int rc = db_school_get(db, s->orgnr, &old);
	if (rc != DB_OK && rc != DB_NOTFOUND)
		return rc;
	if (rc == DB_OK && strcmp(old.name, s->name) == 0 &&
	    strcmp(old.municipality, s->municipality) == 0 &&
	    strcmp(old.municipality_2024, s->municipality_2024) == 0 &&
	    strcmp(old.county, s->county) == 0 && strcmp(old.county_2024, s->county_2024) == 0 &&
	    strcmp(old.unit_code, s->unit_code) == 0)
		return DB_OK;
	int fresh = rc == DB_NOTFOUND;
	sqlite3_stmt *st = ep(db, fresh ? E_SCHOOL_INSERT : E_SCHOOL_UPDATE);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, s->orgnr);
	bind_text(st, 2, s->name);
	bind_text(st, 3, s->municipality);
	bind_text(st, 4, s->municipality_2024);
	bind_text(st, 5, s->county);
	bind_text(st, 6, s->county_2024);
	if (unit_id)
		sqlite3_bind_int64(st, 7, unit_id);
	else
		sqlite3_bind_null(st, 7);
	rc = dbi_exec(db, st);
	if (rc == DB_OK)
		*changed = fresh ? 1 : 2;
	return rc;
}

int db_school_county_in_year(db_t *db, const struct school *s, int year, char out[3])
{
	if (s->municipality_2024[0]) {
		char m[5];
		int rc = db_municipality_in_year(db, s->municipality_2024, year, m);
		if (rc != DB_OK)
			return rc;
		snprintf(out, 3, "%.2s", m);
		return DB_OK;
	}
	return db_county_in_year(db, s->county_2024, year, out);
}

static void udir_row_of(sqlite3_stmt *st, struct udir_row *r)
{
	r->school_id = sqlite3_column_int64(st, 0);
	r->school_year = sqlite3_column_int(st, 1);
	dbi_copy(r->programme, sizeof r->programme, st, 2);
	r->students = (long)sqlite3_column_int64(st, 3);
	r->share = sqlite3_column_double(st, 4);
	r->suppressed = sqlite3_column_int(st, 5);
	dbi_copy(r->source_hash, sizeof r->source_hash, st, 6);
	dbi_copy(r->imported_at, sizeof r->imported_at, st, 7);
}

int db_udir_put(db_t *db, const struct udir_row *r, int *changed)
{
	*changed = 0;
	sqlite3_stmt *st = ep(db, E_UDIR_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, r->school_id);
	sqlite3_bind_int(st, 2, r->school_year);
	bind_text(st, 3, r->programme);
	int rc = sqlite3_step(st);
	int fresh = rc == SQLITE_DONE;
	if (rc == SQLITE_ROW) {
		long students = (long)sqlite3_column_int64(st, 0);
		double share = sqlite3_column_double(st, 1);
		int suppressed = sqlite3_column_int(st, 2);
		if (students == r->students && suppressed == r->suppressed &&
		    (suppressed || fabs(share - r->share) < 1e-9)) {
			dbi_done(st);
			return DB_OK;
		}
	} else if (!fresh) {
		int e = dbi_rc(db, rc);
		dbi_done(st);
		return e;
	}
	dbi_done(st);
	st = ep(db, fresh ? E_UDIR_INSERT : E_UDIR_UPDATE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, r->school_id);
	sqlite3_bind_int(st, 2, r->school_year);
	bind_text(st, 3, r->programme);
	if (r->students >= 0)
		sqlite3_bind_int64(st, 4, r->students);
	else
		sqlite3_bind_null(st, 4);
	if (r->suppressed)
		sqlite3_bind_null(st, 5);
	else
		sqlite3_bind_double(st, 5, r->share);
	sqlite3_bind_int(st, 6, r->suppressed ? 1 : 0);
	bind_text(st, 7, r->source_hash);
	bind_text(st, 8, r->imported_at);
	rc = dbi_exec(db, st);
	if (rc == DB_OK)
		*changed = fresh ? 1 : 2;
	return rc;
}

int db_udir_series(db_t *db, int64_t school_id, const char *programme, db_udir_cb cb, void *ctx)
{
	sqlite3_stmt *st = ep(db, E_UDIR_SERIES);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, school_id);
	bind_text(st, 2, programme);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct udir_row r;
		udir_row_of(st, &r);
		if (cb(&r, ctx) != 0) {
			dbi_done(st);
			return DB_OK;
		}
	}
	int e = dbi_rc(db, rc);
	dbi_done(st);
	return e;
}

int db_udir_count(db_t *db, long *rows)
{
	sqlite3_stmt *st = ep(db, E_UDIR_COUNT);
	if (!st)
		return DB_ERROR;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*rows = (long)sqlite3_column_int64(st, 0);
	int e = rc == SQLITE_ROW ? DB_OK : dbi_rc(db, rc);
	dbi_done(st);
	return e;
}

int db_eval_averages(db_t *db, const char *programme, const char *county_2024, db_average_cb cb,
		     void *ctx)
{
	sqlite3_stmt *st = ep(db, E_AVERAGES);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, programme);
	bind_text(st, 2, county_2024 ? county_2024 : "");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct eval_average a;
		a.school_year = sqlite3_column_int(st, 0);
		a.students = (long)sqlite3_column_int64(st, 2);
		a.share = a.students > 0 ? sqlite3_column_double(st, 1) / (double)a.students : 0;
		a.schools = sqlite3_column_int(st, 3);
		a.suppressed = sqlite3_column_int(st, 4);
		if (cb(&a, ctx) != 0) {
			dbi_done(st);
			return DB_OK;
		}
	}
	int e = dbi_rc(db, rc);
	dbi_done(st);
	return e;
}

int db_pilot_school_put(db_t *db, const char *orgnr, const char *pilot_code, int start_year,
			int end_year, int *changed)
{
	*changed = 0;
	struct school s;
	memset(&s, 0, sizeof s);
	int rc = db_school_get(db, orgnr, &s);
	if (rc != DB_OK)
		return rc;
	int64_t pilot_id = 0;
	rc = unit_of_kind(db, pilot_code, "pilot", &pilot_id);
	if (rc != DB_OK)
		return rc;
	sqlite3_stmt *st = ep(db, E_PILOT_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, s.id);
	rc = sqlite3_step(st);
	int fresh = rc == SQLITE_DONE;
	if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == pilot_id &&
	    sqlite3_column_int(st, 1) == start_year && sqlite3_column_int(st, 2) == end_year) {
		dbi_done(st);
		return DB_OK;
	}
	if (rc != SQLITE_ROW && !fresh) {
		int e = dbi_rc(db, rc);
		dbi_done(st);
		return e;
	}
	dbi_done(st);
	st = ep(db, E_PILOT_PUT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, s.id);
	sqlite3_bind_int64(st, 2, pilot_id);
	sqlite3_bind_int(st, 3, start_year);
	sqlite3_bind_int(st, 4, end_year);
	rc = dbi_exec(db, st);
	if (rc == DB_OK)
		*changed = fresh ? 1 : 2;
	return rc;
}

int db_pilot_school_list(db_t *db, db_pilot_school_cb cb, void *ctx)
{
	sqlite3_stmt *st = ep(db, E_PILOT_LIST);
	if (!st)
		return DB_ERROR;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pilot_school p;
		p.school_id = sqlite3_column_int64(st, 0);
		dbi_copy(p.orgnr, sizeof p.orgnr, st, 1);
		dbi_copy(p.name, sizeof p.name, st, 2);
		dbi_copy(p.county_2024, sizeof p.county_2024, st, 3);
		dbi_copy(p.pilot_code, sizeof p.pilot_code, st, 4);
		p.start_year = sqlite3_column_int(st, 5);
		p.end_year = sqlite3_column_int(st, 6);
		if (cb(&p, ctx) != 0) {
			dbi_done(st);
			return DB_OK;
		}
	}
	int e = dbi_rc(db, rc);
	dbi_done(st);
	return e;
}

int db_eval_panel(db_t *db, const char *programme, db_panel_cb cb, void *ctx)
{
	sqlite3_stmt *st = ep(db, E_PANEL);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, programme);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct eval_panel_row r;
		r.school_id = sqlite3_column_int64(st, 0);
		dbi_copy(r.orgnr, sizeof r.orgnr, st, 1);
		dbi_copy(r.county_2024, sizeof r.county_2024, st, 2);
		r.school_year = sqlite3_column_int(st, 3);
		r.has_share = sqlite3_column_int(st, 4);
		r.share = sqlite3_column_double(st, 5);
		r.students = (long)sqlite3_column_int64(st, 6);
		r.cohort = sqlite3_column_int(st, 7);
		if (cb(&r, ctx) != 0) {
			dbi_done(st);
			return DB_OK;
		}
	}
	int e = dbi_rc(db, rc);
	dbi_done(st);
	return e;
}
