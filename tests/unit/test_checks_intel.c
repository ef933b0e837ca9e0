/* Every Intel TME/MKTME judgment of lib/checks driven through its PASS and
 * its FAIL (or WARN/SKIP) path by a profile on the real model. Each row
 * names the seed rule it exercises. */
#include "tests/unit/test_checks.h"
#include "tests/unit/harness.h"
#include <string.h>

/* Rows start from INTEL_LOCKED and override a few fields. */
#pragma GCC diagnostic ignored "-Woverride-init"
#define LOCKED(...) { .max_basic = 0x1b, .leaf7_ecx = 1u << 13, .leaf7_edx = 1u << 18, .l1b_eax = 1,   \
		      .l1b_ebx = 1, .phys = 46, .cap = "0x000003f680000005", .act = "0x0001000600000003", \
		      .mask = "0", .base = "0", .core = "0x600000000", .cpus = 4, .packages = 1, __VA_ARGS__ }

struct row {
	const char *why;
	struct intel_prof prof;
	const char *id;
	enum mc_verdict v;
	const char *has;
};

static const struct row rows[] = {
	/* Enumeration (Intel seed 4.1.1; FACTS.md leaf guard) */
	{ "4.1.1 CPUID.TME set", LOCKED(), "tme.supported", MC_PASS, "ECX[13]=1" },
	{ "4.1.1 CPUID.TME clear: SKIP with the CPUID reason", LOCKED(.leaf7_ecx = 0), "tme.supported", MC_SKIP, "CPUID.7.0:ECX[13]=0" },
	{ "FACTS leaf guard: leaf 7 above max basic 6, whose data looks like TME", LOCKED(.max_basic = 6,
	  .extra = "cpuid 6 0 0 0 0x2000 0x40000"), "tme.supported", MC_SKIP, "above the max basic leaf" },
	{ "hypervisor hiding TME is said so", LOCKED(.leaf7_ecx = 0, .leaf1_ecx = 1u << 31), "tme.supported", MC_SKIP, "hypervisor" },
	{ "MAXPHYADDR 46 is sane", LOCKED(), "cpu.phys_bits", MC_PASS, "MAXPHYADDR 46" },
	{ "MAXPHYADDR 34 is below any x86-64 CPU", LOCKED(.phys = 34), "cpu.phys_bits", MC_FAIL, "MAXPHYADDR 34" },

	/* Table 4-1 */
	{ "Table 4-1 algorithms listed", LOCKED(), "tme.capability", MC_PASS, "AES-XTS-128 yes" },
	{ "Table 4-1 no algorithm at all", LOCKED(.cap = "0x000003f680000000", .act = "0x0000000600000003"), "tme.capability", MC_FAIL, "expected at least one" },
	{ "Table 4-1 reserved bits zero", LOCKED(), "tme.capability_reserved", MC_PASS, "= 0x0" },
	{ "Table 4-1 reserved bit 1 set", LOCKED(.cap = "0x000003f680000007"), "tme.capability_reserved", MC_FAIL, "= 0x2" },
	{ "Table 4-1 MK_TME_MAX_KEYS 63 <= 2^6-1", LOCKED(), "mktme.max_keys", MC_PASS, "2^6-1=63" },
	{ "Table 4-1 MK_TME_MAX_KEYS 63 > 2^2-1", LOCKED(.cap = "0x000003f280000005", .act = "0x0001000200000003",
	  .core = "0x200000000"), "mktme.max_keys", MC_FAIL, "2^2-1=3" },
	{ "Table 4-1 keys without KeyID bits", LOCKED(.cap = "0x000003f080000005", .act = "0x3", .core = "0"),
	  "mktme.max_keys", MC_FAIL, "MK_TME_MAX_KEYID_BITS 0" },
	{ "Table 4-1 no MKTME", LOCKED(.cap = "0x0000000080000005", .act = "0x3", .core = NULL), "mktme.supported", MC_INFO, "not supported" },

	/* Table 4-2 bits 0, 1 and Table 4-3 read-backs */
	{ "Table 4-3 xx011b: enabled", LOCKED(), "tme.enabled", MC_PASS, "bit 1=1" },
	{ "Table 4-3 xx01b: BIOS locked TME off", LOCKED(.act = "0x1", .core = "0"), "tme.enabled", MC_FAIL, "locked TME off" },
	{ "Table 4-3 xx000b: not activated", LOCKED(.act = "0x0", .core = "0"), "tme.enabled", MC_FAIL, "not activated" },
	{ "Table 4-2 bit 0: locked", LOCKED(), "tme.locked", MC_PASS, "bit 0=1" },
	{ "Table 4-2 bit 0: not locked", LOCKED(.act = "0x0", .core = "0"), "tme.locked", MC_FAIL, "bit 0=0" },
	/* lock != enable: each bit judged from itself */
	{ "Table 4-2 lock=1 enable=0: locked", LOCKED(.act = "0x1", .core = "0"), "tme.locked", MC_PASS, "bit 0=1" },
	{ "Table 4-2 lock=0 enable=1: not locked", LOCKED(.act = "0x2", .core = "0"), "tme.locked", MC_FAIL, "bit 0=0" },
	{ "Table 4-2 lock=0 enable=1: enabled", LOCKED(.act = "0x2", .core = "0"), "tme.enabled", MC_PASS, "bit 1=1" },
	{ "Table 4-2 reserved bits zero", LOCKED(), "tme.activate_reserved", MC_PASS, "= 0x0" },
	{ "Table 4-2 reserved bit 8", LOCKED(.act = "0x0001000600000103"), "tme.activate_reserved", MC_FAIL, "= 0x100" },
	{ "Table 4-2 MK_TME_CRYPTO_ALGS reserved bit 49", LOCKED(.act = "0x0003000600000003"), "tme.activate_reserved", MC_FAIL, "0x2000000000000" },
	{ "Table 4-2 35:32 reserved without MKTME", LOCKED(.cap = "0x0000000080000005", .act = "0x0000000100000003", .core = NULL),
	  "tme.activate_reserved", MC_FAIL, "35:32" },

	/* Table 4-2 bit 31 (bypass) with Table 4-1 bit 31 */
	{ "Table 4-2 bit 31=0: KeyID 0 encrypted", LOCKED(), "tme.bypass", MC_PASS, "bit 31=0" },
	{ "Table 4-2 bit 31=1: KeyID 0 not encrypted", LOCKED(.act = "0x0001000680000003"), "tme.bypass", MC_WARN, "NOT encrypted" },
	{ "Table 4-1 bit 31=0 but bypass set", LOCKED(.cap = "0x000003f600000005", .act = "0x0001000680000003"), "tme.bypass", MC_FAIL, "not supported" },
	{ "fwupd HSI: bypass without MKTME encrypts nothing (client part)", LOCKED(.cap = "0x0000000080000005",
	  .act = "0x0000000080000003", .core = NULL), "tme.bypass", MC_FAIL, "no memory is encrypted" },
	{ "bypass with MKTME KeyIDs: only they are encrypted", LOCKED(.act = "0x0001000680000003"), "tme.bypass", MC_WARN,
	  "only memory mapped with MKTME KeyIDs 1..63" },
	{ "bypass with TDX: the MKTME share is what software encrypts", LOCKED(.act = "0x0001000680000003",
	  .extra = "msr 0x87 0x000000200000001f"), "tme.bypass", MC_WARN, "KeyIDs 1..31" },

	/* TDX KeyID partitioning (FACTS.md "TDX splits the KeyIDs"; Linux
	 * arch/x86/virt/vmx/tdx: tdx_keyid_start = nr_mktme + 1) */
	{ "MSR 0x87 absent: no partition", LOCKED(), "tdx.partition", MC_INFO, "raised #GP: no KeyID partitioning, all 63" },
	{ "MSR 0x87 zero: no partition", LOCKED(.extra = "msr 0x87 0"), "tdx.partition", MC_INFO, "no KeyIDs split off" },
	{ "31 MKTME + 32 TDX of 63: Linux's private range [32, 64)", LOCKED(.extra = "msr 0x87 0x000000200000001f"),
	  "tdx.partition", MC_PASS, "MKTME KeyIDs 1..31, TDX private KeyID range [32, 64)" },
	{ "40 MKTME + 32 TDX > 63 addressable with 6 bits", LOCKED(.extra = "msr 0x87 0x0000002000000028"),
	  "tdx.partition", MC_FAIL, "40 MKTME + 32 TDX KeyIDs > 63" },
	{ "MKTME-only partition", LOCKED(.extra = "msr 0x87 0x000000000000003f"), "tdx.partition", MC_PASS, "no TDX private" },
	/* SEAMRR (tdx-tools check-tdx-host: 0x1401 bit 11), behind IA32_MTRRCAP[15] */
	{ "no SEAMRR, no TDX KeyIDs", LOCKED(), "tdx.seamrr", MC_INFO, "no TDX on this platform" },
	{ "TDX KeyIDs without SEAMRR", LOCKED(.extra = "msr 0x87 0x000000200000001f"), "tdx.seamrr", MC_FAIL, "no SEAMRR" },
	{ "SEAMRR enabled, TDX KeyIDs: TDX on", LOCKED(.extra = "msr 0x87 0x000000200000001f\nmsr 0xfe 0x8d0a\n"
	  "msr 0x1400 0x7e000008\nmsr 0x1401 0xfffffe000c00"), "tdx.seamrr", MC_PASS, "TDX enabled in the BIOS" },
	{ "SEAMRR enabled, no TDX KeyIDs", LOCKED(.extra = "msr 0xfe 0x8d0a\nmsr 0x1400 0x7e000008\nmsr 0x1401 0xfffffe000c00"),
	  "tdx.seamrr", MC_FAIL, "no TDX private KeyIDs" },
	{ "TDX KeyIDs, SEAMRR present but disabled", LOCKED(.extra = "msr 0x87 0x000000200000001f\nmsr 0xfe 0x8d0a\n"
	  "msr 0x1400 0\nmsr 0x1401 0"), "tdx.seamrr", MC_FAIL, "SEAMRR not enabled" },
	{ "SEAMRR present, disabled, no TDX", LOCKED(.extra = "msr 0xfe 0x8d0a\nmsr 0x1400 0\nmsr 0x1401 0"),
	  "tdx.seamrr", MC_INFO, "TDX not enabled in the BIOS" },
	{ "MTRRCAP[15] clear: SEAMRR not read", LOCKED(.extra = "msr 0x87 0x000000200000001f\nmsr 0xfe 0x50a\n"
	  "msr 0x1401 0xfffffe000c00"), "tdx.seamrr", MC_FAIL, "MTRRCAP[15]=0" },

	/* Table 4-2 bits 7:4 and Table 4-3 unsupported policy */
	{ "Table 4-2 policy 0 AES-XTS-128 in capability", LOCKED(), "tme.policy", MC_PASS, "aes-xts-128" },
	{ "Table 4-2 policy 2 AES-XTS-256 in capability", LOCKED(.act = "0x0001000600000023"), "tme.policy", MC_PASS, "aes-xts-256" },
	{ "Table 4-2 policy 1 is invalid", LOCKED(.act = "0x0001000600000013"), "tme.policy", MC_FAIL, "not an algorithm" },
	{ "Table 4-3 policy 2 without capability bit 2", LOCKED(.cap = "0x000003f680000001", .act = "0x0001000600000023"),
	  "tme.policy", MC_FAIL, "is NOT in" },

	/* Table 4-2 35:32, Table 4-3 KeyID rows */
	{ "Table 4-3 KEYID_BITS 6 <= MAX 6", LOCKED(), "mktme.keyid_bits", MC_PASS, "<= MK_TME_MAX_KEYID_BITS=6" },
	{ "Table 4-3 KEYID_BITS 7 > MAX 6", LOCKED(.act = "0x0001000700000003", .core = "0x700000000"), "mktme.keyid_bits", MC_FAIL, "> MK_TME_MAX_KEYID_BITS=6" },
	{ "Table 4-3 KEYID_BITS with enable=0", LOCKED(.act = "0x0001000600000001"), "mktme.keyid_bits", MC_FAIL, "encryption disabled" },
	{ "Table 4-2 KEYID_BITS 0: MKTME off", LOCKED(.act = "0x3", .core = "0"), "mktme.keyid_bits", MC_INFO, "not activated" },
	{ "Table 4-2 2^6-1 KeyIDs, MAX_KEYS 63", LOCKED(), "mktme.keyids", MC_PASS, "63 KeyIDs usable" },
	{ "Table 4-1 MAX_KEYS 40 caps 2^6-1", LOCKED(.cap = "0x0000028680000005"), "mktme.keyids", MC_PASS, "40 KeyIDs usable" },
	{ "Table 4-1 MAX_KEYS 0 with KeyID bits", LOCKED(.cap = "0x0000000680000005"), "mktme.keyids", MC_FAIL, "expected keys" },

	/* Table 4-2 63:48 */
	{ "Table 4-2 MK_TME_CRYPTO_ALGS subset", LOCKED(), "mktme.crypto_algs", MC_PASS, "subset" },
	{ "Table 4-2 MK_TME_CRYPTO_ALGS empty", LOCKED(.act = "0x0000000600000003"), "mktme.crypto_algs", MC_FAIL, "no algorithm" },
	{ "Table 4-2 bit 50 without capability bit 2", LOCKED(.cap = "0x000003f680000001", .act = "0x0005000600000003"),
	  "mktme.crypto_algs", MC_FAIL, "not in" },

	/* Intel seed 5.1: address width */
	{ "5.1 KeyID bits at the top of MAX_PA", LOCKED(), "tme.pa_width", MC_INFO, "PA bits 45:40) = 40 usable" },

	/* Tables 4-5, 4-6 */
	{ "Table 4-5 exclusion disabled", LOCKED(), "tme.exclusion", MC_INFO, "no exclusion range" },
	{ "Table 4-5/4-6 1 MiB range", LOCKED(.mask = "0x3ffffff00800", .base = "0x100000"), "tme.exclusion", MC_INFO, "0x100000-0x1fffff (1024 KiB)" },
	{ "Table 4-6 note: contiguous mask", LOCKED(.mask = "0x3ffffff00800", .base = "0x100000"), "tme.exclusion_contiguous", MC_PASS, "is contiguous" },
	{ "Table 4-6 note: non-contiguous mask", LOCKED(.mask = "0x3fffffd00800", .base = "0x0"), "tme.exclusion_contiguous", MC_FAIL, "NOT contiguous" },
	{ "Table 4-6 base aligned to the mask", LOCKED(.mask = "0x3ffffff00800", .base = "0x100000"), "tme.exclusion_aligned", MC_PASS, "is aligned" },
	{ "Table 4-6 base not aligned", LOCKED(.mask = "0x3ffffff00800", .base = "0x80000"), "tme.exclusion_aligned", MC_FAIL, "bits outside" },
	{ "Table 4-5/4-6 reserved zero inside MAXPHYADDR", LOCKED(.mask = "0x3ffffff00800", .base = "0x100000"), "tme.exclusion_reserved", MC_PASS, "= 0x0" },
	{ "Table 4-6 base above MAXPHYADDR", LOCKED(.mask = "0x3ffffff00800", .base = "0x4000000100000"), "tme.exclusion_reserved", MC_FAIL, "= 0x4000000000000" },
	{ "Table 4-5 reserved bit 0 of the mask", LOCKED(.mask = "0x1"), "tme.exclusion_reserved", MC_FAIL, "= 0x1" },
	{ "Table 4-5 empty mask excludes everything", LOCKED(.mask = "0x800"), "tme.exclusion", MC_FAIL, "whole 46-bit" },

	/* Table 4-4: core activate equals the package */
	{ "Table 4-4 every core has the package's 6 bits", LOCKED(), "mktme.core_activate", MC_PASS, "keyid bits 6" },
	{ "Table 4-4 cores never written (0, package 6)", LOCKED(.core = "0"), "mktme.core_activate", MC_FAIL, "cpu 0" },
	{ "Table 4-4 reserved bits on a core", LOCKED(.core = "0x600000001"), "mktme.core_activate", MC_FAIL, "reserved bits set" },
	{ "consistency over 4 CPUs", LOCKED(), "tme.consistent", MC_PASS, "all 4 CPUs" },

	/* Intel seed 6.2.3, 6.2.3.1 */
	{ "6.2.3 PCONFIG enumerated with MKTME", LOCKED(), "pconfig.enumerated", MC_PASS, "EDX[18]=1" },
	{ "6.2.3 MKTME without PCONFIG", LOCKED(.leaf7_edx = 0), "pconfig.enumerated", MC_FAIL, "EDX[18]=0" },
	{ "6.2.3 no PCONFIG, no MKTME: SKIP", LOCKED(.leaf7_edx = 0, .act = "0x3", .core = "0"), "pconfig.enumerated", MC_SKIP, "not enumerated" },
	{ "6.2.3.1 sub-leaf 0 lists MKTME (1)", LOCKED(), "pconfig.mktme_target", MC_PASS, "targets 1" },
	{ "6.2.3.1 MKTME target on sub-leaf 1", LOCKED(.l1b_ebx = 0, .extra = "cpuid 0x1b 1 1 0 0 1"), "pconfig.mktme_target", MC_PASS, "2 valid sub-leaves, targets 1" },
	{ "6.2.3.1 first sub-leaf invalid: no target", LOCKED(.l1b_eax = 0, .l1b_ebx = 0), "pconfig.mktme_target", MC_FAIL, "targets none" },
	{ "6.2.3.1 sub-leaves after an invalid one are not read", LOCKED(.l1b_eax = 0, .l1b_ebx = 0, .extra = "cpuid 0x1b 1 1 1 0 0"),
	  "pconfig.mktme_target", MC_FAIL, "0 valid sub-leaves" },
	{ "6.2.3.1 invalid sub-leaf must be all zero", LOCKED(.l1b_eax = 0, .l1b_ebx = 1), "pconfig.leaf", MC_WARN, "sub-leaf 0 malformed" },
	{ "6.2.3.1 valid sub-leaf EAX[31:12] must be 0", LOCKED(.l1b_eax = 0x1001), "pconfig.leaf", MC_WARN, "sub-leaf 0 malformed" },
	{ "leaf 0x1B above the max basic leaf", LOCKED(.max_basic = 0x14), "pconfig.mktme_target", MC_FAIL, "above the max basic leaf" },
};

