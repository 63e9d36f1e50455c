/*
 * The second factor of an account: enrolment (a fresh secret, confirmed by a first code),
 * checking a code at login (TOTP with replay refused, or a single-use recovery code), new
 * recovery codes, and an administrator's reset. Secrets are sealed with the key file
 * (crypto/keyring.h) and never leave this module except as the enrolment's base32 and QR code.
 * The caller holds the write transaction when a function writes.
 */
#ifndef ELEVLOS_MFA_H
#define ELEVLOS_MFA_H

#include <stdint.h>

#include "../crypto/keyring.h"
#include "../db/mfa.h"
#include "totp.h"

enum mfa_rc {
	MFA_OK = 0,       /* a valid authenticator code, now used */
	MFA_RECOVERY = 1, /* a valid recovery code, now used */
	MFA_BAD = 2,      /* neither */
	MFA_REPLAY = 3,   /* an authenticator code of a step already used */
	MFA_NONE = 4,     /* the account has no (confirmed, or for enrolment unconfirmed) secret */
	MFA_ERROR = -1,
};

#define MFA_URI_MAX 300

struct mfa_status {
	int enrolled; /* a confirmed secret */
	int64_t recovery_left;
};

int mfa_status(db_t *db, int64_t account_id, struct mfa_status *out);

/* The unconfirmed secret to show at enrolment: the one begun within the last hour, else a
 * fresh one. MFA_OK with its base32 and otpauth URI; MFA_NONE when already enrolled. */
int mfa_enrol_secret(db_t *db, const struct keyring *kr, int64_t account_id, const char *username, int64_t now,
		     char b32[TOTP_BASE32_MAX + 1], char uri[MFA_URI_MAX]);
/* Confirms enrolment with a code of the unconfirmed secret and makes the recovery codes, which
 * are written to codes and never again available. */
int mfa_enrol_confirm(db_t *db, const struct keyring *kr, int64_t account_id, const char *code, int64_t now,
		      char codes[RECOVERY_CODES][RECOVERY_TEXT]);
/* The second step of a login: a 6-digit authenticator code, else a recovery code. */
int mfa_verify(db_t *db, const struct keyring *kr, int64_t account_id, const char *code, int64_t now);
/* New recovery codes (the old ones stop working) after a current authenticator code. */
int mfa_recovery_renew(db_t *db, const struct keyring *kr, int64_t account_id, const char *code, int64_t now,
		       char codes[RECOVERY_CODES][RECOVERY_TEXT]);
/* Removes the second factor (an administrator's reset): the next login enrols anew. */
int mfa_reset(db_t *db, int64_t account_id);
/* Re-seals every secret with the key ring's current key (elevlos key rotate). Returns the
 * number re-sealed, or -1 when one cannot be opened or written. */
long mfa_reseal_all(db_t *db, const struct keyring *kr);

#endif
