#include "cases.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../db/record.h"
#include "../http/form.h"
#include "../registration/registration.h"
#include "../student/fnr.h"

/* ---- export ---- */

static json_t *opt_str(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

/* Lists come newest first from the database; the file has them oldest first. */
static void reverse(json_t *arr)
{
	size_t n = json_array_size(arr);
	for (size_t i = 0; i < n / 2; i++) {
		json_t *a = json_incref(json_array_get(arr, i));
		json_t *b = json_incref(json_array_get(arr, n - 1 - i));
		json_array_set_new(arr, i, b);
		json_array_set_new(arr, n - 1 - i, a);
	}
}

static int push_code(const char *s, void *ctx)
{
	json_array_append_new(ctx, json_string(s));
	return 0;
}

struct xctx {
	struct reg *g;
	json_t *arr;
};

static int x_living(const struct living_row *l, void *ctx)
{
	json_array_append_new(((struct xctx *)ctx)->arr,
			      json_pack("{s:s,s:s}", "code", l->code, "from", l->from_date));
	return 0;
}

static int x_consent(const struct consent_row *c, void *ctx)
{
	json_array_append_new(((struct xctx *)ctx)->arr,
			      json_pack("{s:s,s:o,s:s,s:s,s:o}", "kind", c->kind, "partner", opt_str(c->partner),
					"given_on", c->given_on, "given_by", c->given_by, "withdrawn_on",
					opt_str(c->withdrawn_on)));
	return 0;
}

static int x_contact(const struct contact_row *c, void *ctx)
{
	struct xctx *x = ctx;
	static _Thread_local char note[4100];
	json_t *f = json_array();
	db_contact_followups(x->g->db, c->id, push_code, f);
	contact_open_note(x->g, c, note, sizeof note);
	json_array_append_new(x->arr, json_pack("{s:s,s:s,s:o,s:o,s:o,s:s}", "on_date", c->on_date, "kind",
						c->kind, "minutes",
						c->minutes >= 0 ? json_integer(c->minutes) : json_null(),
						"followups", f, "note", opt_str(note), "by", c->created_by));
	sodium_memzero(note, sizeof note);
	return 0;
}

static int x_decision(const struct decision_row *d, void *ctx)
{
	json_array_append_new(((struct xctx *)ctx)->arr,
			      json_pack("{s:s,s:b,s:s,s:o}", "code", d->code, "granted", d->granted,
					"on_date", d->on_date, "duration", opt_str(d->duration)));
	return 0;
}

static int x_measure(const struct measure_row *m, void *ctx)
{
	json_array_append_new(((struct xctx *)ctx)->arr,
			      json_pack("{s:s,s:s,s:s,s:o}", "side", m->side, "code", m->code, "start_on",
					m->start_on, "end_on", opt_str(m->end_on)));
	return 0;
}

static int x_outcome(const char *year, const char *code, void *ctx)
{
	json_array_append_new(ctx, json_pack("{s:s,s:s}", "school_year", year, "outcome", code));
	return 0;
}

static int x_case(const struct sak_row *k, void *ctx)
{
	struct xctx *x = ctx;
	db_t *db = x->g->db;
	json_t *reasons = json_array(), *partners = json_array(), *outcomes = json_array();
	struct xctx contacts = {x->g, json_array()}, decisions = {x->g, json_array()},
		    measures = {x->g, json_array()};
	db_sak_codes(db, "reason", k->id, push_code, reasons);
	db_sak_codes(db, "partner", k->id, push_code, partners);
	db_contact_list(db, k->id, x_contact, &contacts);
	db_decision_list(db, k->id, x_decision, &decisions);
	db_measure_list(db, k->id, x_measure, &measures);
	db_outcome_list(db, k->id, x_outcome, outcomes);
	reverse(contacts.arr);
	reverse(decisions.arr);
	reverse(measures.arr);
	json_array_append_new(
		x->arr, json_pack("{s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:b,s:b,s:o,s:o,s:o,s:o,s:o,s:o}", "opened_on",
				  k->opened_on, "referral_source", k->referral_source, "referred_on",
				  opt_str(k->referred_on), "first_contact_on", opt_str(k->first_contact_on),
				  "main_reason", k->main_reason, "reasons", reasons, "partners", partners,
				  "interagency", k->interagency, "responsibility_group", k->responsibility_group,
				  "closed_on", opt_str(k->closed_on), "close_reason", opt_str(k->close_reason),
				  "contacts", contacts.arr, "decisions", decisions.arr, "measures",
				  measures.arr, "outcomes", outcomes));
	return 0;
}

/* The file line of one student (also used to compare on import). */
static json_t *student_line(struct reg *g, const struct student_row *s)
{
	char name[256], fnr[64];
	student_open_name(g, s->pseudonym, &s->name, name, sizeof name);
	student_open_fnr(g, s->pseudonym, &s->fnr, fnr, sizeof fnr);
	struct xctx living = {g, json_array()}, consents = {g, json_array()}, cases = {g, json_array()};
	db_living_list(g->db, s->id, x_living, &living);
	reverse(living.arr);
	db_consent_list(g->db, s->id, x_consent, &consents);
	db_sak_list_student(g->db, s->id, x_case, &cases);
	reverse(cases.arr);
	json_t *j = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "pseudonym",
			      s->pseudonym, "pilot", s->pilot_code, "school", opt_str(s->school_code), "name",
			      opt_str(name), "fnr", opt_str(fnr), "birth_year",
			      s->birth_year ? json_integer(s->birth_year) : json_null(), "gender",
			      opt_str(s->gender), "level", opt_str(s->level), "programme", opt_str(s->programme),
			      "minority", opt_str(s->minority), "living", living.arr, "consents", consents.arr,
			      "cases", cases.arr);
	sodium_memzero(name, sizeof name);
	sodium_memzero(fnr, sizeof fnr);
	return j;
}

