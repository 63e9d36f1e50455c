/* Storage of the second factor (migration 8): secrets, recovery codes and half-finished logins. */
#ifndef ELEVLOS_DB_MFA_H
#define ELEVLOS_DB_MFA_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

#define MFA_SEALED_MAX 128

struct mfa_row {
	int64_t account_id;
	unsigned char secret[MFA_SEALED_MAX]; /* sealed (crypto/keyring.h) */
	size_t secret_n;
	int confirmed;
	int64_t last_step;
	int64_t created_at;
};

/* A login between the password and the second factor. */
struct mfa_pending {
	int64_t id;
	int64_t account_id;
	char csrf[64];
	char next[512];
	int64_t created_at;
};

int db_mfa_get(db_t *db, int64_t account_id, struct mfa_row *out);
/* Stores a new unconfirmed secret; never replaces a confirmed one (then DB_CONFLICT). */
int db_mfa_begin(db_t *db, int64_t account_id, const unsigned char *sealed, size_t n, int64_t now);
/* Confirms an unconfirmed secret with the step of its first code. DB_NOTFOUND: nothing to confirm,
 * or that step is not after the last one. */
int db_mfa_confirm(db_t *db, int64_t account_id, int64_t step, int64_t now);
/* Accepts step as the newest used step, atomically: DB_NOTFOUND when a step at or after it was
 * already accepted (a replay, also from another thread or process). */
int db_mfa_use_step(db_t *db, int64_t account_id, int64_t step);
/* Removes the secret, the recovery codes and the half-finished logins of an account. */
int db_mfa_reset(db_t *db, int64_t account_id);
int db_mfa_reseal(db_t *db, int64_t account_id, const unsigned char *sealed, size_t n);
typedef int (*db_mfa_cb)(const struct mfa_row *m, void *ctx);
int db_mfa_list(db_t *db, db_mfa_cb cb, void *ctx);

/* Replaces the account's recovery codes by these n hashes. */
int db_mfa_recovery_set(db_t *db, int64_t account_id, const unsigned char (*hashes)[32], int n);
/* Marks an unused code used: DB_NOTFOUND when there is no such unused code. */
int db_mfa_recovery_use(db_t *db, int64_t account_id, const unsigned char hash[32], int64_t now);
int db_mfa_recovery_left(db_t *db, int64_t account_id, int64_t *n);

int db_mfa_pending_insert(db_t *db, const unsigned char hash[32], int64_t account_id, const char *csrf,
			  const char *next, int64_t now);
int db_mfa_pending_get(db_t *db, const unsigned char hash[32], struct mfa_pending *out);
int db_mfa_pending_delete(db_t *db, int64_t id);
int db_mfa_pending_purge(db_t *db, int64_t created_before);

#endif