TEST(checks_intel, table)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		chk_row(i, intel_text(&rows[i].prof), rows[i].id, rows[i].v, rows[i].has, rows[i].why);
}

/* With TME not enumerated no TME result may PASS, and no TME MSR is read
 * even when the platform would answer (QEMU answers 0 without #GP). */
TEST(checks_intel, no_tme_is_never_pass)
{
	struct intel_prof p = LOCKED(.leaf7_ecx = 0, .leaf7_edx = 0);
	struct chk *c = chk_new(intel_text(&p));
	if (!c)
		return;
	chk_run(c, NULL);
	int pass = 0;
	for (u32 i = 0; i < c->res.count; i++)
		if (c->res.r[i].verdict == MC_PASS && (!strncmp(c->res.r[i].id, "tme", 3) || !strncmp(c->res.r[i].id, "mktme", 5)))
			pass++;
	EXPECT(pass == 0, "no tme/mktme PASS without CPUID.TME (%d)", pass);
	EXPECT(!c->facts.tme.read && !c->facts.tme.active && c->facts.usable_phys_bits == 46,
	       "no TME register taken as read; width stays 46 (%u)", c->facts.usable_phys_bits);
	EXPECT(mc_results_status(&c->res) == 0, "nothing enumerated is not a failure");
	chk_free(c);
}

