/*
 * Storage of erasure and retention (docs/privacy.md): which students are due for erasure, and
 * the erasure itself. An erased student keeps a tombstone (pseudonym, pilot, when and why);
 * every other row about them is deleted, and the free text that stays in kept rows (a
 * break-the-glass reason) is overwritten. The connection runs with secure_delete on
 * (db_sqlite.c), so deleted bytes are zeroed; db_checkpoint() then clears the WAL.
 */
#ifndef ELEVLOS_PRIVACY_H
#define ELEVLOS_PRIVACY_H

#include <stdint.h>

#include "db.h"

#define ERASE_WHY_CONSENT "consent"     /* no registration consent in force */
#define ERASE_WHY_RETENTION "retention" /* the retention period after the last case closed ran out */
/* What an overwritten break-the-glass reason reads afterwards. */
#define ERASED_TEXT "[slettet / erased]"

struct due_row {
	int64_t id;
	char pseudonym[16];
	char why[12]; /* ERASE_WHY_* */
};
typedef int (*db_due_cb)(const struct due_row *d, void *ctx);

/* Students (not yet erased) due on today: those with no registration consent in force on today
 * ("consent"), then those with no open case whose last case closed on or before cutoff, or who
 * were registered on or before cutoff and never had a case ("retention"). By id. */
int db_privacy_due(db_t *db, const char *today, const char *cutoff, db_due_cb cb, void *ctx);
/* The same test for one student: DB_OK with why, DB_NOTFOUND when not due (or erased). */
int db_privacy_due_one(db_t *db, int64_t student_id, const char *today, const char *cutoff, char why[12]);

typedef int (*db_obj_cb)(const char *object, void *ctx);
/* The access-log objects of one student: "student:P", then "case:N", "contact:N",
 * "decision:N", "measure:N" and "referral:N" of their cases. */
int db_privacy_objects(db_t *db, int64_t student_id, db_obj_cb cb, void *ctx);

/* Erases one student (the caller holds the write transaction): the referrals that became their
 * cases, the cases and everything in them, living situations, consents, the change history;
 * overwrites the reasons of break-the-glass openings of them; empties the student row but for
 * pseudonym, pilot and created_at, and marks it erased on `on` for `why`. DB_NOTFOUND when
 * there is no such student or it is erased already. */
int db_privacy_erase(db_t *db, int64_t student_id, const char *on, const char *why);

/* Declined referrals decided on or before cutoff (they never became a student), by id. */
typedef int (*db_id_cb)(int64_t id, void *ctx);
int db_privacy_declined_due(db_t *db, const char *cutoff, db_id_cb cb, void *ctx);
/* Deletes one declined referral decided on or before cutoff; DB_NOTFOUND when not so. */
int db_privacy_declined_erase(db_t *db, int64_t referral_id, const char *cutoff);

/* The newest break-the-glass opening of student_id by account_id (just made, in the caller's
 * transaction): the access log names it "glass:ID" rather than copying the reason, which may
 * name the student and could then never be erased from the append-only log. */
int db_privacy_glass_last(db_t *db, int64_t account_id, int64_t student_id, int64_t *id);

/* Erased students (tombstones), for the summary. */
int db_privacy_erased_count(db_t *db, int64_t *n);

#endif
