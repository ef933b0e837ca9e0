/* Judgments on Intel TME/MKTME enablement (Intel seed, chapter 4). Each is
 * one result with a stable id (docs/report-format.md), a verdict and the
 * raw register values. Prerequisites first: what CPUID does not enumerate
 * is SKIP with the CPUID reason, never PASS. */
#include "lib/checks/internal.h"
#include "arch/x86/msr-index.h"
#include "lib/mem.h"
#include "lib/fmt.h"

#define ACT "IA32_TME_ACTIVATE=0x%016llx"
#define CAP "IA32_TME_CAPABILITY=0x%016llx"

static const char *yes(bool b)
{
	return b ? "yes" : "no";
}

/* Table 4-1 and its MKTME fields. */
static void judge_capability(const struct mc_facts *f, struct mc_results *res)
{
	const struct mc_tme_cap *c = &f->tme.cap;

	mc_report_check(res, c->aes_xts_128 || c->aes_xts_256, "tme.capability",
			CAP ": AES-XTS-128 %s, AES-XTS-256 %s, bypass %s, MK_TME_MAX_KEYID_BITS %u, MK_TME_MAX_KEYS %u%s",
			(unsigned long long)c->raw, yes(c->aes_xts_128), yes(c->aes_xts_256),
			yes(c->bypass_supported), c->max_keyid_bits, c->max_keys,
			c->aes_xts_128 || c->aes_xts_256 ? "" : " (expected at least one algorithm, Table 4-1)");
	mc_report_check(res, !c->reserved, "tme.capability_reserved",
			CAP ": reserved bits 63:51, 30:3, 1 = 0x%llx (expected 0, Table 4-1)",
			(unsigned long long)c->raw, (unsigned long long)c->reserved);

	/* Table 4-1: both fields are zero without MKTME; MK_TME_MAX_KEYS does
	 * not count KeyID 0, so it is at most 2^MK_TME_MAX_KEYID_BITS - 1. */
	if (!c->max_keyid_bits && !c->max_keys) {
		mc_report(res, MC_INFO, "mktme.supported", "MKTME not supported (" CAP ": MK_TME_MAX_KEYID_BITS=0)",
			  (unsigned long long)c->raw);
		return;
	}
	u32 addressable = mc_tme_keyids(c->max_keyid_bits, 0);
	bool ok = c->max_keyid_bits && c->max_keys && c->max_keys <= addressable;
	mc_report_check(res, ok, "mktme.max_keys",
			"MK_TME_MAX_KEYS %u with MK_TME_MAX_KEYID_BITS %u (expected 1..2^%u-1=%u, both zero or both not, Table 4-1)",
			c->max_keys, c->max_keyid_bits, c->max_keyid_bits, addressable);
}