TEST(checks_intel, facts_of_a_locked_board)
{
	struct intel_prof p = LOCKED();
	struct chk *c = chk_new(intel_text(&p));
	if (!c)
		return;
	chk_run(c, NULL);
	const struct mc_facts *f = &c->facts;
	EXPECT(f->vendor == MC_VENDOR_INTEL && f->phys_bits == 46 && f->usable_phys_bits == 40,
	       "Intel seed 5.1: 46 bits less 6 KeyID bits = 40 (got %u/%u)", f->phys_bits, f->usable_phys_bits);
	EXPECT(f->tme.active && f->tme.mktme && f->tme.keyid_bits == 6 && f->tme.keyid_shift == 40 && f->tme.keyids == 63,
	       "facts: active, 6 KeyID bits at bit 40, 63 KeyIDs (%u %u %u)", f->tme.keyid_bits, f->tme.keyid_shift, f->tme.keyids);
	EXPECT(mc_facts_keyid_pa(f, 0x1000, 2) == 0x1000 + (2ULL << 40),
	       "Intel seed 3.1 example: KeyID 2 sits in PA bits 45:40 (0x%llx)", (unsigned long long)mc_facts_keyid_pa(f, 0x1000, 2));
	EXPECT(c->res.n[MC_FAIL] == 0 && c->res.n[MC_WARN] == 0, "a correctly locked board has no FAIL/WARN (%u/%u)",
	       c->res.n[MC_FAIL], c->res.n[MC_WARN]);
	chk_free(c);
}

