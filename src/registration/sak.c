/* Cases: open, update, close, reopen; contacts, decisions, measures and outcomes in them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int add_codes(struct reg *g, const char *list, int64_t sak_id, const char *codes)
{
	if (!codes)
		return 0;
	char buf[512];
	codes_without_none(codes, buf, sizeof buf);
	char *save = NULL;
	for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save))
		if (db_sak_codes_add(g->db, list, sak_id, c) != DB_OK)
			return -1;
	return 0;
}

static void id_text(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

/* Registration consent in force on the date the entry is about and today. */
static int consent_ok(struct reg *g, int64_t student_id, const char *on, struct outcome *o)
{
	if (consent_registration(g, student_id, on) && consent_registration(g, student_id, g->today))
		return 0;
	*o = bad(409, "consent.no_registration");
	return -1;
}

static int date_ok(struct reg *g, const char *date, const char *not_before, struct outcome *o)
{
	if (strcmp(date, g->today) > 0) {
		*o = bad(422, "record.date_in_future");
		return -1;
	}
	if (not_before && not_before[0] && strcmp(date, not_before) < 0) {
		*o = bad(422, "record.date_before_opening");
		return -1;
	}
	return 0;
}

struct outcome sak_open(struct reg *g, const struct student_row *s, const struct form *f,
			int64_t *sak_id)
{
	struct outcome o = {201, "case.opened"};
	const char *const *v = f->v;
	const char *opened = v[KEY_OPENED_ON] ? v[KEY_OPENED_ON] : g->today;
	if (!v[KEY_REFERRAL_SOURCE] || !v[KEY_MAIN_REASON])
		return bad(422, "form.required");
	if (check_code(g, "referral_source", v[KEY_REFERRAL_SOURCE], &o) ||
	    check_code(g, "reason", v[KEY_MAIN_REASON], &o) || check_codes(g, "reason", v[KEY_REASONS], &o) ||
	    check_codes(g, "partner", v[KEY_PARTNERS], &o) || date_ok(g, opened, NULL, &o) ||
	    consent_ok(g, s->id, opened, &o))
		return o;
	if (v[KEY_REFERRED_ON] && strcmp(v[KEY_REFERRED_ON], opened) > 0)
		return bad(422, "case.referred_after_opening");
	if (v[KEY_FIRST_CONTACT_ON] && (date_ok(g, v[KEY_FIRST_CONTACT_ON], NULL, &o) ||
					(v[KEY_REFERRED_ON] && strcmp(v[KEY_FIRST_CONTACT_ON], v[KEY_REFERRED_ON]) < 0)))
		return o.status >= 400 ? o : bad(422, "case.contact_before_referral");
	struct sak_row k;
	memset(&k, 0, sizeof k);
	k.student_id = s->id;
	k.pilot_id = s->pilot_id;
	snprintf(k.opened_on, sizeof k.opened_on, "%s", opened);
	snprintf(k.referral_source, sizeof k.referral_source, "%s", v[KEY_REFERRAL_SOURCE]);
	snprintf(k.referred_on, sizeof k.referred_on, "%s", or_empty(v[KEY_REFERRED_ON]));
	snprintf(k.first_contact_on, sizeof k.first_contact_on, "%s", or_empty(v[KEY_FIRST_CONTACT_ON]));
	snprintf(k.main_reason, sizeof k.main_reason, "%s", v[KEY_MAIN_REASON]);
	k.interagency = form_true(v[KEY_INTERAGENCY]);
	k.responsibility_group = form_true(v[KEY_RESPONSIBILITY_GROUP]);
	char id[24];
	if (db_sak_insert(g->db, &k) != DB_OK || add_codes(g, "reason", k.id, v[KEY_REASONS]) ||
	    add_codes(g, "partner", k.id, v[KEY_PARTNERS]))
		return FAIL_DB;
	id_text(k.id, id);
	if (history(g, s->id, k.id, "case", k.id, "opened", NULL, k.opened_on) ||
	    audit(g, "create", "case", id, "registration"))
		return FAIL_DB;
	if (sak_id)
		*sak_id = k.id;
	return o;
}

