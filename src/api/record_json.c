#include "record_json.h"

#include <stdio.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static int push_str(const char *s, void *ctx)
{
	json_array_append_new(ctx, json_string(s));
	return 0;
}

static int push_living(const struct living_row *l, void *ctx)
{
	json_array_append_new(ctx, json_pack("{s:s,s:s}", "code", l->code, "from", l->from_date));
	return 0;
}

static int push_consent(const struct consent_row *c, void *ctx)
{
	json_array_append_new(ctx, json_pack("{s:I,s:s,s:o,s:s,s:s,s:o}", "id", (json_int_t)c->id,
					     "kind", c->kind, "partner", str_or_null(c->partner),
					     "given_on", c->given_on, "given_by", c->given_by,
					     "withdrawn_on", str_or_null(c->withdrawn_on)));
	return 0;
}

struct case_ctx {
	struct reg *g;
	json_t *arr;
};

static int push_case(const struct sak_row *k, void *ctx)
{
	struct case_ctx *c = ctx;
	json_array_append_new(c->arr, json_case(c->g, k));
	return 0;
}

json_t *json_student(struct reg *g, const struct student_row *s, int with_cases)
{
	char name[256], fnr[64];
	student_open_name(g, s->pseudonym, &s->name, name, sizeof name);
	student_open_fnr(g, s->pseudonym, &s->fnr, fnr, sizeof fnr);
	json_t *living = json_array(), *consents = json_array();
	db_living_list(g->db, s->id, push_living, living);
	db_consent_list(g->db, s->id, push_consent, consents);
	json_t *j = json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s}", "pseudonym",
			      s->pseudonym, "pilot", s->pilot_code, "school", str_or_null(s->school_code),
			      "name", str_or_null(name), "fnr", str_or_null(fnr), "birth_year",
			      s->birth_year ? json_integer(s->birth_year) : json_null(), "gender",
			      str_or_null(s->gender), "level", str_or_null(s->level), "programme",
			      str_or_null(s->programme), "minority", str_or_null(s->minority),
			      "living", living, "consents", consents, "created_at", s->created_at);
	if (with_cases) {
		struct case_ctx c = {g, json_array()};
		db_sak_list_student(g->db, s->id, push_case, &c);
		json_object_set_new(j, "cases", c.arr);
	}
	return j;
}

json_t *json_contact(struct reg *g, const struct contact_row *c)
{
	static _Thread_local char note[4100];
	json_t *followups = json_array();
	db_contact_followups(g->db, c->id, push_str, followups);
	contact_open_note(g, c, note, sizeof note);
	return json_pack("{s:I,s:I,s:s,s:s,s:o,s:o,s:o,s:s}", "id", (json_int_t)c->id, "case",
			 (json_int_t)c->sak_id, "on_date", c->on_date, "kind", c->kind, "minutes",
			 c->minutes >= 0 ? json_integer(c->minutes) : json_null(), "followups",
			 followups, "note", str_or_null(note), "by", c->created_by);
}

json_t *json_decision(const struct decision_row *d)
{
	return json_pack("{s:I,s:I,s:s,s:b,s:s,s:o}", "id", (json_int_t)d->id, "case",
			 (json_int_t)d->sak_id, "code", d->code, "granted", d->granted, "on_date",
			 d->on_date, "duration", str_or_null(d->duration));
}

json_t *json_measure(const struct measure_row *m)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)m->id, "case",
			 (json_int_t)m->sak_id, "side", m->side, "code", m->code, "start_on",
			 m->start_on, "end_on", str_or_null(m->end_on));
}

struct list_ctx {
	struct reg *g;
	json_t *arr;
	int brief; /* for the referrer: dates and kinds only */
};

static int push_contact(const struct contact_row *c, void *ctx)
{
	struct list_ctx *l = ctx;
	json_array_append_new(l->arr, l->brief ? json_pack("{s:s,s:s}", "on_date", c->on_date, "kind", c->kind)
					       : json_contact(l->g, c));
	return 0;
}

static int push_decision(const struct decision_row *d, void *ctx)
{
	json_array_append_new(((struct list_ctx *)ctx)->arr, json_decision(d));
	return 0;
}

static int push_measure(const struct measure_row *m, void *ctx)
{
	struct list_ctx *l = ctx;
	json_t *j = json_measure(m);
	if (l->brief) {
		json_object_del(j, "id");
		json_object_del(j, "case");
	}
	json_array_append_new(l->arr, j);
	return 0;
}

static int push_outcome(const char *year, const char *code, void *ctx)
{
	json_array_append_new(ctx, json_pack("{s:s,s:s}", "school_year", year, "outcome", code));
	return 0;
}

json_t *json_case(struct reg *g, const struct sak_row *k)
{
	json_t *reasons = json_array(), *partners = json_array(), *outcomes = json_array();
	struct list_ctx contacts = {g, json_array(), 0}, decisions = {g, json_array(), 0},
			measures = {g, json_array(), 0};
	db_sak_codes(g->db, "reason", k->id, push_str, reasons);
	db_sak_codes(g->db, "partner", k->id, push_str, partners);
	db_contact_list(g->db, k->id, push_contact, &contacts);
	db_decision_list(g->db, k->id, push_decision, &decisions);
	db_measure_list(g->db, k->id, push_measure, &measures);
	db_outcome_list(g->db, k->id, push_outcome, outcomes);
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:b,s:b,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
			 (json_int_t)k->id, "student", k->pseudonym, "opened_on", k->opened_on,
			 "referral_source", k->referral_source, "referred_on", str_or_null(k->referred_on),
			 "first_contact_on", str_or_null(k->first_contact_on), "main_reason",
			 k->main_reason, "reasons", reasons, "partners", partners, "interagency",
			 k->interagency, "responsibility_group", k->responsibility_group, "closed_on",
			 str_or_null(k->closed_on), "close_reason", str_or_null(k->close_reason),
			 "contacts", contacts.arr, "decisions", decisions.arr, "measures", measures.arr,
			 "outcomes", outcomes);
}

json_t *json_referral(struct reg *g, const struct referral_row *r, int full)
{
	char name[256];
	referral_open_name(g, r, name, sizeof name);
	json_t *j = json_pack("{s:I,s:s,s:s,s:o,s:s,s:s,s:s,s:o,s:o,s:s}", "id", (json_int_t)r->id,
			      "school", r->school_code, "name", name, "level", str_or_null(r->level),
			      "reason", r->reason, "referred_on", r->referred_on, "status", r->status,
			      "decided_on", str_or_null(r->decided_on), "decline_reason",
			      str_or_null(r->decline_reason), "referrer", r->referrer);
	if (full && r->sak_id) {
		json_object_set_new(j, "case", json_integer(r->sak_id));
	} else if (r->sak_id && referral_shares(g, r)) {
		/* Under a sharing consent with the school counsellor: dates, kinds and measures;
		 * never notes, reasons or decisions about economic assistance. */
		struct sak_row k;
		if (db_sak_get(g->db, r->sak_id, &k) == DB_OK) {
			struct list_ctx contacts = {g, json_array(), 1}, measures = {g, json_array(), 1};
			db_contact_list(g->db, k.id, push_contact, &contacts);
			db_measure_list(g->db, k.id, push_measure, &measures);
			json_object_set_new(j, "shared", json_pack("{s:s,s:o,s:o,s:o}", "opened_on", k.opened_on,
								   "closed_on", str_or_null(k.closed_on),
								   "contacts", contacts.arr, "measures",
								   measures.arr));
		}
	}
	return j;
}
