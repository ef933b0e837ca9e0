/* memcrypt xts-cavp FILE.rsp: run a NIST CAVP XTSGenAES response file.
 * Format (CAVS 11.0 XTSGen): "[ENCRYPT]" / "[DECRYPT]" sections; records of
 * "COUNT = n", "DataUnitLen = bits", "Key = hex", and either "i = hex" (the
 * 128-bit tweak) or "DataUnitSeqNumber = decimal" (tweak-dataunitseqno:
 * the sequence number, little-endian, IEEE 1619 5.1), then PT and CT (in
 * the section's order). Lines may end in CRLF; '#' starts a comment. */
#include "host/command.h"
#include "host/cmd_xts_cavp.h"
#include "lib/mem.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define CAVP_MAX_DATA 4096

struct record {
	int line, count;
	bool have_count, have_len, have_key, have_tweak, have_pt, have_ct;
	u64 bits;
	u8 key[64], tweak[16];
	size_t keylen, ptlen, ctlen;
	u8 pt[CAVP_MAX_DATA], ct[CAVP_MAX_DATA];
};

__attribute__((format(printf, 5, 6)))
static int fail_at(char *err, size_t errlen, const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s:%d: ", path, line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int run_record(const char *path, struct record *r, int encrypt, enum xts_backend be,
		      struct xts_cavp_stats *st, FILE *log, char *err, size_t errlen)
{
	if (!r->have_count && !r->have_len && !r->have_key)
		return 0;   /* nothing pending */
	if (!(r->have_count && r->have_len && r->have_key && r->have_tweak && r->have_pt && r->have_ct))
		return fail_at(err, errlen, path, r->line, "incomplete vector (needs COUNT, DataUnitLen, "
			       "Key, i or DataUnitSeqNumber, PT, CT)");
	if (encrypt < 0)
		return fail_at(err, errlen, path, r->line, "vector outside an [ENCRYPT] or [DECRYPT] section");
	size_t bytes = (size_t)((r->bits + 7) / 8);
	if (r->ptlen != bytes || r->ctlen != bytes)
		return fail_at(err, errlen, path, r->line, "PT/CT length does not match DataUnitLen = %llu",
			       (unsigned long long)r->bits);
	if (r->bits % 8) {
		st->skipped++;
		return 0;
	}
	struct xts_ctx ctx;
	u8 out[CAVP_MAX_DATA];
	const char *what = "mismatch";
	int rc = xts_init(&ctx, r->key, r->keylen, encrypt ? XTS_ENCRYPT : XTS_DECRYPT, be);
	if (rc == XTS_OK)
		rc = encrypt ? xts_encrypt(&ctx, r->tweak, r->pt, out, bytes)
			     : xts_decrypt(&ctx, r->tweak, r->ct, out, bytes);
	xts_wipe(&ctx);
	if (rc != XTS_OK)
		what = xts_strerror(rc);
	else if (!memcmp(out, encrypt ? r->ct : r->pt, bytes))
		what = NULL;
	mc_wipe(out, sizeof(out));
	if (!what) {
		st->passed++;
	} else {
		st->failed++;
		if (log)
			fprintf(log, "%s:%d: COUNT %d (%s, %zu bytes): %s\n", path, r->line, r->count,
				encrypt ? "ENCRYPT" : "DECRYPT", bytes, what);
	}
	return 0;
}