struct export_ctx {
	struct reg *g;
	FILE *out;
	long n;
	int failed;
};

static int export_one(const struct student_row *s, void *ctx)
{
	struct export_ctx *e = ctx;
	json_t *j = student_line(e->g, s);
	char *line = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	if (!line || fputs(line, e->out) == EOF || fputc('\n', e->out) == EOF) {
		e->failed = 1;
		free(line);
		return 1;
	}
	sodium_memzero(line, strlen(line));
	free(line);
	e->n++;
	return 0;
}

int cases_export(db_t *db, const struct keyring *kr, const struct actor *who, const char *scope_path,
		 FILE *out, long *students)
{
	struct reg g;
	reg_init(&g, db, kr, who, 0, 16, 1);
	struct export_ctx e = {&g, out, 0, 0};
	/* A read transaction: one consistent snapshot; the access-log row is in the same one. */
	if (db_begin(db) != DB_OK)
		return -1;
	fprintf(out, "{\"format\":\"%s\",\"version\":%d}\n", CASES_FORMAT, CASES_VERSION);
	/* A value no key opens would be exported as missing: refuse instead of losing it. */
	if (db_student_list(db, scope_path, export_one, &e) != DB_OK || e.failed || g.unreadable ||
	    actor_audit(db, who, "export", "students", "case file export") != DB_OK ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	if (students)
		*students = e.n;
	return fflush(out) == 0 ? 0 : -1;
}

/* ---- import ---- */

struct imp {
	struct reg *g;
	db_t *db;
	FILE *errs;
	long line;
	int bad;         /* this line has an error */
	int writing;     /* no error so far in the file: lines are written */
	struct import_report *rep;
	json_t *seen;    /* pseudonyms in this file */
};

static void err(struct imp *m, const char *where, const char *what)
{
	m->bad = 1;
	m->rep->errors++;
	/* "cases[0].contacts[1]." names an element: print it without the dot for members. */
	size_t n = strlen(where);
	if (n && where[n - 1] == '.')
		n--;
	if (m->rep->errors <= 1000)
		fprintf(m->errs, "line %ld: %.*s: %s\n", m->line, (int)n, where, what);
	else if (m->rep->errors == 1001)
		fprintf(m->errs, "(more errors: only the first 1000 are listed)\n");
}

/* A string member that passes a validator; NULL (absent or null) when optional. */
static const char *str(struct imp *m, json_t *o, const char *key, const char *where, int required,
		       validator_fn valid)
{
	char at[128];
	snprintf(at, sizeof at, "%s%s", where, key);
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		if (required)
			err(m, at, "is required");
		return NULL;
	}
	if (!json_is_string(v)) {
		err(m, at, "must be a string");
		return NULL;
	}
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (!utf8_valid_text(s, n) || (valid && !valid(s, n))) {
		err(m, at, "is not a valid value");
		return NULL;
	}
	return s;
}

