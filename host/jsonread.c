/* Recursive descent over RFC 8259's grammar; the contract is in the header.
 * Depth is bounded so a hostile file cannot exhaust the stack. */
#include "host/jsonread.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct parser {
	const char *s, *start;
	char *err;
	size_t errlen;
	bool failed;
};

static void fail(struct parser *p, const char *what)
{
	if (p->failed)
		return;
	int line = 1, col = 1;
	for (const char *c = p->start; c < p->s; c++) {
		if (*c == '\n')
			line++, col = 1;
		else
			col++;
	}
	snprintf(p->err, p->errlen, "line %d, column %d: %s", line, col, what);
	p->failed = true;
}

static void ws(struct parser *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

static int hex4(const char *s)
{
	int v = 0;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static size_t put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80)
		return o[0] = (char)cp, 1;
	if (cp < 0x800)
		return o[0] = (char)(0xc0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000)
		return o[0] = (char)(0xe0 | cp >> 12), o[1] = (char)(0x80 | ((cp >> 6) & 0x3f)),
		       o[2] = (char)(0x80 | (cp & 0x3f)), 3;
	return o[0] = (char)(0xf0 | cp >> 18), o[1] = (char)(0x80 | ((cp >> 12) & 0x3f)),
	       o[2] = (char)(0x80 | ((cp >> 6) & 0x3f)), o[3] = (char)(0x80 | (cp & 0x3f)), 4;
}

static char *string(struct parser *p)
{
	p->s++;   /* the opening quote */
	size_t cap = 16, n = 0;
	char *o = malloc(cap);
	while (o && !p->failed) {
		if (n + 8 > cap) {
			char *q = realloc(o, cap *= 2);
			if (!q)
				break;
			o = q;
		}
		unsigned char c = (unsigned char)*p->s;
		if (c == '"') {
			p->s++;
			o[n] = 0;
			return o;
		}
		if (!c || c < 0x20) {
			fail(p, c ? "control character in a string" : "unterminated string");
			break;
		}
		if (c != '\\') {
			o[n++] = (char)c;
			p->s++;
			continue;
		}
		char e = p->s[1];
		const char *map = strchr("\"\"\\\\//b\bf\fn\nr\rt\t", e);
		if (e && map && (map - "\"\"\\\\//b\bf\fn\nr\rt\t") % 2 == 0) {
			o[n++] = map[1];
			p->s += 2;
		} else if (e == 'u') {
			int cp = hex4(p->s + 2);
			p->s += 6;
			if (cp >= 0xd800 && cp < 0xdc00 && p->s[0] == '\\' && p->s[1] == 'u') {
				int lo = hex4(p->s + 2);
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					p->s += 6;
				}
			}
			if (cp < 0 || (cp >= 0xd800 && cp < 0xe000)) {
				fail(p, "bad \\u escape");
				break;
			}
			n += put_utf8(o + n, (unsigned)cp);
		} else {
			fail(p, "bad escape in a string");
			break;
		}
	}
	if (!o)
		fail(p, "out of memory");
	free(o);
	return NULL;
}

static bool value(struct parser *p, struct jv *v, int depth);

static bool push(struct parser *p, struct jv *v, size_t *cap)
{
	if (v->n < *cap)
		return true;
	*cap = *cap ? *cap * 2 : 8;
	struct jv *items = realloc(v->items, *cap * sizeof(*items));
	char **keys = v->type == JV_OBJ ? realloc(v->keys, *cap * sizeof(*keys)) : NULL;
	if (items)
		v->items = items;
	if (keys)
		v->keys = keys;
	if (!items || (v->type == JV_OBJ && !keys)) {
		fail(p, "out of memory");
		return false;
	}
	return true;
}

static bool container(struct parser *p, struct jv *v, int depth)
{
	bool obj = *p->s == '{';
	char close = obj ? '}' : ']';
	size_t cap = 0;
	v->type = obj ? JV_OBJ : JV_ARR;
	p->s++;
	ws(p);
	if (*p->s == close) {
		p->s++;
		return true;
	}
	for (;;) {
		if (!push(p, v, &cap))
			return false;
		ws(p);
		if (obj) {
			if (*p->s != '"') {
				fail(p, "expected a member name in quotes");
				return false;
			}
			char *k = string(p);
			if (!k)
				return false;
			v->keys[v->n] = k;
			ws(p);
			if (*p->s != ':') {
				free(k);
				fail(p, "expected ':' after a member name");
				return false;
			}
			p->s++;
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		v->n++;
		if (!value(p, &v->items[v->n - 1], depth + 1))
			return false;
		ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s == close) {
			p->s++;
			return true;
		}
		fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		return false;
	}
}

static bool value(struct parser *p, struct jv *v, int depth)
{
	ws(p);
	if (depth > MAX_DEPTH) {
		fail(p, "nested too deeply");
		return false;
	}
	char c = *p->s;
	if (c == '{' || c == '[')
		return container(p, v, depth);
	if (c == '"') {
		v->type = JV_STR;
		v->str = string(p);
		return v->str != NULL;
	}
	static const struct { const char *word; enum jv_type type; bool b; } words[] = {
		{ "true", JV_BOOL, true }, { "false", JV_BOOL, false }, { "null", JV_NULL, false },
	};
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i].word);
		if (!strncmp(p->s, words[i].word, n)) {
			v->type = words[i].type;
			v->b = words[i].b;
			p->s += n;
			return true;
		}
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		char *end;
		v->type = JV_NUM;
		v->num = strtod(p->s, &end);
		if (end == p->s) {
			fail(p, "bad number");
			return false;
		}
		p->s = end;
		return true;
	}
	fail(p, c ? "expected a value" : "unexpected end of input");
	return false;
}

static void clear(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		clear(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
}

void jv_free(struct jv *v)
{
	if (v) {
		clear(v);
		free(v);
	}
}

struct jv *jv_parse(const char *text, char *err, size_t errlen)
{
	struct parser p = { text, text, err, errlen, false };
	struct jv *v = calloc(1, sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (value(&p, v, 0)) {
		ws(&p);
		if (*p.s)
			fail(&p, "text after the JSON value");
	}
	if (p.failed) {
		jv_free(v);
		return NULL;
	}
	return v;
}

const struct jv *jv_get(const struct jv *v, const char *key)
{
	if (!v || v->type != JV_OBJ)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->keys[i], key))
			return &v->items[i];
	return NULL;
}

const struct jv *jv_path(const struct jv *v, const char *path)
{
	char key[64];
	while (v && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = 0;
		v = jv_get(v, key);
		path += n + (path[n] == '.');
	}
	return v;
}

const char *jv_str(const struct jv *v, const char *fallback)
{
	return v && v->type == JV_STR ? v->str : fallback;
}

double jv_num(const struct jv *v, double fallback)
{
	return v && v->type == JV_NUM ? v->num : fallback;
}

bool jv_bool(const struct jv *v, bool fallback)
{
	return v && v->type == JV_BOOL ? v->b : fallback;
}
