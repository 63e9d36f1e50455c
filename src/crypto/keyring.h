/*
 * Encryption at rest for names, id numbers and notes. Keys live in a key file outside the
 * database: text lines "elevlos-key 1 ID BASE64KEY", the last line is the key new data is
 * sealed with; older lines stay readable until `elevlos key rotate` has re-sealed everything.
 * A sealed value is: version byte 1, key id (4 bytes, little-endian), 24-byte nonce, and the
 * XChaCha20-Poly1305 ciphertext with its tag. The associated data binds a value to its column
 * and row, so a sealed name cannot be moved to another student.
 */
#ifndef ELEVLOS_KEYRING_H
#define ELEVLOS_KEYRING_H

#include <stddef.h>
#include <stdint.h>

#define KEYRING_MAX 8
#define SEAL_OVERHEAD (1 + 4 + 24 + 16)

struct keyring {
	int n;
	uint32_t id[KEYRING_MAX];
	unsigned char key[KEYRING_MAX][32]; /* key[n-1] is current */
};

/* Creates a key file with one fresh key (mode 0600); refuses to overwrite. */
int keyring_create(const char *path, char *err, size_t errsz);
int keyring_load(const char *path, struct keyring *kr, char *err, size_t errsz);
/* Writes kr to path atomically (temporary file, fsync, rename), mode 0600. */
int keyring_save(const char *path, const struct keyring *kr, char *err, size_t errsz);
/* Adds a fresh key as the current one. */
int keyring_add(struct keyring *kr);
/* Keeps only the current key. */
void keyring_keep_current(struct keyring *kr);
void keyring_wipe(struct keyring *kr);

/* out needs n + SEAL_OVERHEAD bytes. */
void seal(const struct keyring *kr, const char *ad, const void *plain, size_t n, unsigned char *out);
/* Returns the plaintext length, or -1 when no key opens it or it was altered. out needs
 * sealed_len - SEAL_OVERHEAD + 1 bytes; a NUL is written after the text. */
long unseal(const struct keyring *kr, const char *ad, const unsigned char *sealed, size_t sealed_len,
	    char *out);
/* The id of the key a sealed value was made with (0 when malformed). */
uint32_t seal_key_id(const unsigned char *sealed, size_t sealed_len);
/* Keyed hash (BLAKE2b-256 under a subkey of the oldest key in the file) for duplicates. */
void keyring_index_hash(const struct keyring *kr, const char *text, unsigned char out[32]);

#endif