/* Table 4-4 with the model's core-mismatch fault: after the first SMI
 * synchronises cores with the package (4.2.3), cpu 3 stays behind. */
TEST(checks_intel, core_mismatch_after_smi)
{
	struct intel_prof p = LOCKED(.core = "0", .extra = "fault core-mismatch 3");
	struct chk *c = chk_new(intel_text(&p));
	if (!c)
		return;
	mc_model_smi(c->state);
	chk_run(c, NULL);
	chk_expect(c, "mktme.core_activate", MC_FAIL, "cpu 3 MK_TME_CORE_ACTIVATE=0x0000000000000000: keyid bits 0, package 6",
		   "Table 4-4: one core not synchronised");
	chk_free(c);

	p = (struct intel_prof)LOCKED(.core = "0");
	c = chk_new(intel_text(&p));
	if (!c)
		return;
	mc_model_smi(c->state);
	chk_run(c, NULL);
	chk_expect(c, "mktme.core_activate", MC_PASS, "on all 4 CPUs", "4.2.3: the first SMI synchronises every core");
	chk_free(c);
}

/* Packages disagree: package 0 activated, package 1 not (Linux:
 * "configuration is inconsistent between CPUs"). */
TEST(checks_intel, packages_disagree)
{
	struct intel_prof p = LOCKED(.act = "0x0", .core = "0", .packages = 2);
	struct chk *c = chk_new(intel_text(&p));
	if (!c)
		return;
	int rc = mc_wrmsr(&c->model, 0, 0x982, 0x0001000600000002ULL);
	EXPECT(rc == 0, "the model activates package 0 (rc %d)", rc);
	chk_run(c, NULL);
	chk_expect(c, "tme.consistent", MC_FAIL, "IA32_TME_ACTIVATE", "every register the same on every CPU");
	chk_free(c);
}

