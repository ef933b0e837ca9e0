/* The facts and the results as one JSON object (field names are a
 * contract: docs/report-format.md). Written into a caller's buffer with no
 * allocation; -1 if it does not fit, never a truncated object. */
#include "lib/checks/checks.h"
#include "lib/fmt.h"
#include "lib/json.h"
#include "lib/mem.h"

/* The hex members are this object's own: registers as "0x..." strings. */
static void k_hex(struct mc_json *w, const char *k, u64 v)
{
	char b[24];
	mc_snprintf(b, sizeof(b), "\"0x%llx\"", (unsigned long long)v);
	mc_json_key(w, k);
	mc_json_raw(w, b);
}

static void k_hex_or_null(struct mc_json *w, const char *k, bool have, u64 v)
{
	if (have) {
		k_hex(w, k, v);
	} else {
		mc_json_key(w, k);
		mc_json_raw(w, "null");
	}
}

static void alg_list(struct mc_json *w, const char *k, bool x128, bool x256)
{
	mc_json_open(w, k, "[");
	if (x128)
		mc_json_item(w, "\"aes-xts-128\"");
	if (x256)
		mc_json_item(w, "\"aes-xts-256\"");
	mc_json_close(w, "]");
}

static void tme_object(struct mc_json *w, const struct mc_facts *f)
{
	const struct mc_tme_activate *a = &f->tme.act;
	const struct mc_tme_cap *c = &f->tme.cap;
	bool r = f->tme.read;

	mc_json_open(w, "tme", "{");
	mc_json_bool_member(w, "supported", f->tme.supported);
	mc_json_bool_member(w, "enabled", r && a->enabled);
	mc_json_bool_member(w, "locked", r && a->locked);
	mc_json_bool_member(w, "bypass", r && a->enabled && a->bypass);
	mc_json_str_member(w, "policy", r && a->enabled ? mc_tme_policy_name(a->policy) : NULL);
	mc_json_u64_member(w, "keyid_bits", f->tme.keyid_bits);
	mc_json_u64_member(w, "keyids", f->tme.keyids);
	mc_json_u64_member(w, "mktme_keyids", f->tme.mktme_keyids);
	mc_json_u64_member(w, "tdx_keyids", f->tme.tdx_keyids);
	char start[16] = "null";
	if (f->tme.tdx_keyids)
		mc_snprintf(start, sizeof(start), "%u", f->tme.tdx_keyid_start);
	mc_json_key(w, "tdx_keyid_start");
	mc_json_raw(w, start);
	mc_json_bool_member(w, "tdx_enabled", f->tme.tdx_enabled);
	mc_json_u64_member(w, "max_keyid_bits", r ? c->max_keyid_bits : 0);
	mc_json_u64_member(w, "max_keys", r ? c->max_keys : 0);
	alg_list(w, "algorithms", r && c->aes_xts_128, r && c->aes_xts_256);
	alg_list(w, "mktme_algorithms", f->tme.mktme && (a->crypto_algs & 1), f->tme.mktme && (a->crypto_algs & 4));
	mc_json_u64_member(w, "keyid_shift", f->tme.mktme ? f->tme.keyid_shift : 0);
	mc_json_bool_member(w, "pconfig", f->tme.pconfig);
	mc_json_open(w, "pconfig_targets", "[");
	for (int i = 0; i < f->tme.pconfig_ntargets; i++) {
		char b[16];
		mc_snprintf(b, sizeof(b), "%u", f->tme.pconfig_targets[i]);
		mc_json_item(w, b);
	}
	mc_json_close(w, "]");
	bool ex = r && !f->tme.exclusion_fault && f->tme.excl.enabled;
	mc_json_open(w, "exclusion", "{");
	mc_json_bool_member(w, "enabled", ex);
	k_hex(w, "base", ex ? f->tme.excl.base : 0);
	k_hex(w, "size", ex ? f->tme.excl.size : 0);
	mc_json_close(w, "}");
	mc_json_close(w, "}");
}

static void sme_object(struct mc_json *w, const struct mc_facts *f)
{
	const struct mc_amd_mem_encrypt *e = &f->sme.enc;
	bool amd = f->vendor == MC_VENDOR_AMD && f->sme.leaf;

	mc_json_open(w, "sme", "{");
	mc_json_bool_member(w, "supported", f->sme.supported);
	mc_json_bool_member(w, "enabled", f->sme.enabled);
	mc_json_u64_member(w, "c_bit", amd ? e->c_bit : 0);
	mc_json_u64_member(w, "reduced_phys_bits", amd ? e->reduction : 0);
	mc_json_bool_member(w, "sev", amd && e->sev);
	mc_json_bool_member(w, "sev_es", amd && e->sev_es);
	mc_json_bool_member(w, "sev_snp", amd && e->sev_snp);
	mc_json_u64_member(w, "encrypted_guests", amd ? e->encrypted_guests : 0);
	mc_json_u64_member(w, "min_sev_asid", amd ? e->min_sev_asid : 0);
	mc_json_str_member(w, "guest", mc_sev_guest_name(f->sme.guest));
	mc_json_bool_member(w, "smm_locked", f->sme.smm_locked);
	mc_json_key(w, "tsme");
	mc_json_raw(w, f->sme.tsme == MC_TRI_YES ? "true" : f->sme.tsme == MC_TRI_NO ? "false" : "null");
	mc_json_bool_member(w, "sme_coherent", amd && e->sme_coherent);
	mc_json_u64_member(w, "vmpls", amd ? e->vmpls : 0);
	mc_json_u64_member(w, "es_asids", amd ? f->sme.es_asids : 0);
	mc_json_bool_member(w, "sev_usable", f->sme.sev_usable);
	mc_json_bool_member(w, "snp_enabled", f->sme.snp_enabled);
	mc_json_bool_member(w, "vmpl_enabled", f->sme.vmpl_enabled);
	if (f->sme.rmp_read) {
		mc_json_open(w, "rmp", "{");
		k_hex(w, "base", f->sme.rmp_base);
		k_hex(w, "end", f->sme.rmp_end);
		mc_json_close(w, "}");
	} else {
		mc_json_key(w, "rmp");
		mc_json_raw(w, "null");
	}
	mc_json_close(w, "}");
}