static const char *code(struct imp *m, json_t *o, const char *key, const char *where, int required,
			const char *list)
{
	const char *c = str(m, o, key, where, required, valid_code_token);
	if (c && db_code_valid(m->db, list, c) != 1) {
		char at[128], what[96];
		snprintf(at, sizeof at, "%s%s", where, key);
		snprintf(what, sizeof what, "'%s' is not in the code list %s", c, list);
		err(m, at, what);
		return NULL;
	}
	return c;
}

static int boolean(struct imp *m, json_t *o, const char *key, const char *where)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		char at[128];
		snprintf(at, sizeof at, "%s%s", where, key);
		err(m, at, "must be true or false");
		return 0;
	}
	return json_is_true(v);
}

static json_t *array(struct imp *m, json_t *o, const char *key, const char *where)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		char at[128];
		snprintf(at, sizeof at, "%s%s", where, key);
		err(m, at, "must be an array");
		return NULL;
	}
	return v;
}

static void only_keys(struct imp *m, json_t *o, const char *where, const char *const *keys)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		int known = 0;
		for (const char *const *p = keys; *p; p++)
			known |= !strcmp(*p, k);
		if (!known) {
			char at[160];
			snprintf(at, sizeof at, "%s%.64s", where, k);
			err(m, at, "unknown field");
		}
	}
}

/* 1 when code is one of the comma-separated codes in csv. */
static int csv_has(const char *csv, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = csv; *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && memcmp(p, code, n) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

/* The codes of a list member joined with ',' into out. A code may appear once: the database
 * holds a set, and a repeated one had overflowed out, cutting the last code in two (stored as
 * a code of no list) and dropping the rest. */
static void codes_csv(struct imp *m, json_t *arr, const char *where, const char *list, char *out, size_t outsz)
{
	size_t n = 0;
	out[0] = '\0';
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		char at[128];
		snprintf(at, sizeof at, "%s[%zu]", where, i);
		const char *c = json_is_string(v) ? json_string_value(v) : NULL;
		if (!c || !valid_code_token(c, strlen(c)) || db_code_valid(m->db, list, c) != 1) {
			err(m, at, "is not a code of its list");
			continue;
		}
		if (csv_has(out, c)) {
			err(m, at, "repeats a code of the list");
			continue;
		}
		if (n + 1 + strlen(c) >= outsz) {
			err(m, at, "is one code too many");
			continue;
		}
		n += (size_t)snprintf(out + n, outsz - n, "%s%s", n ? "," : "", c);
	}
}

