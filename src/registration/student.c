/* Students and their consent. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../student/fnr.h"
#include "../db/privacy.h"
#include "internal.h"

static void new_pseudonym(char out[16])
{
	/* No I, O, 0 or 1: read aloud and typed without mix-ups. */
	static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	out[0] = 'E';
	out[1] = '-';
	for (int i = 2; i < 8; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[8] = '\0';
}

/* Age in whole years at date (YYYY-MM-DD) of someone born in birth_year: the youngest it can
 * be, so the guardian rule errs on the side of asking the guardian. */
static int min_age(int birth_year, const char *date)
{
	return atoi(date) - birth_year - 1;
}

static int guardian_needed(struct reg *g, int birth_year, const char *on, const char *by,
			   struct outcome *o)
{
	if (!strcmp(by, "FORESATT"))
		return 0;
	if (!birth_year) {
		*o = bad(422, "consent.birth_year_needed");
		return -1;
	}
	if (min_age(birth_year, on) < g->guardian_age) {
		*o = bad(422, "consent.guardian_required");
		return -1;
	}
	return 0;
}

int consent_registration(struct reg *g, int64_t student_id, const char *on)
{
	return db_consent_in_force(g->db, student_id, "REGISTRERING", "", on) == 1;
}

static int school_in_pilot(struct reg *g, const char *school, const char *pilot_path,
			   struct outcome *o)
{
	if (!school)
		return 0;
	struct unit u;
	int rc = db_unit_get(g->db, school, &u);
	if (rc == DB_OK && !strcmp(u.kind, "school") && !strncmp(u.path, pilot_path, strlen(pilot_path)))
		return 0;
	*o = rc == DB_ERROR ? FAIL_DB : bad(422, "student.unknown_school");
	return -1;
}

static int set_fnr(struct reg *g, struct student_row *s, const char *fnr, struct outcome *o)
{
	if (!fnr)
		return 0;
	if (fnr_check(fnr, g->rule_2032, NULL) == FNR_INVALID) {
		*o = bad(422, "student.bad_fnr");
		return -1;
	}
	seal_text(g, "student.fnr", s->pseudonym, fnr, &s->fnr);
	keyring_index_hash(g->kr, fnr, s->fnr_hash);
	s->has_fnr_hash = 1;
	return 0;
}

struct outcome student_register(struct reg *g, const struct form *f, char pseudonym[16])
{
	struct outcome o = {201, "student.registered"};
	const char *const *v = f->v;
	if (!v[KEY_CONSENT_ON] || !v[KEY_CONSENT_BY])
		return bad(422, "consent.required");
	struct unit pilot;
	char pilot_code[33];
	pilot_of_path(g->who->scope_path, pilot_code);
	if (!pilot_code[0] || db_unit_get(g->db, pilot_code, &pilot) != DB_OK)
		return bad(422, "student.no_pilot");
	if (check_code(g, "consent_by", v[KEY_CONSENT_BY], &o) || check_code(g, "gender", v[KEY_GENDER], &o) ||
	    check_code(g, "level", v[KEY_LEVEL], &o) || check_code(g, "programme", v[KEY_PROGRAMME], &o) ||
	    check_code(g, "minority", v[KEY_MINORITY], &o) || check_code(g, "living", v[KEY_LIVING], &o) ||
	    school_in_pilot(g, v[KEY_SCHOOL], pilot.path, &o))
		return o;
	int birth_year = v[KEY_BIRTH_YEAR] ? atoi(v[KEY_BIRTH_YEAR]) : 0;
	if (strcmp(v[KEY_CONSENT_ON], g->today) > 0)
		return bad(422, "consent.in_future");
	if (guardian_needed(g, birth_year, v[KEY_CONSENT_ON], v[KEY_CONSENT_BY], &o))
		return o;

