/* Unit tests for src/auth/totp.c (RFC 6238 codes, the window, replay, recovery codes) and
 * src/auth/mfa.c with src/db/mfa_sqlite.c (enrolment, replay in the database, single-use
 * recovery codes, reset, re-sealing). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/mfa.h"
#include "auth/totp.h"
#include "core/config.h"
#include "crypto/keyring.h"
#include "db/db.h"
#include "db/mfa.h"

static int group_setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

/* RFC 6238 appendix B: the SHA-1 seed is the ASCII "12345678901234567890". */
static const unsigned char rfc_seed[] = "12345678901234567890";

static void rfc6238_vectors(void **state)
{
	(void)state;
	static const struct {
		int64_t t;
		const char *code8;
	} v[] = {
		{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000LL, "65353130"},
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char out[9];
		assert_int_equal(totp_code(rfc_seed, 20, v[i].t, 8, out), 0);
		assert_string_equal(out, v[i].code8);
		/* Our codes are the last six digits of the same truncated value. */
		assert_int_equal(totp_code(rfc_seed, 20, v[i].t, 6, out), 0);
		assert_string_equal(out, v[i].code8 + 2);
	}
}

static void check_accepts_now_and_one_step_either_side(void **state)
{
	(void)state;
	const int64_t now = 1111111111; /* step 37037037 */
	int64_t step = 0;
	char c[7];
	assert_int_equal(totp_code(rfc_seed, 20, now, 6, c), 0);
	assert_string_equal(c, "050471");
	assert_int_equal(totp_check(rfc_seed, 20, now, c, -1, &step), TOTP_OK);
	assert_int_equal(step, now / 30);
	/* The code of the step before (clock behind) and after (clock ahead). */
	assert_int_equal(totp_code(rfc_seed, 20, now - 30, 6, c), 0);
	assert_int_equal(totp_check(rfc_seed, 20, now, c, -1, &step), TOTP_OK);
	assert_int_equal(step, now / 30 - 1);
	assert_int_equal(totp_code(rfc_seed, 20, now + 30, 6, c), 0);
	assert_int_equal(totp_check(rfc_seed, 20, now, c, -1, &step), TOTP_OK);
	assert_int_equal(step, now / 30 + 1);
	/* Two steps away is outside the window. */
	assert_int_equal(totp_code(rfc_seed, 20, now - 60, 6, c), 0);
	assert_int_equal(totp_check(rfc_seed, 20, now, c, -1, &step), TOTP_BAD);
	assert_int_equal(totp_code(rfc_seed, 20, now + 60, 6, c), 0);
	assert_int_equal(totp_check(rfc_seed, 20, now, c, -1, &step), TOTP_BAD);
	/* As an app shows it, with a space. */
	assert_int_equal(totp_check(rfc_seed, 20, now, "050 471", -1, &step), TOTP_OK);
	assert_int_equal(step, now / 30);
	/* Not six digits. */
	assert_int_equal(totp_check(rfc_seed, 20, now, "05047", -1, &step), TOTP_BAD);
	assert_int_equal(totp_check(rfc_seed, 20, now, "0504711", -1, &step), TOTP_BAD);
	assert_int_equal(totp_check(rfc_seed, 20, now, "05047a", -1, &step), TOTP_BAD);
	assert_int_equal(totp_check(rfc_seed, 20, now, "", -1, &step), TOTP_BAD);
	assert_int_equal(totp_check(rfc_seed, 20, now, NULL, -1, &step), TOTP_BAD);
	/* Another secret's code. */
	unsigned char other[20];
	memset(other, 7, sizeof other);
	assert_int_equal(totp_code(other, 20, now, 6, c), 0);
	if (strcmp(c, "050471") != 0)
		assert_int_equal(totp_check(rfc_seed, 20, now, c, -1, &step), TOTP_BAD);
}

