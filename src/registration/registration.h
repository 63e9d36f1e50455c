/*
 * The registration record's actions, shared by pages, API and import: each checks its input
 * against the code lists, enforces consent, writes the change history and the access log.
 * Every action runs inside the caller's write transaction and returns an HTTP-like outcome.
 */
#ifndef ELEVLOS_REGISTRATION_H
#define ELEVLOS_REGISTRATION_H

#include "../admin/actor.h"
#include "../crypto/keyring.h"
#include "../db/record.h"
#include "../http/form.h"

struct reg {
	db_t *db;
	const struct keyring *kr;
	const struct actor *who;
	int64_t account_id;
	int guardian_age; /* below this age a guardian gives consent (setting; default 16) */
	int rule_2032;    /* accept id numbers under the 2032 check-digit rule */
	char today[11];
	int unreadable; /* sealed values no key in the key file opened */
};

void reg_init(struct reg *g, db_t *db, const struct keyring *kr, const struct actor *who,
	      int64_t account_id, int guardian_age, int rule_2032);

/* The pilot a unit path lies in ("/NO/03/P-X/…" → "P-X"); "" when above pilot level. */
void pilot_of_path(const char *path, char out[33]);

/* Students */
struct outcome student_register(struct reg *g, const struct form *f, char pseudonym[16]);
struct outcome student_update(struct reg *g, const struct student_row *s, const struct form *f);
/* Opens a sealed field into out (size outsz); "" when absent or unreadable. */
void student_open_name(const struct reg *g, const char *pseudonym, const struct sealed *name,
		       char *out, size_t outsz);
void student_open_fnr(const struct reg *g, const char *pseudonym, const struct sealed *fnr,
		      char *out, size_t outsz);

/* Consent */
struct outcome consent_add(struct reg *g, const struct student_row *s, const struct form *f);
struct outcome consent_withdraw(struct reg *g, const struct student_row *s, int64_t consent_id,
				const struct form *f);
/* 1 when withdrawing consent_id would leave the student no registration consent in force
 * today, so the withdrawal erases the student; 0 when not; -1 on a database error. */
int consent_withdraw_erases(struct reg *g, const struct student_row *s, int64_t consent_id);
/* 1 when a registration consent is in force on `on`. */
int consent_registration(struct reg *g, int64_t student_id, const char *on);

/* Cases */
struct outcome sak_open(struct reg *g, const struct student_row *s, const struct form *f,
			int64_t *sak_id);
struct outcome sak_update(struct reg *g, const struct sak_row *k, const struct form *f);
struct outcome sak_close(struct reg *g, const struct sak_row *k, const struct form *f);
struct outcome sak_reopen(struct reg *g, const struct sak_row *k);
struct outcome contact_add(struct reg *g, const struct sak_row *k, const struct form *f,
			   int64_t *contact_id);
struct outcome decision_add(struct reg *g, const struct sak_row *k, const struct form *f,
			    int64_t *decision_id);
struct outcome measure_add(struct reg *g, const struct sak_row *k, const struct form *f,
			   int64_t *measure_id);
struct outcome outcome_set(struct reg *g, const struct sak_row *k, const struct form *f);
/* Opens a contact's note; "" when none. */
void contact_open_note(const struct reg *g, const struct contact_row *c, char *out, size_t outsz);

/* Referrals */
struct outcome referral_create(struct reg *g, const struct account *referrer, const struct form *f,
			       int64_t *referral_id);
struct outcome referral_accept(struct reg *g, const struct referral_row *r, const struct form *f,
			       int64_t *sak_id);
struct outcome referral_decline(struct reg *g, const struct referral_row *r, const struct form *f);
/* 1 when the referrer may see the case content (a sharing consent with partner RADGIVER). */
int referral_shares(struct reg *g, const struct referral_row *r);
void referral_open_name(const struct reg *g, const struct referral_row *r, char *out, size_t outsz);

/* Erasure and retention (erasure.c, docs/privacy.md) */
/* Erases a student (privacy.h) with an "erase" access-log row per object, naming only the
 * object, for why (ERASE_WHY_*); the caller holds the write transaction. DB_OK, DB_NOTFOUND
 * (none, or erased already) or DB_ERROR. */
int student_erase(db_t *db, const struct actor *who, int64_t student_id, const char *on, const char *why);
/* The access log's purpose for why. */
const char *erase_purpose(const char *why);
/* Checkpoints the WAL and empties it, waiting up to 5 s for readers: 0, or -1. Outside a
 * transaction. */
int erase_checkpoint(db_t *db);
/* In a request's transaction after an erasure: commits it (nothing is kept if that fails: -1),
 * checkpoints the WAL (a reader in the way is logged; the next retention run finishes it) and
 * begins a new transaction for the rest of the request. 0 or -1. */
int erase_commit(db_t *db);
/* today minus days as YYYY-MM-DD; 0 or -1. */
int retention_cutoff(const char *today, int days, char out[11]);
struct retention_summary {
	long due_consent, due_retention, due_referrals; /* found due */
	long erased, referrals_erased;                   /* erased by this run */
};
/* Erases every student due on today with retention `days` (one transaction each, testing again
 * inside it), and the declined referrals decided `days` ago or more; then checkpoints. With
 * dry_run, counts only. 0; -1 on a database error; -2 when all was erased but the checkpoint
 * could not finish (a reader held the WAL). */
int retention_run(db_t *db, const struct actor *who, const char *today, int days, int dry_run,
		  struct retention_summary *out);

/* The school year ("2017/18") a date falls in: 1 August - 31 July. */
void school_year_of(const char *date, char out[8]);

#endif