	struct student_row s;
	memset(&s, 0, sizeof s);
	s.pilot_id = pilot.id;
	snprintf(s.school_code, sizeof s.school_code, "%s", or_empty(v[KEY_SCHOOL]));
	s.birth_year = birth_year;
	snprintf(s.gender, sizeof s.gender, "%s", or_empty(v[KEY_GENDER]));
	snprintf(s.level, sizeof s.level, "%s", or_empty(v[KEY_LEVEL]));
	snprintf(s.programme, sizeof s.programme, "%s", or_empty(v[KEY_PROGRAMME]));
	snprintf(s.minority, sizeof s.minority, "%s", or_empty(v[KEY_MINORITY]));
	int rc = DB_CONFLICT;
	for (int tries = 0; tries < 8 && rc == DB_CONFLICT; tries++) {
		new_pseudonym(s.pseudonym);
		/* The pseudonym is in the associated data: seal after choosing it. */
		s.name.n = 0;
		s.has_fnr_hash = 0;
		s.fnr.n = 0;
		if (v[KEY_STUDENT_NAME])
			seal_text(g, "student.name", s.pseudonym, v[KEY_STUDENT_NAME], &s.name);
		if (set_fnr(g, &s, v[KEY_FNR], &o))
			return o;
		rc = db_student_insert(g->db, &s);
		/* A conflict is the (pilot, id number) pair or, one time in 10^9, the pseudonym;
		 * with an id number given, the first is what it means. */
		if (rc == DB_CONFLICT && s.has_fnr_hash)
			return bad(409, "student.duplicate_fnr");
	}
	if (rc != DB_OK)
		return FAIL_DB;
	struct consent_row c = {.student_id = s.id};
	snprintf(c.kind, sizeof c.kind, "REGISTRERING");
	snprintf(c.given_on, sizeof c.given_on, "%s", v[KEY_CONSENT_ON]);
	snprintf(c.given_by, sizeof c.given_by, "%s", v[KEY_CONSENT_BY]);
	int64_t cid;
	if (db_consent_add(g->db, &c, &cid) != DB_OK)
		return FAIL_DB;
	if (v[KEY_LIVING] &&
	    db_living_add(g->db, s.id, v[KEY_LIVING], v[KEY_LIVING_FROM] ? v[KEY_LIVING_FROM] : v[KEY_CONSENT_ON]) != DB_OK)
		return FAIL_DB;
	if (history(g, s.id, 0, "student", s.id, "registered", NULL, s.pseudonym) ||
	    history(g, s.id, 0, "consent", cid, "REGISTRERING", NULL, c.given_on) ||
	    audit(g, "create", "student", s.pseudonym, "registration"))
		return FAIL_DB;
	snprintf(pseudonym, 16, "%s", s.pseudonym);
	return o;
}

/* Records field: old → new when it changed; copies new into dst. */
static int change_field(struct reg *g, const struct student_row *s, const char *field, char *dst,
			size_t dstsz, const char *new_)
{
	if (!new_ || !strcmp(dst, new_))
		return 0;
	int rc = history(g, s->id, 0, "student", s->id, field, dst, new_);
	snprintf(dst, dstsz, "%s", new_);
	return rc;
}

struct guard {
	struct reg *g;
	int birth_year;
	int refused;
};

static int guard_consent(const struct consent_row *c, void *ctx)
{
	struct guard *x = ctx;
	struct outcome o;
	if (!c->withdrawn_on[0] && !strcmp(c->given_by, "ELEV") &&
	    guardian_needed(x->g, x->birth_year, c->given_on, "ELEV", &o) != 0)
		x->refused = 1;
	return 0;
}

