/* The SQLite statements behind the pilot register (see pilot.h and docs/pilots.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pilot.h"
#include "sqlite_internal.h"

#define PILOT_COLS                                                                                 \
	"SELECT u.id, u.code, u.name, u.path, coalesce(c.code, ''), coalesce(c.name, ''),"         \
	" p.unit_id IS NOT NULL, coalesce(p.start_on, ''), coalesce(p.end_on, ''),"                \
	" coalesce(p.project_years, 3), coalesce(p.status, 'active'), coalesce(p.updated_at, ''),"  \
	" coalesce(p.updated_by, '') FROM unit u LEFT JOIN unit c ON c.id = u.parent_id"           \
	" LEFT JOIN pilot p ON p.unit_id = u.id "
#define GRANT_COLS                                                                                 \
	"SELECT g.id, g.pilot_id, u.code, u.name, coalesce(c.code, ''), coalesce(c.name, ''),"      \
	" g.project_year, g.budget_year, g.chapter, g.post, coalesce(g.share_pct, -1),"            \
	" coalesce(g.salary_base, -1), g.months, g.amount, coalesce(g.paid_on, ''), g.updated_by"   \
	" FROM grant_line g JOIN unit u ON u.id = g.pilot_id LEFT JOIN unit c ON c.id = u.parent_id "
#define REPORT_COLS                                                                                \
	"SELECT r.id, r.pilot_id, u.code, r.kind, r.school_year, r.state, r.version,"              \
	" coalesce(r.submitted_by, ''), coalesce(v.at, '') FROM pilot_report r"                     \
	" JOIN unit u ON u.id = r.pilot_id"                                                         \
	" LEFT JOIN pilot_report_version v ON v.report_id = r.id AND v.version = r.version "
#define TEXT_COLS "summary, activities, challenges, funds, goal1, goal2, goal3, goal4, lessons, feedback"

enum pstmt {
	P_GET,
	P_LIST,
	P_UPSERT,
	P_KIND,
	P_MEMBER_ADD,
	P_MEMBER_REMOVE,
	P_MEMBER_LIST,
	P_GRANT_PAID,
	P_GRANT_UPSERT,
	P_GRANT_ID,
	P_GRANT_PAY,
	P_GRANT_PILOT,
	P_GRANT_SCOPE,
	P_REPORT_GET,
	P_REPORT_INSERT,
	P_VERSION_INSERT,
	P_VERSION_GET,
	P_VERSION_NEWEST,
	P_REPORT_MOVE,
	P_HISTORY,
	P_REPORT_PILOT,
	P_REPORT_SCOPE,
	P_SAVEPOINT,
	P_RELEASE,
	P_ROLLBACK_TO,
	P__MAX
};
_Static_assert(P__MAX <= DBI_SLOTS_PILOT, "pilot statements overflow their slots");

static const char *const psql[P__MAX] = {
	[P_GET] = PILOT_COLS "WHERE u.code = ?1 AND u.kind = 'pilot'",
	[P_LIST] = PILOT_COLS "WHERE u.kind = 'pilot' AND substr(u.path, 1, length(?1)) = ?1"
			      " ORDER BY c.code, coalesce(p.start_on, '9999'), u.name",
	[P_UPSERT] = "INSERT INTO pilot (unit_id, start_on, end_on, project_years, status, updated_by)"
		     " VALUES (?1, ?2, nullif(?3, ''), ?4, ?5, ?6) ON CONFLICT (unit_id) DO UPDATE SET"
		     " start_on = excluded.start_on, end_on = excluded.end_on,"
		     " project_years = excluded.project_years, status = excluded.status,"
		     " updated_by = excluded.updated_by, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
	[P_KIND] = "SELECT id FROM unit WHERE code = ?1 AND kind = 'pilot'",
	[P_MEMBER_ADD] = "INSERT INTO steering_member (pilot_id, name, organisation, role) VALUES (?1, ?2, ?3, ?4)",
	[P_MEMBER_REMOVE] = "UPDATE steering_member SET removed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
			    " WHERE id = ?2 AND pilot_id = ?1 AND removed_at IS NULL",
	[P_MEMBER_LIST] = "SELECT id, name, organisation, role, added_at FROM steering_member"
			  " WHERE pilot_id = ?1 AND removed_at IS NULL ORDER BY id",
	[P_GRANT_PAID] = "SELECT id, paid_on IS NOT NULL FROM grant_line"
			 " WHERE pilot_id = ?1 AND project_year = ?2 AND post = ?3",
	[P_GRANT_UPSERT] = "INSERT INTO grant_line (pilot_id, project_year, budget_year, chapter, post, share_pct,"
			   " salary_base, months, amount, updated_by) VALUES (?1, ?2, ?3, '0621', ?4,"
			   " nullif(?5, -1), nullif(?6, -1), ?7, ?8, ?9)"
			   " ON CONFLICT (pilot_id, project_year, post) DO UPDATE SET"
			   " budget_year = excluded.budget_year, share_pct = excluded.share_pct,"
			   " salary_base = excluded.salary_base, months = excluded.months,"
			   " amount = excluded.amount, updated_by = excluded.updated_by,"
			   " updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')",
	[P_GRANT_ID] = "SELECT id FROM grant_line WHERE pilot_id = ?1 AND project_year = ?2 AND post = ?3",
	[P_GRANT_PAY] = "UPDATE grant_line SET paid_on = ?3, updated_by = ?4,"
			" updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now')"
			" WHERE id = ?2 AND pilot_id = ?1 AND paid_on IS NULL",
	[P_GRANT_PILOT] = GRANT_COLS "WHERE g.pilot_id = ?1 ORDER BY g.project_year, g.post DESC",
	[P_GRANT_SCOPE] = GRANT_COLS "WHERE substr(u.path, 1, length(?1)) = ?1"
				     " ORDER BY g.budget_year, c.code, u.code, g.post DESC",
	[P_REPORT_GET] = REPORT_COLS "WHERE r.pilot_id = ?1 AND r.kind = ?2 AND r.school_year = ?3",
	[P_REPORT_INSERT] = "INSERT INTO pilot_report (pilot_id, kind, school_year) VALUES (?1, ?2, ?3)",
	[P_VERSION_INSERT] = "INSERT INTO pilot_report_version (report_id, version, state, action, " TEXT_COLS
			     ", release_id, by_user, by_role, by_directorate) VALUES (?1, ?2, ?3, ?4,"
			     " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, nullif(?15, 0), ?16, ?17, nullif(?18, ''))",
	[P_VERSION_GET] = "SELECT version, state, action, " TEXT_COLS ", coalesce(release_id, 0), by_user, by_role,"
			  " coalesce(by_directorate, ''), at FROM pilot_report_version"
			  " WHERE report_id = ?1 AND version = ?2",
	[P_VERSION_NEWEST] = "SELECT version, state, action, " TEXT_COLS ", coalesce(release_id, 0), by_user,"
			     " by_role, coalesce(by_directorate, ''), at FROM pilot_report_version"
			     " WHERE report_id = ?1 ORDER BY version DESC LIMIT 1",
	[P_REPORT_MOVE] = "UPDATE pilot_report SET state = ?3, version = ?2 + 1,"
			  " submitted_by = CASE WHEN ?4 = 'submitted' THEN ?5 ELSE submitted_by END"
			  " WHERE id = ?1 AND version = ?2",
	[P_HISTORY] = "SELECT version, state, action, coalesce(release_id, 0), by_user, by_role,"
		      " coalesce(by_directorate, ''), at FROM pilot_report_version WHERE report_id = ?1"
		      " ORDER BY version DESC",
	[P_REPORT_PILOT] = REPORT_COLS "WHERE r.pilot_id = ?1 ORDER BY r.kind, r.school_year",
	[P_REPORT_SCOPE] = REPORT_COLS "WHERE substr(u.path, 1, length(?1)) = ?1"
				       " ORDER BY u.code, r.kind, r.school_year",
	/* A report and its version are written together or not at all, inside a caller's
	 * transaction or not. */
	[P_SAVEPOINT] = "SAVEPOINT preport_write",
	[P_RELEASE] = "RELEASE preport_write",
	[P_ROLLBACK_TO] = "ROLLBACK TO preport_write",
};

