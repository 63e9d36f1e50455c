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
#include "../db/eval.h"
#include "../db/pilot.h"
#include "../eval/school.h"
#include "../i18n/format.h"
#include "../i18n/i18n.h"
#include "../pilot/grant.h"
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
	{"leder.styring", "leder", "P-AKERSHUS"},
	{"analytiker", "analytiker", "NO"},
	{"analytiker.udir", "analytiker", "NO"},
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
		struct actor who = {"demo", "veileder", pilots[p][0], pilot.path, 0, 0};
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

/*
 * Synthetic Udir-style dropout figures (docs/udir.md): the trial's 28 pilot schools around the
 * figures quoted in its report, and 400 never-piloted comparison schools, vocational and general
 * programmes, 2010/11–2021/22. Deterministic; shares are kept in tenths of a percent.
 */
#define UD_FIRST 2010
#define UD_YEARS 12
#define UD_PILOTS 28
#define UD_CONTROLS 400
#define UD_SCHOOLS (UD_PILOTS + UD_CONTROLS)

struct ud_pilot {
	const char *unit, *name, *pilot, *muni, *county;
	int start;
	char trend; /* 2016/17 → 2017/18: 'f' fell, 'r' rose, 'u' unchanged, 's' suppressed */
};

static const struct ud_pilot ud_pilots[UD_PILOTS] = {
	{"S-JESSHEIM", NULL, "P-AKERSHUS", "3209", "", 2013, 'f'},
	{"S-SKEDSMO", NULL, "P-AKERSHUS", "3205", "", 2013, 'r'},
	{"S-STOVNER", NULL, "P-STOVNER", "0301", "", 2013, 'f'},
	{"S-GODALEN", NULL, "P-GODALEN", "1103", "", 2013, 'r'},
	{"S-HELLERUD", NULL, "P-ALNA", "0301", "", 2014, 'f'},
	{"S-ALNA", NULL, "P-ALNA", "0301", "", 2014, 'u'},
	{"S-TANGEN", NULL, "P-KRISTIANSAND", "4204", "", 2014, 'f'},
	{"S-KVADRATUREN", NULL, "P-KRISTIANSAND", "4204", "", 2014, 'r'},
	{"S-VENNESLA", NULL, "P-VENNESLA", "4223", "", 2014, 'u'},
	{"S-BREIVIKA", NULL, "P-BREIVIKA", "5501", "", 2014, 'f'},
	{"S-ALTA", NULL, "P-ALTA", "5601", "", 2015, 'f'},
	{"S-HAMMERFEST", NULL, "P-HAMMERFEST", "5603", "", 2015, 'r'},
	{"S-KAUTOKEINO", NULL, "P-KAUTOKEINO", "5612", "", 2015, 's'},
	{"S-ARSTAD", NULL, "P-ARSTAD", "4601", "", 2015, 'f'},
	{"S-FAERDER", NULL, "P-FAERDER", "3905", "", 2015, 'f'},
	{NULL, "Syntetisk pilotskole Nordland", "P-NORDLAND", "", "18", 2015, 'u'},
	{NULL, "Syntetisk pilotskole Nord-Trøndelag", "P-NTROENDELAG", "", "17", 2015, 'u'},
	{NULL, "Syntetisk pilotskole Sør-Trøndelag", "P-STROENDELAG", "", "16", 2015, 'u'},
	{NULL, "Syntetisk pilotskole Møre og Romsdal", "P-MOREROMSDAL", "", "15", 2015, 'u'},
	{NULL, "Syntetisk pilotskole Sogn og Fjordane", "P-SOGNFJORDANE", "", "14", 2015, 's'},
	{NULL, "Syntetisk pilotskole Aust-Agder", "P-AUSTAGDER", "", "09", 2015, 's'},
	{NULL, "Syntetisk pilotskole Telemark", "P-TELEMARK", "", "08", 2015, 's'},
	{NULL, "Syntetisk pilotskole Buskerud", "P-BUSKERUD", "", "06", 2016, 's'},
	{NULL, "Syntetisk pilotskole Oppland", "P-OPPLAND", "", "05", 2016, 's'},
	{NULL, "Syntetisk pilotskole Hedmark", "P-HEDMARK", "", "04", 2016, 's'},
	{NULL, "Syntetisk pilotskole Østfold", "P-OSTFOLD", "", "01", 2016, 's'},
	{NULL, "Syntetisk pilotskole Nordland 2", "P-NORDLAND", "", "18", 2015, 's'},
	{NULL, "Syntetisk pilotskole Sør-Trøndelag 2", "P-STROENDELAG", "", "16", 2015, 's'},
};

