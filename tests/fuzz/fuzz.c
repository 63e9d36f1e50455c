#include "fuzz.h"

#include <sodium.h>
#include <string.h>

#include "admin/actor.h"
#include "db/eval.h"
#include "db/sqlite_internal.h"
#include "eval/school.h"
#include "eval/udir.h"
#include "exchange/cases.h"

static db_t *g_db;
static struct keyring g_kr;
static FILE *g_sink;
static unsigned char *g_snap; /* the fixture database as built, for putting it back */
static sqlite3_int64 g_snap_size;

/* The units the seed corpora name: tests/import/gen-cases.mjs uses the same. */
static const char *const UNITS[][3] = {
	{"P-AKERSHUS", "pilot", "02"},     {"S-JESSHEIM", "school", "P-AKERSHUS"},
	{"S-SKEDSMO", "school", "P-AKERSHUS"}, {"P-STOVNER", "pilot", "03"},
	{"S-STOVNER", "school", "P-STOVNER"},
};

/* Three schools of the register (as in tests/unit/test_udir.c), one of them a pilot school. */
static const char SCHOOLS[] =
	"orgnr;navn;kommunenr;fylkesnr;enhet;pilot;pilotstart\n"
	"974568098;Bamble videregående skole;3813;;S-JESSHEIM;P-AKERSHUS;2015-16\n"
	"974567997;Bø vidaregåande skule;;08;;;\n"
	"974568012;Notodden videregående skole;0807;08;;;\n";

static const char UDIR[] = "orgnr;skoleår;utdanningsprogram;antall elever;andel sluttet\n"
			   "974568098;2015-16;yrkesfag;1 000;4,0\n"
			   "974567997;2015-16;alle;500;*\n";

/* One student, so a case file line with the same pseudonym takes the "already there" path. */
static const char CASES[] =
	"{\"format\":\"elevlos-cases\",\"version\":1}\n"
	"{\"pseudonym\":\"E-AAAAAA\",\"pilot\":\"P-AKERSHUS\",\"school\":\"S-JESSHEIM\",\"name\":\"Kari "
	"Nordmann\",\"fnr\":\"13097248022\",\"birth_year\":2001,\"gender\":\"KVINNE\",\"level\":\"VG1\","
	"\"programme\":\"YRKESFAG\",\"minority\":\"NEI\",\"living\":[{\"code\":\"HYBEL\",\"from\":"
	"\"2016-08-01\"}],\"consents\":[{\"kind\":\"REGISTRERING\",\"partner\":null,\"given_on\":"
	"\"2016-08-20\",\"given_by\":\"ELEV\",\"withdrawn_on\":null}],\"cases\":[{\"opened_on\":"
	"\"2016-08-22\",\"referral_source\":\"RADGIVER\",\"referred_on\":\"2016-08-21\","
	"\"first_contact_on\":\"2016-08-25\",\"main_reason\":\"FRAVAER\",\"reasons\":[\"OKONOMI\"],"
	"\"partners\":[\"OT\"],\"interagency\":true,\"responsibility_group\":false,\"closed_on\":null,"
	"\"close_reason\":null,\"contacts\":[{\"on_date\":\"2016-08-25\",\"kind\":\"SAMTALE\","
	"\"minutes\":30,\"followups\":[\"MOTIVASJON\"],\"note\":\"Første samtale.\",\"by\":"
	"\"veileder\"}],\"decisions\":[],\"measures\":[],\"outcomes\":[]}]}\n";

static void die(const char *what, const char *why)
{
	fprintf(stderr, "fuzz fixture: %s: %s\n", what, why);
	abort();
}

static FILE *text_stream(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	if (!f)
		die("fmemopen", "failed");
	return f;
}