static void check_refuses_steps_already_used(void **state)
{
	(void)state;
	const int64_t now = 1111111111, s = now / 30;
	int64_t step = 0;
	char c[7];
	assert_int_equal(totp_code(rfc_seed, 20, now, 6, c), 0);
	assert_int_equal(totp_check(rfc_seed, 20, now, c, s, &step), TOTP_REPLAY);
	assert_int_equal(totp_check(rfc_seed, 20, now, c, s + 1, &step), TOTP_REPLAY);
	assert_int_equal(totp_check(rfc_seed, 20, now, c, s - 1, &step), TOTP_OK);
	/* The previous step's code after this step was used: also a replay. */
	assert_int_equal(totp_code(rfc_seed, 20, now - 30, 6, c), 0);
	assert_int_equal(totp_check(rfc_seed, 20, now, c, s, &step), TOTP_REPLAY);
	/* The next step's code is still good. */
	assert_int_equal(totp_code(rfc_seed, 20, now + 30, 6, c), 0);
	assert_int_equal(totp_check(rfc_seed, 20, now, c, s, &step), TOTP_OK);
	assert_int_equal(step, s + 1);
}

static void base32_and_uri(void **state)
{
	(void)state;
	char b[TOTP_BASE32_MAX + 1], uri[300];
	assert_int_equal(totp_base32(rfc_seed, 20, b, sizeof b), 0);
	assert_string_equal(b, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_int_equal(totp_uri("elevlos", "kari nordmann", b, uri, sizeof uri), 0);
	assert_string_equal(uri, "otpauth://totp/elevlos%3Akari%20nordmann?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
				 "&issuer=elevlos&algorithm=SHA1&digits=6&period=30");
	char small[40];
	assert_int_equal(totp_uri("elevlos", "kari", b, small, sizeof small), -1);
}

static void recovery_codes_format_and_hash(void **state)
{
	(void)state;
	char a[RECOVERY_TEXT], b[RECOVERY_TEXT];
	recovery_code_new(a);
	recovery_code_new(b);
	assert_int_equal(strlen(a), 19);
	assert_true(a[4] == '-' && a[9] == '-' && a[14] == '-');
	assert_string_not_equal(a, b);
	unsigned char h1[32], h2[32], h3[32];
	assert_int_equal(recovery_code_hash(rfc_seed, 20, a, h1), 0);
	/* Case, spaces and dashes do not matter. */
	char loose[40];
	snprintf(loose, sizeof loose, "%c%c%c%c %c%c%c%c%c%c%c%c%c%c%c%c", a[0], a[1], a[2], a[3], a[5], a[6], a[7],
		 a[8], a[10], a[11], a[12], a[13], a[15], a[16], a[17], a[18]);
	for (char *p = loose; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	assert_int_equal(recovery_code_hash(rfc_seed, 20, loose, h2), 0);
	assert_memory_equal(h1, h2, 32);
	/* Another secret keys another hash. */
	unsigned char other[20] = {1};
	assert_int_equal(recovery_code_hash(other, 20, a, h3), 0);
	assert_memory_not_equal(h1, h3, 32);
	/* Not a recovery code: too short, too long, outside the alphabet. */
	assert_int_equal(recovery_code_hash(rfc_seed, 20, "123456", h3), -1);
	assert_int_equal(recovery_code_hash(rfc_seed, 20, "abcd-efgh-ijkl-mnopq", h3), -1);
	assert_int_equal(recovery_code_hash(rfc_seed, 20, "abcd-efgh-ijkl-mno1", h3), -1);
}

static void mfa_roles_setting(void **state)
{
	(void)state;
	struct config c;
	config_defaults(&c);
	assert_true(config_mfa_required(&c, "veileder"));
	assert_true(config_mfa_required(&c, "leder"));
	assert_true(config_mfa_required(&c, "analytiker"));
	assert_false(config_mfa_required(&c, "radgiver"));
	assert_false(config_mfa_required(&c, "admin"));
	assert_false(config_mfa_required(&c, "lede"));
	snprintf(c.mfa_roles, sizeof c.mfa_roles, "none");
	assert_false(config_mfa_required(&c, "veileder"));
	snprintf(c.mfa_roles, sizeof c.mfa_roles, "admin, radgiver");
	assert_true(config_mfa_required(&c, "admin"));
	assert_true(config_mfa_required(&c, "radgiver"));
	assert_false(config_mfa_required(&c, "veileder"));
}

/* ==== with a database ==== */

struct fx {
	db_t *db;
	char path[96];
	struct keyring kr;
	int64_t uid;
};

static int db_setup(void **state)
{
	static int seq;
	struct fx *f = calloc(1, sizeof *f);
	assert_non_null(f);
	char err[256];
	snprintf(f->path, sizeof f->path, "/tmp/elevlos-totp-%d-%d.db", (int)getpid(), ++seq);
	unlink(f->path);
	struct db_opts o = {.busy_timeout_ms = 1000};
	assert_int_equal(db_open(f->path, &o, &f->db, err, sizeof err), DB_OK);
	assert_int_equal(db_migrate(f->db, NULL, NULL, err, sizeof err), DB_OK);
	assert_int_equal(db_schema_version(f->db), DB_SCHEMA_VERSION);
	assert_int_equal(db_unit_add(f->db, "P-A", "Pilot A", "pilot", "02", 0, 0), DB_OK);
	assert_int_equal(db_account_add(f->db, "kari", "veileder", "P-A", "x", &f->uid), DB_OK);
	assert_int_equal(keyring_add(&f->kr), 0);
	*state = f;
	return 0;
}

static int db_teardown(void **state)
{
	struct fx *f = *state;
	db_close(f->db);
	char p[128];
	unlink(f->path);
	snprintf(p, sizeof p, "%s-wal", f->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", f->path);
	unlink(p);
	keyring_wipe(&f->kr);
	free(f);
	return 0;
}

/* Decodes the base32 the enrolment page shows, as an authenticator app does. */
static void from_base32(const char *b32, unsigned char out[20])
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned acc = 0, bits = 0, n = 0;
	for (const char *p = b32; *p; p++) {
		acc = (acc << 5) | (unsigned)(strchr(al, *p) - al);
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			assert_true(n < 20);
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	assert_int_equal(n, 20);
}

static void enrol(struct fx *f, int64_t now, unsigned char secret[20], char codes[RECOVERY_CODES][RECOVERY_TEXT])
{
	char b32[TOTP_BASE32_MAX + 1], uri[MFA_URI_MAX], c[7];
	assert_int_equal(mfa_enrol_secret(f->db, &f->kr, f->uid, "kari", now, b32, uri), MFA_OK);
	assert_int_equal(strlen(b32), 32);
	assert_non_null(strstr(uri, b32));
	from_base32(b32, secret);
	/* Shown again within the hour: the same secret (a reload of the page). */
	char b32b[TOTP_BASE32_MAX + 1];
	assert_int_equal(mfa_enrol_secret(f->db, &f->kr, f->uid, "kari", now + 60, b32b, uri), MFA_OK);
	assert_string_equal(b32, b32b);
	/* A wrong code does not confirm. */
	assert_int_equal(totp_code(secret, 20, now, 6, c), 0);
	c[0] = c[0] == '9' ? '0' : (char)(c[0] + 1);
	assert_int_equal(mfa_enrol_confirm(f->db, &f->kr, f->uid, c, now, codes), MFA_BAD);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, c, now), MFA_NONE);
	assert_int_equal(totp_code(secret, 20, now, 6, c), 0);
	assert_int_equal(mfa_enrol_confirm(f->db, &f->kr, f->uid, c, now, codes), MFA_OK);
	struct mfa_status s;
	assert_int_equal(mfa_status(f->db, f->uid, &s), MFA_OK);
	assert_true(s.enrolled);
	assert_int_equal(s.recovery_left, RECOVERY_CODES);
	/* Enrolled: no new secret is handed out. */
	assert_int_equal(mfa_enrol_secret(f->db, &f->kr, f->uid, "kari", now, b32b, uri), MFA_NONE);
}

static void secret_is_sealed_in_the_database(void **state)
{
	struct fx *f = *state;
	unsigned char secret[20];
	char codes[RECOVERY_CODES][RECOVERY_TEXT];
	enrol(f, 1700000000, secret, codes);
	struct mfa_row m;
	assert_int_equal(db_mfa_get(f->db, f->uid, &m), DB_OK);
	assert_int_equal(m.secret_n, 20 + SEAL_OVERHEAD);
	assert_null(memmem(m.secret, m.secret_n, secret, 20));
	/* Re-sealed under a new key it still works, and the old key alone no longer opens it. */
	struct keyring old = f->kr;
	assert_int_equal(keyring_add(&f->kr), 0);
	assert_int_equal(mfa_reseal_all(f->db, &f->kr), 1);
	keyring_keep_current(&f->kr);
	char c[7];
	assert_int_equal(totp_code(secret, 20, 1700000000 + 30, 6, c), 0);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, c, 1700000000 + 30), MFA_OK);
	assert_int_equal(totp_code(secret, 20, 1700000000 + 60, 6, c), 0);
	assert_int_equal(mfa_verify(f->db, &old, f->uid, c, 1700000000 + 60), MFA_ERROR);
	keyring_wipe(&old);
}

