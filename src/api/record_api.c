/* The registration record over the JSON API. Routes and their roles are in route.c. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/log.h"
#include "../i18n/i18n.h"
#include "api.h"
#include "record_json.h"
#include "search.h"

/* The action context for the caller. */
static void ctx(struct req *r, struct reg *g, struct actor *who)
{
	actor_of_account(who, r->user);
	who->glass = r->via_glass;
	reg_init(g, r->db, server_keyring(), who, r->user->id, r->cfg->guardian_age,
		 r->cfg->fnr_rule_2032);
}

static int fail(struct req *r, struct outcome o)
{
	return http_error(r, o.status, T("en", o.msg));
}

static int read_logged(struct req *r, const char *kind, long long id, const char *text_id,
		       const char *purpose)
{
	char obj[80];
	if (text_id)
		snprintf(obj, sizeof obj, "%s:%s", kind, text_id);
	else
		snprintf(obj, sizeof obj, "%s:%lld", kind, id);
	return req_audit(r, "read", obj, purpose);
}

/* ---- students ---- */

/* Answers with the student as stored: a read, logged as one. */
static int student_answer(struct req *r, struct reg *g, int status, const char *pseudonym, int with_cases)
{
	struct student_row s;
	if (db_student_get(r->db, pseudonym, &s) != DB_OK)
		return http_error(r, 500, "saved, but could not be read back");
	if (read_logged(r, "student", 0, pseudonym, "follow-up"))
		return 500;
	return http_json(r, status, json_student(g, &s, with_cases));
}

int api_student_create(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	char pseudonym[16];
	struct outcome o = student_register(&g, &r->in, pseudonym);
	if (o.status >= 400)
		return fail(r, o);
	return student_answer(r, &g, 201, pseudonym, 1);
}

int api_student(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	if (read_logged(r, "student", 0, r->obj_student->pseudonym, "follow-up"))
		return 500;
	return http_json(r, 200, json_student(&g, r->obj_student, 1));
}

int api_student_update(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	struct outcome o = student_update(&g, r->obj_student, &r->in);
	if (o.status >= 400)
		return fail(r, o);
	return student_answer(r, &g, 200, r->obj_student->pseudonym, 0);
}

int api_consent_add(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	struct outcome o = consent_add(&g, r->obj_student, &r->in);
	if (o.status >= 400)
		return fail(r, o);
	return student_answer(r, &g, 201, r->obj_student->pseudonym, 0);
}

int api_consent_withdraw(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	const char *id = r->params[1];
	if (!id || !valid_uint(id, strlen(id)))
		return http_error(r, 404, "not found");
	struct outcome o = consent_withdraw(&g, r->obj_student, atoll(id), &r->in);
	if (o.status >= 400)
		return fail(r, o);
	if (!strcmp(o.msg, "consent.withdrawn_erased")) {
		if (erase_commit(r->db))
			return http_error(r, 500, "could not save");
		return http_json(r, 200, json_pack("{s:s,s:b}", "pseudonym", r->obj_student->pseudonym, "erased", 1));
	}
	return student_answer(r, &g, 200, r->obj_student->pseudonym, 0);
}

struct hist_ctx {
	json_t *arr;
};

static int push_change(const struct change_row *c, void *ctx)
{
	json_array_append_new(((struct hist_ctx *)ctx)->arr,
			      json_pack("{s:s,s:s,s:s,s:I,s:s,s:s,s:s}", "at", c->at, "by", c->username,
					"entity", c->entity, "entity_id", (json_int_t)c->entity_id,
					"field", c->field, "old", c->old, "new", c->new_));
	return 0;
}

int api_history(struct req *r)
{
	if (read_logged(r, "student", 0, r->obj_student->pseudonym, "change history"))
		return 500;
	struct hist_ctx h = {json_array()};
	if (db_change_list(r->db, r->obj_student->id, 1000, push_change, &h) != DB_OK) {
		json_decref(h.arr);
		return http_error(r, 500, "could not read the history");
	}
	return http_json(r, 200, json_pack("{s:o}", "changes", h.arr));
}

static json_t *access_json(const struct audit_row *a)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)a->seq, "at", a->at,
			 "username", a->username, "role", a->role, "unit", a->unit, "action", a->action,
			 "object", a->object, "purpose", a->purpose, "outcome", a->outcome);
}

static int push_access(const struct audit_row *a, void *ctx)
{
	json_array_append_new(ctx, access_json(a));
	return 0;
}

#define EXPORT_JSON_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII)

static int dump_to_buf(const char *s, size_t n, void *data)
{
	buf_put(data, s, n);
	return 0;
}

/* The JSON export writes the access log row by row: a much-read student has tens of thousands
 * of rows, and a tree of them all took some 1.3 kB a row before a byte was written. */
