/* A small JSON reader (RFC 8259) for the host: memcrypt's own report.json,
 * last-run.json and `check --json` output read back into a tree, for
 * `memcrypt report`. Numbers are kept as doubles (memcrypt writes register
 * values as hex strings, so nothing large travels as a number).
 *
 *   char err[200];
 *   struct jv *root = jv_parse(text, err, sizeof(err));  // NULL: err says
 *                                                        // "line L, column C: ..."
 *   const struct jv *bits = jv_path(root, "tme.keyid_bits");
 *   jv_free(root);
 */
#ifndef MC_HOST_JSONREAD_H
#define MC_HOST_JSONREAD_H
#include <stdbool.h>
#include <stddef.h>

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	bool   b;
	double num;
	char  *str;                 /* JV_STR, UTF-8, NUL-terminated */
	size_t n;                   /* JV_ARR / JV_OBJ: elements */
	struct jv *items;           /* the elements, or the members' values */
	char **keys;                /* JV_OBJ: the members' names */
};

struct jv *jv_parse(const char *text, char *err, size_t errlen);
void jv_free(struct jv *v);
/* The member key of an object, or NULL (also when v is not an object). */
const struct jv *jv_get(const struct jv *v, const char *key);
/* Members through dots: "tme.exclusion.base"; NULL if any step is absent. */
const struct jv *jv_path(const struct jv *v, const char *path);
/* The value as a string / number / bool, or the fallback when it is absent
 * or of another type. */
const char *jv_str(const struct jv *v, const char *fallback);
double jv_num(const struct jv *v, double fallback);
bool   jv_bool(const struct jv *v, bool fallback);

#endif