struct set_ctx {
	char buf[512];
	size_t n;
};

static int join_code(const char *code, void *ctx)
{
	struct set_ctx *c = ctx;
	c->n += (size_t)snprintf(c->buf + c->n, sizeof c->buf - c->n, "%s%s", c->n ? "," : "", code);
	if (c->n >= sizeof c->buf)
		c->n = sizeof c->buf - 1;
	return 0;
}

/* Replaces a code set when the form gives one; records old → new. */
static int replace_set(struct reg *g, const struct sak_row *k, const char *list, const char *codes)
{
	if (!codes)
		return 0;
	struct set_ctx old = {.n = 0};
	old.buf[0] = '\0';
	if (db_sak_codes(g->db, list, k->id, join_code, &old) != DB_OK)
		return -1;
	char want[512];
	codes_without_none(codes, want, sizeof want);
	if (!strcmp(old.buf, want))
		return 0;
	if (db_sak_codes_clear(g->db, list, k->id) != DB_OK || add_codes(g, list, k->id, want))
		return -1;
	return history(g, k->student_id, k->id, "case", k->id, list, old.buf, want);
}

static int change(struct reg *g, const struct sak_row *k, const char *field, char *dst, size_t n,
		  const char *new_)
{
	if (!new_ || !strcmp(dst, new_))
		return 0;
	int rc = history(g, k->student_id, k->id, "case", k->id, field, dst, new_);
	snprintf(dst, n, "%s", new_);
	return rc;
}

static int change_flag(struct reg *g, const struct sak_row *k, const char *field, int *dst,
		       const char *new_)
{
	if (!new_ || form_true(new_) == *dst)
		return 0;
	int rc = history(g, k->student_id, k->id, "case", k->id, field, *dst ? "ja" : "nei",
			 form_true(new_) ? "ja" : "nei");
	*dst = form_true(new_);
	return rc;
}

struct outcome sak_update(struct reg *g, const struct sak_row *old, const struct form *f)
{
	struct outcome o = {200, "record.saved"};
	const char *const *v = f->v;
	if (old->closed_on[0])
		return bad(409, "case.closed");
	if (consent_ok(g, old->student_id, g->today, &o) ||
	    check_code(g, "referral_source", v[KEY_REFERRAL_SOURCE], &o) ||
	    check_code(g, "reason", v[KEY_MAIN_REASON], &o) || check_codes(g, "reason", v[KEY_REASONS], &o) ||
	    check_codes(g, "partner", v[KEY_PARTNERS], &o))
		return o;
	if (v[KEY_FIRST_CONTACT_ON] && date_ok(g, v[KEY_FIRST_CONTACT_ON], NULL, &o))
		return o;
	struct sak_row k = *old;
	if (change(g, &k, "referral_source", k.referral_source, sizeof k.referral_source, v[KEY_REFERRAL_SOURCE]) ||
	    change(g, &k, "referred_on", k.referred_on, sizeof k.referred_on, v[KEY_REFERRED_ON]) ||
	    change(g, &k, "first_contact_on", k.first_contact_on, sizeof k.first_contact_on, v[KEY_FIRST_CONTACT_ON]) ||
	    change(g, &k, "main_reason", k.main_reason, sizeof k.main_reason, v[KEY_MAIN_REASON]) ||
	    change_flag(g, &k, "interagency", &k.interagency, v[KEY_INTERAGENCY]) ||
	    change_flag(g, &k, "responsibility_group", &k.responsibility_group, v[KEY_RESPONSIBILITY_GROUP]) ||
	    replace_set(g, &k, "reason", v[KEY_REASONS]) || replace_set(g, &k, "partner", v[KEY_PARTNERS]))
		return FAIL_DB;
	if (k.referred_on[0] && strcmp(k.referred_on, k.opened_on) > 0)
		return bad(422, "case.referred_after_opening");
	if (k.referred_on[0] && k.first_contact_on[0] && strcmp(k.first_contact_on, k.referred_on) < 0)
		return bad(422, "case.contact_before_referral");
	char id[24];
	id_text(k.id, id);
	if (db_sak_update(g->db, &k) != DB_OK || audit(g, "update", "case", id, "registration"))
		return FAIL_DB;
	return o;
}

