/* Policy parsing: syntax only. Checks that need the platform (capability,
 * MAXPHYADDR) are in lib/bios/plan.c, run before any write. */
#include "lib/policy.h"
#include "lib/kv.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "arch/x86/msr-index.h"

/* MK_TME_KEYID_BITS is a 4-bit field (Intel seed Table 4-2 bits 35:32;
 * Table 4-1: "4 bits allow for a max value of 15"). */
#define KEYID_BITS_FIELD_MAX 15

void mc_policy_defaults(struct mc_policy *p)
{
	mc_memset(p, 0, sizeof(*p));
	p->exit_mode = MC_EXIT_AUTO;
	p->serial_port = 0x3f8;
	p->mode = MC_POLICY_VALIDATE;
	p->tme = true;
	p->algorithm = TME_ACTIVATE_POLICY_AES_XTS_128;
	p->sme = true;
	p->core_activate = true;
}

struct apply_ctx {
	struct mc_policy *p;
	char *err;
	size_t errlen;
	const char *where;     /* "policy.conf:" or "argument " */
};

static bool bad(struct apply_ctx *c, unsigned int n, const char *key, const char *value, const char *why)
{
	mc_snprintf(c->err, c->errlen, "%s%u: %s=%s: %s", c->where, n, key, value, why);
	return false;
}

static void origin(struct apply_ctx *c, unsigned int n, struct mc_policy_origin *o)
{
	mc_snprintf(o->where, sizeof(o->where), "%s%u", c->where, n);
}

/* on|off -> *out; false if neither. */
static bool on_off(const char *value, bool *out)
{
	if (!mc_strcmp(value, "on")) {
		*out = true;
		return true;
	}
	if (!mc_strcmp(value, "off")) {
		*out = false;
		return true;
	}
	return false;
}

const char *mc_policy_alg_name(u8 tme_policy)
{
	return tme_policy == TME_ACTIVATE_POLICY_AES_XTS_128 ? "aes-xts-128" :
	       tme_policy == TME_ACTIVATE_POLICY_AES_XTS_256 ? "aes-xts-256" : "invalid";
}

/* Algorithm name -> Table 4-2 policy value (which is also the bit index in
 * IA32_TME_CAPABILITY and in MK_TME_CRYPTO_ALGS); -1 if unknown. */
static int alg_value(const char *s, size_t n)
{
	if (n == 11 && !mc_strncmp(s, "aes-xts-128", 11))
		return TME_ACTIVATE_POLICY_AES_XTS_128;
	if (n == 11 && !mc_strncmp(s, "aes-xts-256", 11))
		return TME_ACTIVATE_POLICY_AES_XTS_256;
	return -1;
}

/* A number with an optional binary-unit suffix K, M, G or T: "0x100000",
 * "64M", "4096". */
static bool parse_amount(const char *s, size_t n, u64 *out)
{
	u64 mult = 1, v;
	char last = n ? s[n - 1] : 0;
	bool hex = n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (!hex) {
		if (last == 'K' || last == 'k') mult = 1ULL << 10;
		if (last == 'M' || last == 'm') mult = 1ULL << 20;
		if (last == 'G' || last == 'g') mult = 1ULL << 30;
		if (last == 'T' || last == 't') mult = 1ULL << 40;
		if (mult != 1)
			n--;
	}
	if (!mc_parse_u64(s, n, 0, &v) || v > ~0ULL / mult)
		return false;
	*out = v * mult;
	return true;
}

/* exclude=BASE:SIZE|none. Intel seed Table 4-5: the mask selects the bits
 * that must match the base, so the range is a power-of-two size, at least
 * one 4 KiB page (bits 11:0 are not part of TMEEMASK), aligned to itself. */