struct outcome student_update(struct reg *g, const struct student_row *old, const struct form *f)
{
	struct outcome o = {200, "record.saved"};
	const char *const *v = f->v;
	if (!consent_registration(g, old->id, g->today))
		return bad(409, "consent.no_registration");
	if (check_code(g, "gender", v[KEY_GENDER], &o) || check_code(g, "level", v[KEY_LEVEL], &o) ||
	    check_code(g, "programme", v[KEY_PROGRAMME], &o) || check_code(g, "minority", v[KEY_MINORITY], &o) ||
	    check_code(g, "living", v[KEY_LIVING], &o) || school_in_pilot(g, v[KEY_SCHOOL], old->pilot_path, &o))
		return o;
	if (v[KEY_BIRTH_YEAR]) {
		/* A new birth year must still fit every consent the student gave alone. */
		struct guard x = {g, atoi(v[KEY_BIRTH_YEAR]), 0};
		if (db_consent_list(g->db, old->id, guard_consent, &x) != DB_OK)
			return FAIL_DB;
		if (x.refused)
			return bad(422, "consent.guardian_required");
	}
	struct student_row s = *old;
	char by[8] = "";
	if (s.birth_year)
		snprintf(by, sizeof by, "%d", s.birth_year);
	if (change_field(g, &s, "birth_year", by, sizeof by, v[KEY_BIRTH_YEAR]) ||
	    change_field(g, &s, "gender", s.gender, sizeof s.gender, v[KEY_GENDER]) ||
	    change_field(g, &s, "level", s.level, sizeof s.level, v[KEY_LEVEL]) ||
	    change_field(g, &s, "programme", s.programme, sizeof s.programme, v[KEY_PROGRAMME]) ||
	    change_field(g, &s, "minority", s.minority, sizeof s.minority, v[KEY_MINORITY]) ||
	    change_field(g, &s, "school", s.school_code, sizeof s.school_code, v[KEY_SCHOOL]))
		return FAIL_DB;
	s.birth_year = by[0] ? atoi(by) : 0;
	if (v[KEY_STUDENT_NAME]) {
		/* The name is never copied into the history: the change is recorded, not the text. */
		seal_text(g, "student.name", s.pseudonym, v[KEY_STUDENT_NAME], &s.name);
		if (history(g, s.id, 0, "student", s.id, "name", NULL, "(endret)"))
			return FAIL_DB;
	}
	if (v[KEY_FNR]) {
		if (set_fnr(g, &s, v[KEY_FNR], &o))
			return o;
		if (history(g, s.id, 0, "student", s.id, "fnr", NULL, "(endret)"))
			return FAIL_DB;
	}
	int rc = db_student_update(g->db, &s);
	if (rc == DB_CONFLICT)
		return bad(409, "student.duplicate_fnr");
	if (rc != DB_OK)
		return FAIL_DB;
	if (v[KEY_LIVING]) {
		const char *from = v[KEY_LIVING_FROM] ? v[KEY_LIVING_FROM] : g->today;
		if (db_living_add(g->db, s.id, v[KEY_LIVING], from) != DB_OK ||
		    history(g, s.id, 0, "student", s.id, "living", NULL, v[KEY_LIVING]))
			return FAIL_DB;
	}
	if (audit(g, "update", "student", s.pseudonym, "registration"))
		return FAIL_DB;
	return o;
}

struct outcome consent_add(struct reg *g, const struct student_row *s, const struct form *f)
{
	struct outcome o = {201, "consent.added"};
	const char *const *v = f->v;
	if (!v[KEY_CONSENT_KIND] || !v[KEY_CONSENT_ON] || !v[KEY_CONSENT_BY])
		return bad(422, "form.required");
	if (check_code(g, "consent_kind", v[KEY_CONSENT_KIND], &o) ||
	    check_code(g, "consent_by", v[KEY_CONSENT_BY], &o) || check_code(g, "partner", v[KEY_PARTNER], &o))
		return o;
	int sharing = !strcmp(v[KEY_CONSENT_KIND], "DELING");
	if (sharing != (v[KEY_PARTNER] != NULL))
		return bad(422, "consent.partner_needed");
	if (strcmp(v[KEY_CONSENT_ON], g->today) > 0)
		return bad(422, "consent.in_future");
	if (guardian_needed(g, s->birth_year, v[KEY_CONSENT_ON], v[KEY_CONSENT_BY], &o))
		return o;
	/* Sharing and statistics rest on a registration in force. */
	if (strcmp(v[KEY_CONSENT_KIND], "REGISTRERING") != 0 && !consent_registration(g, s->id, g->today))
		return bad(409, "consent.no_registration");
	struct consent_row c = {.student_id = s->id};
	snprintf(c.kind, sizeof c.kind, "%s", v[KEY_CONSENT_KIND]);
	snprintf(c.partner, sizeof c.partner, "%s", or_empty(v[KEY_PARTNER]));
	snprintf(c.given_on, sizeof c.given_on, "%s", v[KEY_CONSENT_ON]);
	snprintf(c.given_by, sizeof c.given_by, "%s", v[KEY_CONSENT_BY]);
	int64_t id;
	char what[64];
	snprintf(what, sizeof what, "%s%s%s", c.kind, sharing ? " " : "", c.partner);
	if (db_consent_add(g->db, &c, &id) != DB_OK || history(g, s->id, 0, "consent", id, what, NULL, c.given_on) ||
	    audit(g, "create", "student", s->pseudonym, "consent"))
		return FAIL_DB;
	return o;
}