/* Table 4-2 bits 0, 1, 2, 3 read back as Table 4-3 describes. */
static void judge_activation(const struct mc_facts *f, struct mc_results *res)
{
	const struct mc_tme_activate *a = &f->tme.act;
	unsigned long long raw = a->raw;

	mc_report(res, MC_INFO, "tme.activate",
		  ACT ": lock %d, enable %d, key select %d (%s), save key %d, policy %u, bypass %d, keyid bits %u, crypto algs 0x%x",
		  raw, a->locked, a->enabled, a->key_restore, a->key_restore ? "restore" : "new key", a->save_key,
		  a->policy, a->bypass, a->keyid_bits, a->crypto_algs);

	if (a->enabled)
		mc_report(res, MC_PASS, "tme.enabled", "hardware encryption enabled by BIOS (" ACT ", bit 1=1)", raw);
	else if (a->locked)
		mc_report(res, MC_FAIL, "tme.enabled", "BIOS locked TME off (" ACT ": Table 4-3 'enabled=0: TME disabled, MSR locked')", raw);
	else
		mc_report(res, MC_FAIL, "tme.enabled",
			  "not activated (" ACT ": no activation yet, or it failed: Table 4-3 xx000b RNG fail / xx100b zero key restored)", raw);

	mc_report_check(res, a->locked, "tme.locked",
			a->locked ? "IA32_TME_ACTIVATE and the exclusion MSRs locked (" ACT ", bit 0=1)"
				  : "not locked (" ACT ", bit 0=0): activation and exclusion MSRs still writable; Linux treats TME as off",
			raw);

	/* Table 4-2 reserved bits; 35:32 are "Reserved if MKTME is not
	 * enumerated"; MK_TME_CRYPTO_ALGS bits 49 and 63:51 are reserved (#GP). */
	u64 bad = a->reserved | a->crypto_reserved;
	if (!f->tme.cap.max_keyid_bits)
		bad |= a->raw & TME_ACTIVATE_KEYID_BITS_MASK;
	mc_report_check(res, !bad, "tme.activate_reserved",
			ACT ": reserved bits 30:8, 47:36, 49, 63:51%s = 0x%llx (expected 0, Table 4-2)",
			raw, f->tme.cap.max_keyid_bits ? "" : ", 35:32 (no MKTME)", (unsigned long long)bad);

	if (!a->enabled)
		return;

	/* Table 4-2 bit 31; Table 4-1 bit 31 says whether bypass exists. With
	 * bypass, KeyID 0 is plaintext: memory is encrypted only through
	 * MKTME KeyIDs besides 0 (fwupd's HSI reads bit 31 as "not
	 * encrypted"; Intel recommends bypass on TDX hosts, FACTS.md). */
	if (!a->bypass)
		mc_report(res, MC_PASS, "tme.bypass", "KeyID 0 encrypted with the CPU-generated key (" ACT ", bit 31=0)", raw);
	else if (!f->tme.cap.bypass_supported)
		mc_report(res, MC_FAIL, "tme.bypass", "bypass bit set but " CAP " bit 31=0 (bypass not supported)", (unsigned long long)f->tme.cap.raw);
	else if (!f->tme.mktme_keyids)
		mc_report(res, MC_FAIL, "tme.bypass",
			  "encryption bypass on and no KeyID besides 0 activated: no memory is encrypted (" ACT ", bit 31=1, MK_TME_KEYID_BITS=%u)",
			  raw, a->keyid_bits);
	else
		mc_report(res, MC_WARN, "tme.bypass",
			  "encryption bypass on: KeyID 0 memory is NOT encrypted, only memory mapped with MKTME KeyIDs 1..%u is (" ACT ", bit 31=1)",
			  f->tme.mktme_keyids, raw);

	/* Table 4-2 bits 7:4 and Table 4-3 "unsupported policy value". */
	const char *name = mc_tme_policy_name(a->policy);
	if (!name)
		mc_report(res, MC_FAIL, "tme.policy", "policy %u is not an algorithm (Table 4-2: 0 AES-XTS-128, 2 AES-XTS-256; " ACT ")",
			  a->policy, raw);
	else
		mc_report_check(res, mc_tme_policy_supported(&f->tme.cap, a->policy), "tme.policy",
				"policy %u (%s) %s " CAP " (Table 4-3)", a->policy, name,
				mc_tme_policy_supported(&f->tme.cap, a->policy) ? "is in" : "is NOT in",
				(unsigned long long)f->tme.cap.raw);
}

static int alg_names(u16 algs, char *buf, size_t size)
{
	/* bit 0 = AES-XTS-128 (ACTIVATE bit 48), bit 2 = AES-XTS-256 (bit 50) */
	buf[0] = 0;
	size_t n = 0;
	if (algs & 1)
		n += (size_t)mc_snprintf(buf + n, size - n, "AES-XTS-128");
	if (algs & 4)
		n += (size_t)mc_snprintf(buf + n, size - n, "%sAES-XTS-256", n ? "+" : "");
	if (!n)
		mc_snprintf(buf, size, "none");
	return (int)n;
}