/* The trial report's figures (vocational, tenths of a percent); Akershus's pilot figures are
 * Jessheim and Skedsmo with equal numbers of students in those years. */
static const struct {
	const char *unit;
	int year, tenths;
} ud_fixed[] = {
	{"S-ALTA", 2016, 93},     {"S-ALTA", 2017, 63},     {"S-HELLERUD", 2016, 241},
	{"S-HELLERUD", 2017, 196}, {"S-STOVNER", 2016, 129}, {"S-STOVNER", 2017, 103},
	{"S-JESSHEIM", 2015, 104}, {"S-JESSHEIM", 2016, 96}, {"S-JESSHEIM", 2017, 87},
	{"S-GODALEN", 2016, 84},  {"S-GODALEN", 2017, 88},  {"S-JESSHEIM", 2014, 59},
	{"S-SKEDSMO", 2014, 49},  {"S-SKEDSMO", 2016, 75},  {"S-SKEDSMO", 2017, 79},
};

/* National trends, tenths of a percent: vocational 6.4 and 6.3, general 2.3 in 2016/17 and
 * 2017/18 are Udir's; the other years are made up around them. */
static const int ud_trend[2][UD_YEARS] = {{76, 73, 70, 68, 67, 65, 64, 63, 60, 58, 52, 55},
					  {28, 27, 26, 25, 25, 24, 23, 23, 21, 20, 18, 19}};
static const char *const ud_prog[2] = {"yrkesfag", "studieforberedende"};

struct ud_cell {
	long students;
	int tenths;
	int suppressed;
};

static unsigned long ud_orgnr_next = 99000000;
static void ud_orgnr(char out[10])
{
	for (;;) {
		snprintf(out, 10, "%lu0", ++ud_orgnr_next);
		int sum = 0;
		static const int w[8] = {3, 2, 7, 6, 5, 4, 3, 2};
		for (int i = 0; i < 8; i++)
			sum += w[i] * (out[i] - '0');
		int r = sum % 11, check = r == 0 ? 0 : 11 - r;
		if (check == 10)
			continue;
		out[8] = (char)('0' + check);
		return;
	}
}

static int ud_clamp(int t)
{
	return t < 3 ? 3 : t > 400 ? 400 : t;
}

/* Moves comparison schools' shares of (programme, year) until the national weighted average,
 * rounded to one decimal, is the target. */
static void ud_calibrate(struct ud_cell (*c)[UD_YEARS][2], int p, int y, int target)
{
	for (int round = 0; round < 4000; round++) {
		double sum = 0, n = 0;
		for (int i = 0; i < UD_SCHOOLS; i++)
			if (!c[i][y][p].suppressed) {
				sum += (double)c[i][y][p].tenths * (double)c[i][y][p].students;
				n += (double)c[i][y][p].students;
			}
		double avg = sum / n, gap = (double)target - avg;
		if (gap > -0.2 && gap < 0.2)
			return;
		int i = UD_PILOTS + round % UD_CONTROLS;
		int step = gap > 2 ? (int)gap : gap < -2 ? (int)gap : gap > 0 ? 1 : -1;
		c[i][y][p].tenths = ud_clamp(c[i][y][p].tenths + step);
	}
}