static void import_case(struct imp *m, const struct student_row *s, json_t *c, const char *where)
{
	static const char *const keys[] = {"opened_on", "referral_source", "referred_on", "first_contact_on",
					   "main_reason", "reasons", "partners", "interagency",
					   "responsibility_group", "closed_on", "close_reason", "contacts",
					   "decisions", "measures", "outcomes", NULL};
	if (!json_is_object(c)) {
		err(m, where, "must be an object");
		return;
	}
	char w[96];
	snprintf(w, sizeof w, "%s.", where);
	only_keys(m, c, w, keys);
	struct sak_row k;
	memset(&k, 0, sizeof k);
	k.student_id = s->id;
	k.pilot_id = s->pilot_id;
	const char *v;
	if ((v = str(m, c, "opened_on", w, 1, valid_date)))
		snprintf(k.opened_on, sizeof k.opened_on, "%s", v);
	if ((v = code(m, c, "referral_source", w, 1, "referral_source")))
		snprintf(k.referral_source, sizeof k.referral_source, "%s", v);
	if ((v = str(m, c, "referred_on", w, 0, valid_date)))
		snprintf(k.referred_on, sizeof k.referred_on, "%s", v);
	if ((v = str(m, c, "first_contact_on", w, 0, valid_date)))
		snprintf(k.first_contact_on, sizeof k.first_contact_on, "%s", v);
	if ((v = code(m, c, "main_reason", w, 1, "reason")))
		snprintf(k.main_reason, sizeof k.main_reason, "%s", v);
	k.interagency = boolean(m, c, "interagency", w);
	k.responsibility_group = boolean(m, c, "responsibility_group", w);
	const char *closed = str(m, c, "closed_on", w, 0, valid_date);
	const char *why = code(m, c, "close_reason", w, 0, "close_reason");
	if (!closed != !why)
		err(m, where, "closed_on and close_reason go together");
	if (closed && k.opened_on[0] && strcmp(closed, k.opened_on) < 0)
		err(m, where, "closed before it was opened");
	char reasons[512], partners[512];
	json_t *a;
	char at[128];
	reasons[0] = '\0';
	snprintf(at, sizeof at, "%sreasons", w);
	if ((a = array(m, c, "reasons", w)))
		codes_csv(m, a, at, "reason", reasons, sizeof reasons);
	snprintf(at, sizeof at, "%spartners", w);
	json_t *p = array(m, c, "partners", w);
	partners[0] = '\0';
	if (p)
		codes_csv(m, p, at, "partner", partners, sizeof partners);
	int wrote = 0;
	if (m->writing && !m->bad) {
		if (closed) {
			snprintf(k.closed_on, sizeof k.closed_on, "%s", closed);
			snprintf(k.close_reason, sizeof k.close_reason, "%s", why);
		}
		if (db_sak_insert(m->db, &k) != DB_OK || (k.closed_on[0] && db_sak_update(m->db, &k) != DB_OK)) {
			err(m, where, "could not be stored");
			return;
		}
		char buf[512];
		snprintf(buf, sizeof buf, "%s", reasons);
		char *save = NULL;
		for (char *x = strtok_r(buf, ",", &save); x; x = strtok_r(NULL, ",", &save))
			db_sak_codes_add(m->db, "reason", k.id, x);
		snprintf(buf, sizeof buf, "%s", partners);
		for (char *x = strtok_r(buf, ",", &save); x; x = strtok_r(NULL, ",", &save))
			db_sak_codes_add(m->db, "partner", k.id, x);
		wrote = 1;
		m->rep->cases++;
	}
	size_t i;
	json_t *e;
	if ((a = array(m, c, "contacts", w))) {
		json_array_foreach(a, i, e) {
			static const char *const ck[] = {"on_date", "kind", "minutes", "followups", "note", "by", NULL};
			char cw[128];
			snprintf(cw, sizeof cw, "%scontacts[%zu].", w, i);
			if (!json_is_object(e)) {
				err(m, cw, "must be an object");
				continue;
			}
			only_keys(m, e, cw, ck);
			struct contact_row ct;
			memset(&ct, 0, sizeof ct);
			ct.sak_id = k.id;
			const char *d = str(m, e, "on_date", cw, 1, valid_date);
			const char *kind = code(m, e, "kind", cw, 1, "contact_kind");
			const char *note = str(m, e, "note", cw, 0, valid_note);
			const char *by = str(m, e, "by", cw, 0, valid_username);
			json_t *mins = json_object_get(e, "minutes");
			ct.minutes = -1;
			if (mins && !json_is_null(mins)) {
				if (!json_is_integer(mins) || json_integer_value(mins) < 0 || json_integer_value(mins) > 1440)
					err(m, cw, "minutes must be a whole number from 0 to 1440");
				else
					ct.minutes = (int)json_integer_value(mins);
			}
			if (note && strlen(note) > 4000)
				err(m, cw, "note is longer than 4000 bytes");
			char fu[512] = "";
			json_t *fa = array(m, e, "followups", cw);
			if (fa) {
				char fw[160];
				snprintf(fw, sizeof fw, "%sfollowups", cw);
				codes_csv(m, fa, fw, "followup", fu, sizeof fu);
			}
			if (!wrote || m->bad)
				continue;
			snprintf(ct.on_date, sizeof ct.on_date, "%s", d);
			snprintf(ct.kind, sizeof ct.kind, "%s", kind);
			snprintf(ct.created_by, sizeof ct.created_by, "%s", by ? by : m->g->who->username);
			if (db_contact_insert(m->db, &ct) != DB_OK) {
				err(m, cw, "could not be stored");
				continue;
			}
			if (note) {
				char ad[64];
				size_t n = strlen(note);
				snprintf(ad, sizeof ad, "contact.note:%lld", (long long)ct.id);
				seal(m->g->kr, ad, note, n, ct.note);
				db_contact_reseal(m->db, ct.id, ct.note, n + SEAL_OVERHEAD);
			}
			char *save = NULL;
			for (char *x = strtok_r(fu, ",", &save); x; x = strtok_r(NULL, ",", &save))
				db_contact_followup_add(m->db, ct.id, x);
			m->rep->contacts++;
		}
	}
	if ((a = array(m, c, "decisions", w))) {
		json_array_foreach(a, i, e) {
			static const char *const dk[] = {"code", "granted", "on_date", "duration", NULL};
			char dw[128];
			snprintf(dw, sizeof dw, "%sdecisions[%zu].", w, i);
			if (!json_is_object(e)) {
				err(m, dw, "must be an object");
				continue;
			}
			only_keys(m, e, dw, dk);
			struct decision_row d;
			memset(&d, 0, sizeof d);
			d.sak_id = k.id;
			const char *dc = code(m, e, "code", dw, 1, "decision");
			const char *on = str(m, e, "on_date", dw, 1, valid_date);
			const char *du = code(m, e, "duration", dw, 0, "duration");
			d.granted = boolean(m, e, "granted", dw);
			if (du && dc && strcmp(dc, "SOSTJL_18") != 0 && strcmp(dc, "SOSTJL_19") != 0)
				err(m, dw, "a duration belongs to § 18 and § 19 only");
			if (!wrote || m->bad)
				continue;
			snprintf(d.code, sizeof d.code, "%s", dc);
			snprintf(d.on_date, sizeof d.on_date, "%s", on);
			snprintf(d.duration, sizeof d.duration, "%s", du ? du : "");
			if (db_decision_insert(m->db, &d) != DB_OK)
				err(m, dw, "could not be stored");
		}
	}
	if ((a = array(m, c, "measures", w))) {
		json_array_foreach(a, i, e) {
			static const char *const mk[] = {"side", "code", "start_on", "end_on", NULL};
			char mw[128];
			snprintf(mw, sizeof mw, "%smeasures[%zu].", w, i);
			if (!json_is_object(e)) {
				err(m, mw, "must be an object");
				continue;
			}
			only_keys(m, e, mw, mk);
			struct measure_row ms;
			memset(&ms, 0, sizeof ms);
			ms.sak_id = k.id;
			const char *side = str(m, e, "side", mw, 1, NULL);
			const char *list = side && !strcmp(side, "nav") ? "nav_measure" : side && !strcmp(side, "school") ? "school_measure" : NULL;
			if (side && !list)
				err(m, mw, "side must be nav or school");
			const char *mc = list ? code(m, e, "code", mw, 1, list) : NULL;
			const char *st = str(m, e, "start_on", mw, 1, valid_date);
			const char *en = str(m, e, "end_on", mw, 0, valid_date);
			if (st && en && strcmp(en, st) < 0)
				err(m, mw, "ends before it starts");
			if (!wrote || m->bad)
				continue;
			snprintf(ms.side, sizeof ms.side, "%s", side);
			snprintf(ms.code, sizeof ms.code, "%s", mc);
			snprintf(ms.start_on, sizeof ms.start_on, "%s", st);
			snprintf(ms.end_on, sizeof ms.end_on, "%s", en ? en : "");
			if (db_measure_insert(m->db, &ms) != DB_OK)
				err(m, mw, "could not be stored");
		}
	}
	if ((a = array(m, c, "outcomes", w))) {
		json_t *years = json_object();
		json_array_foreach(a, i, e) {
			static const char *const ok[] = {"school_year", "outcome", NULL};
			char ow[128];
			snprintf(ow, sizeof ow, "%soutcomes[%zu].", w, i);
			if (!json_is_object(e)) {
				err(m, ow, "must be an object");
				continue;
			}
			only_keys(m, e, ow, ok);
			const char *y = str(m, e, "school_year", ow, 1, valid_school_year);
			const char *oc = code(m, e, "outcome", ow, 1, "outcome");
			if (y && json_object_get(years, y))
				err(m, ow, "the same school year twice");
			else if (y)
				json_object_set_new(years, y, json_true());
			if (wrote && !m->bad && db_outcome_set(m->db, k.id, y, oc) != DB_OK)
				err(m, ow, "could not be stored");
		}
		json_decref(years);
	}
}