static void login_code_once_only(void **state)
{
	struct fx *f = *state;
	const int64_t t0 = 1700000000;
	unsigned char secret[20];
	char codes[RECOVERY_CODES][RECOVERY_TEXT], c[7];
	enrol(f, t0, secret, codes);
	/* The enrolment's code is used: not again, not even a step later. */
	assert_int_equal(totp_code(secret, 20, t0, 6, c), 0);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, c, t0), MFA_REPLAY);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, c, t0 + 30), MFA_REPLAY);
	/* The next step's code works once. */
	assert_int_equal(totp_code(secret, 20, t0 + 30, 6, c), 0);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, c, t0 + 30), MFA_OK);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, c, t0 + 30), MFA_REPLAY);
	/* Another connection (another thread or process) sees the used step. */
	db_t *db2;
	char err[256];
	struct db_opts o = {.busy_timeout_ms = 1000};
	assert_int_equal(db_open(f->path, &o, &db2, err, sizeof err), DB_OK);
	assert_int_equal(mfa_verify(db2, &f->kr, f->uid, c, t0 + 30), MFA_REPLAY);
	/* The store refuses an older step even when the check is raced past. */
	assert_int_equal(db_mfa_use_step(db2, f->uid, t0 / 30 + 1), DB_NOTFOUND);
	assert_int_equal(db_mfa_use_step(db2, f->uid, t0 / 30 + 2), DB_OK);
	assert_int_equal(db_mfa_use_step(f->db, f->uid, t0 / 30 + 2), DB_NOTFOUND);
	db_close(db2);
	/* A wrong code is wrong. */
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, "000000", t0 + 90) == MFA_BAD ||
				 mfa_verify(f->db, &f->kr, f->uid, "000001", t0 + 90) == MFA_BAD,
			 1);
}

