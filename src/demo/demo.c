/*
 * The demo database: the trial's pilots and schools as named in its final report, and one
 * user per role. Units of pilots whose school the report does not name say so in their name.
 */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include "../admin/account.h"
#include "../admin/unit.h"
#include "../auth/token.h"
#include "../i18n/i18n.h"
#include "../registration/registration.h"
#include <stdlib.h>
#include <time.h>

struct demo_unit {
	const char *code, *name, *kind, *parent;
};

static const struct demo_unit units[] = {
	/* 2013: Akershus, Oslo, Rogaland, Vest-Agder, Troms */
	{"P-AKERSHUS", "Pilot Akershus (Jessheim og Skedsmo)", "pilot", "02"},
	{"S-JESSHEIM", "Jessheim videregående skole", "school", "P-AKERSHUS"},
	{"S-SKEDSMO", "Skedsmo videregående skole", "school", "P-AKERSHUS"},
	{"N-ULLENSAKER", "NAV Ullensaker", "nav_office", "P-AKERSHUS"},
	{"N-SKEDSMO", "NAV Skedsmo", "nav_office", "P-AKERSHUS"},
	{"P-STOVNER", "Pilot Oslo – Stovner", "pilot", "03"},
	{"S-STOVNER", "Stovner videregående skole", "school", "P-STOVNER"},
	{"N-STOVNER", "NAV Stovner", "nav_office", "P-STOVNER"},
	{"P-ALNA", "Pilot Oslo – Hellerud og Alna", "pilot", "03"},
	{"S-HELLERUD", "Hellerud videregående skole", "school", "P-ALNA"},
	{"S-ALNA", "Alna videregående skole", "school", "P-ALNA"},
	{"N-ALNA", "NAV Alna", "nav_office", "P-ALNA"},
	{"P-GODALEN", "Pilot Rogaland – Godalen", "pilot", "11"},
	{"S-GODALEN", "Godalen videregående skole", "school", "P-GODALEN"},
	{"N-STAVANGER", "NAV Stavanger", "nav_office", "P-GODALEN"},
	{"P-KRISTIANSAND", "Pilot Vest-Agder – Tangen og Kvadraturen", "pilot", "10"},
	{"S-TANGEN", "Tangen videregående skole", "school", "P-KRISTIANSAND"},
	{"S-KVADRATUREN", "Kvadraturen skolesenter", "school", "P-KRISTIANSAND"},
	{"N-KRISTIANSAND", "NAV Kristiansand", "nav_office", "P-KRISTIANSAND"},
	{"P-VENNESLA", "Pilot Vest-Agder – Vennesla", "pilot", "10"},
	{"S-VENNESLA", "Vennesla videregående skole", "school", "P-VENNESLA"},
	{"N-VENNESLA", "NAV Vennesla", "nav_office", "P-VENNESLA"},
	{"P-BREIVIKA", "Pilot Troms – Breivika", "pilot", "19"},
	{"S-BREIVIKA", "Breivika videregående skole", "school", "P-BREIVIKA"},
	{"N-TROMSO", "NAV Tromsø", "nav_office", "P-BREIVIKA"},
	/* 2015 extension: named schools */
	{"P-ALTA", "Pilot Finnmark – Alta", "pilot", "20"},
	{"S-ALTA", "Alta videregående skole", "school", "P-ALTA"},
	{"N-ALTA", "NAV Alta", "nav_office", "P-ALTA"},
	{"P-HAMMERFEST", "Pilot Finnmark – Hammerfest", "pilot", "20"},
	{"S-HAMMERFEST", "Hammerfest videregående skole", "school", "P-HAMMERFEST"},
	{"N-HAMMERFEST", "NAV Hammerfest", "nav_office", "P-HAMMERFEST"},
	{"P-KAUTOKEINO", "Pilot Finnmark – Kautokeino", "pilot", "20"},
	{"S-KAUTOKEINO", "Kautokeino videregående skole", "school", "P-KAUTOKEINO"},
	{"N-KAUTOKEINO", "NAV Kautokeino", "nav_office", "P-KAUTOKEINO"},
	{"P-ARSTAD", "Pilot Hordaland – Årstad", "pilot", "12"},
	{"S-ARSTAD", "Årstad videregående skole", "school", "P-ARSTAD"},
	{"N-ARSTAD", "NAV Årstad", "nav_office", "P-ARSTAD"},
	{"P-FAERDER", "Pilot Vestfold – Færder", "pilot", "07"},
	{"S-FAERDER", "Færder videregående skole", "school", "P-FAERDER"},
	{"N-TONSBERG", "NAV Tønsberg", "nav_office", "P-FAERDER"},
	/* 2015 extension: counties whose pilot school the report does not name */
	{"P-NORDLAND", "Pilot Nordland (skole ikke navngitt i rapporten)", "pilot", "18"},
	{"P-NTROENDELAG", "Pilot Nord-Trøndelag (skole ikke navngitt i rapporten)", "pilot", "17"},
	{"P-STROENDELAG", "Pilot Sør-Trøndelag (skole ikke navngitt i rapporten)", "pilot", "16"},
	{"P-MOREROMSDAL", "Pilot Møre og Romsdal (skole ikke navngitt i rapporten)", "pilot", "15"},
	{"P-SOGNFJORDANE", "Pilot Sogn og Fjordane (skole ikke navngitt i rapporten)", "pilot", "14"},
	{"P-AUSTAGDER", "Pilot Aust-Agder (skole ikke navngitt i rapporten)", "pilot", "09"},
	{"P-TELEMARK", "Pilot Telemark (skole ikke navngitt i rapporten)", "pilot", "08"},
	{"P-BUSKERUD", "Pilot Buskerud (skole ikke navngitt i rapporten)", "pilot", "06"},
	{"P-OPPLAND", "Pilot Oppland (skole ikke navngitt i rapporten)", "pilot", "05"},
	{"P-HEDMARK", "Pilot Hedmark (skole ikke navngitt i rapporten)", "pilot", "04"},
	{"P-OSTFOLD", "Pilot Østfold (skole ikke navngitt i rapporten)", "pilot", "01"},
};

