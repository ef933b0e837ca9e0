/* The last-run record (lib/bios/lastrun.h): encoder for the kernel,
 * decoder and renderers for the UEFI stage and `memcrypt show-last`. The
 * decoder trusts nothing: the bytes come from a variable store or a file. */
#include "lib/bios/lastrun.h"
#include "lib/fmt.h"
#include "lib/json.h"
#include "lib/mem.h"

static const u8 magic[4] = { 'M', 'C', 'L', 'R' };

static void put16(u8 *p, u16 v) { p[0] = (u8)v; p[1] = (u8)(v >> 8); }
static void put32(u8 *p, u32 v) { put16(p, (u16)v); put16(p + 2, (u16)(v >> 16)); }
static u16 get16(const u8 *p) { return (u16)(p[0] | p[1] << 8); }
static u32 get32(const u8 *p) { return (u32)get16(p) | (u32)get16(p + 2) << 16; }

/* Copy a string into a fixed field, NUL-padded (not necessarily
 * terminated when it fills the field). */
static void put_field(u8 *p, size_t n, const char *s)
{
	mc_memset(p, 0, n);
	for (size_t i = 0; i < n && s && s[i]; i++)
		p[i] = (u8)s[i];
}

size_t mc_lastrun_encode(const struct mc_results *res, const char *version, const char *platform, u16 flags,
			 u8 *buf, size_t cap)
{
	static const u8 order[2] = { MC_FAIL, MC_WARN };
	size_t len = MC_LASTRUN_HDR;
	u32 stored = 0, omitted = 0;

	if (cap > MC_LASTRUN_MAX)
		cap = MC_LASTRUN_MAX;
	mc_memset(buf, 0, MC_LASTRUN_HDR);
	mc_memcpy(buf, magic, 4);
	put16(buf + 4, 1);
	put16(buf + 6, flags);
	put32(buf + 12, res->count + res->dropped);
	for (int v = 0; v < MC_VERDICTS; v++)
		put32(buf + 16 + 4 * v, res->n[v]);
	put_field(buf + 44, 12, version);
	put_field(buf + 56, 32, platform);

	for (int k = 0; k < 2; k++)
		for (u32 i = 0; i < res->count; i++) {
			const struct mc_result *r = &res->r[i];
			if (r->verdict != order[k])
				continue;
			size_t il = mc_strlen(r->id), dl = mc_strlen(r->detail);
			if (il > 255) il = 255;
			if (dl > 255) dl = 255;
			if (stored >= MC_LASTRUN_MAX_ENTRIES || len + 4 + il + dl > cap) {
				omitted++;
				continue;
			}
			buf[len] = r->verdict;
			buf[len + 1] = r->stage;
			buf[len + 2] = (u8)il;
			buf[len + 3] = (u8)dl;
			mc_memcpy(buf + len + 4, r->id, il);
			mc_memcpy(buf + len + 4 + il, r->detail, dl);
			len += 4 + il + dl;
			stored++;
		}
	put32(buf + 8, (u32)len);
	put32(buf + 36, stored);
	put32(buf + 40, omitted);
	return len;
}