/* The newest contact comes first: keep its date. */
static int latest_contact(const struct contact_row *c, void *ctx)
{
	snprintf(ctx, 11, "%s", c->on_date);
	return 1;
}

struct outcome sak_close(struct reg *g, const struct sak_row *old, const struct form *f)
{
	struct outcome o = {200, "case.closed_now"};
	const char *on = f->v[KEY_CLOSED_ON] ? f->v[KEY_CLOSED_ON] : g->today;
	if (old->closed_on[0])
		return bad(409, "case.closed");
	if (!f->v[KEY_CLOSE_REASON])
		return bad(422, "form.required");
	if (check_code(g, "close_reason", f->v[KEY_CLOSE_REASON], &o) || date_ok(g, on, old->opened_on, &o))
		return o;
	char last[11] = "";
	if (db_contact_list(g->db, old->id, latest_contact, last) != DB_OK)
		return FAIL_DB;
	if (last[0] && strcmp(on, last) < 0)
		return bad(422, "case.closed_before_contact");
	struct sak_row k = *old;
	snprintf(k.closed_on, sizeof k.closed_on, "%s", on);
	snprintf(k.close_reason, sizeof k.close_reason, "%s", f->v[KEY_CLOSE_REASON]);
	char id[24];
	id_text(k.id, id);
	if (db_sak_update(g->db, &k) != DB_OK ||
	    history(g, k.student_id, k.id, "case", k.id, "closed", NULL, k.close_reason) ||
	    audit(g, "update", "case", id, "case closed"))
		return FAIL_DB;
	return o;
}

struct outcome sak_reopen(struct reg *g, const struct sak_row *old)
{
	struct outcome o = {200, "case.reopened"};
	if (!old->closed_on[0])
		return bad(409, "case.open_already");
	if (consent_ok(g, old->student_id, g->today, &o))
		return o;
	struct sak_row k = *old;
	char was[48];
	snprintf(was, sizeof was, "%s %s", k.closed_on, k.close_reason);
	k.closed_on[0] = k.close_reason[0] = '\0';
	char id[24];
	id_text(k.id, id);
	if (db_sak_update(g->db, &k) != DB_OK || history(g, k.student_id, k.id, "case", k.id, "reopened", was, NULL) ||
	    audit(g, "update", "case", id, "case reopened"))
		return FAIL_DB;
	return o;
}

static int open_case(const struct sak_row *k, const char *on, struct outcome *o)
{
	if (k->closed_on[0] && strcmp(on, k->closed_on) > 0) {
		*o = bad(409, "case.closed");
		return -1;
	}
	return 0;
}