static bool apply_exclude(struct apply_ctx *c, unsigned int n, const char *key, const char *value)
{
	struct mc_policy *p = c->p;
	u64 base, size;
	size_t len = mc_strlen(value), colon = 0;

	if (!mc_strcmp(value, "none")) {
		p->exclude_set = true;
		p->exclude_base = p->exclude_size = 0;
		origin(c, n, &p->o_exclude);
		return true;
	}
	while (colon < len && value[colon] != ':')
		colon++;
	if (colon == len || !parse_amount(value, colon, &base) ||
	    !parse_amount(value + colon + 1, len - colon - 1, &size))
		return bad(c, n, key, value, "expected BASE:SIZE (e.g. 0x80000000:256M) or none");
	if (size < 4096 || (size & (size - 1)))
		return bad(c, n, key, value, "size must be a power of two of at least 4K (Intel seed Table 4-5: a mask)");
	if (base & (size - 1))
		return bad(c, n, key, value, "base must be aligned to the size (Intel seed Table 4-5: TMEEBASE under TMEEMASK)");
	if (base + size < base)
		return bad(c, n, key, value, "range wraps past 2^64");
	p->exclude_set = true;
	p->exclude_base = base;
	p->exclude_size = size;
	origin(c, n, &p->o_exclude);
	return true;
}

/* mktme-algorithms=aes-xts-128,aes-xts-256 -> MK_TME_CRYPTO_ALGS bits. */
static bool apply_mktme_algs(struct apply_ctx *c, unsigned int n, const char *key, const char *value)
{
	u16 algs = 0;
	size_t i = 0, len = mc_strlen(value);
	while (i <= len) {
		size_t s = i;
		while (i < len && value[i] != ',')
			i++;
		int a = alg_value(value + s, i - s);
		if (a < 0)
			return bad(c, n, key, value, "expected a comma-separated list of aes-xts-128, aes-xts-256");
		algs |= (u16)BIT(a);
		i++;
	}
	c->p->mktme_algs = algs;
	c->p->mktme_algs_set = true;
	origin(c, n, &c->p->o_mktme_algs);
	return true;
}

/* An on|off key whose origin is remembered. */
static bool apply_flag(struct apply_ctx *c, unsigned int n, const char *key, const char *value, bool *field,
		       struct mc_policy_origin *o)
{
	if (!on_off(value, field))
		return bad(c, n, key, value, "expected on or off");
	if (o)
		origin(c, n, o);
	return true;
}

static bool apply_bios(struct apply_ctx *c, const char *key, const char *value, unsigned int n, bool *handled)
{
	struct mc_policy *p = c->p;
	*handled = true;

	if (!mc_strcmp(key, "mode")) {
		if (!mc_strcmp(value, "validate"))
			p->mode = MC_POLICY_VALIDATE;
		else if (!mc_strcmp(value, "program"))
			p->mode = MC_POLICY_PROGRAM;
		else
			return bad(c, n, key, value, "expected validate or program");
		return true;
	}
	if (!mc_strcmp(key, "tme"))
		return apply_flag(c, n, key, value, &p->tme, &p->o_tme);
	if (!mc_strcmp(key, "bypass"))
		return apply_flag(c, n, key, value, &p->bypass, &p->o_bypass);
	if (!mc_strcmp(key, "save-key"))
		return apply_flag(c, n, key, value, &p->save_key, &p->o_save_key);
	if (!mc_strcmp(key, "sme"))
		return apply_flag(c, n, key, value, &p->sme, &p->o_sme);
	if (!mc_strcmp(key, "core-activate"))
		return apply_flag(c, n, key, value, &p->core_activate, NULL);
	if (!mc_strcmp(key, "algorithm")) {
		int a = alg_value(value, mc_strlen(value));
		if (a < 0)
			return bad(c, n, key, value, "expected aes-xts-128 or aes-xts-256");
		p->algorithm = (u8)a;
		p->algorithm_set = true;
		origin(c, n, &p->o_algorithm);
		return true;
	}
	if (!mc_strcmp(key, "keyid-bits")) {
		u64 v;
		if (!mc_parse_u64(value, mc_strlen(value), 10, &v))
			return bad(c, n, key, value, "expected a decimal number of KeyID bits");
		if (v > KEYID_BITS_FIELD_MAX)
			return bad(c, n, key, value, "above 15, the most the 4-bit MK_TME_KEYID_BITS field holds (Intel seed Table 4-2)");
		p->keyid_bits = (u8)v;
		p->keyid_bits_set = true;
		origin(c, n, &p->o_keyid_bits);
		return true;
	}
	if (!mc_strcmp(key, "mktme-algorithms"))
		return apply_mktme_algs(c, n, key, value);
	if (!mc_strcmp(key, "exclude"))
		return apply_exclude(c, n, key, value);
	if (!mc_strcmp(key, "key")) {
		if (!mc_strcmp(value, "new"))
			p->key_restore = false;
		else if (!mc_strcmp(value, "restore"))
			p->key_restore = true;
		else
			return bad(c, n, key, value, "expected new or restore");
		origin(c, n, &p->o_key);
		return true;
	}
	if (!mc_strcmp(key, "after-reset")) {
		if (!mc_strcmp(value, "run"))
			p->after_reset_run = true;
		else if (!mc_strcmp(value, "stop"))
			p->after_reset_run = false;
		else
			return bad(c, n, key, value, "expected run or stop");
		return true;
	}
	*handled = false;
	return true;
}

