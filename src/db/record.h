/*
 * Storage of the registration record (DOMAIN.md section 3): code lists, students, consent,
 * cases (table "sak") with their contacts, decisions, measures, partners and outcomes,
 * referrals from schools, and the change history. Sealed fields are opaque bytes here.
 */
#ifndef ELEVLOS_RECORD_H
#define ELEVLOS_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

#define SEALED_MAX 320 /* 200 bytes of text + seal overhead, with room */
#define NOTE_SEALED_MAX 4200

struct sealed {
	unsigned char b[SEALED_MAX];
	size_t n; /* 0: absent */
};

/* ---- code lists ---- */
int db_code_valid(db_t *db, const char *list, const char *code);
typedef int (*db_code_cb)(const char *code, const char *label_nb, const char *label_en, void *ctx);
int db_code_list(db_t *db, const char *list, db_code_cb cb, void *ctx);

/* ---- students ---- */
struct student_row {
	int64_t id;
	char pseudonym[16];
	int64_t pilot_id;
	char pilot_code[33];
	char pilot_path[512];
	char school_code[33]; /* "" when none */
	struct sealed name;
	struct sealed fnr;
	unsigned char fnr_hash[32];
	int has_fnr_hash;
	int birth_year; /* 0: unknown */
	char gender[16];
	char level[16];
	char programme[24];
	char minority[8];
	char created_at[21];
};

/* Inserts; sets s->id. DB_CONFLICT when the pseudonym or (pilot, id number) is taken. */
int db_student_insert(db_t *db, struct student_row *s);
int db_student_get(db_t *db, const char *pseudonym, struct student_row *out);

/* ---- break the glass ---- */
struct glass_row {
	int64_t id;
	char username[65];
	char user_unit[33];
	char pseudonym[16];
	char reason[201];
	char at[21];
	char expires_at[21];
};
/* Opens student_id (of pilot_id) to account_id until expires_at (UTC "YYYY-MM-DDTHH:MM:SSZ"). */
int db_glass_open(db_t *db, int64_t account_id, int64_t student_id, int64_t pilot_id, const char *reason,
		  const char *expires_at);
/* DB_OK with the newest grant's expiry when account_id may open student_id at now; else DB_NOTFOUND. */
int db_glass_active(db_t *db, int64_t account_id, int64_t student_id, const char *now, char expires_at[21]);
typedef int (*db_glass_cb)(const struct glass_row *g, void *ctx);
/* Every opening of a student of a pilot under scope_path, newest first. */
int db_glass_list(db_t *db, const char *scope_path, db_glass_cb cb, void *ctx);
int db_student_get_id(db_t *db, int64_t id, struct student_row *out);
int db_student_update(db_t *db, const struct student_row *s);
typedef int (*db_student_cb)(const struct student_row *s, void *ctx);
/* Students of pilots under scope_path, by pseudonym. */
int db_student_list(db_t *db, const char *scope_path, db_student_cb cb, void *ctx);
/* Every student, for re-sealing under a new key. */
int db_student_all(db_t *db, db_student_cb cb, void *ctx);
int db_student_reseal(db_t *db, int64_t id, const struct sealed *name, const struct sealed *fnr,
		      const unsigned char *fnr_hash);

struct living_row {
	int64_t id;
	char code[24];
	char from_date[11];
};
int db_living_add(db_t *db, int64_t student_id, const char *code, const char *from_date);
typedef int (*db_living_cb)(const struct living_row *l, void *ctx);
/* Newest first. */
int db_living_list(db_t *db, int64_t student_id, db_living_cb cb, void *ctx);

/* ---- consent ---- */
struct consent_row {
	int64_t id;
	int64_t student_id;
	char kind[16];
	char partner[24]; /* for DELING */
	char given_on[11];
	char given_by[12];
	char withdrawn_on[11]; /* "" while in force */
};
int db_consent_add(db_t *db, const struct consent_row *c, int64_t *id);
int db_consent_get(db_t *db, int64_t id, struct consent_row *out);
int db_consent_withdraw(db_t *db, int64_t id, const char *on);
typedef int (*db_consent_cb)(const struct consent_row *c, void *ctx);
int db_consent_list(db_t *db, int64_t student_id, db_consent_cb cb, void *ctx);
/* 1 when a consent of kind (and partner, for DELING) is given on or before `on` and not
 * withdrawn on or before it; 0 when not; DB_ERROR. */
int db_consent_in_force(db_t *db, int64_t student_id, const char *kind, const char *partner,
			const char *on);

/* ---- cases ---- */
struct sak_row {
	int64_t id;
	int64_t student_id;
	char pseudonym[16];
	int64_t pilot_id;
	char pilot_path[512];
	char opened_on[11];
	char referral_source[24];
	char referred_on[11];
	char first_contact_on[11];
	char main_reason[24];
	int interagency;
	int responsibility_group;
	char closed_on[11];
	char close_reason[24];
};
int db_sak_insert(db_t *db, struct sak_row *k);
int db_sak_get(db_t *db, int64_t id, struct sak_row *out);
int db_sak_update(db_t *db, const struct sak_row *k);
typedef int (*db_sak_cb)(const struct sak_row *k, void *ctx);
int db_sak_list_student(db_t *db, int64_t student_id, db_sak_cb cb, void *ctx);
int db_sak_all(db_t *db, db_sak_cb cb, void *ctx);