struct access_stream {
	buf_t *b;
	int n;
	int failed;
};

static int stream_access(const struct audit_row *a, void *ctx)
{
	struct access_stream *x = ctx;
	json_t *o = access_json(a);
	if (x->n++)
		buf_putc(x->b, ',');
	if (!o || json_dump_callback(o, dump_to_buf, x->b, EXPORT_JSON_FLAGS) != 0)
		x->failed = 1;
	json_decref(o);
	return x->failed;
}

/*
 * The subject-access export (GDPR Art. 15): everything elevlos holds about one student — the
 * record with names, id number, consents, cases, contacts with their notes, decisions, measures
 * and outcomes, the change history, and every access-log row about the student — as one JSON
 * file to hand over (or a PDF of the same). Its making is itself logged as an export of the
 * student.
 */
int page_student_export(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	const struct student_row *s = r->obj_student;
	const char *fmt = r->in.v[KEY_FORMAT];
	int pdf = fmt && !strcmp(fmt, "pdf");
	if (fmt && !pdf && strcmp(fmt, "json") != 0)
		return http_error(r, 422, "format: json or pdf");
	if (req_audit(r, "export", arena_printf(r->arena, "student:%s", s->pseudonym), "subject access export"))
		return 500;
	struct hist_ctx h = {json_array()};
	if (db_change_list(r->db, s->id, 100000, push_change, &h) != DB_OK) {
		json_decref(h.arr);
		return http_error(r, 500, "error.read_failed");
	}
	char now[21];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "format", "elevlos-subject-access/1", "made_at", now,
			      "made_by", r->user->username, "controller_note",
			      "Everything elevlos holds about this student, for the student (GDPR Art. 15).", "student",
			      json_student(&g, s, 1), "changes", h.arr);
	if (pdf) {
		json_t *access = json_array();
		if (db_audit_for_student(r->db, s->id, push_access, access) != DB_OK) {
			json_decref(access);
			json_decref(j);
			return http_error(r, 500, "error.read_failed");
		}
		json_object_set_new(j, "access_log", access);
		char err[200] = "";
		buf_reset(&r->out);
		int rc = subject_access_pdf(j, r->lang, &r->out, err, sizeof err);
		json_decref(j);
		if (rc != 0) {
			log_event(LOG_ERROR, "export_failed", json_pack("{s:s,s:s}", "format", "pdf", "reason", err));
			return http_error(r, 500, "error.export_failed");
		}
		r->ctype = "application/pdf";
		snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"elevlos-innsyn-%s.pdf\"",
			 s->pseudonym);
		return 200;
	}
	/* The document up to its closing brace, then "access_log" written as it is read. */
	buf_reset(&r->out);
	int bad = !j || json_dump_callback(j, dump_to_buf, &r->out, EXPORT_JSON_FLAGS) != 0 || r->out.len < 2 ||
		  r->out.p[r->out.len - 1] != '}';
	json_decref(j);
	struct access_stream x = {&r->out, 0, 0};
	if (!bad) {
		r->out.p[--r->out.len] = '\0';
		buf_puts(&r->out, ",\"access_log\":[");
		bad = db_audit_for_student(r->db, s->id, stream_access, &x) != DB_OK || x.failed;
	}
	if (bad) {
		buf_reset(&r->out);
		return http_error(r, 500, "error.read_failed");
	}
	buf_puts(&r->out, "]}\n");
	r->ctype = "application/json";
	snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"elevlos-innsyn-%s.json\"", s->pseudonym);
	return 200;
}

struct search_json {
	struct reg *g;
	json_t *arr;
	struct req *r; /* a search by name: each hit goes into its student's access report */
};

static int push_hit(const struct student_row *s, const char *name, void *ctx)
{
	struct search_json *x = ctx;
	if (x->r && req_audit(x->r, "search", arena_printf(x->r->arena, "student:%s", s->pseudonym),
			      "shown in a search's results"))
		return 1;
	json_array_append_new(x->arr, json_pack("{s:s,s:s}", "pseudonym", s->pseudonym, "name", name));
	return 0;
}

int api_student_search(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	/* GET: every student of the caller's pilots. POST …/search: by name or pseudonym, sent in
	 * the body so a name never stands in a URL, a proxy log or the browser history. */
	const char *q = r->in.v[KEY_Q] ? r->in.v[KEY_Q] : "";
	if (!strcmp(r->method, "POST") && !*q)
		return http_error(r, 422, "give q: a name or pseudonym to search for");
	if (req_audit(r, *q ? "search" : "read", "students", *q ? "search by name or pseudonym" : "student list"))
		return 500;
	struct search_json x = {&g, json_array(), *q ? r : NULL};
	if (student_search(&g, r->user->unit_path, q, push_hit, &x) != 0) {
		json_decref(x.arr);
		return http_error(r, 500, "search failed");
	}
	return http_json(r, 200, json_pack("{s:o}", "students", x.arr));
}