/* ---- the shape export writes, for comparing a line with what is stored ---- */

static void fill(json_t *o, const char *key, json_t *value)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		json_object_set_new(o, key, value);
	else
		json_decref(value);
}

static const char *text_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : "";
}

/* Stable insertion sort of an array by a string member ("" for strings themselves). */
static void sort_by(json_t *arr, const char *key)
{
	size_t n = json_array_size(arr);
	for (size_t i = 1; i < n; i++) {
		for (size_t j = i; j > 0; j--) {
			json_t *a = json_array_get(arr, j - 1), *b = json_array_get(arr, j);
			const char *ka = *key ? text_of(a, key) : json_string_value(a);
			const char *kb = *key ? text_of(b, key) : json_string_value(b);
			if (!ka || !kb || strcmp(ka, kb) <= 0)
				break;
			json_incref(a);
			json_incref(b);
			json_array_set_new(arr, j - 1, b);
			json_array_set_new(arr, j, a);
		}
	}
}

static void each_object(json_t *arr, void (*fn)(json_t *, const char *), const char *arg)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (json_is_object(v))
			fn(v, arg);
	}
}

static void canon_contact(json_t *c, const char *by)
{
	fill(c, "minutes", json_null());
	fill(c, "followups", json_array());
	fill(c, "note", json_null());
	fill(c, "by", json_string(by));
	sort_by(json_object_get(c, "followups"), "");
}