/* Code sets of a case: list "reason" (other reasons) or "partner". */
int db_sak_codes_add(db_t *db, const char *list, int64_t sak_id, const char *code);
int db_sak_codes_clear(db_t *db, const char *list, int64_t sak_id);
typedef int (*db_str_cb)(const char *s, void *ctx);
int db_sak_codes(db_t *db, const char *list, int64_t sak_id, db_str_cb cb, void *ctx);

struct contact_row {
	int64_t id;
	int64_t sak_id;
	char on_date[11];
	char kind[24];
	int minutes; /* -1: not given */
	unsigned char note[NOTE_SEALED_MAX];
	size_t note_n;
	char created_by[65];
};
int db_contact_insert(db_t *db, struct contact_row *c);
int db_contact_get(db_t *db, int64_t id, struct contact_row *out);
typedef int (*db_contact_cb)(const struct contact_row *c, void *ctx);
/* Newest first. */
int db_contact_list(db_t *db, int64_t sak_id, db_contact_cb cb, void *ctx);
int db_contact_followup_add(db_t *db, int64_t contact_id, const char *code);
int db_contact_followups(db_t *db, int64_t contact_id, db_str_cb cb, void *ctx);
int db_contact_reseal(db_t *db, int64_t id, const unsigned char *note, size_t n);
int db_contact_all_notes(db_t *db, db_contact_cb cb, void *ctx);

struct decision_row {
	int64_t id;
	int64_t sak_id;
	char code[24];
	int granted;
	char on_date[11];
	char duration[12]; /* "" unless §18/§19 */
};
int db_decision_insert(db_t *db, struct decision_row *d);
int db_decision_get(db_t *db, int64_t id, struct decision_row *out);
typedef int (*db_decision_cb)(const struct decision_row *d, void *ctx);
int db_decision_list(db_t *db, int64_t sak_id, db_decision_cb cb, void *ctx);

struct measure_row {
	int64_t id;
	int64_t sak_id;
	char side[8]; /* "nav" or "school" */
	char code[32];
	char start_on[11];
	char end_on[11];
};
int db_measure_insert(db_t *db, struct measure_row *m);
int db_measure_get(db_t *db, int64_t id, struct measure_row *out);
typedef int (*db_measure_cb)(const struct measure_row *m, void *ctx);
int db_measure_list(db_t *db, int64_t sak_id, db_measure_cb cb, void *ctx);

int db_outcome_set(db_t *db, int64_t sak_id, const char *school_year, const char *code);
typedef int (*db_pair_cb)(const char *a, const char *b, void *ctx);
int db_outcome_list(db_t *db, int64_t sak_id, db_pair_cb cb, void *ctx);

/* ---- referrals ---- */
struct referral_row {
	int64_t id;
	int64_t pilot_id;
	char pilot_path[512];
	char school_code[33];
	int64_t referrer_id;
	char referrer[65];
	struct sealed name;
	char level[16];
	char reason[24];
	char consent_given_by[12];
	char referred_on[11];
	char status[12];
	char decline_reason[201];
	int64_t sak_id; /* 0: none */
	char decided_on[11];
	char decided_by[65];
};
int db_referral_insert(db_t *db, struct referral_row *r);
int db_referral_get(db_t *db, int64_t id, struct referral_row *out);
int db_referral_decide(db_t *db, const struct referral_row *r);
int db_referral_reseal(db_t *db, int64_t id, const struct sealed *name);
typedef int (*db_referral_cb)(const struct referral_row *r, void *ctx);
/* Open referrals first, then newest; pilots under scope_path. */
int db_referral_list_scope(db_t *db, const char *scope_path, db_referral_cb cb, void *ctx);
int db_referral_all(db_t *db, db_referral_cb cb, void *ctx);
int db_referral_list_referrer(db_t *db, int64_t referrer_id, db_referral_cb cb, void *ctx);

/* ---- the counsellor's caseload ---- */
struct caseload_row {
	char pseudonym[16];
	struct sealed name;
	int64_t sak_id;
	char opened_on[11];
	char main_reason[24];
	char last_contact[11]; /* "" when none */
};
typedef int (*db_caseload_cb)(const struct caseload_row *c, void *ctx);
/* Open cases in pilots under scope_path: longest since last contact (or opening) first. */
int db_caseload(db_t *db, const char *scope_path, db_caseload_cb cb, void *ctx);

/* ---- change history ---- */
struct change_row {
	char at[21];
	char username[65];
	int64_t sak_id;
	char entity[24];
	int64_t entity_id;
	char field[32];
	char old[256];
	char new_[256];
};
int db_change_add(db_t *db, int64_t student_id, const struct change_row *c);
typedef int (*db_change_cb)(const struct change_row *c, void *ctx);
/* Newest first. */
int db_change_list(db_t *db, int64_t student_id, int limit, db_change_cb cb, void *ctx);

#endif