struct others_ctx {
	int64_t id;
	const char *today;
	int n;
};

static int other_in_force(const struct consent_row *c, void *ctx)
{
	struct others_ctx *o = ctx;
	if (c->id != o->id && !strcmp(c->kind, "REGISTRERING") && strcmp(c->given_on, o->today) <= 0 &&
	    (!c->withdrawn_on[0] || strcmp(c->withdrawn_on, o->today) > 0))
		o->n++;
	return 0;
}

struct outcome consent_withdraw(struct reg *g, const struct student_row *s, int64_t consent_id,
				const struct form *f)
{
	const char *on = f->v[KEY_WITHDRAWN_ON] ? f->v[KEY_WITHDRAWN_ON] : g->today;
	struct consent_row c;
	int rc = db_consent_get(g->db, consent_id, &c);
	if (rc == DB_ERROR)
		return FAIL_DB;
	if (rc != DB_OK || c.student_id != s->id)
		return bad(404, "error.404");
	if (c.withdrawn_on[0])
		return bad(409, "consent.already_withdrawn");
	if (strcmp(on, c.given_on) < 0 || strcmp(on, g->today) > 0)
		return bad(422, "consent.bad_withdrawal_date");
	int erases = consent_withdraw_erases(g, s, consent_id);
	if (erases < 0)
		return FAIL_DB;
	/* The record rests on this consent: withdrawing it erases the student, which the
	 * counsellor must have confirmed (the page asks; the API wants erase=true). */
	if (erases && !form_true(f->v[KEY_ERASE]))
		return bad(409, "consent.erase_unconfirmed");
	char what[64];
	snprintf(what, sizeof what, "%s%s%s", c.kind, c.partner[0] ? " " : "", c.partner);
	if (db_consent_withdraw(g->db, consent_id, on) != DB_OK ||
	    history(g, s->id, 0, "consent", consent_id, what, c.given_on, on) ||
	    audit(g, "update", "student", s->pseudonym, "consent withdrawn"))
		return FAIL_DB;
	if (erases) {
		if (student_erase(g->db, g->who, s->id, g->today, ERASE_WHY_CONSENT) != DB_OK)
			return FAIL_DB;
		return (struct outcome){200, "consent.withdrawn_erased"};
	}
	return (struct outcome){200, "consent.withdrawn"};
}

int consent_withdraw_erases(struct reg *g, const struct student_row *s, int64_t consent_id)
{
	struct consent_row c;
	int rc = db_consent_get(g->db, consent_id, &c);
	if (rc == DB_ERROR)
		return -1;
	if (rc != DB_OK || c.student_id != s->id || c.withdrawn_on[0] || strcmp(c.kind, "REGISTRERING") != 0)
		return 0;
	/* Another registration consent in force today (a guardian's, then the student's own)
	 * keeps the record. */
	struct others_ctx o = {consent_id, g->today, 0};
	if (db_consent_list(g->db, s->id, other_in_force, &o) != DB_OK)
		return -1;
	return o.n == 0;
}