const char *const preport_field_names[PR_NFIELDS] = {"summary", "activities", "challenges", "funds", "goal1",
						     "goal2",   "goal3",      "goal4",      "lessons", "feedback"};

static sqlite3_stmt *pp(db_t *db, enum pstmt s)
{
	return dbi_prep(db, DBI_SLOTS_CORE + DBI_SLOTS_RECORD + DBI_SLOTS_STATS + DBI_SLOTS_EVAL + (int)s, psql[s]);
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

/* Steps a query of rows through row(); stops early when row() returns non-zero. */
static int each(db_t *db, sqlite3_stmt *st, int (*row)(sqlite3_stmt *st, void *cb, void *ctx), void *cb, void *ctx)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (row(st, cb, ctx) != 0) {
			dbi_done(st);
			return DB_OK;
		}
	}
	int e = dbi_rc(db, rc);
	dbi_done(st);
	return e;
}

/* ---- the register ---- */

static void pilot_of_row(sqlite3_stmt *st, struct pilot_row *p)
{
	memset(p, 0, sizeof *p);
	p->unit_id = sqlite3_column_int64(st, 0);
	dbi_copy(p->code, sizeof p->code, st, 1);
	dbi_copy(p->name, sizeof p->name, st, 2);
	dbi_copy(p->path, sizeof p->path, st, 3);
	dbi_copy(p->county, sizeof p->county, st, 4);
	dbi_copy(p->county_name, sizeof p->county_name, st, 5);
	p->registered = sqlite3_column_int(st, 6);
	dbi_copy(p->start_on, sizeof p->start_on, st, 7);
	dbi_copy(p->end_on, sizeof p->end_on, st, 8);
	p->project_years = sqlite3_column_int(st, 9);
	dbi_copy(p->status, sizeof p->status, st, 10);
	dbi_copy(p->updated_at, sizeof p->updated_at, st, 11);
	dbi_copy(p->updated_by, sizeof p->updated_by, st, 12);
}

