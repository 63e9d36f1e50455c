/* Referrals from the school's counsellor to the NAV counsellor. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct outcome referral_create(struct reg *g, const struct account *referrer, const struct form *f,
			       int64_t *referral_id)
{
	struct outcome o = {201, "referral.sent"};
	const char *const *v = f->v;
	if (!v[KEY_STUDENT_NAME] || !v[KEY_MAIN_REASON] || !v[KEY_CONSENT_BY])
		return bad(422, "referral.required");
	if (check_code(g, "reason", v[KEY_MAIN_REASON], &o) || check_code(g, "level", v[KEY_LEVEL], &o) ||
	    check_code(g, "consent_by", v[KEY_CONSENT_BY], &o))
		return o;
	/* The referrer's school, and the pilot it belongs to. */
	struct unit school, pilot;
	char pilot_code[33];
	if (db_unit_get(g->db, referrer->unit_code, &school) != DB_OK || strcmp(school.kind, "school") != 0)
		return bad(422, "referral.not_at_school");
	pilot_of_path(school.path, pilot_code);
	if (!pilot_code[0] || db_unit_get(g->db, pilot_code, &pilot) != DB_OK)
		return bad(422, "referral.not_at_school");
	struct referral_row r;
	memset(&r, 0, sizeof r);
	r.pilot_id = pilot.id;
	snprintf(r.school_code, sizeof r.school_code, "%s", school.code);
	r.referrer_id = referrer->id;
	snprintf(r.level, sizeof r.level, "%s", or_empty(v[KEY_LEVEL]));
	snprintf(r.reason, sizeof r.reason, "%s", v[KEY_MAIN_REASON]);
	snprintf(r.consent_given_by, sizeof r.consent_given_by, "%s", v[KEY_CONSENT_BY]);
	snprintf(r.referred_on, sizeof r.referred_on, "%s", g->today);
	/* Insert first for the id, then seal the name bound to that id. */
	struct sealed placeholder = {.n = 1};
	placeholder.b[0] = 0;
	r.name = placeholder;
	if (db_referral_insert(g->db, &r) != DB_OK)
		return FAIL_DB;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)r.id);
	seal_text(g, "referral.name", id, v[KEY_STUDENT_NAME], &r.name);
	if (db_referral_reseal(g->db, r.id, &r.name) != DB_OK || audit(g, "create", "referral", id, "referral"))
		return FAIL_DB;
	if (referral_id)
		*referral_id = r.id;
	return o;
}

void referral_open_name(const struct reg *g, const struct referral_row *r, char *out, size_t outsz)
{
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)r->id);
	open_text(g, "referral.name", id, r->name.b, r->name.n, out, outsz);
}

static int decide(struct reg *g, const struct referral_row *old, const char *status, int64_t sak_id,
		  const char *reason)
{
	struct referral_row r = *old;
	snprintf(r.status, sizeof r.status, "%s", status);
	snprintf(r.decline_reason, sizeof r.decline_reason, "%s", or_empty(reason));
	r.sak_id = sak_id;
	snprintf(r.decided_on, sizeof r.decided_on, "%s", g->today);
	snprintf(r.decided_by, sizeof r.decided_by, "%s", g->who->username);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)r.id);
	if (db_referral_decide(g->db, &r) != DB_OK || audit(g, "update", "referral", id, status))
		return -1;
	return 0;
}

struct outcome referral_accept(struct reg *g, const struct referral_row *r, const struct form *f,
			       int64_t *sak_id)
{
	struct outcome o;
	if (strcmp(r->status, "NY") != 0)
		return bad(409, "referral.decided");
	struct student_row s;
	if (f->v[KEY_STUDENT]) {
		/* Linking to a student already registered in this pilot. */
		int rc = db_student_get(g->db, f->v[KEY_STUDENT], &s);
		if (rc == DB_ERROR)
			return FAIL_DB;
		if (rc != DB_OK || s.pilot_id != r->pilot_id)
			return bad(422, "referral.unknown_student");
	} else {
		/* A new student: the registration consent is the counsellor's to record. */
		struct form nf = *f;
		char name[256];
		referral_open_name(g, r, name, sizeof name);
		if (!nf.v[KEY_STUDENT_NAME] && name[0])
			nf.v[KEY_STUDENT_NAME] = name;
		if (!nf.v[KEY_SCHOOL])
			nf.v[KEY_SCHOOL] = r->school_code;
		if (!nf.v[KEY_LEVEL] && r->level[0])
			nf.v[KEY_LEVEL] = r->level;
		char pseudonym[16];
		o = student_register(g, &nf, pseudonym);
		if (o.status >= 400)
			return o;
		if (db_student_get(g->db, pseudonym, &s) != DB_OK)
			return FAIL_DB;
	}
	struct form cf;
	memset(&cf, 0, sizeof cf);
	cf.v[KEY_REFERRAL_SOURCE] = "RADGIVER";
	cf.v[KEY_REFERRED_ON] = r->referred_on;
	cf.v[KEY_MAIN_REASON] = f->v[KEY_MAIN_REASON] ? f->v[KEY_MAIN_REASON] : r->reason;
	cf.v[KEY_OPENED_ON] = g->today;
	int64_t id = 0;
	o = sak_open(g, &s, &cf, &id);
	if (o.status >= 400)
		return o;
	if (decide(g, r, "AKSEPTERT", id, NULL) != 0)
		return FAIL_DB;
	if (sak_id)
		*sak_id = id;
	return (struct outcome){200, "referral.accepted"};
}

struct outcome referral_decline(struct reg *g, const struct referral_row *r, const struct form *f)
{
	if (strcmp(r->status, "NY") != 0)
		return bad(409, "referral.decided");
	if (!f->v[KEY_DECLINE_REASON])
		return bad(422, "referral.reason_needed");
	if (decide(g, r, "AVVIST", 0, f->v[KEY_DECLINE_REASON]) != 0)
		return FAIL_DB;
	return (struct outcome){200, "referral.declined"};
}

int referral_shares(struct reg *g, const struct referral_row *r)
{
	if (!r->sak_id)
		return 0;
	struct sak_row k;
	if (db_sak_get(g->db, r->sak_id, &k) != DB_OK)
		return 0;
	return db_consent_in_force(g->db, k.student_id, "DELING", "RADGIVER", g->today) == 1 &&
	       consent_registration(g, k.student_id, g->today);
}