/* Table 4-2 bits 35:32 and 63:48, Table 4-3 rows on MK_TME_KEYID_BITS. */
static void judge_mktme(const struct mc_facts *f, struct mc_results *res)
{
	const struct mc_tme_activate *a = &f->tme.act;
	const struct mc_tme_cap *c = &f->tme.cap;
	unsigned long long raw = a->raw;

	if (!a->keyid_bits) {
		if (c->max_keyid_bits)
			mc_report(res, MC_INFO, "mktme.keyid_bits", "MKTME not activated (MK_TME_KEYID_BITS=0, " ACT "): only KeyID 0", raw);
		return;
	}
	if (!a->enabled)
		mc_report(res, MC_FAIL, "mktme.keyid_bits",
			  "MK_TME_KEYID_BITS=%u with encryption disabled (Table 4-3: #GP, MKTME needs TME; " ACT ")", a->keyid_bits, raw);
	else if (a->keyid_bits >= f->phys_bits)
		mc_report(res, MC_FAIL, "mktme.keyid_bits", "MK_TME_KEYID_BITS=%u leaves no address bits of MAXPHYADDR %u",
			  a->keyid_bits, f->phys_bits);
	else
		mc_report_check(res, a->keyid_bits <= c->max_keyid_bits, "mktme.keyid_bits",
				"MK_TME_KEYID_BITS=%u %s MK_TME_MAX_KEYID_BITS=%u (Table 4-3; " ACT ")", a->keyid_bits,
				a->keyid_bits <= c->max_keyid_bits ? "<=" : ">", c->max_keyid_bits, raw);
	if (!f->tme.mktme)
		return;

	u32 addressable = mc_tme_keyids(a->keyid_bits, 0);
	mc_report_check(res, f->tme.keyids > 0 && c->max_keys > 0, "mktme.keyids",
			"%u KeyIDs usable: 2^%u-1=%u addressable, MK_TME_MAX_KEYS=%u%s", f->tme.keyids, a->keyid_bits,
			addressable, c->max_keys, c->max_keys ? "" : " (expected keys in the capability)");

	char names[40];
	u16 unsupported = mc_tme_algs_unsupported(c, a->crypto_algs);
	alg_names(a->crypto_algs, names, sizeof(names));
	if (!a->crypto_algs)
		mc_report(res, MC_FAIL, "mktme.crypto_algs",
			  "MK_TME_CRYPTO_ALGS=0: no algorithm allowed for MKTME keys (expected a subset of " CAP ")",
			  (unsigned long long)c->raw);
	else
		mc_report_check(res, !unsupported, "mktme.crypto_algs",
				"MK_TME_CRYPTO_ALGS=0x%x (%s)%s " CAP, a->crypto_algs, names,
				unsupported ? " includes algorithms not in" : " is a subset of", (unsigned long long)c->raw);
}

/* Intel seed 5.1: KeyID bits are the top bits of MAX_PA; 4.1.4: CPUID
 * still reports MAX_PA with them. */
static void judge_width(const struct mc_facts *f, struct mc_results *res)
{
	if (!f->tme.mktme) {
		mc_report(res, MC_INFO, "tme.pa_width", "MAXPHYADDR %u, no KeyID bits: %u physical address bits usable",
			  f->phys_bits, f->usable_phys_bits);
		return;
	}
	mc_report(res, MC_INFO, "tme.pa_width", "MAXPHYADDR %u - %u KeyID bits (PA bits %u:%u) = %u usable physical address bits",
		  f->phys_bits, f->tme.keyid_bits, f->phys_bits - 1, f->tme.keyid_shift, f->usable_phys_bits);
}

/* Intel seed, Tables 4-5 and 4-6 and the notes under them. */
static void judge_exclusion(const struct mc_facts *f, struct mc_results *res)
{
	const struct mc_tme_exclusion *e = &f->tme.excl;

	if (f->tme.exclusion_fault) {
		mc_report(res, MC_FAIL, "tme.exclusion", "RDMSR IA32_TME_EXCLUDE_MASK/BASE raised %s although CPUID.TME enumerates them",
			  mc_fault_name(f->tme.exclusion_fault));
		return;
	}
	mc_report_check(res, !e->reserved, "tme.exclusion_reserved",
			"IA32_TME_EXCLUDE_MASK=0x%016llx BASE=0x%016llx: bits 10:0 / 11:0 and 63:%u (MAXPHYADDR) = 0x%llx (expected 0)",
			(unsigned long long)e->mask_raw, (unsigned long long)e->base_raw, f->phys_bits,
			(unsigned long long)e->reserved);
	if (!e->enabled) {
		mc_report(res, MC_INFO, "tme.exclusion", "no exclusion range (IA32_TME_EXCLUDE_MASK=0x%016llx, bit 11=0)",
			  (unsigned long long)e->mask_raw);
		return;
	}
	mc_report_check(res, e->contiguous, "tme.exclusion_contiguous",
			"TMEEMASK 0x%llx %s (expected ones from bit %u down, Table 4-6 note)", (unsigned long long)e->mask,
			e->contiguous ? "is contiguous" : "is NOT contiguous", f->phys_bits - 1);
	mc_report_check(res, e->aligned, "tme.exclusion_aligned",
			"TMEEBASE 0x%llx %s TMEEMASK 0x%llx", (unsigned long long)e->base,
			e->aligned ? "is aligned to" : "has bits outside", (unsigned long long)e->mask);
	if (!e->contiguous)
		return;
	bool everything = e->size == 0 || (f->phys_bits < 64 && e->size == BIT_ULL(f->phys_bits));
	if (everything)
		mc_report(res, MC_FAIL, "tme.exclusion",
			  "range covers the whole %u-bit physical address space: no KeyID 0 memory is encrypted (MASK=0x%016llx)",
			  f->phys_bits, (unsigned long long)e->mask_raw);
	else
		mc_report(res, MC_INFO, "tme.exclusion",
			  "0x%llx-0x%llx (%llu KiB) not encrypted for KeyID 0 (MASK=0x%016llx BASE=0x%016llx)",
			  (unsigned long long)e->base, (unsigned long long)(e->base + e->size - 1),
			  (unsigned long long)(e->size >> 10), (unsigned long long)e->mask_raw, (unsigned long long)e->base_raw);
}