int db_pilot_get(db_t *db, const char *code, struct pilot_row *out)
{
	sqlite3_stmt *st = pp(db, P_GET);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : dbi_rc(db, rc);
	if (r == DB_OK)
		pilot_of_row(st, out);
	dbi_done(st);
	return r;
}

int db_pilot_put(db_t *db, const char *code, const char *start_on, const char *end_on, int project_years,
		 const char *status, const char *by)
{
	sqlite3_stmt *st = pp(db, P_KIND);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	int r = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_INVALID : dbi_rc(db, rc);
	dbi_done(st);
	if (r != DB_OK)
		return r;
	st = pp(db, P_UPSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, start_on);
	bind_text(st, 3, end_on);
	sqlite3_bind_int(st, 4, project_years);
	bind_text(st, 5, status);
	bind_text(st, 6, by);
	return dbi_exec(db, st);
}

static int pilot_row_cb(sqlite3_stmt *st, void *cb, void *ctx)
{
	struct pilot_row p;
	pilot_of_row(st, &p);
	return ((db_pilot_cb)cb)(&p, ctx);
}

int db_pilot_list(db_t *db, const char *scope_path, db_pilot_cb cb, void *ctx)
{
	sqlite3_stmt *st = pp(db, P_LIST);
	if (!st)
		return DB_ERROR;
	bind_text(st, 1, scope_path);
	return each(db, st, pilot_row_cb, (void *)cb, ctx);
}

/* ---- the steering group ---- */

int db_member_add(db_t *db, int64_t pilot_id, const char *name, const char *organisation, const char *role,
		  int64_t *id)
{
	sqlite3_stmt *st = pp(db, P_MEMBER_ADD);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, pilot_id);
	bind_text(st, 2, name);
	bind_text(st, 3, organisation);
	bind_text(st, 4, role);
	int rc = dbi_exec(db, st);
	if (rc == DB_OK && id)
		*id = sqlite3_last_insert_rowid(dbi_handle(db));
	return rc;
}

int db_member_remove(db_t *db, int64_t pilot_id, int64_t id)
{
	sqlite3_stmt *st = pp(db, P_MEMBER_REMOVE);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, pilot_id);
	sqlite3_bind_int64(st, 2, id);
	int rc = dbi_exec(db, st);
	if (rc == DB_OK && sqlite3_changes(dbi_handle(db)) == 0)
		return DB_NOTFOUND;
	return rc;
}

static int member_row_cb(sqlite3_stmt *st, void *cb, void *ctx)
{
	struct steering_member m;
	m.id = sqlite3_column_int64(st, 0);
	dbi_copy(m.name, sizeof m.name, st, 1);
	dbi_copy(m.organisation, sizeof m.organisation, st, 2);
	dbi_copy(m.role, sizeof m.role, st, 3);
	dbi_copy(m.added_at, sizeof m.added_at, st, 4);
	return ((db_member_cb)cb)(&m, ctx);
}

