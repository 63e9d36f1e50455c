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

int demo_create(db_t *db, FILE *out)
{
	int64_t n = 0;
	struct unit probe;
	if (db_unit_get(db, "P-AKERSHUS", &probe) == DB_OK) {
		fprintf(out, "the demo units are already there; nothing to do\n");
		return 1;
	}
	(void)n;
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
	return 0;
}