static void canon_decision(json_t *d, const char *unused)
{
	(void)unused;
	fill(d, "granted", json_false());
	fill(d, "duration", json_null());
}

static void canon_measure(json_t *m, const char *unused)
{
	(void)unused;
	fill(m, "end_on", json_null());
}

static void canon_case(json_t *c, const char *by)
{
	static const char *const nulls[] = {"referred_on", "first_contact_on", "closed_on", "close_reason", NULL};
	static const char *const lists[] = {"reasons", "partners", "contacts", "decisions", "measures", "outcomes", NULL};
	for (const char *const *k = nulls; *k; k++)
		fill(c, *k, json_null());
	for (const char *const *k = lists; *k; k++)
		fill(c, *k, json_array());
	fill(c, "interagency", json_false());
	fill(c, "responsibility_group", json_false());
	sort_by(json_object_get(c, "reasons"), "");
	sort_by(json_object_get(c, "partners"), "");
	each_object(json_object_get(c, "contacts"), canon_contact, by);
	each_object(json_object_get(c, "decisions"), canon_decision, by);
	each_object(json_object_get(c, "measures"), canon_measure, by);
	sort_by(json_object_get(c, "contacts"), "on_date");
	sort_by(json_object_get(c, "decisions"), "on_date");
	sort_by(json_object_get(c, "measures"), "start_on");
	sort_by(json_object_get(c, "outcomes"), "school_year");
}

static void canon_consent(json_t *c, const char *unused)
{
	(void)unused;
	fill(c, "partner", json_null());
	fill(c, "withdrawn_on", json_null());
}

/* A copy of a valid input line in the form export would write it back. */
static json_t *canonical(json_t *line, const char *by)
{
	json_t *o = json_deep_copy(line);
	static const char *const nulls[] = {"school", "name", "fnr", "birth_year", "gender", "level",
					    "programme", "minority", NULL};
	for (const char *const *k = nulls; *k; k++)
		fill(o, *k, json_null());
	fill(o, "living", json_array());
	fill(o, "consents", json_array());
	fill(o, "cases", json_array());
	sort_by(json_object_get(o, "living"), "from");
	each_object(json_object_get(o, "consents"), canon_consent, by);
	sort_by(json_object_get(o, "consents"), "given_on");
	each_object(json_object_get(o, "cases"), canon_case, by);
	sort_by(json_object_get(o, "cases"), "opened_on");
	return o;
}