int db_member_list(db_t *db, int64_t pilot_id, db_member_cb cb, void *ctx)
{
	sqlite3_stmt *st = pp(db, P_MEMBER_LIST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, pilot_id);
	return each(db, st, member_row_cb, (void *)cb, ctx);
}

/* ---- grants ---- */

int db_grant_put(db_t *db, const struct grant_row *g, const char *by, int64_t *id)
{
	sqlite3_stmt *st = pp(db, P_GRANT_PAID);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, g->pilot_id);
	sqlite3_bind_int(st, 2, g->project_year);
	bind_text(st, 3, g->post);
	int rc = sqlite3_step(st);
	int paid = rc == SQLITE_ROW && sqlite3_column_int(st, 1);
	int r = rc == SQLITE_ROW || rc == SQLITE_DONE ? DB_OK : dbi_rc(db, rc);
	dbi_done(st);
	if (r != DB_OK)
		return r;
	if (paid)
		return DB_CONFLICT;
	st = pp(db, P_GRANT_UPSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, g->pilot_id);
	sqlite3_bind_int(st, 2, g->project_year);
	sqlite3_bind_int(st, 3, g->budget_year);
	bind_text(st, 4, g->post);
	sqlite3_bind_int(st, 5, g->share_pct);
	sqlite3_bind_int64(st, 6, g->salary_base);
	sqlite3_bind_int(st, 7, g->months);
	sqlite3_bind_int64(st, 8, g->amount);
	bind_text(st, 9, by);
	r = dbi_exec(db, st);
	if (r != DB_OK || !id)
		return r;
	st = pp(db, P_GRANT_ID);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, g->pilot_id);
	sqlite3_bind_int(st, 2, g->project_year);
	bind_text(st, 3, g->post);
	rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	r = rc == SQLITE_ROW ? DB_OK : dbi_rc(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc);
	dbi_done(st);
	return r;
}

int db_grant_pay(db_t *db, int64_t pilot_id, int64_t id, const char *on, const char *by)
{
	/* A payment has a date: a line paid "on nothing" would be frozen yet look unpaid. */
	if (!on || strlen(on) != 10 || on[4] != '-' || on[7] != '-')
		return DB_INVALID;
	sqlite3_stmt *st = pp(db, P_GRANT_PAY);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, pilot_id);
	sqlite3_bind_int64(st, 2, id);
	bind_text(st, 3, on);
	bind_text(st, 4, by);
	int rc = dbi_exec(db, st);
	if (rc == DB_OK && sqlite3_changes(dbi_handle(db)) == 0) {
		/* Not this pilot's line, or paid already: say which. */
		int found = 0;
		st = pp(db, P_GRANT_PILOT);
		if (!st)
			return DB_ERROR;
		sqlite3_bind_int64(st, 1, pilot_id);
		while (sqlite3_step(st) == SQLITE_ROW)
			if (sqlite3_column_int64(st, 0) == id)
				found = 1;
		dbi_done(st);
		return found ? DB_CONFLICT : DB_NOTFOUND;
	}
	return rc;
}

static int grant_row_cb(sqlite3_stmt *st, void *cb, void *ctx)
{
	struct grant_row g;
	memset(&g, 0, sizeof g);
	g.id = sqlite3_column_int64(st, 0);
	g.pilot_id = sqlite3_column_int64(st, 1);
	dbi_copy(g.pilot_code, sizeof g.pilot_code, st, 2);
	dbi_copy(g.pilot_name, sizeof g.pilot_name, st, 3);
	dbi_copy(g.county, sizeof g.county, st, 4);
	dbi_copy(g.county_name, sizeof g.county_name, st, 5);
	g.project_year = sqlite3_column_int(st, 6);
	g.budget_year = sqlite3_column_int(st, 7);
	dbi_copy(g.chapter, sizeof g.chapter, st, 8);
	dbi_copy(g.post, sizeof g.post, st, 9);
	g.share_pct = sqlite3_column_int(st, 10);
	g.salary_base = (long)sqlite3_column_int64(st, 11);
	g.months = sqlite3_column_int(st, 12);
	g.amount = (long)sqlite3_column_int64(st, 13);
	dbi_copy(g.paid_on, sizeof g.paid_on, st, 14);
	dbi_copy(g.updated_by, sizeof g.updated_by, st, 15);
	return cb ? ((db_grant_cb)cb)(&g, ctx) : 0;
}

