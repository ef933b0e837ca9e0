/* The JSON writer (lib/json.h). Every append goes through put(), the one
 * place that checks room: it keeps a byte for the NUL and never writes a
 * partial piece. */
#include "lib/json.h"
#include "lib/fmt.h"
#include "lib/mem.h"

static void put(struct mc_json *w, const char *s, size_t n)
{
	if (w->overflow || w->len + n >= w->size) {
		w->overflow = true;
		return;
	}
	mc_memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = 0;
}

static void comma(struct mc_json *w)
{
	if (!w->first)
		put(w, ",", 1);
	w->first = false;
}

void mc_json_init(struct mc_json *w, char *buf, size_t size)
{
	w->buf = buf;
	w->size = size;
	w->len = 0;
	w->overflow = !buf || !size;
	w->first = true;
	if (!w->overflow)
		buf[0] = 0;
}

void mc_json_raw(struct mc_json *w, const char *s)
{
	put(w, s, mc_strlen(s));
}

void mc_json_str(struct mc_json *w, const char *s)
{
	put(w, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(w, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			/* DEL needs no escape in RFC 8259; escaping it keeps the
			 * output printable ASCII, as both objects always wrote it. */
			mc_snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(w, esc, 6);
		} else {
			put(w, (const char *)&c, 1);
		}
	}
	put(w, "\"", 1);
}

void mc_json_key(struct mc_json *w, const char *key)
{
	comma(w);
	mc_json_str(w, key);
	put(w, ":", 1);
}

void mc_json_open(struct mc_json *w, const char *key, const char *brace)
{
	if (key)
		mc_json_key(w, key);
	else
		comma(w);
	mc_json_raw(w, brace);
	w->first = true;
}

void mc_json_close(struct mc_json *w, const char *brace)
{
	mc_json_raw(w, brace);
	w->first = false;
}

void mc_json_item(struct mc_json *w, const char *json)
{
	comma(w);
	mc_json_raw(w, json);
}

void mc_json_bool_member(struct mc_json *w, const char *key, bool v)
{
	mc_json_key(w, key);
	mc_json_raw(w, v ? "true" : "false");
}

void mc_json_u64_member(struct mc_json *w, const char *key, u64 v)
{
	char b[24];
	mc_snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	mc_json_key(w, key);
	mc_json_raw(w, b);
}

void mc_json_str_member(struct mc_json *w, const char *key, const char *v)
{
	mc_json_key(w, key);
	if (v)
		mc_json_str(w, v);
	else
		mc_json_raw(w, "null");
}

int mc_json_end(struct mc_json *w)
{
	if (w->overflow) {
		if (w->buf && w->size)
			w->buf[0] = 0;
		return -1;
	}
	return (int)w->len;
}