static void import_line(struct imp *m, json_t *o)
{
	static const char *const keys[] = {"pseudonym", "pilot", "school", "name", "fnr", "birth_year",
					   "gender", "level", "programme", "minority", "living", "consents",
					   "cases", NULL};
	m->bad = 0;
	if (!json_is_object(o)) {
		err(m, "line", "must be a JSON object");
		return;
	}
	only_keys(m, o, "", keys);
	struct student_row s;
	memset(&s, 0, sizeof s);
	const char *pseudonym = str(m, o, "pseudonym", "", 1, valid_pseudonym);
	const char *pilot = str(m, o, "pilot", "", 1, valid_code);
	const char *school = str(m, o, "school", "", 0, valid_code);
	const char *name = str(m, o, "name", "", 0, valid_text_line);
	if (name && strlen(name) > 200) {
		err(m, "name", "is longer than 200 bytes");
		name = NULL;
	}
	const char *fnr = str(m, o, "fnr", "", 0, valid_digits);
	if (fnr && fnr_check(fnr, m->g->rule_2032, NULL) == FNR_INVALID)
		err(m, "fnr", "is not a valid national id number");
	json_t *by = json_object_get(o, "birth_year");
	if (by && !json_is_null(by)) {
		if (!json_is_integer(by) || json_integer_value(by) < 1980 || json_integer_value(by) > 2100)
			err(m, "birth_year", "must be a year from 1980 to 2100");
		else
			s.birth_year = (int)json_integer_value(by);
	}
	const char *gender = code(m, o, "gender", "", 0, "gender");
	const char *level = code(m, o, "level", "", 0, "level");
	const char *programme = code(m, o, "programme", "", 0, "programme");
	const char *minority = code(m, o, "minority", "", 0, "minority");
	struct unit pu = {0}, su = {0};
	if (pilot && (db_unit_get(m->db, pilot, &pu) != DB_OK || strcmp(pu.kind, "pilot") != 0))
		err(m, "pilot", "is not a pilot in this database");
	if (school && (db_unit_get(m->db, school, &su) != DB_OK || strcmp(su.kind, "school") != 0 ||
		       (pilot && strcmp(su.parent_code, pilot) != 0)))
		err(m, "school", "is not a school of the pilot in this database");
	if (pseudonym) {
		if (json_object_get(m->seen, pseudonym))
			err(m, "pseudonym", "appears twice in the file");
		json_object_set_new(m->seen, pseudonym, json_true());
	}
	/* The consents must include a registration: no registration without consent. */
	json_t *consents = array(m, o, "consents", "");
	int registration = 0;
	size_t i;
	json_t *e;
	if (consents) {
		json_array_foreach(consents, i, e) {
			static const char *const ck[] = {"kind", "partner", "given_on", "given_by", "withdrawn_on", NULL};
			char cw[64];
			snprintf(cw, sizeof cw, "consents[%zu].", i);
			if (!json_is_object(e)) {
				err(m, cw, "must be an object");
				continue;
			}
			only_keys(m, e, cw, ck);
			const char *kind = code(m, e, "kind", cw, 1, "consent_kind");
			const char *partner = code(m, e, "partner", cw, 0, "partner");
			const char *on = str(m, e, "given_on", cw, 1, valid_date);
			code(m, e, "given_by", cw, 1, "consent_by");
			const char *off = str(m, e, "withdrawn_on", cw, 0, valid_date);
			if (kind && !strcmp(kind, "REGISTRERING"))
				registration = 1;
			if (kind && (!strcmp(kind, "DELING")) != (partner != NULL))
				err(m, cw, "a sharing consent needs a partner, and only it");
			if (on && off && strcmp(off, on) < 0)
				err(m, cw, "withdrawn before it was given");
		}
	}
	if (!registration)
		err(m, "consents", "no registration consent: the student cannot be registered");
	json_t *living = array(m, o, "living", "");
	if (living) {
		json_array_foreach(living, i, e) {
			char lw[64];
			snprintf(lw, sizeof lw, "living[%zu].", i);
			if (!json_is_object(e)) {
				err(m, lw, "must be an object");
				continue;
			}
			code(m, e, "code", lw, 1, "living");
			str(m, e, "from", lw, 1, valid_date);
		}
	}
	json_t *cases = array(m, o, "cases", "");
	if (m->bad) {
		/* Still look at the cases for their errors, without writing. */
		int w = m->writing;
		m->writing = 0;
		struct student_row none = {0};
		if (cases)
			json_array_foreach(cases, i, e) {
				char cw[32];
				snprintf(cw, sizeof cw, "cases[%zu]", i);
				import_case(m, &none, e, cw);
			}
		m->writing = w;
		return;
	}

	/* Already there: the same content is fine (a second run changes nothing); other is not. */
	struct student_row existing;
	int rc = db_student_get(m->db, pseudonym, &existing);
	if (rc == DB_OK) {
		json_t *now = student_line(m->g, &existing), *want = canonical(o, m->g->who->username);
		int same = json_equal(now, want);
		json_decref(now);
		json_decref(want);
		if (!same)
			err(m, "pseudonym", "exists with other content; nothing is merged");
		else
			m->rep->unchanged++;
		return;
	}
	if (rc == DB_ERROR) {
		err(m, "line", "database error");
		return;
	}

	snprintf(s.pseudonym, sizeof s.pseudonym, "%s", pseudonym);
	s.pilot_id = pu.id;
	snprintf(s.school_code, sizeof s.school_code, "%s", school ? school : "");
	snprintf(s.gender, sizeof s.gender, "%s", gender ? gender : "");
	snprintf(s.level, sizeof s.level, "%s", level ? level : "");
	snprintf(s.programme, sizeof s.programme, "%s", programme ? programme : "");
	snprintf(s.minority, sizeof s.minority, "%s", minority ? minority : "");
	if (m->writing) {
		char ad[64];
		if (name) {
			snprintf(ad, sizeof ad, "student.name:%s", pseudonym);
			seal(m->g->kr, ad, name, strlen(name), s.name.b);
			s.name.n = strlen(name) + SEAL_OVERHEAD;
		}
		if (fnr) {
			snprintf(ad, sizeof ad, "student.fnr:%s", pseudonym);
			seal(m->g->kr, ad, fnr, strlen(fnr), s.fnr.b);
			s.fnr.n = strlen(fnr) + SEAL_OVERHEAD;
			keyring_index_hash(m->g->kr, fnr, s.fnr_hash);
			s.has_fnr_hash = 1;
		}
		rc = db_student_insert(m->db, &s);
		if (rc == DB_CONFLICT) {
			err(m, "fnr", "a student with this id number is registered in the pilot already");
			return;
		}
		if (rc != DB_OK) {
			err(m, "line", "could not be stored");
			return;
		}
		if (consents)
			json_array_foreach(consents, i, e) {
				struct consent_row c = {.student_id = s.id};
				snprintf(c.kind, sizeof c.kind, "%s", json_string_value(json_object_get(e, "kind")));
				json_t *p = json_object_get(e, "partner");
				snprintf(c.partner, sizeof c.partner, "%s", json_is_string(p) ? json_string_value(p) : "");
				snprintf(c.given_on, sizeof c.given_on, "%s", json_string_value(json_object_get(e, "given_on")));
				snprintf(c.given_by, sizeof c.given_by, "%s", json_string_value(json_object_get(e, "given_by")));
				int64_t cid;
				json_t *wd = json_object_get(e, "withdrawn_on");
				if (db_consent_add(m->db, &c, &cid) != DB_OK ||
				    (json_is_string(wd) && db_consent_withdraw(m->db, cid, json_string_value(wd)) != DB_OK))
					err(m, "consents", "could not be stored");
			}
		if (living)
			json_array_foreach(living, i, e) {
				db_living_add(m->db, s.id, json_string_value(json_object_get(e, "code")),
					      json_string_value(json_object_get(e, "from")));
			}
	}
	if (cases)
		json_array_foreach(cases, i, e) {
			char cw[32];
			snprintf(cw, sizeof cw, "cases[%zu]", i);
			import_case(m, &s, e, cw);
		}
	if (m->writing && !m->bad) {
		char obj[32];
		snprintf(obj, sizeof obj, "student:%s", s.pseudonym);
		if (actor_audit(m->db, m->g->who, "create", obj, "case file import") != DB_OK) {
			err(m, "line", "the access log could not be written");
			return;
		}
		m->rep->imported++;
	}
}