int db_grant_list(db_t *db, int64_t pilot_id, const char *scope_path, db_grant_cb cb, void *ctx)
{
	sqlite3_stmt *st = pp(db, pilot_id > 0 ? P_GRANT_PILOT : P_GRANT_SCOPE);
	if (!st)
		return DB_ERROR;
	if (pilot_id > 0)
		sqlite3_bind_int64(st, 1, pilot_id);
	else
		bind_text(st, 1, scope_path);
	return each(db, st, grant_row_cb, (void *)cb, ctx);
}

/* ---- reports ---- */

static int savepoint(db_t *db, enum pstmt s)
{
	sqlite3_stmt *st = pp(db, s);
	return st ? dbi_exec(db, st) : DB_ERROR;
}

/* Ends the savepoint: kept when rc is DB_OK, else undone (and rc returned either way). */
static int savepoint_end(db_t *db, int rc)
{
	if (rc == DB_OK) {
		int e = savepoint(db, P_RELEASE);
		if (e == DB_OK)
			return DB_OK;
		rc = e;
	}
	savepoint(db, P_ROLLBACK_TO);
	savepoint(db, P_RELEASE);
	return rc;
}

void preport_version_free(struct preport_version *v)
{
	for (int i = 0; i < PR_NFIELDS; i++) {
		free(v->text[i]);
		v->text[i] = NULL;
	}
}

static void report_of_row(sqlite3_stmt *st, struct preport_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->pilot_id = sqlite3_column_int64(st, 1);
	dbi_copy(r->pilot_code, sizeof r->pilot_code, st, 2);
	dbi_copy(r->kind, sizeof r->kind, st, 3);
	r->school_year = sqlite3_column_int(st, 4);
	dbi_copy(r->state, sizeof r->state, st, 5);
	r->version = sqlite3_column_int(st, 6);
	dbi_copy(r->submitted_by, sizeof r->submitted_by, st, 7);
	dbi_copy(r->updated_at, sizeof r->updated_at, st, 8);
}

int db_preport_get(db_t *db, int64_t pilot_id, const char *kind, int school_year, struct preport_row *out)
{
	sqlite3_stmt *st = pp(db, P_REPORT_GET);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, pilot_id);
	bind_text(st, 2, kind);
	sqlite3_bind_int(st, 3, school_year);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : dbi_rc(db, rc);
	if (r == DB_OK)
		report_of_row(st, out);
	dbi_done(st);
	return r;
}

static int version_insert(db_t *db, int64_t report_id, int version, const char *state, const char *action,
			  const char *const text[PR_NFIELDS], int64_t release_id, const struct account *by)
{
	sqlite3_stmt *st = pp(db, P_VERSION_INSERT);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, report_id);
	sqlite3_bind_int(st, 2, version);
	bind_text(st, 3, state);
	bind_text(st, 4, action);
	for (int i = 0; i < PR_NFIELDS; i++)
		bind_text(st, 5 + i, text ? text[i] : "");
	sqlite3_bind_int64(st, 15, release_id);
	bind_text(st, 16, by->username);
	bind_text(st, 17, by->role);
	bind_text(st, 18, by->directorate);
	return dbi_exec(db, st);
}

int db_preport_create(db_t *db, int64_t pilot_id, const char *kind, int school_year, const struct account *by,
		      int64_t *id)
{
	int rc = savepoint(db, P_SAVEPOINT);
	if (rc != DB_OK)
		return rc;
	sqlite3_stmt *st = pp(db, P_REPORT_INSERT);
	if (!st)
		return savepoint_end(db, DB_ERROR);
	sqlite3_bind_int64(st, 1, pilot_id);
	bind_text(st, 2, kind);
	sqlite3_bind_int(st, 3, school_year);
	rc = dbi_exec(db, st);
	int64_t rid = sqlite3_last_insert_rowid(dbi_handle(db));
	if (rc == DB_OK)
		rc = version_insert(db, rid, 1, "draft", "created", NULL, 0, by);
	rc = savepoint_end(db, rc);
	if (rc == DB_OK && id)
		*id = rid;
	return rc;
}

