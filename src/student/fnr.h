/*
 * Norwegian national id numbers (fødselsnummer): 11 digits, a date (D-numbers add 40 to the
 * day; synthetic test numbers add 40 or 80 to the month), an individual number that fixes the
 * century, and two mod-11 check digits. From 2032 the first check digit may take up to four
 * values (the remainder may be 0, 1, 2 or 3); that rule is accepted only when asked for.
 */
#ifndef ELEVLOS_FNR_H
#define ELEVLOS_FNR_H

enum fnr_kind { FNR_INVALID = 0, FNR_PERSON, FNR_DNUMBER, FNR_SYNTHETIC, FNR_DNUMBER_SYNTHETIC };

struct fnr_info {
	enum fnr_kind kind;
	int year, month, day; /* the birth date it encodes */
};

/* Returns the kind (FNR_INVALID when not valid); fills info when given. */
enum fnr_kind fnr_check(const char *s, int rule_2032, struct fnr_info *info);

#endif