struct outcome contact_add(struct reg *g, const struct sak_row *k, const struct form *f,
			   int64_t *contact_id)
{
	struct outcome o = {201, "contact.added"};
	const char *const *v = f->v;
	const char *on = v[KEY_ON_DATE] ? v[KEY_ON_DATE] : g->today;
	if (!v[KEY_CONTACT_KIND])
		return bad(422, "form.required");
	if (check_code(g, "contact_kind", v[KEY_CONTACT_KIND], &o) || check_codes(g, "followup", v[KEY_FOLLOWUPS], &o) ||
	    date_ok(g, on, k->opened_on, &o) || open_case(k, on, &o) || consent_ok(g, k->student_id, on, &o))
		return o;
	struct contact_row c;
	memset(&c, 0, sizeof c);
	c.sak_id = k->id;
	snprintf(c.on_date, sizeof c.on_date, "%s", on);
	snprintf(c.kind, sizeof c.kind, "%s", v[KEY_CONTACT_KIND]);
	c.minutes = v[KEY_MINUTES] ? atoi(v[KEY_MINUTES]) : -1;
	if (c.minutes > 1440)
		return bad(422, "contact.too_long");
	snprintf(c.created_by, sizeof c.created_by, "%s", g->who->username);
	if (db_contact_insert(g->db, &c) != DB_OK)
		return FAIL_DB;
	if (v[KEY_NOTE]) {
		/* Sealed with the contact's id in the associated data, so it needs the row first. */
		char id[24];
		id_text(c.id, id);
		size_t n = strlen(v[KEY_NOTE]);
		char ad[64];
		snprintf(ad, sizeof ad, "contact.note:%s", id);
		seal(g->kr, ad, v[KEY_NOTE], n, c.note);
		if (db_contact_reseal(g->db, c.id, c.note, n + SEAL_OVERHEAD) != DB_OK)
			return FAIL_DB;
	}
	if (v[KEY_FOLLOWUPS]) {
		char buf[512];
		codes_without_none(v[KEY_FOLLOWUPS], buf, sizeof buf);
		char *save = NULL;
		for (char *code = strtok_r(buf, ",", &save); code; code = strtok_r(NULL, ",", &save))
			if (db_contact_followup_add(g->db, c.id, code) != DB_OK)
				return FAIL_DB;
	}
	/* The first contact after a referral is what S10 measures. */
	if (!k->first_contact_on[0] || strcmp(on, k->first_contact_on) < 0) {
		struct sak_row u = *k;
		snprintf(u.first_contact_on, sizeof u.first_contact_on, "%s", on);
		if (db_sak_update(g->db, &u) != DB_OK ||
		    history(g, k->student_id, k->id, "case", k->id, "first_contact_on", k->first_contact_on, on))
			return FAIL_DB;
	}
	char id[24];
	id_text(c.id, id);
	if (history(g, k->student_id, k->id, "contact", c.id, "added", NULL, c.on_date) ||
	    audit(g, "create", "contact", id, "follow-up"))
		return FAIL_DB;
	if (contact_id)
		*contact_id = c.id;
	return o;
}

void contact_open_note(const struct reg *g, const struct contact_row *c, char *out, size_t outsz)
{
	char id[24];
	id_text(c->id, id);
	open_text(g, "contact.note", id, c->note, c->note_n, out, outsz);
}

struct outcome decision_add(struct reg *g, const struct sak_row *k, const struct form *f,
			    int64_t *decision_id)
{
	struct outcome o = {201, "decision.added"};
	const char *const *v = f->v;
	const char *on = v[KEY_ON_DATE] ? v[KEY_ON_DATE] : g->today;
	if (!v[KEY_DECISION] || !v[KEY_GRANTED])
		return bad(422, "form.required");
	if (check_code(g, "decision", v[KEY_DECISION], &o) || check_code(g, "duration", v[KEY_DURATION], &o) ||
	    date_ok(g, on, k->opened_on, &o) || open_case(k, on, &o) || consent_ok(g, k->student_id, on, &o))
		return o;
	int economic = !strcmp(v[KEY_DECISION], "SOSTJL_18") || !strcmp(v[KEY_DECISION], "SOSTJL_19");
	int granted = form_true(v[KEY_GRANTED]);
	if (v[KEY_DURATION] && !economic)
		return bad(422, "decision.duration_only_economic");
	if (economic && granted && !v[KEY_DURATION])
		return bad(422, "decision.duration_needed");
	struct decision_row d;
	memset(&d, 0, sizeof d);
	d.sak_id = k->id;
	snprintf(d.code, sizeof d.code, "%s", v[KEY_DECISION]);
	d.granted = granted;
	snprintf(d.on_date, sizeof d.on_date, "%s", on);
	snprintf(d.duration, sizeof d.duration, "%s", or_empty(v[KEY_DURATION]));
	char id[24];
	if (db_decision_insert(g->db, &d) != DB_OK)
		return FAIL_DB;
	id_text(d.id, id);
	if (history(g, k->student_id, k->id, "decision", d.id, d.code, NULL, granted ? "innvilget" : "avslått") ||
	    audit(g, "create", "decision", id, "follow-up"))
		return FAIL_DB;
	if (decision_id)
		*decision_id = d.id;
	return o;
}

