/* A JSON writer into a caller's buffer, for the report and last-run
 * objects (field names are contracts: docs/report-format.md). No
 * allocation: once something does not fit the writer stops writing and
 * remembers it, and mc_json_end returns -1 with an empty buffer, so a
 * caller never sees a truncated object.
 *
 *   struct mc_json w;
 *   mc_json_init(&w, buf, size);
 *   mc_json_open(&w, NULL, "{");
 *   mc_json_str_member(&w, "vendor", "intel");
 *   mc_json_open(&w, "checks", "[");  ...  mc_json_close(&w, "]");
 *   mc_json_close(&w, "}");
 *   int n = mc_json_end(&w);
 *
 * Commas come from the writer: each member, element or opened container
 * gets one unless it is the first in its container. */
#ifndef MC_JSON_H
#define MC_JSON_H
#include "lib/types.h"

struct mc_json {
	char  *buf;
	size_t size, len;      /* len excludes the NUL kept after the text */
	bool   overflow;       /* something did not fit: the output is void */
	bool   first;          /* no comma before the next member or element */
};

/* An empty writer; a NULL or zero-sized buffer is an overflow already. */
void mc_json_init(struct mc_json *w, char *buf, size_t size);
/* s as it is (already JSON: a number, true, a bracket ...). */
void mc_json_raw(struct mc_json *w, const char *s);
/* s as a JSON string: quoted, with quote, backslash and control characters
 * escaped (RFC 8259 section 7). */
void mc_json_str(struct mc_json *w, const char *s);

/* "key": with the comma before it when it is not the first member. */
void mc_json_key(struct mc_json *w, const char *key);
/* Open an object or array ("{" or "["): a member named key, or with key
 * NULL an element of the enclosing array (or the top-level value). */
void mc_json_open(struct mc_json *w, const char *key, const char *brace);
void mc_json_close(struct mc_json *w, const char *brace);
/* One array element, already JSON. */
void mc_json_item(struct mc_json *w, const char *json);

/* Members of the common types; a NULL string is written as null. */
void mc_json_bool_member(struct mc_json *w, const char *key, bool v);
void mc_json_u64_member(struct mc_json *w, const char *key, u64 v);
void mc_json_str_member(struct mc_json *w, const char *key, const char *v);

/* The length written (without the NUL), or -1 with buf emptied if
 * anything did not fit. */
int mc_json_end(struct mc_json *w);

#endif