static void recovery_codes_single_use(void **state)
{
	struct fx *f = *state;
	const int64_t t0 = 1700000000;
	unsigned char secret[20];
	char codes[RECOVERY_CODES][RECOVERY_TEXT], c[7];
	enrol(f, t0, secret, codes);
	for (int i = 1; i < RECOVERY_CODES; i++)
		assert_string_not_equal(codes[0], codes[i]);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, codes[3], t0 + 100), MFA_RECOVERY);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, codes[3], t0 + 200), MFA_BAD);
	struct mfa_status s;
	assert_int_equal(mfa_status(f->db, f->uid, &s), MFA_OK);
	assert_int_equal(s.recovery_left, RECOVERY_CODES - 1);
	/* Upper case with spaces is the same code. */
	char loud[RECOVERY_TEXT];
	snprintf(loud, sizeof loud, "%s", codes[4]);
	for (char *p = loud; *p; p++)
		*p = *p == '-' ? ' ' : (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, loud, t0 + 100), MFA_RECOVERY);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, codes[4], t0 + 100), MFA_BAD);
	/* New codes need a current code; the old ones stop working. */
	char fresh[RECOVERY_CODES][RECOVERY_TEXT];
	assert_int_equal(mfa_recovery_renew(f->db, &f->kr, f->uid, "000000", t0 + 300, fresh) == MFA_BAD ||
				 mfa_recovery_renew(f->db, &f->kr, f->uid, "000001", t0 + 300, fresh) == MFA_BAD,
			 1);
	assert_int_equal(totp_code(secret, 20, t0 + 300, 6, c), 0);
	assert_int_equal(mfa_recovery_renew(f->db, &f->kr, f->uid, c, t0 + 300, fresh), MFA_OK);
	assert_int_equal(mfa_recovery_renew(f->db, &f->kr, f->uid, c, t0 + 300, fresh), MFA_REPLAY);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, codes[5], t0 + 400), MFA_BAD);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, fresh[5], t0 + 400), MFA_RECOVERY);
	assert_int_equal(mfa_status(f->db, f->uid, &s), MFA_OK);
	assert_int_equal(s.recovery_left, RECOVERY_CODES - 1);
}