static bool field_hex(const char *v, size_t vlen, u8 *out, size_t max, size_t *got)
{
	int n = mc_hex_decode(v, vlen, out, max);
	if (n < 0 || (vlen > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')))
		return false;
	*got = (size_t)n;
	return true;
}

int xts_cavp_run(const char *path, const char *text, enum xts_backend be,
		 struct xts_cavp_stats *st, FILE *log, char *err, size_t errlen)
{
	struct record *r = calloc(1, sizeof(*r));
	int encrypt = -1, line = 0, rc = 0;
	if (!r)
		return fail_at(err, errlen, path, 0, "out of memory");
	memset(st, 0, sizeof(*st));

	for (const char *p = text; *p && !rc;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		line++;
		const char *s = p;
		p += n + (eol ? 1 : 0);
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		while (n && (*s == ' ' || *s == '\t'))
			s++, n--;
		if (!n) {
			continue;
		}
		if (*s == '#')
			continue;
		if (*s == '[') {
			rc = run_record(path, r, encrypt, be, st, log, err, errlen);
			memset(r, 0, sizeof(*r));
			if (n == 9 && !strncmp(s, "[ENCRYPT]", 9))
				encrypt = 1;
			else if (n == 9 && !strncmp(s, "[DECRYPT]", 9))
				encrypt = 0;
			else
				rc = fail_at(err, errlen, path, line, "unknown section %.*s", (int)n, s);
			continue;
		}
		const char *eq = memchr(s, '=', n);
		if (!eq) {
			rc = fail_at(err, errlen, path, line, "expected NAME = VALUE");
			break;
		}
		size_t klen = (size_t)(eq - s);
		while (klen && (s[klen - 1] == ' ' || s[klen - 1] == '\t'))
			klen--;
		const char *v = eq + 1;
		size_t vlen = n - (size_t)(v - s);
		while (vlen && (*v == ' ' || *v == '\t'))
			v++, vlen--;
#define IS(name) (klen == sizeof(name) - 1 && !strncmp(s, name, klen))
		if (IS("COUNT")) {
			rc = run_record(path, r, encrypt, be, st, log, err, errlen);
			memset(r, 0, sizeof(*r));
			u64 c = 0;
			if (!rc && (!mc_parse_u64(v, vlen, 10, &c) || c > 1000000000ULL))
				rc = fail_at(err, errlen, path, line, "bad COUNT");
			r->count = (int)c;
			r->line = line;
			r->have_count = true;
		} else if (IS("DataUnitLen")) {
			if (!mc_parse_u64(v, vlen, 10, &r->bits) || r->bits == 0 || r->bits > 8 * CAVP_MAX_DATA)
				rc = fail_at(err, errlen, path, line, "bad DataUnitLen (bits, 1..%d)", 8 * CAVP_MAX_DATA);
			r->have_len = true;
		} else if (IS("Key")) {
			if (!field_hex(v, vlen, r->key, sizeof(r->key), &r->keylen) ||
			    (r->keylen != 32 && r->keylen != 64))
				rc = fail_at(err, errlen, path, line, "bad Key (want 64 or 128 hex digits)");
			r->have_key = true;
		} else if (IS("i")) {
			size_t tl;
			if (!field_hex(v, vlen, r->tweak, 16, &tl) || tl != 16)
				rc = fail_at(err, errlen, path, line, "bad i (want 32 hex digits)");
			r->have_tweak = true;
		} else if (IS("DataUnitSeqNumber")) {
			u64 seq;
			if (!mc_parse_u64(v, vlen, 10, &seq))
				rc = fail_at(err, errlen, path, line, "bad DataUnitSeqNumber");
			xts_tweak_from_seq(seq, r->tweak);
			r->have_tweak = true;
		} else if (IS("PT")) {
			if (!field_hex(v, vlen, r->pt, sizeof(r->pt), &r->ptlen))
				rc = fail_at(err, errlen, path, line, "bad PT hex");
			r->have_pt = true;
		} else if (IS("CT")) {
			if (!field_hex(v, vlen, r->ct, sizeof(r->ct), &r->ctlen))
				rc = fail_at(err, errlen, path, line, "bad CT hex");
			r->have_ct = true;
		} else {
			rc = fail_at(err, errlen, path, line, "unknown field %.*s", (int)klen, s);
		}
#undef IS
	}
	if (!rc)
		rc = run_record(path, r, encrypt, be, st, log, err, errlen);
	mc_wipe(r, sizeof(*r));
	free(r);
	return rc;
}

static int usage(void)
{
	fprintf(stderr, "usage: memcrypt xts-cavp FILE.rsp [--backend ct64|aesni|vaes|vaes256|ct256|auto]\n");
	return 2;
}

static int cmd_xts_cavp(int argc, char **argv)
{
	const char *path = NULL;
	int be = XTS_BACKEND_AUTO;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--backend") && i + 1 < argc) {
			be = xts_backend_from_name(argv[++i]);
			if (be < 0) {
				fprintf(stderr, "memcrypt xts-cavp: unknown backend '%s' (ct64, aesni, vaes, vaes256, ct256, auto)\n", argv[i]);
				return 2;
			}
			if (!xts_backend_supported(be)) {
				fprintf(stderr, "memcrypt xts-cavp: backend '%s' not available on this CPU\n", argv[i]);
				return 2;
			}
		} else if (!path && argv[i][0] != '-') {
			path = argv[i];
		} else {
			return usage();
		}
	}
	if (!path)
		return usage();
	size_t len;
	char *text = host_read_file(path, &len);
	if (!text) {
		fprintf(stderr, "memcrypt xts-cavp: %s:0: cannot read: %s\n", path, strerror(errno));
		return 2;
	}
	if (strlen(text) != len) {
		free(text);
		fprintf(stderr, "memcrypt xts-cavp: %s:1: not a text file (NUL byte)\n", path);
		return 2;
	}
	struct xts_cavp_stats st;
	char err[512];
	int rc = xts_cavp_run(path, text, (enum xts_backend)be, &st, stdout, err, sizeof(err));
	free(text);
	if (rc) {
		fprintf(stderr, "memcrypt xts-cavp: %s\n", err);
		return 2;
	}
	if (st.passed + st.failed + st.skipped == 0) {
		fprintf(stderr, "memcrypt xts-cavp: %s:%d: no vectors found\n", path, 1);
		return 2;
	}
	printf("backend %s\n", xts_backend_name(be == XTS_BACKEND_AUTO ? xts_backend_best() : (enum xts_backend)be));
	printf("%u skipped (data unit not a whole number of bytes)\n", st.skipped);
	printf("%u passed, %u failed\n", st.passed, st.failed);
	return st.failed ? 1 : 0;
}

/* Registered by hand: HOST_COMMAND names a command after its C identifier,
 * and this one is spelled with a dash. */
static const struct host_command xts_cavp_command = {
	"xts-cavp", "xts-cavp FILE.rsp [--backend NAME]",
	"run a NIST CAVP XTSGenAES response file; last line: N passed, M failed", cmd_xts_cavp,
};

__attribute__((constructor)) static void register_xts_cavp(void)
{
	host_command_register(&xts_cavp_command);
}