static void build(void)
{
	char err[256];
	if (sodium_init() < 0)
		die("sodium_init", "failed");
	/* FUZZ_ERRORS=1 shows the importers' reports, to see how far a seed gets. */
	g_sink = getenv("FUZZ_ERRORS") ? stderr : fopen("/dev/null", "w");
	if (!g_sink)
		die("/dev/null", "cannot open");
	g_kr.n = 1;
	g_kr.id[0] = 1;
	memset(g_kr.key[0], 0x42, sizeof g_kr.key[0]);
	if (db_open(":memory:", NULL, &g_db, err, sizeof err) != DB_OK ||
	    db_migrate(g_db, NULL, NULL, err, sizeof err) != DB_OK)
		die("database", err);
	for (size_t i = 0; i < sizeof UNITS / sizeof UNITS[0]; i++)
		if (db_unit_add(g_db, UNITS[i][0], UNITS[i][0], UNITS[i][1], UNITS[i][2], 0, 0) != DB_OK)
			die("unit", UNITS[i][0]);
	/* Error reports go to stderr here: a fixture that does not load should say why. */
	struct school_report sr;
	FILE *in = text_stream(SCHOOLS);
	if (school_import(g_db, in, stderr, &sr, err, sizeof err) != 0 || sr.added != 3)
		die("schools", err);
	fclose(in);
	struct udir_report ur;
	in = text_stream(UDIR);
	if (udir_import(g_db, in, stderr, NULL, &ur, err, sizeof err) != 0 || ur.added != 2)
		die("udir", err);
	fclose(in);
	struct import_report cr;
	in = text_stream(CASES);
	if (cases_import(g_db, &g_kr, &actor_cli, in, stderr, NULL, 0, 0, &cr) != 0 || cr.imported != 1)
		die("cases", "the fixture student was not imported");
	fclose(in);
	g_snap = sqlite3_serialize(dbi_handle(g_db), "main", &g_snap_size, 0);
	if (!g_snap)
		die("sqlite3_serialize", "failed");
}

db_t *fuzz_db(void)
{
	if (!g_db)
		build();
	return g_db;
}

const struct keyring *fuzz_keyring(void)
{
	fuzz_db();
	return &g_kr;
}

FILE *fuzz_sink(void)
{
	fuzz_db();
	return g_sink;
}

long long fuzz_db_changes(void)
{
	return sqlite3_total_changes64(dbi_handle(fuzz_db()));
}

void fuzz_db_after(int committed)
{
	/* An importer ends its own transaction, whatever the input. */
	FUZZ_CHECK(!db_in_tx(g_db));
	if (!committed)
		return;
	unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)g_snap_size);
	if (!copy)
		die("sqlite3_malloc64", "out of memory");
	memcpy(copy, g_snap, (size_t)g_snap_size);
	if (sqlite3_deserialize(dbi_handle(g_db), "main", copy, g_snap_size, g_snap_size,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK)
		die("sqlite3_deserialize", db_errmsg(g_db));
}

FILE *fuzz_stream(const uint8_t *data, size_t size)
{
	/* fmemopen refuses a zero size on some C libraries: an empty file is /dev/null. */
	FILE *f = size ? fmemopen((void *)(uintptr_t)data, size, "r") : fopen("/dev/null", "r");
	if (!f)
		die("fuzz_stream", "cannot open the input as a stream");
	return f;
}

char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static int printable(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);
	if (n == cap)
		return 0; /* not NUL-terminated */
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

void fuzz_check_form(int rc, const struct form *f, const struct form_error *err, keyset_t allowed)
{
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		for (int k = 0; k < KEY__MAX; k++) {
			if (!f->v[k])
				continue;
			const struct keydef *d = &form_keys[k];
			FUZZ_CHECK(allowed & K(k));
			FUZZ_CHECK(f->n[k] >= 1 && f->n[k] <= d->maxlen);
			FUZZ_CHECK(strlen(f->v[k]) == f->n[k]);
			FUZZ_CHECK(utf8_valid_text(f->v[k], f->n[k]));
			FUZZ_CHECK(d->valid(f->v[k], f->n[k]));
		}
		return;
	}
	FUZZ_CHECK(err->code != FORM_OK);
	/* Safe to show and to log: printable ASCII, never a value. */
	FUZZ_CHECK(printable(err->msg, sizeof err->msg));
	FUZZ_CHECK(printable(err->field, sizeof err->field));
	FUZZ_CHECK(err->key <= KEY__MAX);
	if (err->key < KEY__MAX)
		FUZZ_CHECK(strcmp(err->field, form_keys[err->key].name) == 0);
	/* A message that names a field names the one err->field says ('name' or '(unprintable)'). */
	const char *q1 = strchr(err->msg, '\'');
	if (q1) {
		const char *q2 = strchr(q1 + 1, '\'');
		FUZZ_CHECK(q2);
		FUZZ_CHECK((size_t)(q2 - q1 - 1) == strlen(err->field) &&
			   memcmp(q1 + 1, err->field, strlen(err->field)) == 0);
	}
	if (err->code == FORM_TOO_LONG)
		FUZZ_CHECK(err->key < KEY__MAX && err->maxlen == form_keys[err->key].maxlen);
}