static int demo_udir(db_t *db, FILE *out)
{
	static struct ud_cell c[UD_SCHOOLS][UD_YEARS][2];
	static char orgnr[UD_SCHOOLS][10];
	demo_seed = 20100801;
	ud_orgnr_next = 99000000;
	for (int i = 0; i < UD_SCHOOLS; i++) {
		ud_orgnr(orgnr[i]);
		int small = i < UD_PILOTS && ud_pilots[i].trend == 's';
		for (int p = 0; p < 2; p++) {
			long base = small ? 15 + pick(20) : 150 + pick(550);
			int effect = p == 0 ? pick(60) - 25 : pick(24) - 10;
			for (int y = 0; y < UD_YEARS; y++) {
				struct ud_cell *x = &c[i][y][p];
				x->students = base + (long)pick((int)(base / 10) + 1) - base / 20;
				x->tenths = ud_clamp(ud_trend[p][y] + effect + pick(17) - 8);
				x->suppressed = small && (y == 2016 - UD_FIRST || y == 2017 - UD_FIRST || pick(3) == 0);
			}
		}
	}
	/* The pilot schools' two report years, vocational. */
	for (int i = 0; i < UD_PILOTS; i++) {
		struct ud_cell *a = &c[i][2016 - UD_FIRST][0], *b = &c[i][2017 - UD_FIRST][0];
		if (ud_pilots[i].trend == 'u')
			b->tenths = a->tenths;
		else if (ud_pilots[i].trend == 'f' && b->tenths >= a->tenths)
			b->tenths = a->tenths - 5;
		else if (ud_pilots[i].trend == 'r' && b->tenths <= a->tenths)
			b->tenths = a->tenths + 5;
		for (size_t k = 0; k < sizeof ud_fixed / sizeof ud_fixed[0]; k++)
			if (ud_pilots[i].unit && strcmp(ud_pilots[i].unit, ud_fixed[k].unit) == 0) {
				struct ud_cell *f = &c[i][ud_fixed[k].year - UD_FIRST][0];
				f->tenths = ud_fixed[k].tenths;
				if (ud_fixed[k].year == 2014 || ud_fixed[k].year == 2017)
					f->students = 400;
			}
	}
	for (int p = 0; p < 2; p++)
		for (int y = 0; y < UD_YEARS; y++)
			ud_calibrate(c, p, y, ud_trend[p][y]);

	if (db_begin(db) != DB_OK)
		return -1;
	struct udir_row u;
	memset(&u, 0, sizeof u);
	snprintf(u.source_hash, sizeof u.source_hash, "synthetic-demo");
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(u.imported_at, sizeof u.imported_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	long rows = 0;
	for (int i = 0; i < UD_SCHOOLS; i++) {
		struct school s;
		memset(&s, 0, sizeof s);
		memcpy(s.orgnr, orgnr[i], sizeof s.orgnr);
		int changed;
		if (i < UD_PILOTS) {
			const struct ud_pilot *dp = &ud_pilots[i];
			if (dp->unit) {
				struct unit un;
				if (db_unit_get(db, dp->unit, &un) != DB_OK)
					goto fail;
				snprintf(s.name, sizeof s.name, "%s", un.name);
				snprintf(s.unit_code, sizeof s.unit_code, "%s", dp->unit);
				snprintf(s.municipality, sizeof s.municipality, "%s", dp->muni);
				snprintf(s.municipality_2024, sizeof s.municipality_2024, "%s", dp->muni);
				snprintf(s.county, sizeof s.county, "%.2s", dp->muni);
				snprintf(s.county_2024, sizeof s.county_2024, "%.2s", dp->muni);
			} else {
				snprintf(s.name, sizeof s.name, "%s", dp->name);
				snprintf(s.county, sizeof s.county, "%s", dp->county);
				if (db_county_in_year(db, dp->county, 2024, s.county_2024) != DB_OK)
					goto fail;
			}
		} else {
			static const char *const counties[] = {"03", "11", "15", "18", "31", "32", "33", "34",
							       "39", "40", "42", "46", "50", "55", "56"};
			snprintf(s.name, sizeof s.name, "Syntetisk sammenligningsskole %03d", i - UD_PILOTS + 1);
			snprintf(s.county, sizeof s.county, "%s", counties[i % 15]);
			snprintf(s.county_2024, sizeof s.county_2024, "%s", counties[i % 15]);
		}
		if (db_school_put(db, &s, &changed) != DB_OK || db_school_get(db, s.orgnr, &s) != DB_OK)
			goto fail;
		if (i < UD_PILOTS && db_pilot_school_put(db, s.orgnr, ud_pilots[i].pilot, ud_pilots[i].start,
							 2017, &changed) != DB_OK)
			goto fail;
		u.school_id = s.id;
		for (int y = 0; y < UD_YEARS; y++) {
			u.school_year = UD_FIRST + y;
			long n = 0, sum = 0;
			int supp = 0;
			for (int p = 0; p < 3; p++) {
				if (p < 2) {
					const struct ud_cell *x = &c[i][y][p];
					u.students = x->students;
					u.suppressed = x->suppressed;
					u.share = x->suppressed ? 0 : x->tenths / 10.0;
					n += x->students;
					sum += x->tenths * x->students;
					supp |= x->suppressed;
				} else {
					u.students = n;
					u.suppressed = supp;
					long tenths = (sum + n / 2) / n; /* rounded to a tenth */
					u.share = supp ? 0 : (double)tenths / 10.0;
				}
				snprintf(u.programme, sizeof u.programme, "%s", p < 2 ? ud_prog[p] : "alle");
				if (db_udir_put(db, &u, &changed) != DB_OK)
					goto fail;
				rows++;
			}
		}
	}
	if (db_commit(db) != DB_OK)
		goto fail;
	fprintf(out, "SYNTHETIC Udir-style dropout figures (not Udir's numbers; docs/udir.md): %d schools "
		     "(%d pilot schools, %d never piloted), %d/%02d–%d/%02d, %ld rows\n",
		UD_SCHOOLS, UD_PILOTS, UD_CONTROLS, UD_FIRST, (UD_FIRST + 1) % 100, UD_FIRST + UD_YEARS - 1,
		(UD_FIRST + UD_YEARS) % 100, rows);
	return 0;
fail:
	fprintf(stderr, "elevlos: demo dropout figures: %s\n", db_errmsg(db));
	db_rollback(db);
	return -1;
}

/*
 * The pilot register around the trial: each pilot's start (its first school's, 1 August), three
 * project years, a fourth for the 13 pilots the report says applied for one (here the seven of
 * 2013/2014 and six of the 2015 extension), a synthetic steering group, and SYNTHETIC grants:
 * the report gives only the total of post 63 for 2014–2018 (NOK 71,356,550), not its split, so
 * the salary bases here are made up (docs/pilots.md). Annual reports of Akershus in each state.
 */
struct demo_pilot {
	const char *code;
	int start, positions, fourth;
	const char *status;
};

static const struct demo_pilot demo_pilot_list[] = {
	{"P-AKERSHUS", 2013, 2, 1, "continued_locally"}, {"P-STOVNER", 2013, 1, 1, "continued_locally"},
	{"P-GODALEN", 2013, 1, 1, "ended"},              {"P-ALNA", 2014, 2, 1, "ended"},
	{"P-KRISTIANSAND", 2014, 2, 1, "ended"},         {"P-VENNESLA", 2014, 1, 1, "ended"},
	{"P-BREIVIKA", 2014, 1, 1, "ended"},             {"P-ALTA", 2015, 1, 1, "ended"},
	{"P-HAMMERFEST", 2015, 1, 1, "ended"},           {"P-KAUTOKEINO", 2015, 1, 1, "ended"},
	{"P-ARSTAD", 2015, 1, 1, "ended"},               {"P-FAERDER", 2015, 1, 1, "ended"},
	{"P-NORDLAND", 2015, 2, 1, "ended"},             {"P-NTROENDELAG", 2015, 1, 0, "ended"},
	{"P-STROENDELAG", 2015, 2, 0, "ended"},          {"P-MOREROMSDAL", 2015, 1, 0, "ended"},
	{"P-SOGNFJORDANE", 2015, 1, 0, "ended"},         {"P-AUSTAGDER", 2015, 1, 0, "ended"},
	{"P-TELEMARK", 2015, 1, 0, "ended"},             {"P-BUSKERUD", 2016, 1, 0, "ended"},
	{"P-OPPLAND", 2016, 1, 0, "ended"},              {"P-HEDMARK", 2016, 1, 0, "ended"},
	{"P-OSTFOLD", 2016, 1, 0, "ended"},
};

/* A counsellor's yearly cost, made up: NOK 700,000 in 2013, 15,000 more each year. */
static long demo_salary_base(int budget_year)
{
	return 700000L + 15000L * (budget_year - 2013);
}

static int demo_report(db_t *db, int64_t pilot_id, int year, const char *const steps[], const struct account *who[])
{
	static const char *const text[PR_NFIELDS] = {
		[PR_ACTIVITIES] = "Syntetisk tekst: NAV-veilederen har hatt fast kontortid på skolen fire dager i uka, "
				  "deltatt i elevtjenestens møter og holdt informasjonsmøter for VG1-klassene.",
		[PR_CHALLENGES] = "Syntetisk tekst: Taushetsplikt og samtykke i samarbeidet med skolen; "
				  "elever som slutter midt i året.",
		[PR_FUNDS] = "Syntetisk tekst: Tilskuddet dekket lønn til NAV-veilederen; kompetansetilskuddet gikk til "
			     "nettverkssamlinger.",
		[PR_GOAL1] = "Syntetisk tekst: Flere elever fikk hjelp før de avbrøt; se statistikken.",
		[PR_GOAL2] = "Syntetisk tekst: Arbeidstrening kombinert med tilrettelagt opplæring for noen elever.",
		[PR_GOAL3] = "Syntetisk tekst: Faste møter mellom NAV, skolen og oppfølgingstjenesten.",
		[PR_GOAL4] = "Syntetisk tekst: Økonomi og bosituasjon er de vanligste utfordringene.",
		[PR_FEEDBACK] = "Syntetisk tilbakemelding: Godt arbeid med samarbeidet; beskriv neste år hvordan "
				"skolens tiltak ble registrert.",
	};
	int64_t id;
	int rc = db_preport_create(db, pilot_id, "annual", year, who[0], &id);
	for (int i = 0; rc == DB_OK && steps[i]; i++) {
		const char *state = steps[i];
		const char *action = !strcmp(state, "submitted") ? "submitted"
				     : !strcmp(state, "approved") ? "approved"
				     : !strcmp(state, "feedback") ? "feedback"
				     : !strcmp(state, "closed")   ? "closed"
								  : "saved";
		const char *t[PR_NFIELDS] = {0};
		for (int f = 0; f < PR_NFIELDS; f++)
			if (f != PR_FEEDBACK || !strcmp(state, "feedback"))
				t[f] = !strcmp(state, "draft") || !strcmp(state, "feedback") ? text[f] : NULL;
		rc = db_preport_advance(db, id, i + 1, state, action, t, -1, who[i + 1]);
	}
	return rc;
}

static int demo_pilots(db_t *db, FILE *out)
{
	struct account leder, chair, avdir, udir;
	if (db_account_get(db, "leder", &leder) != DB_OK || db_account_get(db, "leder.styring", &chair) != DB_OK ||
	    db_account_get(db, "analytiker", &avdir) != DB_OK || db_account_get(db, "analytiker.udir", &udir) != DB_OK)
		return -1;
	if (db_begin(db) != DB_OK)
		return -1;
	int shares[GRANT_MAX_YEARS];
	int nshares = grant_parse_shares(GRANT_SHARES_DEFAULT, shares);
	long total63 = 0;
	int n = (int)(sizeof demo_pilot_list / sizeof demo_pilot_list[0]);
	for (int i = 0; i < n; i++) {
		const struct demo_pilot *d = &demo_pilot_list[i];
		int years = d->fourth ? 4 : 3;
		char start[24], end[24];
		snprintf(start, sizeof start, "%d-08-01", d->start);
		snprintf(end, sizeof end, "%d-07-31", d->start + years);
		struct pilot_row p;
		if (db_pilot_put(db, d->code, start, end, years, d->status, "demo") != DB_OK ||
		    db_pilot_get(db, d->code, &p) != DB_OK)
			goto fail;
		static const char *const members[4][3] = {
			{"Syntetisk medlem A", "NAV-kontoret", "NAV-leder (leder av styringsgruppen)"},
			{"Syntetisk medlem B", "Den videregående skolen", "Rektor"},
			{"Syntetisk medlem C", "Fylkeskommunen", "Representant for fylkeskommunen"},
			{"Syntetisk medlem D", "Fylkesmannen", "Representant for fylkesmannen"},
		};
		for (int m = 0; m < 4; m++)
			if (db_member_add(db, p.unit_id, members[m][0], members[m][1], members[m][2], NULL) != DB_OK)
				goto fail;
		for (int py = 1; py <= years; py++) {
			for (int post = 0; post < 2; post++) {
				struct grant_row g;
				memset(&g, 0, sizeof g);
				g.pilot_id = p.unit_id;
				g.project_year = py;
				snprintf(g.post, sizeof g.post, "%s", post ? "21" : "63");
				g.share_pct = -1;
				g.salary_base = demo_salary_base(d->start + py - 1) * d->positions;
				g.amount = 40000;
				if (grant_prepare(&p, shares, nshares, &g) != NULL)
					goto fail;
				int64_t id;
				if (db_grant_put(db, &g, "demo", &id) != DB_OK)
					goto fail;
				char paid[24];
				snprintf(paid, sizeof paid, "%d-%s", g.budget_year, py == 1 ? "09-01" : "02-15");
				if (db_grant_pay(db, p.unit_id, id, paid, "demo") != DB_OK)
					goto fail;
				if (post == 0 && g.budget_year >= 2014 && g.budget_year <= 2018)
					total63 += g.amount;
			}
		}
		if (!strcmp(d->code, "P-AKERSHUS")) {
			static const char *const closed[] = {"draft", "submitted", "approved", "feedback", "closed", NULL};
			static const char *const approved[] = {"draft", "submitted", "approved", NULL};
			const struct account *by_closed[] = {&leder, &leder, &leder, &chair, &avdir, &udir};
			const struct account *by_approved[] = {&leder, &leder, &leder, &chair};
			if (demo_report(db, p.unit_id, 2014, closed, by_closed) != DB_OK ||
			    demo_report(db, p.unit_id, 2015, approved, by_approved) != DB_OK)
				goto fail;
		}
	}
	if (db_commit(db) != DB_OK)
		goto fail;
	char sum[I18N_NUM_MAX];
	i18n_int("en", total63, sum, sizeof sum);
	fprintf(out, "%d pilots with SYNTHETIC grants (docs/pilots.md): post 63 in 2014–2018 comes to NOK %s "
		     "(the report's total: 71,356,550)\n",
		n, sum);
	return 0;
fail:
	fprintf(stderr, "elevlos: demo pilots: %s\n", db_errmsg(db));
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
		fprintf(out, "  %-15s %-11s %-12s password: %s\n", users[i].username, users[i].role,
			users[i].unit, pw);
		/* The two directorates' analysts: the same rights, each named by their directorate. */
		if (!strcmp(users[i].role, "analytiker") &&
		    db_account_set_directorate(db, users[i].username,
					       strstr(users[i].username, "udir") ? "udir" : "avdir") != DB_OK)
			return -1;
	}
	int n = demo_students(db, kr);
	if (n < 0)
		return -1;
	fprintf(out, "%d synthetic students with cases (names start with 'Syntetisk')\n", n);
	if (demo_udir(db, out) != 0 || demo_pilots(db, out) != 0)
		return -1;
	return 0;
}
