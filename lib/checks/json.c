/* The facts and the results as one JSON object (field names are a
 * contract: docs/report-format.md). Written into a caller's buffer with no
 * allocation; -1 if it does not fit, never a truncated object. */
#include "lib/checks/checks.h"
#include "lib/fmt.h"
#include "lib/mem.h"

struct jw {
	char  *buf;
	size_t size, len;
	bool   overflow;
	bool   first;          /* no comma before the next member */
};

static void put(struct jw *w, const char *s, size_t n)
{
	if (w->overflow || w->len + n >= w->size) {
		w->overflow = true;
		return;
	}
	mc_memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = 0;
}

static void puts_(struct jw *w, const char *s)
{
	put(w, s, mc_strlen(s));
}

/* RFC 8259 section 7: quote, backslash and control characters escaped. */
static void str(struct jw *w, const char *s)
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
			mc_snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(w, esc, 6);
		} else {
			put(w, (const char *)&c, 1);
		}
	}
	put(w, "\"", 1);
}

static void key(struct jw *w, const char *k)
{
	if (!w->first)
		put(w, ",", 1);
	w->first = false;
	str(w, k);
	put(w, ":", 1);
}

static void open_(struct jw *w, const char *k, const char *brace)
{
	if (k)
		key(w, k);
	else if (!w->first)
		put(w, ",", 1);
	puts_(w, brace);
	w->first = true;
}

static void close_(struct jw *w, const char *brace)
{
	puts_(w, brace);
	w->first = false;
}

/* One array element, already JSON. */
static void item(struct jw *w, const char *json)
{
	if (!w->first)
		put(w, ",", 1);
	puts_(w, json);
	w->first = false;
}

static void k_bool(struct jw *w, const char *k, bool v)
{
	key(w, k);
	puts_(w, v ? "true" : "false");
}

static void k_u64(struct jw *w, const char *k, u64 v)
{
	char b[24];
	key(w, k);
	mc_snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	puts_(w, b);
}

static void k_hex(struct jw *w, const char *k, u64 v)
{
	char b[24];
	key(w, k);
	mc_snprintf(b, sizeof(b), "\"0x%llx\"", (unsigned long long)v);
	puts_(w, b);
}

static void k_hex_or_null(struct jw *w, const char *k, bool have, u64 v)
{
	if (have) {
		k_hex(w, k, v);
	} else {
		key(w, k);
		puts_(w, "null");
	}
}

static void k_str(struct jw *w, const char *k, const char *v)
{
	key(w, k);
	if (v)
		str(w, v);
	else
		puts_(w, "null");
}

static void alg_list(struct jw *w, const char *k, bool x128, bool x256)
{
	open_(w, k, "[");
	if (x128)
		item(w, "\"aes-xts-128\"");
	if (x256)
		item(w, "\"aes-xts-256\"");
	close_(w, "]");
}

static void tme_object(struct jw *w, const struct mc_facts *f)
{
	const struct mc_tme_activate *a = &f->tme.act;
	const struct mc_tme_cap *c = &f->tme.cap;
	bool r = f->tme.read;

	open_(w, "tme", "{");
	k_bool(w, "supported", f->tme.supported);
	k_bool(w, "enabled", r && a->enabled);
	k_bool(w, "locked", r && a->locked);
	k_bool(w, "bypass", r && a->enabled && a->bypass);
	k_str(w, "policy", r && a->enabled ? mc_tme_policy_name(a->policy) : NULL);
	k_u64(w, "keyid_bits", f->tme.keyid_bits);
	k_u64(w, "keyids", f->tme.keyids);
	k_u64(w, "max_keyid_bits", r ? c->max_keyid_bits : 0);
	k_u64(w, "max_keys", r ? c->max_keys : 0);
	alg_list(w, "algorithms", r && c->aes_xts_128, r && c->aes_xts_256);
	alg_list(w, "mktme_algorithms", f->tme.mktme && (a->crypto_algs & 1), f->tme.mktme && (a->crypto_algs & 4));
	k_u64(w, "keyid_shift", f->tme.mktme ? f->tme.keyid_shift : 0);
	k_bool(w, "pconfig", f->tme.pconfig);
	open_(w, "pconfig_targets", "[");
	for (int i = 0; i < f->tme.pconfig_ntargets; i++) {
		char b[16];
		mc_snprintf(b, sizeof(b), "%u", f->tme.pconfig_targets[i]);
		item(w, b);
	}
	close_(w, "]");
	bool ex = r && !f->tme.exclusion_fault && f->tme.excl.enabled;
	open_(w, "exclusion", "{");
	k_bool(w, "enabled", ex);
	k_hex(w, "base", ex ? f->tme.excl.base : 0);
	k_hex(w, "size", ex ? f->tme.excl.size : 0);
	close_(w, "}");
	close_(w, "}");
}