int cases_import(db_t *db, const struct keyring *kr, const struct actor *who, FILE *in,
		 FILE *errs, FILE *progress, long total_bytes, int rule_2032, struct import_report *rep)
{
	memset(rep, 0, sizeof *rep);
	struct reg g;
	reg_init(&g, db, kr, who, 0, 16, rule_2032);
	struct imp m = {.g = &g, .db = db, .errs = errs, .rep = rep, .writing = 1, .seen = json_object()};
	if (db_begin(db) != DB_OK) {
		json_decref(m.seen);
		return -1;
	}
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	long bytes = 0;
	int header = 0;
	while ((n = getline(&buf, &cap, in)) >= 0) {
		m.line++;
		bytes += n;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		if (n == 0)
			continue;
		json_error_t je;
		json_t *o = json_loadb(buf, (size_t)n, JSON_REJECT_DUPLICATES, &je);
		if (!o) {
			m.bad = 1;
			err(&m, "line", "is not valid JSON");
		} else if (!header) {
			json_t *f = json_object_get(o, "format"), *v = json_object_get(o, "version");
			if (!json_is_string(f) || strcmp(json_string_value(f), CASES_FORMAT) != 0 ||
			    !json_is_integer(v) || json_integer_value(v) != CASES_VERSION)
				err(&m, "header", "the first line must be {\"format\":\"elevlos-cases\",\"version\":1}");
			header = 1;
		} else {
			rep->lines++;
			import_line(&m, o);
		}
		json_decref(o);
		if (rep->errors)
			m.writing = 0;
		if (progress && m.line % 10000 == 0)
			fprintf(progress, "elevlos: line %ld%s%.0f%%)\n", m.line, total_bytes > 0 ? " (" : "",
				total_bytes > 0 ? 100.0 * (double)bytes / (double)total_bytes : 0.0);
	}
	free(buf);
	json_decref(m.seen);
	if (!header)
		err(&m, "header", "the file is empty");
	if (rep->errors) {
		db_rollback(db);
		return 1;
	}
	if (db_commit(db) != DB_OK) {
		db_rollback(db);
		return -1;
	}
	return 0;
}
