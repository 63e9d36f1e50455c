/* elevlos key rotate: a new key for names, id numbers and notes; everything re-sealed. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../admin/actor.h"
#include "../auth/mfa.h"
#include "../crypto/keyring.h"
#include "../db/record.h"
#include "cli.h"

struct reseal {
	db_t *db;
	const struct keyring *kr;
	const struct keyring *fresh; /* only the new key: the duplicate index moves to it */
	long students, notes, referrals, mfa;
	int failed;    /* a value no key opens */
	int db_failed; /* the database refused a write */
};

static void reopen(const struct keyring *kr, const char *ad, const unsigned char *b, size_t n,
		   unsigned char *out, size_t *out_n, int *failed)
{
	char plain[4200];
	*out_n = 0;
	if (!n)
		return;
	long len = unseal(kr, ad, b, n, plain);
	if (len < 0) {
		*failed = 1;
		return;
	}
	seal(kr, ad, plain, (size_t)len, out);
	*out_n = (size_t)len + SEAL_OVERHEAD;
	sodium_memzero(plain, sizeof plain);
}

static int student_cb(const struct student_row *s, void *ctx)
{
	struct reseal *x = ctx;
	struct sealed name, fnr;
	char ad[64], plain[64];
	snprintf(ad, sizeof ad, "student.name:%s", s->pseudonym);
	reopen(x->kr, ad, s->name.b, s->name.n, name.b, &name.n, &x->failed);
	snprintf(ad, sizeof ad, "student.fnr:%s", s->pseudonym);
	reopen(x->kr, ad, s->fnr.b, s->fnr.n, fnr.b, &fnr.n, &x->failed);
	unsigned char hash[32] = {0};
	int has_hash = 0;
	/* The duplicate index is keyed by the current key: compute it anew. */
	if (fnr.n && unseal(x->kr, ad, fnr.b, fnr.n, plain) >= 0) {
		keyring_index_hash(x->fresh, plain, hash);
		has_hash = 1;
	}
	sodium_memzero(plain, sizeof plain);
	if (x->failed)
		return 1;
	if (db_student_reseal(x->db, s->id, &name, &fnr, has_hash ? hash : NULL) != DB_OK) {
		x->db_failed = 1;
		return 1;
	}
	x->students++;
	return 0;
}

static int contact_cb(const struct contact_row *c, void *ctx)
{
	struct reseal *x = ctx;
	static unsigned char out[NOTE_SEALED_MAX];
	size_t n;
	char ad[64];
	snprintf(ad, sizeof ad, "contact.note:%lld", (long long)c->id);
	reopen(x->kr, ad, c->note, c->note_n, out, &n, &x->failed);
	if (x->failed)
		return 1;
	if (db_contact_reseal(x->db, c->id, out, n) != DB_OK) {
		x->db_failed = 1;
		return 1;
	}
	x->notes++;
	return 0;
}

static int referral_cb(const struct referral_row *r, void *ctx)
{
	struct reseal *x = ctx;
	struct sealed name;
	char ad[64];
	snprintf(ad, sizeof ad, "referral.name:%lld", (long long)r->id);
	reopen(x->kr, ad, r->name.b, r->name.n, name.b, &name.n, &x->failed);
	if (x->failed)
		return 1;
	if (db_referral_reseal(x->db, r->id, &name) != DB_OK) {
		x->db_failed = 1;
		return 1;
	}
	x->referrals++;
	return 0;
}

int cmd_key(int argc, char **argv)
{
	static const char help[] =
		"usage: elevlos key rotate --db PATH [--key-file FILE]\n\n"
		"Adds a new key to the key file, re-seals every name, id number, note and\n"
		"two-factor secret under it\n"
		"in one transaction, empties the write-ahead log, and then drops the old key.\n"
		"Stop 'elevlos serve' first: it keeps the key file it started with. Interrupted,\n"
		"it is safe to run again.\n";
	struct args a;
	struct config c;
	int s = cli_setup(argc, argv, NULL, help, &a, &c);
	if (s)
		return s < 0 ? 2 : 0;
	if (args_unused(&a))
		return cli_fail("key: unknown option --%s", args_unused(&a));
	if (a.npos != 1 || strcmp(a.pos[0], "rotate") != 0)
		return cli_fail("key: say 'rotate' (see --help)");
	char path[600], err[700] = "";
	config_key_path(&c, path, sizeof path);
	struct keyring kr;
	if (cli_load_keyring(&c, &kr) < 0)
		return 2;
	db_t *db;
	if (cli_open_db(&c, &db) < 0) {
		keyring_wipe(&kr);
		return 2;
	}
	int rc = 0;
	struct keyring before = kr, fresh = {0};
	/* 1: the new key joins the file, so whatever happens next stays readable. */
	if (keyring_add(&kr) != 0 || keyring_save(path, &kr, err, sizeof err) != 0) {
		rc = cli_fail("%s", err[0] ? err : "too many keys in the key file; rotate finished runs first");
		goto out;
	}
	/* 2: everything re-sealed under it, all or nothing. */
	fresh = kr;
	keyring_keep_current(&fresh);
	struct reseal x = {.db = db, .kr = &kr, .fresh = &fresh};
	if (db_begin(db) != DB_OK || db_student_all(db, student_cb, &x) != DB_OK || x.failed || x.db_failed ||
	    db_contact_all_notes(db, contact_cb, &x) != DB_OK || x.failed || x.db_failed ||
	    db_referral_all(db, referral_cb, &x) != DB_OK || x.failed || x.db_failed ||
	    (x.mfa = mfa_reseal_all(db, &kr)) < 0 ||
	    actor_audit(db, &actor_cli, "key_rotate", "keyring", "key rotation") != DB_OK ||
	    db_commit(db) != DB_OK) {
		db_rollback(db);
		/* Put the key file back as it was: a failed run must not pile up keys. */
		char err2[700];
		if (keyring_save(path, &before, err2, sizeof err2) != 0)
			fprintf(stderr, "elevlos: %s\n", err2);
		rc = cli_fail("re-sealing failed (%s); nothing changed, the old key still works",
			      x.failed ? "a value no key in the file opens" : db_errmsg(db));
		goto out;
	}
	/* 3: old ciphertext out of the WAL, then the old key out of the file. */
	if (db_checkpoint(db) != DB_OK)
		fprintf(stderr, "elevlos: warning: the write-ahead log could not be emptied now; "
				"it will be at the next checkpoint\n");
	keyring_keep_current(&kr);
	if (keyring_save(path, &kr, err, sizeof err) != 0) {
		rc = cli_fail("%s", err);
		goto out;
	}
	printf("key rotated to id %u: %ld students, %ld notes, %ld referrals, %ld two-factor secrets re-sealed\n",
	       kr.id[0], x.students, x.notes, x.referrals, x.mfa);
out:
	keyring_wipe(&kr);
	keyring_wipe(&before);
	keyring_wipe(&fresh);
	db_close(db);
	return rc;
}
