#include "keyring.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void keyring_wipe(struct keyring *kr)
{
	sodium_memzero(kr, sizeof *kr);
}

int keyring_add(struct keyring *kr)
{
	if (kr->n >= KEYRING_MAX)
		return -1;
	uint32_t next = 1;
	for (int i = 0; i < kr->n; i++)
		if (kr->id[i] >= next)
			next = kr->id[i] + 1;
	kr->id[kr->n] = next;
	crypto_aead_xchacha20poly1305_ietf_keygen(kr->key[kr->n]);
	kr->n++;
	return 0;
}

void keyring_keep_current(struct keyring *kr)
{
	if (kr->n <= 1)
		return;
	kr->id[0] = kr->id[kr->n - 1];
	memcpy(kr->key[0], kr->key[kr->n - 1], 32);
	sodium_memzero(kr->key[1], sizeof kr->key[0] * (KEYRING_MAX - 1));
	kr->n = 1;
}

int keyring_save(const char *path, const struct keyring *kr, char *err, size_t errsz)
{
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errsz, "cannot write key file %s: %s", tmp, strerror(errno));
		return -1;
	}
	int ok = 1;
	for (int i = 0; i < kr->n && ok; i++) {
		char b64[64], line[128];
		sodium_bin2base64(b64, sizeof b64, kr->key[i], 32, sodium_base64_VARIANT_ORIGINAL);
		int n = snprintf(line, sizeof line, "elevlos-key 1 %u %s\n", kr->id[i], b64);
		ok = write(fd, line, (size_t)n) == n;
		sodium_memzero(b64, sizeof b64);
		sodium_memzero(line, sizeof line);
	}
	ok = ok && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(err, errsz, "cannot write key file %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

int keyring_create(const char *path, char *err, size_t errsz)
{
	struct stat st;
	if (stat(path, &st) == 0) {
		snprintf(err, errsz, "key file %s exists; not overwriting it", path);
		return -1;
	}
	struct keyring kr = {0};
	keyring_add(&kr);
	int rc = keyring_save(path, &kr, err, errsz);
	keyring_wipe(&kr);
	return rc;
}

int keyring_load(const char *path, struct keyring *kr, char *err, size_t errsz)
{
	memset(kr, 0, sizeof *kr);
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, errsz, "cannot read key file %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077)) {
		snprintf(err, errsz, "key file %s is readable by others; chmod 600 it", path);
		fclose(f);
		return -1;
	}
	char line[256];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		unsigned id;
		char b64[128];
		size_t len = 0;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (kr->n >= KEYRING_MAX || sscanf(line, "elevlos-key 1 %u %127s", &id, b64) != 2 ||
		    sodium_base642bin(kr->key[kr->n], 32, b64, strlen(b64), NULL, &len, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0 ||
		    len != 32 || id == 0) {
			snprintf(err, errsz, "key file %s line %d is not an elevlos key", path, lineno);
			rc = -1;
			sodium_memzero(b64, sizeof b64);
			break;
		}
		kr->id[kr->n++] = id;
		sodium_memzero(b64, sizeof b64);
	}
	sodium_memzero(line, sizeof line);
	fclose(f);
	if (rc == 0 && kr->n == 0) {
		snprintf(err, errsz, "key file %s holds no key", path);
		rc = -1;
	}
	if (rc != 0)
		keyring_wipe(kr);
	return rc;
}

static void put_id(unsigned char *p, uint32_t id)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(id >> (8 * i));
}

uint32_t seal_key_id(const unsigned char *sealed, size_t sealed_len)
{
	if (sealed_len < SEAL_OVERHEAD || sealed[0] != 1)
		return 0;
	return (uint32_t)sealed[1] | (uint32_t)sealed[2] << 8 | (uint32_t)sealed[3] << 16 |
	       (uint32_t)sealed[4] << 24;
}

void seal(const struct keyring *kr, const char *ad, const void *plain, size_t n, unsigned char *out)
{
	int cur = kr->n - 1;
	out[0] = 1;
	put_id(out + 1, kr->id[cur]);
	unsigned char *nonce = out + 5;
	randombytes_buf(nonce, 24);
	unsigned long long clen;
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + 29, &clen, plain, n,
						   (const unsigned char *)ad, strlen(ad), NULL,
						   nonce, kr->key[cur]);
}

long unseal(const struct keyring *kr, const char *ad, const unsigned char *sealed, size_t sealed_len,
	    char *out)
{
	uint32_t id = seal_key_id(sealed, sealed_len);
	for (int i = 0; id && i < kr->n; i++) {
		if (kr->id[i] != id)
			continue;
		unsigned long long plen;
		if (crypto_aead_xchacha20poly1305_ietf_decrypt(
			    (unsigned char *)out, &plen, NULL, sealed + 29, sealed_len - 29,
			    (const unsigned char *)ad, strlen(ad), sealed + 5, kr->key[i]) != 0)
			return -1;
		out[plen] = '\0';
		return (long)plen;
	}
	return -1;
}

void keyring_index_hash(const struct keyring *kr, const char *text, unsigned char out[32])
{
	unsigned char sub[32];
	/* The oldest key in the file: during a rotation (two keys) new registrations keep being
	 * compared under the key the stored hashes were made with; rotation moves them all. */
	crypto_kdf_derive_from_key(sub, sizeof sub, 1, "elvindex", kr->key[0]);
	crypto_generichash(out, 32, (const unsigned char *)text, strlen(text), sub, sizeof sub);
	sodium_memzero(sub, sizeof sub);
}
