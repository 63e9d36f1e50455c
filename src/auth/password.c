#include "password.h"

#include <errno.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sem_t slots;
static int slots_ready;
static unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
static char dummy_hash[PASSWORD_HASH_MAX];

int password_init(int max_concurrent, unsigned long long opslimit, size_t memlimit)
{
	if (sodium_init() < 0)
		return -1;
	ops = opslimit;
	mem = memlimit;
	if (!slots_ready) {
		if (sem_init(&slots, 0, (unsigned)(max_concurrent > 0 ? max_concurrent : 1)) != 0)
			return -1;
		slots_ready = 1;
	}
	/* A real hash with the current settings, so a login for an unknown user costs the same. */
	if (crypto_pwhash_str(dummy_hash, "elevlos-dummy-password", 22, ops, mem) != 0)
		return -1;
	return 0;
}

void password_shutdown(void)
{
	if (slots_ready) {
		sem_destroy(&slots);
		slots_ready = 0;
	}
}

/* Waits up to 10 s for a hashing slot: under a flood of logins we answer 503, not swap. */
static int acquire(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	while (sem_timedwait(&slots, &ts) != 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX])
{
	if (acquire() != 0)
		return PW_BUSY;
	int rc = crypto_pwhash_str(out, pw, strlen(pw), ops, mem);
	sem_post(&slots);
	return rc == 0 ? PW_OK : PW_ERROR;
}

int password_verify(const char *hash, const char *pw)
{
	if (acquire() != 0)
		return PW_BUSY;
	int rc = PW_MISMATCH;
	if (!hash || !*hash) {
		/* Unknown user: spend the same time as a real check; the answer is no either way. */
		(void)!crypto_pwhash_str_verify(dummy_hash, pw, strlen(pw));
	} else if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0) {
		rc = PW_OK;
	}
	sem_post(&slots);
	return rc;
}

int password_needs_rehash(const char *hash)
{
	/* "$argon2id$v=19$m=65536,t=2,p=1$…": weaker when memory (KiB) or passes are below ours.
	 * libsodium's own check also says yes for stronger hashes, which would downgrade them. */
	unsigned long m = 0, t = 0;
	const char *p = strstr(hash, "$m=");
	if (strncmp(hash, "$argon2id$", 10) != 0 || !p || sscanf(p, "$m=%lu,t=%lu", &m, &t) != 2)
		return 1;
	return m < mem / 1024 || t < ops;
}

/* Generated at build time from zxcvbn's frequency list (tools/gen-common-passwords.mjs): lower
 * case, sorted bytewise. */
extern const char *const common_passwords[];
extern const size_t common_passwords_count;

static int by_text(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

int password_is_common(const char *pw)
{
	char low[4 * PASSWORD_MAX_CHARS + 1];
	size_t n = strlen(pw);
	if (n >= sizeof low)
		return 0;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)(pw[i] >= 'A' && pw[i] <= 'Z' ? pw[i] - 'A' + 'a' : pw[i]);
	return bsearch(low, common_passwords, common_passwords_count, sizeof common_passwords[0], by_text) != NULL;
}

int password_policy(const char *pw, const char **why)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)pw; *p; p++)
		if ((*p & 0xc0) != 0x80)
			chars++;
	if (chars < PASSWORD_MIN_CHARS) {
		*why = "password.too_short";
		return -1;
	}
	if (chars > PASSWORD_MAX_CHARS) {
		*why = "password.too_long";
		return -1;
	}
	/* ASVS 2.1.7: none of the most common passwords, whatever its length. */
	if (password_is_common(pw)) {
		*why = "password.common";
		return -1;
	}
	return 0;
}