/* Every TME register equal on every CPU (Linux: "configuration is
 * inconsistent between CPUs"); MK_TME_CORE_ACTIVATE equal to the package's
 * KeyID bits on every core (Intel seed 4.2.3, Table 4-4). */
static void judge_per_cpu(const struct mc_platform *p, const struct mc_facts *f, struct mc_results *res)
{
	static const struct { u32 msr; const char *name; } regs[] = {
		{ MSR_IA32_TME_CAPABILITY, "IA32_TME_CAPABILITY" },
		{ MSR_IA32_TME_ACTIVATE, "IA32_TME_ACTIVATE" },
		{ MSR_IA32_TME_EXCLUDE_MASK, "IA32_TME_EXCLUDE_MASK" },
		{ MSR_IA32_TME_EXCLUDE_BASE, "IA32_TME_EXCLUDE_BASE" },
	};
	u64 expect[4] = { f->tme.cap.raw, f->tme.act.raw, f->tme.excl.mask_raw, f->tme.excl.base_raw };
	int nregs = f->tme.exclusion_fault ? 2 : 4;
	int unreachable = 0, first_unreachable = -1;
	bool verdict_done = false;

	for (int i = 0; i < nregs && !verdict_done; i++) {
		struct mc_percpu pc;
		mc_percpu_compare(p, f->cpus, regs[i].msr, expect[i], ~0ULL, &pc);
		if (pc.differ) {
			mc_report(res, MC_FAIL, "tme.consistent", "cpu %d %s=0x%016llx, this CPU 0x%016llx (%d of %d CPUs differ)",
				  pc.first_differ, regs[i].name, (unsigned long long)pc.differ_val,
				  (unsigned long long)expect[i], pc.differ, f->cpus);
			verdict_done = true;
		} else if (pc.faulted) {
			mc_report(res, MC_FAIL, "tme.consistent", "cpu %d RDMSR %s raised %s, this CPU read it",
				  pc.first_fault, regs[i].name, mc_fault_name(pc.fault));
			verdict_done = true;
		}
		if (pc.unreachable > unreachable) {
			unreachable = pc.unreachable;
			first_unreachable = pc.first_unreachable;
		}
	}
	if (!verdict_done) {
		if (unreachable)
			mc_report(res, MC_SKIP, "tme.consistent",
				  "%d of %d CPUs could not be read (first: cpu %d, platform %s): equal on the %d read, not shown on all",
				  unreachable, f->cpus, first_unreachable, p->name ? p->name : "?", f->cpus - unreachable);
		else
			mc_report(res, MC_PASS, "tme.consistent", "IA32_TME_CAPABILITY, ACTIVATE, EXCLUDE_MASK/BASE equal on all %d CPUs",
				  f->cpus);
	}

	/* Table 4-4: "This MSR will #GP if MKTME is not supported". */
	if (!f->tme.cap.max_keyid_bits)
		return;
	u64 want = (u64)f->tme.act.keyid_bits << MK_TME_CORE_ACTIVATE_KEYID_BITS_SHIFT;
	struct mc_percpu pc;
	mc_percpu_compare(p, f->cpus, MSR_IA32_MKTME_CORE_ACTIVATE, want, ~0ULL, &pc);
	if (pc.differ) {
		struct mc_core_activate ca;
		mc_decode_core_activate(pc.differ_val, &ca);
		mc_report(res, MC_FAIL, "mktme.core_activate",
			  "cpu %d MK_TME_CORE_ACTIVATE=0x%016llx: keyid bits %u, package %u%s (%d of %d CPUs differ, Table 4-4)",
			  pc.first_differ, (unsigned long long)ca.raw, ca.keyid_bits, f->tme.act.keyid_bits,
			  ca.reserved ? ", reserved bits set" : "", pc.differ, f->cpus);
	} else if (pc.faulted) {
		mc_report(res, MC_FAIL, "mktme.core_activate", "cpu %d RDMSR MK_TME_CORE_ACTIVATE raised %s although MKTME is enumerated",
			  pc.first_fault, mc_fault_name(pc.fault));
	} else if (pc.unreachable) {
		mc_report(res, MC_SKIP, "mktme.core_activate", "%d of %d CPUs could not be read (first: cpu %d): keyid bits %u on the %d read",
			  pc.unreachable, f->cpus, pc.first_unreachable, f->tme.act.keyid_bits, pc.read);
	} else {
		mc_report(res, MC_PASS, "mktme.core_activate", "MK_TME_CORE_ACTIVATE=0x%016llx (keyid bits %u) on all %d CPUs, as the package",
			  (unsigned long long)want, f->tme.act.keyid_bits, f->cpus);
	}
}