static void sme_object(struct jw *w, const struct mc_facts *f)
{
	const struct mc_amd_mem_encrypt *e = &f->sme.enc;
	bool amd = f->vendor == MC_VENDOR_AMD && f->sme.leaf;

	open_(w, "sme", "{");
	k_bool(w, "supported", f->sme.supported);
	k_bool(w, "enabled", f->sme.enabled);
	k_u64(w, "c_bit", amd ? e->c_bit : 0);
	k_u64(w, "reduced_phys_bits", amd ? e->reduction : 0);
	k_bool(w, "sev", amd && e->sev);
	k_bool(w, "sev_es", amd && e->sev_es);
	k_bool(w, "sev_snp", amd && e->sev_snp);
	k_u64(w, "encrypted_guests", amd ? e->encrypted_guests : 0);
	k_u64(w, "min_sev_asid", amd ? e->min_sev_asid : 0);
	k_str(w, "guest", mc_sev_guest_name(f->sme.guest));
	close_(w, "}");
}

/* The raw values every verdict rests on; null for what was not read. */
static void raw_object(struct jw *w, const struct mc_facts *f)
{
	bool tr = f->tme.read, ex = tr && !f->tme.exclusion_fault;
	char b[80];

	open_(w, "raw", "{");
	k_hex_or_null(w, "IA32_TME_CAPABILITY", tr, f->tme.cap.raw);
	k_hex_or_null(w, "IA32_TME_ACTIVATE", tr, f->tme.act.raw);
	k_hex_or_null(w, "IA32_TME_EXCLUDE_MASK", ex, f->tme.excl.mask_raw);
	k_hex_or_null(w, "IA32_TME_EXCLUDE_BASE", ex, f->tme.excl.base_raw);
	k_hex_or_null(w, "SYSCFG", f->sme.supported && f->sme.guest == MC_GUEST_NONE && !f->sme.syscfg_fault,
		      f->sme.syscfg);
	k_hex_or_null(w, "SEV_STATUS", f->sme.sev_status_read, f->sme.sev_status);
	key(w, "cpuid_8000001f");
	if (f->sme.leaf) {
		mc_snprintf(b, sizeof(b), "[\"0x%x\",\"0x%x\",\"0x%x\",\"0x%x\"]",
			    f->sme.raw.eax, f->sme.raw.ebx, f->sme.raw.ecx, f->sme.raw.edx);
		puts_(w, b);
	} else {
		puts_(w, "null");
	}
	close_(w, "}");
}

int mc_checks_json(const struct mc_facts *f, const struct mc_results *res, char *buf, size_t size)
{
	struct jw w = { buf, size, 0, false, true };

	if (!buf || !size)
		return -1;
	buf[0] = 0;
	open_(&w, NULL, "{");
	k_str(&w, "vendor", mc_vendor_name(f->vendor));
	k_str(&w, "vendor_id", f->vendor_id);
	k_u64(&w, "phys_bits", f->phys_bits);
	k_u64(&w, "usable_phys_bits", f->usable_phys_bits);
	k_bool(&w, "hypervisor", f->hypervisor);
	k_hex(&w, "max_basic_leaf", f->max_basic_leaf);
	k_hex(&w, "max_ext_leaf", f->max_ext_leaf);
	k_u64(&w, "cpus", (u64)f->cpus);
	k_u64(&w, "packages", (u64)f->packages);
	tme_object(&w, f);
	sme_object(&w, f);
	raw_object(&w, f);

	open_(&w, "checks", "[");
	for (u32 i = 0; i < res->count; i++) {
		const struct mc_result *r = &res->r[i];
		open_(&w, NULL, "{");
		k_str(&w, "id", r->id);
		k_str(&w, "verdict", mc_verdict_name((enum mc_verdict)r->verdict));
		k_str(&w, "detail", r->detail);
		close_(&w, "}");
	}
	close_(&w, "]");

	open_(&w, "summary", "{");
	k_u64(&w, "pass", res->n[MC_PASS]);
	k_u64(&w, "fail", res->n[MC_FAIL]);
	k_u64(&w, "warn", res->n[MC_WARN]);
	k_u64(&w, "skip", res->n[MC_SKIP]);
	k_u64(&w, "info", res->n[MC_INFO]);
	close_(&w, "}");
	close_(&w, "}");

	if (w.overflow) {
		buf[0] = 0;
		return -1;
	}
	return (int)w.len;
}
