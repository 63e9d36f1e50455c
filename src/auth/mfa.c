#include "mfa.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"

#define ENROL_REUSE 3600 /* seconds an unconfirmed secret is shown again */

static void secret_ad(int64_t account_id, char ad[48])
{
	snprintf(ad, 48, "mfa.secret:%lld", (long long)account_id);
}

/* The account's row and its secret in the clear; -1 when none opens. */
static int open_secret(db_t *db, const struct keyring *kr, int64_t account_id, struct mfa_row *m,
		       unsigned char secret[TOTP_SECRET_BYTES])
{
	int rc = db_mfa_get(db, account_id, m);
	if (rc != DB_OK)
		return rc == DB_NOTFOUND ? MFA_NONE : MFA_ERROR;
	char ad[48], plain[MFA_SEALED_MAX];
	secret_ad(account_id, ad);
	long n = m->secret_n >= SEAL_OVERHEAD ? unseal(kr, ad, m->secret, m->secret_n, plain) : -1;
	if (n != TOTP_SECRET_BYTES) {
		sodium_memzero(plain, sizeof plain);
		return MFA_ERROR;
	}
	memcpy(secret, plain, TOTP_SECRET_BYTES);
	sodium_memzero(plain, sizeof plain);
	return MFA_OK;
}

int mfa_status(db_t *db, int64_t account_id, struct mfa_status *out)
{
	struct mfa_row m;
	memset(out, 0, sizeof *out);
	int rc = db_mfa_get(db, account_id, &m);
	if (rc == DB_NOTFOUND)
		return MFA_OK;
	if (rc != DB_OK)
		return MFA_ERROR;
	out->enrolled = m.confirmed;
	if (m.confirmed && db_mfa_recovery_left(db, account_id, &out->recovery_left) != DB_OK)
		return MFA_ERROR;
	return MFA_OK;
}

int mfa_enrol_secret(db_t *db, const struct keyring *kr, int64_t account_id, const char *username, int64_t now,
		     char b32[TOTP_BASE32_MAX + 1], char uri[MFA_URI_MAX])
{
	struct mfa_row m;
	unsigned char secret[TOTP_SECRET_BYTES];
	int rc = open_secret(db, kr, account_id, &m, secret);
	if (rc == MFA_OK && m.confirmed) {
		sodium_memzero(secret, sizeof secret);
		return MFA_NONE;
	}
	if (rc == MFA_ERROR && db_mfa_get(db, account_id, &m) == DB_OK && m.confirmed)
		return MFA_ERROR;
	if (rc != MFA_OK || now - m.created_at > ENROL_REUSE || now < m.created_at) {
		randombytes_buf(secret, sizeof secret);
		unsigned char sealed[TOTP_SECRET_BYTES + SEAL_OVERHEAD];
		char ad[48];
		secret_ad(account_id, ad);
		seal(kr, ad, secret, sizeof secret, sealed);
		if (db_mfa_begin(db, account_id, sealed, sizeof sealed, now) != DB_OK) {
			sodium_memzero(secret, sizeof secret);
			return MFA_ERROR;
		}
	}
	int ok = totp_base32(secret, sizeof secret, b32, TOTP_BASE32_MAX + 1) == 0 &&
		 totp_uri("elevlos", username, b32, uri, MFA_URI_MAX) == 0;
	sodium_memzero(secret, sizeof secret);
	return ok ? MFA_OK : MFA_ERROR;
}

/* Fresh recovery codes for the account, stored as hashes keyed by its secret. */
static int new_codes(db_t *db, int64_t account_id, const unsigned char secret[TOTP_SECRET_BYTES],
		     char codes[RECOVERY_CODES][RECOVERY_TEXT])
{
	unsigned char h[RECOVERY_CODES][32];
	for (int i = 0; i < RECOVERY_CODES; i++) {
		recovery_code_new(codes[i]);
		if (recovery_code_hash(secret, TOTP_SECRET_BYTES, codes[i], h[i]) != 0)
			return MFA_ERROR;
	}
	return db_mfa_recovery_set(db, account_id, (const unsigned char(*)[32])h, RECOVERY_CODES) == DB_OK ? MFA_OK
												     : MFA_ERROR;
}