static bool apply(void *arg, const char *key, const char *value, unsigned int n)
{
	struct apply_ctx *c = arg;
	struct mc_policy *p = c->p;
	bool handled;

	if (!apply_bios(c, key, value, n, &handled))
		return false;
	if (handled)
		return true;
	if (!mc_strcmp(key, "exit")) {
		if (!mc_strcmp(value, "auto"))
			p->exit_mode = MC_EXIT_AUTO;
		else if (!mc_strcmp(value, "reset"))
			p->exit_mode = MC_EXIT_RESET;
		else if (!mc_strcmp(value, "halt"))
			p->exit_mode = MC_EXIT_HALT;
		else
			return bad(c, n, key, value, "expected auto, reset or halt");
		return true;
	}
	if (!mc_strcmp(key, "serial")) {
		u64 port;
		if (!mc_strcmp(value, "none"))
			p->serial_port = 0;
		else if (mc_parse_u64(value, mc_strlen(value), 0, &port) && port && port < 0xfff8)
			p->serial_port = (u16)port;
		else
			return bad(c, n, key, value, "expected an I/O port such as 0x3f8, or none");
		return true;
	}
	if (!mc_strcmp(key, "kernel-test")) {
		if (mc_strcmp(value, "pf") && mc_strcmp(value, "gp") && mc_strcmp(value, "ud") && mc_strcmp(value, "hang") &&
		    mc_strcmp(value, "ap-hang") && mc_strcmp(value, "ap-fault") && mc_strcmp(value, "ap-nosipi") &&
		    mc_strcmp(value, "pkg0-only") && mc_strcmp(value, "stack-overflow") && mc_strcmp(value, "nmi") &&
		    mc_policy_test_vector(value) < 0)
			return bad(c, n, key, value,
				   "expected pf, gp, ud, vector-0..vector-31, stack-overflow, nmi, hang, ap-hang, ap-fault, ap-nosipi or pkg0-only");
		mc_strlcpy(p->kernel_test, value, sizeof(p->kernel_test));
		return true;
	}
	if (!mc_strcmp(key, "stage-test")) {
		if (!MC_POLICY_STAGE_VECTOR_OK(mc_policy_test_vector(value)))
			return bad(c, n, key, value,
				   "expected vector-0..vector-31 but vector-20 and vector-29 (#VE and #VC stay the firmware's)");
		mc_strlcpy(p->stage_test, value, sizeof(p->stage_test));
		return true;
	}
	return bad(c, n, key, value, "unknown key");
}

bool mc_policy_parse_file(struct mc_policy *p, const char *text, size_t len, const char *name,
			  char *err, size_t errlen)
{
	char where[64], inner[200] = "";
	mc_snprintf(where, sizeof(where), "%s:", name);
	struct apply_ctx c = { p, err, errlen, where };
	if (mc_kv_parse_lines(text, len, apply, &c, inner, sizeof(inner)))
		return true;
	/* kv's own syntax errors say "line N: ..."; ours already name the file. */
	if (!mc_strncmp(inner, "line ", 5))
		mc_snprintf(err, errlen, "%s:%s", name, inner + 5);
	else if (inner[0])
		mc_snprintf(err, errlen, "%s", inner);
	return false;
}