struct outcome measure_add(struct reg *g, const struct sak_row *k, const struct form *f,
			   int64_t *measure_id)
{
	struct outcome o = {201, "measure.added"};
	const char *const *v = f->v;
	if (!v[KEY_SIDE] || !v[KEY_MEASURE] || !v[KEY_START_ON])
		return bad(422, "form.required");
	const char *list = !strcmp(v[KEY_SIDE], "nav") ? "nav_measure" : !strcmp(v[KEY_SIDE], "school") ? "school_measure" : NULL;
	if (!list)
		return bad(422, "measure.bad_side");
	if (check_code(g, list, v[KEY_MEASURE], &o) || date_ok(g, v[KEY_START_ON], k->opened_on, &o) ||
	    open_case(k, v[KEY_START_ON], &o) || consent_ok(g, k->student_id, v[KEY_START_ON], &o))
		return o;
	if (v[KEY_END_ON] && strcmp(v[KEY_END_ON], v[KEY_START_ON]) < 0)
		return bad(422, "measure.ends_before_start");
	struct measure_row m;
	memset(&m, 0, sizeof m);
	m.sak_id = k->id;
	snprintf(m.side, sizeof m.side, "%s", v[KEY_SIDE]);
	snprintf(m.code, sizeof m.code, "%s", v[KEY_MEASURE]);
	snprintf(m.start_on, sizeof m.start_on, "%s", v[KEY_START_ON]);
	snprintf(m.end_on, sizeof m.end_on, "%s", or_empty(v[KEY_END_ON]));
	char id[24];
	if (db_measure_insert(g->db, &m) != DB_OK)
		return FAIL_DB;
	id_text(m.id, id);
	if (history(g, k->student_id, k->id, "measure", m.id, m.code, NULL, m.start_on) ||
	    audit(g, "create", "measure", id, "follow-up"))
		return FAIL_DB;
	if (measure_id)
		*measure_id = m.id;
	return o;
}

struct outcome outcome_set(struct reg *g, const struct sak_row *k, const struct form *f)
{
	struct outcome o = {200, "outcome.saved"};
	const char *year = f->v[KEY_SCHOOL_YEAR], *code = f->v[KEY_OUTCOME];
	if (!year || !code)
		return bad(422, "form.required");
	if (!valid_school_year(year, strlen(year))) /* one year: the form key also takes periods */
		return bad(422, "outcome.year_outside_case");
	if (check_code(g, "outcome", code, &o) || consent_ok(g, k->student_id, g->today, &o))
		return o;
	/* Only a school year the case spans: 1 August of its first year to 31 July after. */
	char first[8], last[8];
	school_year_of(k->opened_on, first);
	school_year_of(k->closed_on[0] ? k->closed_on : g->today, last);
	if (strcmp(year, first) < 0 || strcmp(year, last) > 0)
		return bad(422, "outcome.year_outside_case");
	char id[24];
	id_text(k->id, id);
	if (db_outcome_set(g->db, k->id, year, code) != DB_OK ||
	    history(g, k->student_id, k->id, "outcome", k->id, year, NULL, code) ||
	    audit(g, "update", "case", id, "outcome"))
		return FAIL_DB;
	return o;
}