int mfa_enrol_confirm(db_t *db, const struct keyring *kr, int64_t account_id, const char *code, int64_t now,
		      char codes[RECOVERY_CODES][RECOVERY_TEXT])
{
	struct mfa_row m;
	unsigned char secret[TOTP_SECRET_BYTES];
	int rc = open_secret(db, kr, account_id, &m, secret);
	if (rc != MFA_OK)
		return rc;
	if (m.confirmed) {
		sodium_memzero(secret, sizeof secret);
		return MFA_NONE;
	}
	int64_t step = 0;
	int t = totp_check(secret, sizeof secret, now, code, m.last_step, &step);
	if (t == TOTP_OK) {
		int c = db_mfa_confirm(db, account_id, step, now);
		rc = c == DB_OK ? new_codes(db, account_id, secret, codes) : c == DB_NOTFOUND ? MFA_REPLAY : MFA_ERROR;
	} else {
		rc = t == TOTP_REPLAY ? MFA_REPLAY : t == TOTP_BAD ? MFA_BAD : MFA_ERROR;
	}
	sodium_memzero(secret, sizeof secret);
	return rc;
}

int mfa_verify(db_t *db, const struct keyring *kr, int64_t account_id, const char *code, int64_t now)
{
	struct mfa_row m;
	unsigned char secret[TOTP_SECRET_BYTES];
	int rc = open_secret(db, kr, account_id, &m, secret);
	if (rc != MFA_OK)
		return rc;
	if (!m.confirmed) {
		sodium_memzero(secret, sizeof secret);
		return MFA_NONE;
	}
	int64_t step = 0;
	unsigned char h[32];
	int t = totp_check(secret, sizeof secret, now, code, m.last_step, &step);
	if (t == TOTP_OK) {
		int u = db_mfa_use_step(db, account_id, step);
		rc = u == DB_OK ? MFA_OK : u == DB_NOTFOUND ? MFA_REPLAY : MFA_ERROR;
	} else if (t == TOTP_REPLAY) {
		rc = MFA_REPLAY;
	} else if (t == TOTP_BAD && recovery_code_hash(secret, sizeof secret, code, h) == 0) {
		int u = db_mfa_recovery_use(db, account_id, h, now);
		rc = u == DB_OK ? MFA_RECOVERY : u == DB_NOTFOUND ? MFA_BAD : MFA_ERROR;
	} else {
		rc = t == TOTP_BAD ? MFA_BAD : MFA_ERROR;
	}
	sodium_memzero(secret, sizeof secret);
	return rc;
}

int mfa_recovery_renew(db_t *db, const struct keyring *kr, int64_t account_id, const char *code, int64_t now,
		       char codes[RECOVERY_CODES][RECOVERY_TEXT])
{
	struct mfa_row m;
	unsigned char secret[TOTP_SECRET_BYTES];
	int rc = open_secret(db, kr, account_id, &m, secret);
	if (rc != MFA_OK)
		return rc;
	int64_t step = 0;
	int t = m.confirmed ? totp_check(secret, sizeof secret, now, code, m.last_step, &step) : TOTP_ERROR;
	if (!m.confirmed) {
		rc = MFA_NONE;
	} else if (t == TOTP_OK) {
		int u = db_mfa_use_step(db, account_id, step);
		rc = u == DB_OK ? new_codes(db, account_id, secret, codes) : u == DB_NOTFOUND ? MFA_REPLAY : MFA_ERROR;
	} else {
		rc = t == TOTP_REPLAY ? MFA_REPLAY : t == TOTP_BAD ? MFA_BAD : MFA_ERROR;
	}
	sodium_memzero(secret, sizeof secret);
	return rc;
}

int mfa_reset(db_t *db, int64_t account_id)
{
	return db_mfa_reset(db, account_id) == DB_OK ? MFA_OK : MFA_ERROR;
}

/* The accounts are collected first: writing while the list statement steps is not allowed. */
struct id_list {
	int64_t *ids;
	size_t n, cap;
};

static int collect(const struct mfa_row *m, void *ctx)
{
	struct id_list *x = ctx;
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->ids = xrealloc(x->ids, x->cap * sizeof *x->ids);
	}
	x->ids[x->n++] = m->account_id;
	return 0;
}

long mfa_reseal_all(db_t *db, const struct keyring *kr)
{
	struct id_list x = {0};
	long done = 0;
	if (db_mfa_list(db, collect, &x) != DB_OK)
		done = -1;
	for (size_t i = 0; done >= 0 && i < x.n; i++) {
		struct mfa_row m;
		unsigned char secret[TOTP_SECRET_BYTES], sealed[TOTP_SECRET_BYTES + SEAL_OVERHEAD];
		char ad[48];
		if (open_secret(db, kr, x.ids[i], &m, secret) != MFA_OK) {
			done = -1;
			break;
		}
		secret_ad(x.ids[i], ad);
		seal(kr, ad, secret, sizeof secret, sealed);
		sodium_memzero(secret, sizeof secret);
		done = db_mfa_reseal(db, x.ids[i], sealed, sizeof sealed) == DB_OK ? done + 1 : -1;
	}
	free(x.ids);
	return done;
}