/* ---- cases ---- */

static int case_answer(struct req *r, struct reg *g, int status, int64_t id)
{
	struct sak_row k;
	if (db_sak_get(r->db, id, &k) != DB_OK)
		return http_error(r, 500, "saved, but could not be read back");
	/* The answer is the whole case, notes included: that is a read, and logged as one. */
	if (read_logged(r, "case", id, NULL, "follow-up"))
		return 500;
	return http_json(r, status, json_case(g, &k));
}

int api_case_open(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	int64_t id;
	struct outcome o = sak_open(&g, r->obj_student, &r->in, &id);
	if (o.status >= 400)
		return fail(r, o);
	return case_answer(r, &g, 201, id);
}

int api_case(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	if (read_logged(r, "case", r->obj_sak->id, NULL, "follow-up"))
		return 500;
	return http_json(r, 200, json_case(&g, r->obj_sak));
}

#define CASE_ACTION(fn, action, ok_status)                                                            \
	int fn(struct req *r)                                                                      \
	{                                                                                          \
		struct reg g;                                                                      \
		struct actor who;                                                                  \
		ctx(r, &g, &who);                                                                  \
		struct outcome o = action;                                                         \
		if (o.status >= 400)                                                               \
			return fail(r, o);                                                         \
		return case_answer(r, &g, ok_status, r->obj_sak->id);                              \
	}

CASE_ACTION(api_case_update, sak_update(&g, r->obj_sak, &r->in), 200)
CASE_ACTION(api_case_close, sak_close(&g, r->obj_sak, &r->in), 200)
CASE_ACTION(api_case_reopen, sak_reopen(&g, r->obj_sak), 200)
/* Adding to a case answers with what was added, not the whole case: a busy case has
 * hundreds of contacts, and the answer is built inside the write transaction. */
int api_contact_add(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	int64_t id = 0;
	struct outcome o = contact_add(&g, r->obj_sak, &r->in, &id);
	struct contact_row c;
	if (o.status >= 400)
		return fail(r, o);
	if (db_contact_get(r->db, id, &c) != DB_OK)
		return http_error(r, 500, "saved, but could not be read back");
	return http_json(r, 201, json_contact(&g, &c));
}

int api_decision_add(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	int64_t id = 0;
	struct outcome o = decision_add(&g, r->obj_sak, &r->in, &id);
	struct decision_row d;
	if (o.status >= 400)
		return fail(r, o);
	if (db_decision_get(r->db, id, &d) != DB_OK)
		return http_error(r, 500, "saved, but could not be read back");
	return http_json(r, 201, json_decision(&d));
}

int api_measure_add(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	int64_t id = 0;
	struct outcome o = measure_add(&g, r->obj_sak, &r->in, &id);
	struct measure_row m;
	if (o.status >= 400)
		return fail(r, o);
	if (db_measure_get(r->db, id, &m) != DB_OK)
		return http_error(r, 500, "saved, but could not be read back");
	return http_json(r, 201, json_measure(&m));
}
CASE_ACTION(api_outcome_set, outcome_set(&g, r->obj_sak, &r->in), 200)

int api_contact(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	if (read_logged(r, "contact", r->obj_contact->id, NULL, "follow-up"))
		return 500;
	return http_json(r, 200, json_contact(&g, r->obj_contact));
}

int api_decision(struct req *r)
{
	if (read_logged(r, "decision", r->obj_decision->id, NULL, "follow-up"))
		return 500;
	return http_json(r, 200, json_decision(r->obj_decision));
}

int api_measure(struct req *r)
{
	if (read_logged(r, "measure", r->obj_measure->id, NULL, "follow-up"))
		return 500;
	return http_json(r, 200, json_measure(r->obj_measure));
}

/* ---- caseload ---- */

struct load_ctx {
	struct reg *g;
	json_t *arr;
	int days;
};

static int push_load(const struct caseload_row *c, void *ctx)
{
	struct load_ctx *l = ctx;
	char name[256];
	student_open_name(l->g, c->pseudonym, &c->name, name, sizeof name);
	int since = caseload_days_since(l->g->today, c->last_contact[0] ? c->last_contact : c->opened_on);
	json_array_append_new(l->arr, json_pack("{s:s,s:s,s:I,s:s,s:s,s:o,s:i,s:b}", "pseudonym",
						c->pseudonym, "name", name, "case", (json_int_t)c->sak_id,
						"opened_on", c->opened_on, "main_reason", c->main_reason,
						"last_contact", c->last_contact[0] ? json_string(c->last_contact) : json_null(),
						"days_since", since, "not_seen", since >= l->days));
	return 0;
}

