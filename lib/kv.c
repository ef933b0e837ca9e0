#include "lib/kv.h"
#include "lib/fmt.h"
#include "lib/mem.h"

#define KV_MAX 192

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Split "key=value" (already trimmed, no comment) and hand it over. */
static bool one(const char *s, size_t n, unsigned int lineno, const char *what, mc_kv_fn fn, void *arg,
		char *err, size_t errlen)
{
	char key[KV_MAX], value[KV_MAX];
	size_t eq = 0;
	while (eq < n && s[eq] != '=')
		eq++;
	size_t klen = eq;
	while (klen && is_space(s[klen - 1]))
		klen--;
	if (eq == n || !klen) {
		mc_snprintf(err, errlen, "%s %u: expected key=value, got \"%.*s\"", what, lineno, (int)(n > 60 ? 60 : n), s);
		return false;
	}
	size_t v = eq + 1;
	while (v < n && is_space(s[v]))
		v++;
	if (klen >= KV_MAX || n - v >= KV_MAX) {
		mc_snprintf(err, errlen, "%s %u: key or value longer than %d characters", what, lineno, KV_MAX - 1);
		return false;
	}
	mc_memcpy(key, s, klen);
	key[klen] = 0;
	mc_memcpy(value, s + v, n - v);
	value[n - v] = 0;
	return fn(arg, key, value, lineno);
}

bool mc_kv_parse_lines(const char *text, size_t len, mc_kv_fn fn, void *arg, char *err, size_t errlen)
{
	unsigned int lineno = 0;
	size_t i = 0;
	while (i < len) {
		size_t start = i;
		while (i < len && text[i] != '\n')
			i++;
		size_t end = i++;
		lineno++;
		for (size_t c = start; c < end; c++)
			if (text[c] == '#') {
				end = c;
				break;
			}
		while (start < end && is_space(text[start]))
			start++;
		while (end > start && is_space(text[end - 1]))
			end--;
		if (start == end)
			continue;
		for (size_t c = start; c < end; c++)
			if ((u8)text[c] < 0x20 && text[c] != '\t') {
				mc_snprintf(err, errlen, "line %u: control character 0x%02x", lineno, (u8)text[c]);
				return false;
			}
		if (!one(text + start, end - start, lineno, "line", fn, arg, err, errlen))
			return false;
	}
	return true;
}

bool mc_kv_parse_words(const char *text, mc_kv_fn fn, void *arg, char *err, size_t errlen)
{
	unsigned int n = 0;
	const char *p = text;
	while (*p) {
		while (*p && (is_space(*p) || *p == '\n'))
			p++;
		if (!*p)
			break;
		const char *w = p;
		while (*p && !is_space(*p) && *p != '\n')
			p++;
		n++;
		if (!one(w, (size_t)(p - w), n, "argument", fn, arg, err, errlen))
			return false;
	}
	return true;
}
