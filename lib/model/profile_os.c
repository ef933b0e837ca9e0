/* A profile's `os` lines -> struct mc_os_view (docs/profile-format.md, "What
 * Linux said"). `os kmsg TEXT` and `os unread WHAT REASON` take the rest of
 * the line verbatim ('#' included), so a capture's kernel-log lines and
 * reasons come back exactly as written; the other `os` lines are words, and
 * '#' starts a comment there as everywhere else. */
#include "lib/model/profile.h"
#include "lib/mem.h"

#define OS_WORDS 16

struct osw {
	const char *s;
	size_t len;
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool w_is(const struct osw *w, const char *lit)
{
	size_t n = mc_strlen(lit);
	return w->len == n && !mc_strncmp(w->s, lit, n);
}

/* Words up to a '#'; -1 if more than OS_WORDS. */
static int words(const char *line, size_t len, struct osw *w)
{
	int n = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && is_blank(line[i]))
			i++;
		if (i >= len || line[i] == '#')
			break;
		size_t start = i;
		while (i < len && !is_blank(line[i]) && line[i] != '#')
			i++;
		if (n == OS_WORDS)
			return -1;
		w[n].s = line + start;
		w[n].len = i - start;
		n++;
	}
	return n;
}

/* The verbatim rest of the line after its first `skip` words: blanks after
 * them are dropped, one trailing CR too. */
static void tail(const char *line, size_t len, int skip, const char **t, size_t *tlen)
{
	size_t i = 0;
	for (int k = 0; k < skip; k++) {
		while (i < len && is_blank(line[i]))
			i++;
		while (i < len && !is_blank(line[i]))
			i++;
	}
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len > i && line[len - 1] == '\r')
		len--;
	*t = line + i;
	*tlen = len - i;
}

static bool copy(char *dst, size_t size, const char *s, size_t n)
{
	if (n >= size)
		return false;
	mc_memcpy(dst, s, n);
	dst[n] = 0;
	return true;
}

static bool num(const struct osw *w, u64 max, u64 *v)
{
	return mc_parse_u64(w->s, w->len, 0, v) && *v <= max;
}

/* "MAJ.MIN", each 0..255. */
static bool version(const struct osw *w, u8 *maj, u8 *min)
{
	size_t dot = 0;
	u64 a, b;
	while (dot < w->len && w->s[dot] != '.')
		dot++;
	if (dot == 0 || dot + 1 >= w->len || !mc_parse_u64(w->s, dot, 10, &a) ||
	    !mc_parse_u64(w->s + dot + 1, w->len - dot - 1, 10, &b) || a > 255 || b > 255)
		return false;
	*maj = (u8)a;
	*min = (u8)b;
	return true;
}