/* A CPU the platform cannot reach is SKIP, never PASS; a register that
 * #GPs though CPUID enumerates it is a FAIL. */
TEST(checks_intel, unreachable_and_faulting)
{
	struct intel_prof p = LOCKED();
	struct chk *c = chk_new(intel_text(&p));
	if (!c)
		return;
	c->unreachable_cpu = 2;
	chk_run(c, NULL);
	chk_expect(c, "tme.consistent", MC_SKIP, "1 of 4 CPUs could not be read (first: cpu 2", "unreachable CPU");
	chk_expect(c, "mktme.core_activate", MC_SKIP, "first: cpu 2", "unreachable CPU");

	c->unreachable_cpu = -1;
	c->fault_msr = 0x9ff;
	c->fault_cpu = 1;
	chk_run(c, NULL);
	chk_expect(c, "mktme.core_activate", MC_FAIL, "cpu 1 RDMSR MK_TME_CORE_ACTIVATE raised #GP", "Table 4-4 #GP only without MKTME");

	c->fault_msr = 0x982;
	c->fault_cpu = 3;
	chk_run(c, NULL);
	chk_expect(c, "tme.consistent", MC_FAIL, "cpu 3 RDMSR IA32_TME_ACTIVATE raised #GP", "one CPU faults");

	c->fault_msr = 0x983;
	c->fault_cpu = -1;
	chk_run(c, NULL);
	chk_expect(c, "tme.exclusion", MC_FAIL, "raised #GP", "4.1.1: CPUID.TME enumerates 983H");

	c->fault_msr = 0x981;
	chk_run(c, NULL);
	chk_expect(c, "tme.capability", MC_FAIL, "IA32_TME_CAPABILITY (981H) raised #GP", "4.1.1: CPUID.TME enumerates 981H");
	EXPECT(!c->facts.tme.read && !c->facts.tme.active, "a faulting capability is not taken as read");
	chk_free(c);
}

