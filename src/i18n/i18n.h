/* User-facing text: Norwegian bokmål by default, English beside it, looked up by key. */
#ifndef ELEVLOS_I18N_H
#define ELEVLOS_I18N_H

/* Returns the text for key in lang ("nb" or "en"); the key itself when missing. */
const char *T(const char *lang, const char *key);
/* Number of catalogue entries and whether entry i has both languages (for the test). */
int i18n_count(void);
int i18n_complete(int i, const char **key);

#endif