static const struct {
	const char *username, *role, *unit;
} users[] = {
	{"veileder", "veileder", "P-AKERSHUS"},
	{"veileder.oslo", "veileder", "P-STOVNER"},
	{"radgiver", "radgiver", "S-JESSHEIM"},
	{"leder", "leder", "P-AKERSHUS"},
	{"analytiker", "analytiker", "NO"},
	{"admin", "admin", "NO"},
};

/* A small deterministic generator: the same demo every time, apart from the passwords. */
static unsigned long demo_seed = 20140801;
static int pick(int n)
{
	demo_seed = demo_seed * 6364136223846793005UL + 1442695040888963407UL;
	return (int)((demo_seed >> 33) % (unsigned long)n);
}

static void day_before(int days, char out[11])
{
	time_t t = time(NULL) - (time_t)days * 86400;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Synthetic students in two pilots, with cases, contacts, decisions and measures spread over
 * the last months, so the caseload has someone not seen for a while and the statistics have
 * something to count. Every name says "Syntetisk". */
static int demo_students(db_t *db, const struct keyring *kr)
{
	static const char *const pilots[][3] = {{"P-AKERSHUS", "S-JESSHEIM", "S-SKEDSMO"},
						{"P-STOVNER", "S-STOVNER", "S-STOVNER"}};
	static const char *const first[] = {"Ada", "Emil", "Nora", "Jonas", "Sara", "Ali",
					    "Ingrid", "Mats", "Amina", "Tobias", "Leah", "Sander"};
	static const char *const reasons[] = {"OKONOMI", "OKONOMI", "BOSITUASJON", "HJEMMESITUASJON",
					      "PSYKISK_HELSE", "FRAVAER", "ARBEID", "UTDANNINGSVALG"};
	static const char *const sources[] = {"ELEV", "RADGIVER", "RADGIVER", "KONTAKTLAERER", "OT",
					      "HELSESYKEPLEIER", "FORESATT"};
	static const char *const levels[] = {"VG1", "VG2", "VG3", "PABYGG"};
	static const char *const living[] = {"HOS_FORELDRE", "EN_FORELDER", "HYBEL", "ALENE"};
	static const char *const kinds[] = {"SAMTALE", "SAMTALE", "TELEFON", "DIGITAL", "NETTVERKSMOTE"};
	static const char *const followups[] = {"MOTIVASJON", "OKONOMISK_RADGIVNING", "BO_HJEM", "UTDANNING"};
	int count = 0;
	if (db_begin(db) != DB_OK)
		return -1;
	for (int p = 0; p < 2; p++) {
		struct unit pilot;
		if (db_unit_get(db, pilots[p][0], &pilot) != DB_OK)
			goto fail;
		struct actor who = {"demo", "veileder", pilots[p][0], pilot.path, 0};
		struct reg g;
		reg_init(&g, db, kr, &who, 0, 16, 0);
		for (int i = 0; i < 20; i++) {
			char name[64], by[8], consent[11], opened[11], referred[11], day[11], pseudonym[16];
			int age = 300 + pick(200); /* days since the consent */
			snprintf(name, sizeof name, "Syntetisk %s %02d", first[pick(12)], p * 20 + i + 1);
			snprintf(by, sizeof by, "%d", 2004 + pick(5));
			day_before(age, consent);
			struct form f;
			memset(&f, 0, sizeof f);
			f.v[KEY_STUDENT_NAME] = name;
			f.v[KEY_BIRTH_YEAR] = by;
			f.v[KEY_GENDER] = pick(2) ? "KVINNE" : "MANN";
			f.v[KEY_LEVEL] = levels[pick(4)];
			f.v[KEY_PROGRAMME] = pick(3) ? "YRKESFAG" : "STUDIEFORBEREDENDE";
			f.v[KEY_MINORITY] = pick(4) ? "NEI" : "JA";
			f.v[KEY_SCHOOL] = pilots[p][1 + pick(2)];
			f.v[KEY_LIVING] = living[pick(4)];
			f.v[KEY_CONSENT_ON] = consent;
			f.v[KEY_CONSENT_BY] = "FORESATT";
			if (student_register(&g, &f, pseudonym).status >= 400)
				goto fail;
			struct student_row s;
			if (db_student_get(db, pseudonym, &s) != DB_OK)
				goto fail;
			int open_age = age - pick(30);
			day_before(open_age + 3 + pick(10), referred);
			day_before(open_age, opened);
			memset(&f, 0, sizeof f);
			f.v[KEY_OPENED_ON] = opened;
			f.v[KEY_REFERRED_ON] = referred;
			f.v[KEY_REFERRAL_SOURCE] = sources[pick(7)];
			f.v[KEY_MAIN_REASON] = reasons[pick(8)];
			f.v[KEY_INTERAGENCY] = pick(2) ? "1" : "0";
			int64_t sak_id;
			if (sak_open(&g, &s, &f, &sak_id).status >= 400)
				goto fail;
			struct sak_row k;
			/* Contacts every few weeks; some students not seen for a month or more. */
			int last = pick(4) == 0 ? 25 + pick(40) : pick(12);
			for (int c = open_age - 2; c > last; c -= 14 + pick(30)) {
				if (db_sak_get(db, sak_id, &k) != DB_OK)
					goto fail;
				day_before(c, day);
				char minutes[8];
				snprintf(minutes, sizeof minutes, "%d", 15 + 15 * pick(4));
				memset(&f, 0, sizeof f);
				f.v[KEY_ON_DATE] = day;
				f.v[KEY_CONTACT_KIND] = kinds[pick(5)];
				f.v[KEY_MINUTES] = minutes;
				f.v[KEY_FOLLOWUPS] = followups[pick(4)];
				f.v[KEY_NOTE] = "Syntetisk notat: samtale om skole og økonomi.";
				if (contact_add(&g, &k, &f, NULL).status >= 400)
					goto fail;
			}
			if (db_sak_get(db, sak_id, &k) != DB_OK)
				goto fail;
			if (pick(3) == 0) {
				day_before(open_age - 5, day);
				memset(&f, 0, sizeof f);
				f.v[KEY_DECISION] = pick(2) ? "SOSTJL_18" : "SOSTJL_19";
				f.v[KEY_GRANTED] = "1";
				f.v[KEY_ON_DATE] = day;
				f.v[KEY_DURATION] = pick(2) ? "KORTTID" : "LANGTID";
				if (decision_add(&g, &k, &f, NULL).status >= 400)
					goto fail;
			}
			if (pick(3) == 0) {
				day_before(open_age - 10, day);
				memset(&f, 0, sizeof f);
				f.v[KEY_SIDE] = pick(2) ? "nav" : "school";
				f.v[KEY_MEASURE] = !strcmp(f.v[KEY_SIDE], "nav") ? "SOMMERJOBB" : "TILRETTELAGT";
				f.v[KEY_START_ON] = day;
				if (measure_add(&g, &k, &f, NULL).status >= 400)
					goto fail;
			}
			count++;
		}
	}
	if (db_commit(db) != DB_OK)
		goto fail;
	return count;
fail:
	fprintf(stderr, "elevlos: demo students: %s\n", db_errmsg(db));
	db_rollback(db);
	return -1;
}

int demo_create(db_t *db, const struct keyring *kr, FILE *out)
{
	struct unit probe;
	if (db_unit_get(db, "P-AKERSHUS", &probe) == DB_OK) {
		fprintf(out, "the demo units are already there; nothing to do\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		struct outcome o = unit_create(db, &actor_cli, units[i].code, units[i].name,
					       units[i].kind, units[i].parent);
		if (o.status >= 400) {
			fprintf(stderr, "elevlos: demo unit %s: %s\n", units[i].code, T("en", o.msg));
			return -1;
		}
	}
	fprintf(out, "Demo logins (synthetic accounts; the passwords are new for every demo database):\n");
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		char pw[32];
		token_random(pw, sizeof pw, 12); /* 16 characters */
		struct outcome o = account_create(db, &actor_cli, users[i].username, users[i].role,
						  users[i].unit, pw);
		if (o.status >= 400) {
			fprintf(stderr, "elevlos: demo user %s: %s\n", users[i].username, T("en", o.msg));
			return -1;
		}
		fprintf(out, "  %-14s %-11s %-12s password: %s\n", users[i].username, users[i].role,
			users[i].unit, pw);
	}
	int n = demo_students(db, kr);
	if (n < 0)
		return -1;
	fprintf(out, "%d synthetic students with cases (names start with 'Syntetisk')\n", n);
	return 0;
}