/* Intel seed 4.1: EFI_MEMORY_CPU_CRYPTO from the UEFI stage's memory map. */
TEST(checks_intel, memmap_cpu_crypto)
{
	struct intel_prof p = LOCKED();
	struct chk *c = chk_new(intel_text(&p));
	if (!c)
		return;
	chk_run(c, NULL);
	EXPECT(!chk_find(c, "memmap.cpu_crypto"), "no memory map input, no memmap result");

	struct mc_check_input in = { .have_memmap = true, .conventional_bytes = 2048ULL << 20, .crypto_bytes = 2048ULL << 20 };
	chk_run(c, &in);
	chk_expect(c, "memmap.cpu_crypto", MC_PASS, "all 2048 MiB", "4.1 every conventional range marked");
	in.crypto_bytes = 0;
	chk_run(c, &in);
	chk_expect(c, "memmap.cpu_crypto", MC_FAIL, "none of 2048 MiB", "4.1 MKTME on, nothing marked");
	in.crypto_bytes = 1024ULL << 20;
	chk_run(c, &in);
	chk_expect(c, "memmap.cpu_crypto", MC_WARN, "only 1024 of 2048 MiB", "4.1 partly marked");
	in.crypto_bytes = 4096ULL << 20;
	chk_run(c, &in);
	chk_expect(c, "memmap.cpu_crypto", MC_FAIL, "input inconsistent", "more crypto than conventional");
	chk_free(c);
}