static bool why(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool why(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mc_vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* A field of n bytes as a C string; printable ASCII only. */
static bool get_text(const u8 *p, size_t n, char *out)
{
	size_t i = 0;
	for (; i < n && p[i]; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e)
			return false;
		out[i] = (char)p[i];
	}
	out[i] = 0;
	return true;
}

bool mc_lastrun_decode(const u8 *buf, size_t len, struct mc_lastrun *out, char *err, size_t errlen)
{
	mc_memset(out, 0, sizeof(*out));
	if (len < MC_LASTRUN_HDR)
		return why(err, errlen, "record truncated: %u bytes, the header alone is %d", (unsigned)len, MC_LASTRUN_HDR);
	if (mc_memcmp(buf, magic, 4))
		return why(err, errlen, "not a memcrypt last-run record (magic %02x%02x%02x%02x, expected \"MCLR\")",
			   buf[0], buf[1], buf[2], buf[3]);
	if (get16(buf + 4) != 1)
		return why(err, errlen, "record format %u, this build reads format 1", get16(buf + 4));
	u32 size = get32(buf + 8);
	if (size != len)
		return why(err, errlen, "record says %u bytes, %u present", size, (unsigned)len);
	out->flags = get16(buf + 6);
	out->total = get32(buf + 12);
	for (int v = 0; v < MC_VERDICTS; v++)
		out->count[v] = get32(buf + 16 + 4 * v);
	out->stored = get32(buf + 36);
	out->omitted = get32(buf + 40);
	if (out->stored > MC_LASTRUN_MAX_ENTRIES)
		return why(err, errlen, "record claims %u entries, at most %d", out->stored, MC_LASTRUN_MAX_ENTRIES);
	if (!get_text(buf + 44, 12, out->version) || !get_text(buf + 56, 32, out->platform))
		return why(err, errlen, "record header holds non-printable text");
	size_t off = MC_LASTRUN_HDR;
	for (u32 i = 0; i < out->stored; i++) {
		struct mc_result *r = &out->entry[i];
		if (off + 4 > len)
			return why(err, errlen, "entry %u truncated at byte %u", i, (unsigned)off);
		u8 il = buf[off + 2], dl = buf[off + 3];
		if (buf[off] >= MC_VERDICTS || off + 4 + il + dl > len || il >= MC_RESULT_ID_MAX ||
		    dl >= MC_RESULT_DETAIL_MAX)
			return why(err, errlen, "entry %u at byte %u is malformed", i, (unsigned)off);
		r->verdict = buf[off];
		r->stage = buf[off + 1];
		if (!get_text(buf + off + 4, il, r->id) || mc_strlen(r->id) != il ||
		    !get_text(buf + off + 4 + il, dl, r->detail) || mc_strlen(r->detail) != dl)
			return why(err, errlen, "entry %u holds non-printable text", i);
		off += 4 + (size_t)il + dl;
	}
	if (off != len)
		return why(err, errlen, "%u stray bytes after the last entry", (unsigned)(len - off));
	return true;
}

bool mc_lastrun_set_flags(u8 *buf, size_t len, u16 flags)
{
	if (len < MC_LASTRUN_HDR || mc_memcmp(buf, magic, 4))
		return false;
	put16(buf + 6, flags);
	return true;
}

int mc_lastrun_summary(const struct mc_lastrun *lr, char *out, size_t outlen)
{
	u32 tests = lr->count[MC_PASS] + lr->count[MC_FAIL] + lr->count[MC_WARN] + lr->count[MC_SKIP];
	return mc_snprintf(out, outlen, "memcrypt %s on %s: %u tests, %u failures, %u skipped, %u warnings; ended with %s",
			   lr->version[0] ? lr->version : "?", lr->platform[0] ? lr->platform : "?", tests,
			   lr->count[MC_FAIL], lr->count[MC_SKIP], lr->count[MC_WARN],
			   (lr->flags & MC_LASTRUN_RESET) ? "a reset" : "the run's exit");
}

/* ---- JSON --------------------------------------------------------------- */
static const char *stage_name(u8 s)
{
	return s == MC_STAGE_UEFI ? "uefi" : s == MC_STAGE_KERNEL ? "kernel" : s == MC_STAGE_HOST ? "host" : "?";
}

int mc_lastrun_json(const struct mc_lastrun *lr, char *buf, size_t size)
{
	struct mc_json w;

	mc_json_init(&w, buf, size);
	mc_json_open(&w, NULL, "{");
	mc_json_str_member(&w, "version", lr->version);
	mc_json_str_member(&w, "platform", lr->platform);
	mc_json_bool_member(&w, "shown", lr->flags & MC_LASTRUN_SHOWN);
	mc_json_bool_member(&w, "ended_with_reset", lr->flags & MC_LASTRUN_RESET);
	mc_json_u64_member(&w, "results", lr->total);
	mc_json_open(&w, "summary", "{");
	mc_json_u64_member(&w, "pass", lr->count[MC_PASS]);
	mc_json_u64_member(&w, "fail", lr->count[MC_FAIL]);
	mc_json_u64_member(&w, "warn", lr->count[MC_WARN]);
	mc_json_u64_member(&w, "skip", lr->count[MC_SKIP]);
	mc_json_u64_member(&w, "info", lr->count[MC_INFO]);
	mc_json_close(&w, "}");
	mc_json_u64_member(&w, "omitted", lr->omitted);
	mc_json_open(&w, "checks", "[");
	for (u32 i = 0; i < lr->stored; i++) {
		const struct mc_result *r = &lr->entry[i];
		mc_json_open(&w, NULL, "{");
		mc_json_str_member(&w, "id", r->id);
		mc_json_str_member(&w, "verdict", mc_verdict_name((enum mc_verdict)r->verdict));
		mc_json_str_member(&w, "stage", stage_name(r->stage));
		mc_json_str_member(&w, "detail", r->detail);
		mc_json_close(&w, "}");
	}
	mc_json_close(&w, "]");
	mc_json_close(&w, "}");
	return mc_json_end(&w);
}
