/* Profile text -> struct mc_profile (format: docs/profile-format.md).
 * Line-oriented, whitespace-separated words, '#' starts a comment. Every
 * error names name:LINE and leaves the struct cleared, so a half-read
 * profile can never drive the model. */
#include "lib/model/profile.h"
#include "lib/mem.h"
#include "lib/fmt.h"

#define MAX_WORDS 8
#define STR_(x) #x
#define STR(x)  STR_(x)   /* a limit's literal, so messages follow the constants */

struct word {
	const char *s;
	size_t len;
};

static bool word_is(const struct word *w, const char *lit)
{
	size_t n = mc_strlen(lit);
	return w->len == n && !mc_strncmp(w->s, lit, n);
}

/* Register values and addresses: hex, optional 0x. */
static bool parse_hex(const struct word *w, u64 max, u64 *out)
{
	return mc_parse_u64(w->s, w->len, 16, out) && *out <= max;
}

/* Counts: decimal, or hex with 0x. */
static bool parse_count(const struct word *w, u64 max, u64 *out)
{
	return mc_parse_u64(w->s, w->len, 0, out) && *out <= max;
}

/* Sizes: decimal with an optional K/M/G/T suffix (binary units), or 0x hex. */
static bool parse_size(const struct word *w, u64 *out)
{
	u64 mult = 1, v;
	size_t len = w->len;
	char last = len ? w->s[len - 1] : 0;

	if (len > 2 && w->s[0] == '0' && (w->s[1] == 'x' || w->s[1] == 'X'))
		return mc_parse_u64(w->s, len, 16, out);
	if (last == 'K' || last == 'k') mult = 1ULL << 10;
	if (last == 'M' || last == 'm') mult = 1ULL << 20;
	if (last == 'G' || last == 'g') mult = 1ULL << 30;
	if (last == 'T' || last == 't') mult = 1ULL << 40;
	if (mult != 1)
		len--;
	if (!mc_parse_u64(w->s, len, 10, &v) || v > (~0ULL) / mult)
		return false;
	*out = v * mult;
	return true;
}

/* Does the line start with the word `os`? (Its lines are parsed whole by
 * profile_os.c: kernel-log text keeps its '#' and its length.) */
static bool os_line(const char *line, size_t len)
{
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return len - i >= 2 && line[i] == 'o' && line[i + 1] == 's' &&
	       (len - i == 2 || line[i + 2] == ' ' || line[i + 2] == '\t' || line[i + 2] == '\r');
}

static int split(const char *line, size_t len, struct word *w)
{
	int n = 0;
	size_t i = 0;

	while (i < len) {
		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i >= len || line[i] == '#')
			break;
		size_t start = i;
		while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r' && line[i] != '#')
			i++;
		if (n == MAX_WORDS)
			return -1;
		w[n].s = line + start;
		w[n].len = i - start;
		n++;
	}
	return n;
}