/* Intel seed 5.1: the KeyID takes the top MK_TME_KEYID_BITS of MAX_PA, so
 * RAM must end at or below 2^(MAX_PA - KeyID bits). LOCKED: MAX_PA 46, 6
 * KeyID bits: 2^40 = 1 TiB, written out here from the rule. */
TEST(checks_intel, ram_addressable)
{
	const u64 limit = 1ULL << (46 - 6);
	struct intel_prof p = LOCKED();
	struct chk *c = chk_new(intel_text(&p));
	if (!c)
		return;
	struct mc_check_input in = { 0 };
	chk_run(c, &in);
	EXPECT(!chk_find(c, "tme.ram_addressable"), "RAM top unknown: no tme.ram_addressable result");
	in.ram_top = limit;
	chk_run(c, &in);
	chk_expect(c, "tme.ram_addressable", MC_PASS, "RAM top 0x10000000000 (1 TiB) <= 2^40 (1 TiB) = MAXPHYADDR 46 - 6 KeyID bits",
		   "5.1 RAM exactly up to 2^(46-6)");
	in.ram_top = limit + 4096;
	chk_run(c, &in);
	chk_expect(c, "tme.ram_addressable", MC_FAIL, "RAM top 0x10000001000 (1 TiB+) > 2^40 (1 TiB) = MAXPHYADDR 46 - 6 KeyID bits: RAM above is unreachable",
		   "5.1 one page of RAM above 2^(46-6)");
	chk_free(c);

	/* TME without KeyID bits takes no address bit: nothing to judge. */
	struct intel_prof t = LOCKED(.act = "0x0000000000000003");
	c = chk_new(intel_text(&t));
	if (!c)
		return;
	in.ram_top = 1ULL << 45;
	chk_run(c, &in);
	EXPECT(!chk_find(c, "tme.ram_addressable"), "TME only (0 KeyID bits): no tme.ram_addressable result");
	chk_free(c);
}