static const char *cpuinfo(struct mc_os_view *os, const struct osw *w, int n)
{
	static const char *const names[] = { "tme", "sme", "sev", "sev_es", "sev_snp" };
	if (os->cpuinfo_read || os->cpuinfo_why[0])
		return "os cpuinfo: given twice (or also as unread)";
	for (int i = 2; i < n; i++) {
		u32 bit = 0;
		for (u32 k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (w_is(&w[i], names[k]))
				bit = BIT(k);
		if (!bit)
			return "os cpuinfo: unknown flag (tme sme sev sev_es sev_snp)";
		if (os->cpuinfo_flags & bit)
			return "os cpuinfo: flag listed twice";
		os->cpuinfo_flags |= bit;
	}
	os->cpuinfo_read = true;
	return NULL;
}

static const char *kvm(struct mc_os_view *os, const struct osw *w, int n)
{
	if (n != 4 || !(w_is(&w[3], "Y") || w_is(&w[3], "N")))
		return "os kvm needs sev|sev_es|sev_snp|tdx Y|N";
	u8 *p = w_is(&w[2], "sev") ? &os->kvm_sev : w_is(&w[2], "sev_es") ? &os->kvm_sev_es :
		w_is(&w[2], "sev_snp") ? &os->kvm_sev_snp : w_is(&w[2], "tdx") ? &os->kvm_tdx : NULL;
	if (!p)
		return "os kvm: unknown parameter (sev sev_es sev_snp tdx)";
	if (*p != MC_TRI_UNKNOWN)
		return "os kvm: parameter given twice";
	*p = w_is(&w[3], "Y") ? MC_TRI_YES : MC_TRI_NO;
	return NULL;
}

/* `os psp|snp KEY VALUE ...`: every key of the list exactly once. */
static const char *psp(struct mc_os_view *os, const struct osw *w, int n, bool snp)
{
	int want = snp ? 6 : 5;
	u32 seen = 0;
	u64 v;
	if (snp ? (os->snp_read || os->snp_why[0]) : (os->psp_read || os->psp_why[0]))
		return snp ? "os snp: given twice (or also as unread)" : "os psp: given twice (or also as unread)";
	if (n != 2 + 2 * want)
		return snp ? "os snp needs api MAJ.MIN build N state N guests N rmp-init 0|1 tcb 0xN"
			   : "os psp needs api MAJ.MIN build N state N guests N flags 0xN";
	for (int i = 2; i < n; i += 2) {
		const struct osw *k = &w[i], *x = &w[i + 1];
		int idx = -1;
		bool ok = true;
		if (w_is(k, "api")) {
			idx = 0;
			ok = snp ? version(x, &os->snp.api_major, &os->snp.api_minor)
				 : version(x, &os->psp.api_major, &os->psp.api_minor);
		} else if (w_is(k, "build") && (ok = num(x, 0xffffffffULL, &v))) {
			idx = 1;
			snp ? (os->snp.build = (u32)v) : (os->psp.build = (u32)v);
		} else if (w_is(k, "state") && (ok = num(x, 255, &v))) {
			idx = 2;
			snp ? (os->snp.state = (u8)v) : (os->psp.state = (u8)v);
		} else if (w_is(k, "guests") && (ok = num(x, 0xffffffffULL, &v))) {
			idx = 3;
			snp ? (os->snp.guests = (u32)v) : (os->psp.guests = (u32)v);
		} else if (!snp && w_is(k, "flags") && (ok = num(x, 0xffffffffULL, &v))) {
			idx = 4;
			os->psp.flags = (u32)v;
		} else if (snp && w_is(k, "rmp-init") && (ok = num(x, 1, &v))) {
			idx = 4;
			os->snp.rmp_init = (u8)v;
		} else if (snp && w_is(k, "tcb") && (ok = num(x, ~0ULL, &v))) {
			idx = 5;
			os->snp.tcb = v;
		}
		if (!ok)
			return snp ? "os snp: malformed value (api MAJ.MIN, numbers decimal or 0x hex)"
				   : "os psp: malformed value (api MAJ.MIN, numbers decimal or 0x hex)";
		if (idx < 0)
			return snp ? "os snp: unknown key (api build state guests rmp-init tcb)"
				   : "os psp: unknown key (api build state guests flags)";
		if (seen & BIT(idx))
			return snp ? "os snp: key given twice" : "os psp: key given twice";
		seen |= BIT(idx);
	}
	if (snp)
		os->snp_read = true;
	else
		os->psp_read = true;
	return NULL;
}

static const char *unread(struct mc_os_view *os, const struct osw *w, int n, const char *line, size_t len)
{
	const char *t;
	size_t tl;
	char *why;
	bool taken;
	if (n < 4)
		return "os unread needs cpuinfo|kmsg|psp|snp and a REASON";
	if (w_is(&w[2], "cpuinfo"))
		why = os->cpuinfo_why, taken = os->cpuinfo_read;
	else if (w_is(&w[2], "kmsg"))
		why = os->kmsg_why, taken = os->kmsg_read;
	else if (w_is(&w[2], "psp"))
		why = os->psp_why, taken = os->psp_read;
	else if (w_is(&w[2], "snp"))
		why = os->snp_why, taken = os->snp_read;
	else
		return "os unread: unknown source (cpuinfo kmsg psp snp)";
	if (taken || why[0])
		return "os unread: source given twice (or also as read)";
	tail(line, len, 3, &t, &tl);
	if (!copy(why, MC_OS_REASON_LEN, t, tl))
		return "os unread: reason longer than 95 characters";
	return NULL;
}

const char *mc_profile_os_line(struct mc_os_view *os, const char *line, size_t len)
{
	struct osw w[OS_WORDS];
	int n = words(line, len, w);
	const char *why = NULL;

	if (n < 0)
		n = OS_WORDS;   /* only kmsg and unread lines may be longer */
	if (n < 2)
		return "os needs cpuinfo, kmsg, kvm, tsme, psp, snp or unread";
	if (w_is(&w[1], "kmsg")) {
		const char *t;
		size_t tl;
		tail(line, len, 2, &t, &tl);
		if (os->kmsg_why[0])
			return "os kmsg: the kernel log is also given as unread";
		os->kmsg_read = true;   /* a bare `os kmsg`: read, nothing kept */
		if (tl && os->n_kmsg == MC_OS_KMSG_LINES)
			return "os kmsg: more than 16 lines";
		if (tl && !copy(os->kmsg[os->n_kmsg++], MC_OS_KMSG_LEN, t, tl))
			return "os kmsg: text longer than 159 characters";
	} else if (w_is(&w[1], "unread")) {
		why = unread(os, w, n, line, len);
	} else if (words(line, len, w) < 0) {
		return "too many words on one line";
	} else if (w_is(&w[1], "cpuinfo")) {
		why = cpuinfo(os, w, n);
	} else if (w_is(&w[1], "kvm")) {
		why = kvm(os, w, n);
	} else if (w_is(&w[1], "tsme")) {
		if (n != 3 || !(w_is(&w[2], "on") || w_is(&w[2], "off")))
			return "os tsme needs on|off";
		if (os->tsme != MC_TRI_UNKNOWN)
			return "os tsme: given twice";
		os->tsme = w_is(&w[2], "on") ? MC_TRI_YES : MC_TRI_NO;
	} else if (w_is(&w[1], "psp") || w_is(&w[1], "snp")) {
		why = psp(os, w, n, w_is(&w[1], "snp"));
	} else {
		return "os: unknown line (cpuinfo kmsg kvm tsme psp snp unread)";
	}
	if (!why)
		os->present = true;
	return why;
}