/* One directive. Returns NULL, or a static description of what is wrong. */
static const char *parse_line(struct mc_profile *p, struct word *w, int n)
{
	u64 v[6];

	if (word_is(&w[0], "seed")) {
		if (n != 2 || !parse_count(&w[1], ~0ULL, &v[0]))
			return "seed needs N (decimal, or hex with 0x)";
		p->seed = v[0];
		p->seed_set = 1;
		return NULL;
	}
	if (word_is(&w[0], "cpuid")) {
		if (n != 7)
			return "cpuid needs LEAF SUBLEAF EAX EBX ECX EDX";
		for (int i = 0; i < 6; i++)
			if (!parse_hex(&w[i + 1], 0xffffffffULL, &v[i]))
				return "cpuid: malformed hex number (32-bit)";
		if (mc_profile_find_cpuid(p, (u32)v[0], (u32)v[1]))
			return "cpuid: leaf/subleaf listed twice";
		if (p->n_cpuid == MC_PROFILE_MAX_CPUID)
			return "too many cpuid lines";
		struct mc_profile_cpuid *c = &p->cpuid[p->n_cpuid++];
		c->leaf = (u32)v[0]; c->subleaf = (u32)v[1];
		c->eax = (u32)v[2]; c->ebx = (u32)v[3]; c->ecx = (u32)v[4]; c->edx = (u32)v[5];
		return NULL;
	}
	if (word_is(&w[0], "msr")) {
		if (n != 3)
			return "msr needs ADDR VALUE or ADDR gp";
		if (!parse_hex(&w[1], 0xffffffffULL, &v[0]))
			return "msr: malformed address (32-bit hex)";
		if (mc_profile_find_msr(p, (u32)v[0]))
			return "msr: address listed twice";
		if (p->n_msr == MC_PROFILE_MAX_MSR)
			return "too many msr lines";
		struct mc_profile_msr *m = &p->msr[p->n_msr];
		if (word_is(&w[2], "gp")) {
			m->flags = MC_PROFILE_MSR_GP;
		} else if (!parse_hex(&w[2], ~0ULL, &m->value)) {
			return "msr: malformed value (64-bit hex or 'gp')";
		}
		m->addr = (u32)v[0];
		p->n_msr++;
		return NULL;
	}
	if (word_is(&w[0], "cpus") || word_is(&w[0], "packages")) {
		bool cpus = word_is(&w[0], "cpus");
		if (n != 2)
			return cpus ? "cpus needs N" : "packages needs N";
		if (!parse_count(&w[1], cpus ? MC_PROFILE_MAX_CPUS : MC_PROFILE_MAX_PACKAGES, &v[0]) || !v[0])
			return cpus ? "cpus: expected 1.." STR(MC_PROFILE_MAX_CPUS) :
				      "packages: expected 1.." STR(MC_PROFILE_MAX_PACKAGES);
		if (cpus)
			p->cpus = (u32)v[0];
		else
			p->packages = (u32)v[0];
		return NULL;
	}
	if (word_is(&w[0], "memory")) {
		if (n != 2)
			return "memory needs SIZE";
		if (!parse_size(&w[1], &v[0]))
			return "memory: malformed size (e.g. 16M, 1T, 16777216, 0x1000000)";
		if (v[0] < MC_PROFILE_MIN_MEMORY || v[0] > MC_PROFILE_MAX_MEMORY || (v[0] & 0xfff))
			return "memory: must be a multiple of 4K between " STR(MC_PROFILE_MIN_MEMORY_KIB) "K and " STR(MC_PROFILE_MAX_MEMORY_TIB) "T";
		p->memory = v[0];
		return NULL;
	}
	if (word_is(&w[0], "fault")) {
		if (n < 2)
			return "fault needs NAME";
		if (word_is(&w[1], "rng-fail") || word_is(&w[1], "restore-fail") ||
		    word_is(&w[1], "entropy-error")) {
			if (n != 2)
				return "fault: this fault takes no argument";
			p->faults |= word_is(&w[1], "rng-fail") ? MC_FAULT_RNG_FAIL :
				     word_is(&w[1], "restore-fail") ? MC_FAULT_RESTORE_FAIL :
				     MC_FAULT_ENTROPY_ERROR;
			return NULL;
		}
		if (word_is(&w[1], "pconfig-busy")) {
			if (n != 3 || !parse_count(&w[2], 0xffffffffULL, &v[0]))
				return "fault pconfig-busy needs a count N";
			p->faults |= MC_FAULT_PCONFIG_BUSY;
			p->pconfig_busy = (u32)v[0];
			return NULL;
		}
		if (word_is(&w[1], "core-mismatch")) {
			if (n != 3 || !parse_count(&w[2], MC_PROFILE_MAX_CPUS - 1, &v[0]))
				return "fault core-mismatch needs a CPU number";
			p->faults |= MC_FAULT_CORE_MISMATCH;
			p->core_mismatch_cpu = (u32)v[0];
			return NULL;
		}
		return "fault: unknown fault (rng-fail restore-fail entropy-error pconfig-busy core-mismatch)";
	}
	return "unknown directive";
}

int mc_profile_parse(struct mc_profile *p, const char *text, size_t len, const char *name,
		     char *err, size_t errlen)
{
	struct word w[MAX_WORDS];
	size_t pos = 0;
	int line = 0;

	mc_memset(p, 0, sizeof(*p));
	p->version = MC_PROFILE_VERSION;
	p->cpus = 1;
	p->packages = 1;
	p->memory = MC_PROFILE_DEFAULT_MEMORY;

	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		line++;
		const char *why = NULL;
		for (size_t i = pos; i < end; i++)
			if (text[i] == '\0')
				why = "NUL byte in profile text";
		bool os = !why && os_line(text + pos, end - pos);
		if (os)
			why = mc_profile_os_line(&p->os, text + pos, end - pos);
		int n = why || os ? 0 : split(text + pos, end - pos, w);
		if (n < 0)
			why = "too many words on one line";
		else if (n > 0)
			why = parse_line(p, w, n);
		if (why) {
			mc_snprintf(err, errlen, "%s:%d: %s", name, line, why);
			mc_memset(p, 0, sizeof(*p));
			return -1;
		}
		pos = end + 1;
	}
	if (p->cpus % p->packages) {
		mc_snprintf(err, errlen, "%s:%d: cpus (%u) must be a multiple of packages (%u)",
			    name, line, p->cpus, p->packages);
		mc_memset(p, 0, sizeof(*p));
		return -1;
	}
	if ((p->memory / p->packages) & 0xfff) {
		mc_snprintf(err, errlen, "%s:%d: memory must split into whole 4K pages per package",
			    name, line);
		mc_memset(p, 0, sizeof(*p));
		return -1;
	}
	if ((p->faults & MC_FAULT_CORE_MISMATCH) && p->core_mismatch_cpu >= p->cpus) {
		mc_snprintf(err, errlen, "%s:%d: fault core-mismatch: cpu %u but only %u cpus",
			    name, line, p->core_mismatch_cpu, p->cpus);
		mc_memset(p, 0, sizeof(*p));
		return -1;
	}
	return 0;
}

const struct mc_profile_msr *mc_profile_find_msr(const struct mc_profile *p, u32 addr)
{
	for (u32 i = 0; i < p->n_msr && i < MC_PROFILE_MAX_MSR; i++)
		if (p->msr[i].addr == addr)
			return &p->msr[i];
	return NULL;
}

const struct mc_profile_cpuid *mc_profile_find_cpuid(const struct mc_profile *p, u32 leaf, u32 subleaf)
{
	for (u32 i = 0; i < p->n_cpuid && i < MC_PROFILE_MAX_CPUID; i++)
		if (p->cpuid[i].leaf == leaf && p->cpuid[i].subleaf == subleaf)
			return &p->cpuid[i];
	return NULL;
}
