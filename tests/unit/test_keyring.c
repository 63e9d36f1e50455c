/* src/crypto/keyring.c: key files, sealing at rest, rotation, the keyed index hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/keyring.h"

struct fx {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	snprintf(x->dir, sizeof x->dir, "/tmp/elevlos-keyring-XXXXXX");
	if (sodium_init() < 0 || !mkdtemp(x->dir))
		return -1;
	snprintf(x->path, sizeof x->path, "%s/key", x->dir);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	char tmp[160];
	unlink(x->path);
	snprintf(tmp, sizeof tmp, "%s.tmp", x->path);
	unlink(tmp);
	rmdir(x->dir);
	free(x);
	return 0;
}

/* A new key file is private (0600), loads, and is never overwritten. */
static void create_and_load(void **state)
{
	struct fx *x = *state;
	char err[256];
	struct keyring kr;
	assert_int_equal(keyring_create(x->path, err, sizeof err), 0);
	struct stat st;
	assert_int_equal(stat(x->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(keyring_create(x->path, err, sizeof err), -1);
	assert_int_equal(keyring_load(x->path, &kr, err, sizeof err), 0);
	assert_int_equal(kr.n, 1);
	assert_int_equal(kr.id[0], 1);
	keyring_wipe(&kr);
}

/* A key file others can read is refused; so is garbage. */
static void refuses_loose_or_bad_files(void **state)
{
	struct fx *x = *state;
	char err[256];
	struct keyring kr;
	assert_int_equal(keyring_create(x->path, err, sizeof err), 0);
	chmod(x->path, 0644);
	assert_int_equal(keyring_load(x->path, &kr, err, sizeof err), -1);
	assert_non_null(strstr(err, "chmod 600"));
	FILE *f = fopen(x->path, "w");
	fputs("elevlos-key 1 1 not-base64!!\n", f);
	fclose(f);
	chmod(x->path, 0600);
	assert_int_equal(keyring_load(x->path, &kr, err, sizeof err), -1);
	assert_non_null(strstr(err, "line 1"));
}

/* Sealed text opens with the right key and associated data only; any altered byte fails. */
static void seal_roundtrip_and_tamper(void **state)
{
	(void)state;
	struct keyring kr = {0};
	keyring_add(&kr);
	const char *name = "Kari Nordmann Ødegård";
	size_t n = strlen(name);
	unsigned char sealed[128];
	char out[128];
	seal(&kr, "student.name:E-1", name, n, sealed);
	assert_int_equal(seal_key_id(sealed, n + SEAL_OVERHEAD), 1);
	assert_null(memmem(sealed, n + SEAL_OVERHEAD, "Kari", 4));
	assert_int_equal(unseal(&kr, "student.name:E-1", sealed, n + SEAL_OVERHEAD, out), (long)n);
	assert_string_equal(out, name);
	assert_int_equal(unseal(&kr, "student.name:E-2", sealed, n + SEAL_OVERHEAD, out), -1);
	for (size_t i = 0; i < n + SEAL_OVERHEAD; i++) {
		sealed[i] ^= 0x01;
		assert_int_equal(unseal(&kr, "student.name:E-1", sealed, n + SEAL_OVERHEAD, out), -1);
		sealed[i] ^= 0x01;
	}
	keyring_wipe(&kr);
}

/* Rotation: old values open while the old key is kept, not after; ids grow; saved and loaded. */
static void rotation(void **state)
{
	struct fx *x = *state;
	char err[256], out[64];
	struct keyring kr = {0}, back;
	unsigned char old[64], cur[64];
	keyring_add(&kr);
	seal(&kr, "a", "old", 3, old);
	keyring_add(&kr);
	assert_int_equal(kr.n, 2);
	assert_int_equal(kr.id[1], 2);
	seal(&kr, "a", "new", 3, cur);
	assert_int_equal(seal_key_id(cur, 3 + SEAL_OVERHEAD), 2);
	assert_int_equal(unseal(&kr, "a", old, 3 + SEAL_OVERHEAD, out), 3);
	assert_int_equal(keyring_save(x->path, &kr, err, sizeof err), 0);
	assert_int_equal(keyring_load(x->path, &back, err, sizeof err), 0);
	assert_int_equal(back.n, 2);
	assert_memory_equal(back.key[1], kr.key[1], 32);
	keyring_keep_current(&kr);
	assert_int_equal(kr.n, 1);
	assert_int_equal(kr.id[0], 2);
	assert_int_equal(unseal(&kr, "a", old, 3 + SEAL_OVERHEAD, out), -1);
	assert_int_equal(unseal(&kr, "a", cur, 3 + SEAL_OVERHEAD, out), 3);
	assert_string_equal(out, "new");
	keyring_wipe(&kr);
	keyring_wipe(&back);
}

/* The index hash is stable under one key, differs between texts, and follows the oldest key. */
static void index_hash(void **state)
{
	(void)state;
	struct keyring kr = {0};
	unsigned char a[32], b[32], c[32];
	keyring_add(&kr);
	keyring_index_hash(&kr, "13097248022", a);
	keyring_index_hash(&kr, "13097248022", b);
	assert_memory_equal(a, b, 32);
	keyring_index_hash(&kr, "29029648784", c);
	assert_memory_not_equal(a, c, 32);
	/* A second key (a rotation under way) does not move the index: the oldest key keys it. */
	keyring_add(&kr);
	keyring_index_hash(&kr, "13097248022", c);
	assert_memory_equal(a, c, 32);
	/* Once only the new key is left, the index is keyed by it. */
	keyring_keep_current(&kr);
	keyring_index_hash(&kr, "13097248022", c);
	assert_memory_not_equal(a, c, 32);
	keyring_wipe(&kr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_and_load, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_loose_or_bad_files, setup, teardown),
		cmocka_unit_test_setup_teardown(seal_roundtrip_and_tamper, setup, teardown),
		cmocka_unit_test_setup_teardown(rotation, setup, teardown),
		cmocka_unit_test_setup_teardown(index_hash, setup, teardown),
	};
	return cmocka_run_group_tests_name("keyring", tests, NULL, NULL);
}