static int version_of_row(sqlite3_stmt *st, struct preport_version *v, int with_text)
{
	memset(v, 0, sizeof *v);
	v->version = sqlite3_column_int(st, 0);
	dbi_copy(v->state, sizeof v->state, st, 1);
	dbi_copy(v->action, sizeof v->action, st, 2);
	int c = 3;
	if (with_text) {
		for (int i = 0; i < PR_NFIELDS; i++, c++) {
			const unsigned char *t = sqlite3_column_text(st, c);
			v->text[i] = strdup(t ? (const char *)t : "");
			if (!v->text[i]) {
				preport_version_free(v);
				return -1;
			}
		}
	}
	v->release_id = sqlite3_column_int64(st, c++);
	dbi_copy(v->by_user, sizeof v->by_user, st, c++);
	dbi_copy(v->by_role, sizeof v->by_role, st, c++);
	dbi_copy(v->by_directorate, sizeof v->by_directorate, st, c++);
	dbi_copy(v->at, sizeof v->at, st, c);
	return 0;
}

int db_preport_version_get(db_t *db, int64_t report_id, int version, struct preport_version *out)
{
	sqlite3_stmt *st = pp(db, version > 0 ? P_VERSION_GET : P_VERSION_NEWEST);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, report_id);
	if (version > 0)
		sqlite3_bind_int(st, 2, version);
	int rc = sqlite3_step(st);
	int r = rc == SQLITE_ROW ? DB_OK : rc == SQLITE_DONE ? DB_NOTFOUND : dbi_rc(db, rc);
	if (r == DB_OK && version_of_row(st, out, 1) != 0)
		r = DB_ERROR;
	dbi_done(st);
	return r;
}

int db_preport_advance(db_t *db, int64_t report_id, int expected, const char *state, const char *action,
		       const char *const text[PR_NFIELDS], int64_t release_id, const struct account *by)
{
	struct preport_version old;
	int rc = db_preport_version_get(db, report_id, expected, &old);
	if (rc == DB_NOTFOUND)
		return DB_CONFLICT;
	if (rc != DB_OK)
		return rc;
	const char *t[PR_NFIELDS];
	for (int i = 0; i < PR_NFIELDS; i++)
		t[i] = text && text[i] ? text[i] : old.text[i];
	rc = savepoint(db, P_SAVEPOINT);
	sqlite3_stmt *st = rc == DB_OK ? pp(db, P_REPORT_MOVE) : NULL;
	if (!st) {
		preport_version_free(&old);
		return rc == DB_OK ? savepoint_end(db, DB_ERROR) : rc;
	}
	sqlite3_bind_int64(st, 1, report_id);
	sqlite3_bind_int(st, 2, expected);
	bind_text(st, 3, state);
	bind_text(st, 4, action);
	bind_text(st, 5, by->username);
	rc = dbi_exec(db, st);
	if (rc == DB_OK && sqlite3_changes(dbi_handle(db)) == 0)
		rc = DB_CONFLICT;
	if (rc == DB_OK)
		rc = version_insert(db, report_id, expected + 1, state, action, t,
				    release_id >= 0 ? release_id : old.release_id, by);
	preport_version_free(&old);
	return savepoint_end(db, rc);
}

static int history_row_cb(sqlite3_stmt *st, void *cb, void *ctx)
{
	struct preport_version v;
	version_of_row(st, &v, 0);
	return ((db_preport_version_cb)cb)(&v, ctx);
}

int db_preport_history(db_t *db, int64_t report_id, db_preport_version_cb cb, void *ctx)
{
	sqlite3_stmt *st = pp(db, P_HISTORY);
	if (!st)
		return DB_ERROR;
	sqlite3_bind_int64(st, 1, report_id);
	return each(db, st, history_row_cb, (void *)cb, ctx);
}

static int report_row_cb(sqlite3_stmt *st, void *cb, void *ctx)
{
	struct preport_row r;
	report_of_row(st, &r);
	return ((db_preport_cb)cb)(&r, ctx);
}

int db_preport_list(db_t *db, int64_t pilot_id, const char *scope_path, db_preport_cb cb, void *ctx)
{
	sqlite3_stmt *st = pp(db, pilot_id > 0 ? P_REPORT_PILOT : P_REPORT_SCOPE);
	if (!st)
		return DB_ERROR;
	if (pilot_id > 0)
		sqlite3_bind_int64(st, 1, pilot_id);
	else
		bind_text(st, 1, scope_path);
	return each(db, st, report_row_cb, (void *)cb, ctx);
}