static void reset_and_enrol_again(void **state)
{
	struct fx *f = *state;
	const int64_t t0 = 1700000000;
	unsigned char secret[20], secret2[20];
	char codes[RECOVERY_CODES][RECOVERY_TEXT], c[7];
	enrol(f, t0, secret, codes);
	unsigned char h[32];
	assert_int_equal(db_mfa_pending_insert(f->db, (const unsigned char *)"01234567890123456789012345678901",
					       f->uid, "csrf", "/start", t0),
			 DB_OK);
	assert_int_equal(mfa_reset(f->db, f->uid), MFA_OK);
	struct mfa_status s;
	assert_int_equal(mfa_status(f->db, f->uid, &s), MFA_OK);
	assert_false(s.enrolled);
	assert_int_equal(s.recovery_left, 0);
	struct mfa_pending p;
	memcpy(h, "01234567890123456789012345678901", 32);
	assert_int_equal(db_mfa_pending_get(f->db, h, &p), DB_NOTFOUND);
	assert_int_equal(totp_code(secret, 20, t0 + 30, 6, c), 0);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, c, t0 + 30), MFA_NONE);
	assert_int_equal(mfa_verify(f->db, &f->kr, f->uid, codes[0], t0 + 30), MFA_NONE);
	/* A new enrolment has a new secret. */
	enrol(f, t0 + 60, secret2, codes);
	assert_memory_not_equal(secret, secret2, 20);
}

static void pending_logins(void **state)
{
	struct fx *f = *state;
	unsigned char h[32] = {1, 2, 3};
	struct mfa_pending p;
	assert_int_equal(db_mfa_pending_insert(f->db, h, f->uid, "tok", "/caseload", 1000), DB_OK);
	assert_int_equal(db_mfa_pending_get(f->db, h, &p), DB_OK);
	assert_int_equal(p.account_id, f->uid);
	assert_string_equal(p.csrf, "tok");
	assert_string_equal(p.next, "/caseload");
	assert_int_equal(p.created_at, 1000);
	assert_int_equal(db_mfa_pending_purge(f->db, 1000), DB_OK);
	assert_int_equal(db_mfa_pending_get(f->db, h, &p), DB_OK);
	assert_int_equal(db_mfa_pending_purge(f->db, 1001), DB_OK);
	assert_int_equal(db_mfa_pending_get(f->db, h, &p), DB_NOTFOUND);
	assert_int_equal(db_mfa_pending_insert(f->db, h, f->uid, "tok", "", 2000), DB_OK);
	assert_int_equal(db_mfa_pending_get(f->db, h, &p), DB_OK);
	assert_int_equal(db_mfa_pending_delete(f->db, p.id), DB_OK);
	assert_int_equal(db_mfa_pending_get(f->db, h, &p), DB_NOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc6238_vectors),
		cmocka_unit_test(check_accepts_now_and_one_step_either_side),
		cmocka_unit_test(check_refuses_steps_already_used),
		cmocka_unit_test(base32_and_uri),
		cmocka_unit_test(recovery_codes_format_and_hash),
		cmocka_unit_test(mfa_roles_setting),
		cmocka_unit_test_setup_teardown(secret_is_sealed_in_the_database, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(login_code_once_only, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(recovery_codes_single_use, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(reset_and_enrol_again, db_setup, db_teardown),
		cmocka_unit_test_setup_teardown(pending_logins, db_setup, db_teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
