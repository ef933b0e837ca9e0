/* key=value text, as the policy file and the UEFI shell arguments use it:
 * one pair per line (or per whitespace-separated word for arguments), '#'
 * starts a comment, blank lines are ignored. The callback gets the key, the
 * value and the 1-based line (or argument) number; it returns false to stop
 * (after recording its own error). */
#ifndef MC_KV_H
#define MC_KV_H
#include "lib/types.h"

typedef bool (*mc_kv_fn)(void *arg, const char *key, const char *value, unsigned int lineno);

/* Lines of a file. A line without '=' or with an empty key is an error:
 * returns false and writes "LINE: what" into err. */
bool mc_kv_parse_lines(const char *text, size_t len, mc_kv_fn fn, void *arg, char *err, size_t errlen);
/* Whitespace-separated words (UEFI shell LoadOptions, converted to ASCII). */
bool mc_kv_parse_words(const char *text, mc_kv_fn fn, void *arg, char *err, size_t errlen);

#endif
