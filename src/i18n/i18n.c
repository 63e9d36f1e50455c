#include "i18n.h"

#include <string.h>

struct msg {
	const char *key;
	const char *nb;
	const char *en;
};

/* Sorted by key: looked up by binary search. A test checks the order and completeness. */
static const struct msg msgs[] = {
	{"account.change_password", "Bytt passord", "Change password"},
	{"account.current_password", "Nåværende passord", "Current password"},
	{"account.new_password", "Nytt passord (minst 12 tegn)", "New password (at least 12 characters)"},
	{"account.password_changed", "Passordet er byttet. Andre innlogginger er logget ut.", "Your password was changed. Other sessions were logged out."},
	{"account.recent", "Dine siste handlinger", "Your recent actions"},
	{"account.title", "Min konto", "My account"},
	{"action.action", "Handling", "Action"},
	{"action.object", "Objekt", "Object"},
	{"action.time", "Tid (UTC)", "Time (UTC)"},
	{"app.name", "elevlos", "elevlos"},
	{"app.tagline", "Oppfølging av elever i risiko for frafall", "Following up students at risk of dropping out"},
	{"error.400", "Ugyldig forespørsel", "Bad request"},
	{"error.401", "Du må logge inn", "Please log in"},
	{"error.403", "Ingen tilgang", "Forbidden"},
	{"error.404", "Fant ikke siden", "Page not found"},
	{"error.405", "Metoden er ikke tillatt", "Method not allowed"},
	{"error.409", "Finnes allerede", "Already exists"},
	{"error.413", "For stor forespørsel", "Request too large"},
	{"error.415", "Ukjent innholdstype", "Unsupported content type"},
	{"error.422", "Kunne ikke lagre", "Could not save"},
	{"error.429", "For mange forsøk", "Too many attempts"},
	{"error.500", "Noe gikk galt hos oss", "Something went wrong on our side"},
	{"error.503", "Tjenesten er midlertidig utilgjengelig", "Service temporarily unavailable"},
	{"error.back", "Tilbake til startsiden", "Back to the start page"},
	{"error.detail", "Detaljer", "Details"},
	{"form.required", "Fyll ut alle feltene.", "Fill in every field."},
	{"form.save", "Lagre", "Save"},
	{"kind.county", "Fylke", "County"},
	{"kind.nation", "Land", "Nation"},
	{"kind.nav_office", "NAV-kontor", "NAV office"},
	{"kind.pilot", "Pilot", "Pilot"},
	{"kind.school", "Skole", "School"},
	{"login.failed", "Feil brukernavn eller passord.", "Wrong username or password."},
	{"login.password", "Passord", "Password"},
	{"login.submit", "Logg inn", "Log in"},
	{"login.throttled", "For mange mislykkede forsøk. Vent litt og prøv igjen.", "Too many failed attempts. Wait a while and try again."},
	{"login.title", "Logg inn", "Log in"},
	{"login.username", "Brukernavn", "Username"},
	{"nav.account", "Min konto", "My account"},
	{"nav.logout", "Logg ut", "Log out"},
	{"nav.main", "Hovedmeny", "Main menu"},
	{"nav.skip", "Hopp til hovedinnhold", "Skip to main content"},
	{"nav.start", "Start", "Start"},
	{"nav.units", "Enheter", "Units"},
	{"nav.users", "Brukere", "Users"},
	{"password.too_long", "Passordet kan ha høyst 128 tegn.", "The password may have at most 128 characters."},
	{"password.too_short", "Passordet må ha minst 12 tegn.", "The password must have at least 12 characters."},
	{"password.wrong_current", "Nåværende passord er feil.", "The current password is wrong."},
	{"role.admin", "Systemadministrator", "System administrator"},
	{"role.analytiker", "Analytiker (direktorat)", "Analyst (directorate)"},
	{"role.leder", "Leder", "Manager"},
	{"role.radgiver", "Rådgiver i skolen", "School counsellor"},
	{"role.veileder", "NAV-veileder", "NAV counsellor"},
	{"start.admin", "Du administrerer brukere og enheter. Du ser ikke saksinnhold.", "You manage users and units. You do not see case content."},
	{"start.analytiker", "Du ser beskyttet statistikk for hele landet, aldri enkeltelever.", "You see protected statistics for the whole country, never individual students."},
	{"start.leder", "Du ser pilotens beskyttede statistikk, rapporter og brukere.", "You see your pilot's protected statistics, reports and users."},
	{"start.radgiver", "Du kan henvise elever til NAV-veilederen og følge henvisningene dine.", "You can refer students to the NAV counsellor and follow your referrals."},
	{"start.title", "Velkommen", "Welcome"},
	{"start.unit", "Din enhet", "Your unit"},
	{"start.veileder", "Du registrerer og følger opp elever i piloten din.", "You register and follow up students in your pilot."},
	{"start.your_role", "Din rolle", "Your role"},
	{"unit.code", "Kode", "Code"},
	{"unit.create", "Ny enhet", "New unit"},
	{"unit.created", "Enheten er opprettet.", "The unit was created."},
	{"unit.exists", "Det finnes allerede en enhet med den koden.", "A unit with that code already exists."},
	{"unit.kind", "Type", "Kind"},
	{"unit.name", "Navn", "Name"},
	{"unit.no_parent", "Overordnet enhet finnes ikke.", "The parent unit does not exist."},
	{"unit.parent", "Overordnet enhet (kode)", "Parent unit (code)"},
	{"unit.title", "Enheter", "Units"},
	{"unit.valid", "Gyldig", "Valid"},
	{"unit.wrong_parent", "Den typen enhet kan ikke ligge under den overordnede.", "That kind of unit cannot be placed under that parent."},
	{"user.active", "Aktiv", "Active"},
	{"user.create", "Ny bruker", "New user"},
	{"user.created", "Brukeren er opprettet.", "The user was created."},
	{"user.created_at", "Opprettet", "Created"},
	{"user.disable", "Deaktiver", "Disable"},
	{"user.disabled", "Deaktivert", "Disabled"},
	{"user.exists", "Brukernavnet er tatt.", "That username is taken."},
	{"user.initial_password", "Første passord (minst 12 tegn)", "Initial password (at least 12 characters)"},
	{"user.role", "Rolle", "Role"},
	{"user.role_not_allowed", "Du kan ikke gi den rollen.", "You cannot grant that role."},
	{"user.status", "Status", "Status"},
	{"user.title", "Brukere", "Users"},
	{"user.unit", "Enhet", "Unit"},
	{"user.unknown_unit", "Enheten finnes ikke eller er utenfor ditt område.", "The unit does not exist or is outside your area."},
	{"user.username", "Brukernavn", "Username"},
};

static int cmp(const char *a, const char *b)
{
	return strcmp(a, b);
}

const char *T(const char *lang, const char *key)
{
	size_t lo = 0, hi = sizeof msgs / sizeof msgs[0];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = cmp(key, msgs[mid].key);
		if (c == 0)
			return lang && !strcmp(lang, "en") ? msgs[mid].en : msgs[mid].nb;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return key;
}

int i18n_count(void)
{
	return (int)(sizeof msgs / sizeof msgs[0]);
}

int i18n_complete(int i, const char **key)
{
	*key = msgs[i].key;
	int sorted = i == 0 || strcmp(msgs[i - 1].key, msgs[i].key) < 0;
	return sorted && msgs[i].nb && *msgs[i].nb && msgs[i].en && *msgs[i].en;
}