void mc_policy_load_options_ascii(const void *opts, size_t size, char *out, size_t outlen)
{
	const u8 *b = opts;
	size_t n = size / 2, j = 0;

	out[0] = 0;
	if (!opts || size < 2)
		return;
	for (size_t i = 0; i < n; i++) {
		u16 w = (u16)(b[2 * i] | b[2 * i + 1] << 8);
		if (!w)
			break;
		if (w < 0x20 || w > 0x7e) {
			out[0] = 0;
			return;
		}
		if (j + 1 < outlen)
			out[j++] = (char)w;
	}
	out[j] = 0;
	size_t first = 0;
	while (out[first] && out[first] != ' ' && out[first] != '=')
		first++;
	if (out[first] != '=') {
		while (out[first] == ' ')
			first++;
		mc_memmove(out, out + first, mc_strlen(out + first) + 1);
	}
}

bool mc_policy_parse_args(struct mc_policy *p, const char *args, char *err, size_t errlen)
{
	char inner[200];
	struct apply_ctx c = { p, err, errlen, "argument " };
	inner[0] = 0;
	if (mc_kv_parse_words(args, apply, &c, inner, sizeof(inner)))
		return true;
	if (inner[0])
		mc_snprintf(err, errlen, "%s", inner);
	return false;
}

int mc_policy_test_vector(const char *value)
{
	u64 v;
	size_t len = mc_strlen(value);
	if (len < 8 || len > 9 || mc_memcmp(value, "vector-", 7))
		return -1;
	/* One or two decimal digits, no leading zero ("vector-07" is a typo). */
	if ((len == 9 && value[7] == '0') || !mc_parse_u64(value + 7, len - 7, 10, &v) || v >= 32)
		return -1;
	return (int)v;
}

void mc_policy_kernel_options(const struct mc_policy *p, char *out, size_t outlen)
{
	size_t n = 0;
	out[0] = 0;
	if (p->kernel_test[0])
		n += (size_t)mc_snprintf(out + n, outlen - n, "kernel-test=%s ", p->kernel_test);
	if (n && n <= outlen)
		out[n - 1] = 0;
}

const char *mc_policy_where(const struct mc_policy_origin *o)
{
	return o->where[0] ? o->where : "policy default";
}

void mc_policy_describe(const struct mc_policy *p, char *out, size_t outlen)
{
	char algs[40] = "all enumerated", bits[24] = "max", excl[48] = "left as found";
	if (p->mktme_algs_set)
		mc_snprintf(algs, sizeof(algs), "%s%s%s", (p->mktme_algs & BIT(0)) ? "aes-xts-128" : "",
			    (p->mktme_algs & BIT(0)) && (p->mktme_algs & BIT(2)) ? "," : "",
			    (p->mktme_algs & BIT(2)) ? "aes-xts-256" : "");
	if (p->keyid_bits_set)
		mc_snprintf(bits, sizeof(bits), "%u", p->keyid_bits);
	if (p->exclude_set && p->exclude_size)
		mc_snprintf(excl, sizeof(excl), "0x%llx:0x%llx", (unsigned long long)p->exclude_base,
			    (unsigned long long)p->exclude_size);
	else if (p->exclude_set)
		mc_strlcpy(excl, "none", sizeof(excl));
	mc_snprintf(out, outlen,
		    "mode=%s tme=%s algorithm=%s keyid-bits=%s mktme-algorithms=%s exclude=%s bypass=%s key=%s "
		    "save-key=%s sme=%s core-activate=%s",
		    p->mode == MC_POLICY_PROGRAM ? "program" : "validate", p->tme ? "on" : "off",
		    p->algorithm_set ? mc_policy_alg_name(p->algorithm) : "strongest", bits, algs, excl,
		    p->bypass ? "on" : "off", p->key_restore ? "restore" : "new", p->save_key ? "on" : "off",
		    p->sme ? "on" : "off", p->core_activate ? "on" : "off");
}