static int push_ref(const struct referral_row *rr, void *ctx)
{
	struct load_ctx *l = ctx;
	json_array_append_new(l->arr, json_referral(l->g, rr, 1));
	return 0;
}

int api_caseload(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	if (req_audit(r, "read", "caseload", "follow-up"))
		return 500;
	struct load_ctx refs = {&g, json_array(), 0}, load = {&g, json_array(), r->cfg->not_seen_days};
	if (db_referral_list_scope(r->db, r->user->unit_path, push_ref, &refs) != DB_OK ||
	    db_caseload(r->db, r->user->unit_path, push_load, &load) != DB_OK) {
		json_decref(refs.arr);
		json_decref(load.arr);
		return http_error(r, 500, "could not read the caseload");
	}
	/* Open referrals only: decided ones are history. */
	json_t *open = json_array();
	for (size_t i = 0; i < json_array_size(refs.arr); i++) {
		json_t *v = json_array_get(refs.arr, i);
		if (!strcmp(json_string_value(json_object_get(v, "status")), "NY"))
			json_array_append(open, v);
	}
	json_decref(refs.arr);
	return http_json(r, 200, json_pack("{s:o,s:o,s:i}", "referrals", open, "students", load.arr,
					   "not_seen_days", r->cfg->not_seen_days));
}

/* ---- referrals ---- */

int api_referral_create(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	int64_t id;
	struct outcome o = referral_create(&g, r->user, &r->in, &id);
	if (o.status >= 400)
		return fail(r, o);
	struct referral_row rr;
	if (db_referral_get(r->db, id, &rr) != DB_OK)
		return http_error(r, 500, "sent, but could not be read back");
	return http_json(r, 201, json_referral(&g, &rr, 0));
}

int api_referrals(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	if (req_audit(r, "read", "referrals", "referrals"))
		return 500;
	int radgiver = !strcmp(r->user->role, "radgiver");
	struct load_ctx l = {&g, json_array(), 0};
	int rc = radgiver ? db_referral_list_referrer(r->db, r->user->id, push_ref, &l)
			  : db_referral_list_scope(r->db, r->user->unit_path, push_ref, &l);
	if (rc != DB_OK) {
		json_decref(l.arr);
		return http_error(r, 500, "could not read referrals");
	}
	if (radgiver) {
		/* The referrer's list: status only, never a case number. */
		for (size_t i = 0; i < json_array_size(l.arr); i++)
			json_object_del(json_array_get(l.arr, i), "case");
	}
	return http_json(r, 200, json_pack("{s:o}", "referrals", l.arr));
}

int api_referral(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	if (read_logged(r, "referral", r->obj_referral->id, NULL, "referral"))
		return 500;
	int full = strcmp(r->user->role, "radgiver") != 0;
	/* What a sharing consent shows the referrer is case content: logged against the case. */
	if (!full && r->obj_referral->sak_id && referral_shares(&g, r->obj_referral) &&
	    read_logged(r, "case", r->obj_referral->sak_id, NULL, "shared with the school counsellor"))
		return 500;
	return http_json(r, 200, json_referral(&g, r->obj_referral, full));
}

int api_referral_accept(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	int64_t sak_id;
	struct outcome o = referral_accept(&g, r->obj_referral, &r->in, &sak_id);
	if (o.status >= 400)
		return fail(r, o);
	return case_answer(r, &g, 200, sak_id);
}

int api_referral_decline(struct req *r)
{
	struct reg g;
	struct actor who;
	ctx(r, &g, &who);
	struct outcome o = referral_decline(&g, r->obj_referral, &r->in);
	if (o.status >= 400)
		return fail(r, o);
	struct referral_row rr;
	if (db_referral_get(r->db, r->obj_referral->id, &rr) != DB_OK)
		return http_error(r, 500, "saved, but could not be read back");
	return http_json(r, 200, json_referral(&g, &rr, 1));
}

/* ---- code lists ---- */

static int push_code(const char *code, const char *nb, const char *en, void *ctx)
{
	json_array_append_new(ctx, json_pack("{s:s,s:s,s:s}", "code", code, "nb", nb, "en", en));
	return 0;
}

int api_codes(struct req *r)
{
	const char *list = r->params[0];
	json_t *arr = json_array();
	if (db_code_list(r->db, list, push_code, arr) != DB_OK) {
		json_decref(arr);
		return http_error(r, 500, "could not read the code list");
	}
	if (json_array_size(arr) == 0) {
		json_decref(arr);
		return http_error(r, 404, "no such code list");
	}
	return http_json(r, 200, json_pack("{s:s,s:o}", "list", list, "codes", arr));
}