/* The raw values every verdict rests on; null for what was not read. */
static void raw_object(struct mc_json *w, const struct mc_facts *f)
{
	bool tr = f->tme.read, ex = tr && !f->tme.exclusion_fault;
	char b[80];

	mc_json_open(w, "raw", "{");
	k_hex_or_null(w, "IA32_TME_CAPABILITY", tr, f->tme.cap.raw);
	k_hex_or_null(w, "IA32_TME_ACTIVATE", tr, f->tme.act.raw);
	k_hex_or_null(w, "IA32_TME_EXCLUDE_MASK", ex, f->tme.excl.mask_raw);
	k_hex_or_null(w, "IA32_TME_EXCLUDE_BASE", ex, f->tme.excl.base_raw);
	k_hex_or_null(w, "SYSCFG", f->sme.syscfg_read,
		      f->sme.syscfg);
	k_hex_or_null(w, "SEV_STATUS", f->sme.sev_status_read, f->sme.sev_status);
	k_hex_or_null(w, "IA32_MKTME_KEYID_PARTITIONING", tr && f->tme.partition_read, f->tme.partition);
	k_hex_or_null(w, "IA32_SEAMRR_PHYS_BASE", tr && f->tme.seamrr_read, f->tme.seamrr_base);
	k_hex_or_null(w, "IA32_SEAMRR_PHYS_MASK", tr && f->tme.seamrr_read, f->tme.seamrr_mask);
	k_hex_or_null(w, "HWCR", f->sme.hwcr_read, f->sme.hwcr);
	k_hex_or_null(w, "RMP_BASE", f->sme.rmp_read, f->sme.rmp_base);
	k_hex_or_null(w, "RMP_END", f->sme.rmp_read, f->sme.rmp_end);
	mc_json_key(w, "cpuid_8000001f");
	if (f->sme.leaf) {
		mc_snprintf(b, sizeof(b), "[\"0x%x\",\"0x%x\",\"0x%x\",\"0x%x\"]",
			    f->sme.raw.eax, f->sme.raw.ebx, f->sme.raw.ecx, f->sme.raw.edx);
		mc_json_raw(w, b);
	} else {
		mc_json_raw(w, "null");
	}
	mc_json_close(w, "}");
}

int mc_checks_json(const struct mc_facts *f, const struct mc_results *res, char *buf, size_t size)
{
	struct mc_json w;

	mc_json_init(&w, buf, size);
	mc_json_open(&w, NULL, "{");
	mc_json_str_member(&w, "vendor", mc_vendor_name(f->vendor));
	mc_json_str_member(&w, "vendor_id", f->vendor_id);
	mc_json_u64_member(&w, "phys_bits", f->phys_bits);
	mc_json_u64_member(&w, "usable_phys_bits", f->usable_phys_bits);
	mc_json_bool_member(&w, "hypervisor", f->hypervisor);
	k_hex(&w, "max_basic_leaf", f->max_basic_leaf);
	k_hex(&w, "max_ext_leaf", f->max_ext_leaf);
	mc_json_u64_member(&w, "cpus", (u64)f->cpus);
	mc_json_u64_member(&w, "packages", (u64)f->packages);
	tme_object(&w, f);
	sme_object(&w, f);
	raw_object(&w, f);
	/* The PSP's SEV_PLATFORM_STATUS (lib/osview.h), or null. */
	char psp[112] = "null";
	if (f->psp_read)
		mc_snprintf(psp, sizeof(psp), "{\"api\":\"%u.%u\",\"build\":%u,\"state\":%u,\"guests\":%u}",
			    f->psp.api_major, f->psp.api_minor, f->psp.build, f->psp.state, f->psp.guests);
	mc_json_key(&w, "psp");
	mc_json_raw(&w, psp);

	mc_json_open(&w, "checks", "[");
	for (u32 i = 0; i < res->count; i++) {
		const struct mc_result *r = &res->r[i];
		mc_json_open(&w, NULL, "{");
		mc_json_str_member(&w, "id", r->id);
		mc_json_str_member(&w, "verdict", mc_verdict_name((enum mc_verdict)r->verdict));
		mc_json_str_member(&w, "detail", r->detail);
		mc_json_close(&w, "}");
	}
	mc_json_close(&w, "]");

	mc_json_open(&w, "summary", "{");
	mc_json_u64_member(&w, "pass", res->n[MC_PASS]);
	mc_json_u64_member(&w, "fail", res->n[MC_FAIL]);
	mc_json_u64_member(&w, "warn", res->n[MC_WARN]);
	mc_json_u64_member(&w, "skip", res->n[MC_SKIP]);
	mc_json_u64_member(&w, "info", res->n[MC_INFO]);
	mc_json_close(&w, "}");
	mc_json_close(&w, "}");
	return mc_json_end(&w);
}