/* Intel seed 4.1: "System software must consult the attribute
 * [EFI_MEMORY_CPU_CRYPTO] to determine the ranges that can be encrypted". */
static void judge_memmap(const struct mc_facts *f, const struct mc_check_input *in, struct mc_results *res)
{
	unsigned long long conv = in->conventional_bytes >> 20, crypto = in->crypto_bytes >> 20;
	/* Bypassed KeyID 0 is not encrypted memory (tme.bypass). */
	bool active = f->tme.encrypts || f->sme.enabled || f->sme.tsme == MC_TRI_YES;
	const char *how = f->tme.encrypts && f->tme.act.bypass ? " (KeyID 0 bypassed: encrypted only through MKTME KeyIDs)" : "";

	if (in->crypto_bytes > in->conventional_bytes)
		mc_report(res, MC_FAIL, "memmap.cpu_crypto", "%llu MiB marked EFI_MEMORY_CPU_CRYPTO but only %llu MiB conventional (input inconsistent)",
			  crypto, conv);
	else if (!active)
		mc_report(res, MC_INFO, "memmap.cpu_crypto", "%llu of %llu MiB conventional memory marked EFI_MEMORY_CPU_CRYPTO; no memory is encrypted%s",
			  crypto, conv, f->tme.active && f->tme.act.bypass ? " (TME on with KeyID 0 bypassed)" : "");
	else if (in->crypto_bytes == in->conventional_bytes)
		mc_report(res, MC_PASS, "memmap.cpu_crypto", "all %llu MiB of conventional memory marked EFI_MEMORY_CPU_CRYPTO%s", conv, how);
	else if (!in->crypto_bytes && f->tme.mktme)
		mc_report(res, MC_FAIL, "memmap.cpu_crypto",
			  "MKTME on but none of %llu MiB conventional memory marked EFI_MEMORY_CPU_CRYPTO: no range usable with MKTME", conv);
	else
		mc_report(res, MC_WARN, "memmap.cpu_crypto", "only %llu of %llu MiB conventional memory marked EFI_MEMORY_CPU_CRYPTO",
			  crypto, conv);
}

void mc_judge_tme(const struct mc_platform *p, const struct mc_facts *f,
		  const struct mc_check_input *in, struct mc_results *res)
{
	if (f->max_basic_leaf < CPUID_LEAF_EXT_FEATURES) {
		mc_report(res, MC_SKIP, "tme.supported", "not enumerated: CPUID leaf 7 is above the max basic leaf 0x%x", f->max_basic_leaf);
	} else if (!f->tme.supported) {
		mc_report(res, MC_SKIP, "tme.supported", "not enumerated (CPUID.7.0:ECX[13]=0, %s%s): TME checks skipped",
			  f->vendor_id, f->hypervisor ? ", under a hypervisor that does not expose it" : "");
	} else {
		mc_report(res, MC_PASS, "tme.supported", "CPUID.7.0:ECX[13]=1: TME MSRs 981H-984H enumerated (Intel seed 4.1.1)");
		if (f->tme.cap_fault || f->tme.activate_fault) {
			mc_report(res, MC_FAIL, "tme.capability", "TME enumerated but RDMSR %s raised %s",
				  f->tme.cap_fault ? "IA32_TME_CAPABILITY (981H)" : "IA32_TME_ACTIVATE (982H)",
				  mc_fault_name(f->tme.cap_fault ? f->tme.cap_fault : f->tme.activate_fault));
		} else {
			judge_capability(f, res);
			judge_activation(f, res);
			judge_mktme(f, res);
			if (f->tme.act.enabled) {
				judge_width(f, res);
				mc_judge_ram_width(f, in, res);
			}
			judge_exclusion(f, res);
			judge_per_cpu(p, f, res);
			mc_judge_tdx(f, res);
		}
	}
	if (in && in->have_memmap)
		judge_memmap(f, in, res);
}
