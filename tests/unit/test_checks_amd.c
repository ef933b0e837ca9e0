/* Every AMD SME/SEV judgment of lib/checks through its PASS and its FAIL
 * (or SKIP/WARN) path on the model, the CPUID trap of FACTS.md, and a guest
 * whose SYSCFG read #GPs. */
#include "tests/unit/test_checks.h"
#include "tests/unit/harness.h"
#include <string.h>

#pragma GCC diagnostic ignored "-Woverride-init"
#define SME_ON(...) { .max_basic = 0xd, .max_ext = 0x8000001f, .eax = 0x0f, .ebx = 47 | (5 << 6), \
		      .ecx = 509, .edx = 100, .phys = 48, .syscfg = "0x840000", .cpus = 2, __VA_ARGS__ }
#define HV (1u << 31)

/* HWCR with SMMLOCK (bit 0); an RMP for the 16 MiB model: 1 MiB at 16 MiB. */
#define HWCR_LOCKED "msr 0xc0010015 0x1000011"
#define RMP_OK "msr 0xc0010132 0x1000000\nmsr 0xc0010133 0x10fffff"

struct row {
	const char *why;
	struct amd_prof prof;
	const char *id;
	enum mc_verdict v;
	const char *has;
};

static const struct row rows[] = {
	{ "AMD seed step 1: CPUID 8000_001F EAX[0]", SME_ON(), "sme.supported", MC_PASS, "EAX[0]=1" },
	{ "no SME, no SEV", SME_ON(.eax = 0), "sme.supported", MC_SKIP, "EAX[0]=0, EAX[1]=0" },
	{ "leaf guard: 0x8000001F above max extended", SME_ON(.max_ext = 0x8000001e), "sme.supported", MC_SKIP, "above the max extended leaf" },

	/* AMD seed: C-bit position from CPUID (example: bit 47), reduction */
	{ "C-bit 47 above 48-5 bits", SME_ON(), "sme.c_bit", MC_PASS, "C-bit 47, reduction 5" },
	{ "C-bit inside the usable address bits", SME_ON(.ebx = 40 | (5 << 6)), "sme.c_bit", MC_FAIL, "C-bit 40" },
	{ "C-bit above bit 51", SME_ON(.ebx = 52 | (5 << 6)), "sme.c_bit", MC_FAIL, "C-bit 52" },
	{ "address width left with SME on", SME_ON(), "sme.pa_width", MC_INFO, "= 43 address bits" },

	/* AMD seed step 2: SYSCFG[23] on every core */
	{ "SYSCFG[23] set on all cores", SME_ON(), "sme.enabled", MC_PASS, "all 2 CPUs" },
	{ "SYSCFG[23] clear: BIOS did not enable SME", SME_ON(.syscfg = "0x40000"), "sme.enabled", MC_FAIL, "did not enable SME" },
	{ "SYSCFG #GP on bare metal", SME_ON(.syscfg = "gp"), "sme.enabled", MC_FAIL, "on bare metal" },
	{ "guest: SYSCFG #GP is expected, not a FAIL", SME_ON(.leaf1_ecx = HV, .eax = 0x1, .syscfg = "gp"), "sme.enabled", MC_SKIP, "expected in a guest" },
	{ "guest: a SYSCFG read that did not fault is no evidence", SME_ON(.leaf1_ecx = HV, .eax = 0x1), "sme.enabled", MC_INFO, "not evidence" },

	/* SEV capability (FACTS.md CPUID 0x8000001F) */
	{ "SEV enumerated", SME_ON(), "sev.supported", MC_INFO, "509 encrypted guests, min SEV ASID 100" },
	{ "SEV not enumerated", SME_ON(.eax = 0x1), "sev.supported", MC_SKIP, "EAX[1]=0" },
	{ "SEV-ES builds on SEV", SME_ON(), "sev.features", MC_PASS, "SEV 1, SEV-ES 1" },
	{ "SEV-SNP without SEV-ES", SME_ON(.eax = 0x13), "sev.features", MC_FAIL, "SEV-SNP 1" },
	{ "ASIDs: 1..99 SEV-ES, 100..509 SEV", SME_ON(), "sev.asids", MC_PASS, "ASIDs 100..509 for SEV, 99 for SEV-ES" },
	{ "ASIDs: no encrypted guests", SME_ON(.ecx = 0), "sev.asids", MC_FAIL, "0 encrypted guests" },
	{ "ASIDs: min SEV ASID 0", SME_ON(.edx = 0), "sev.asids", MC_FAIL, "min SEV ASID 0" },
	{ "ASIDs: every ASID SEV-ES", SME_ON(.ecx = 16, .edx = 17), "sev.asids", MC_WARN, "none for plain SEV" },

	/* Host readiness (FACTS.md "AMD beyond SME"; Linux amd.c
	 * early_detect_mem_encrypt: SEV kept only with SYSCFG[23] and SMMLOCK) */
	{ "SYSCFG[23] and SMMLOCK on every core: Linux keeps SEV", SME_ON(.extra = HWCR_LOCKED), "sev.usable", MC_PASS, "Linux keeps SEV" },
	{ "SMMLOCK clear: Linux disables SEV", SME_ON(.extra = "msr 0xc0010015 0x0"), "sev.usable", MC_FAIL, "SMM not locked" },
	{ "SYSCFG[23] clear: Linux disables SEV", SME_ON(.syscfg = "0x40000", .extra = HWCR_LOCKED), "sev.usable", MC_FAIL,
	  "MemEncryptionModEn clear" },
	{ "HWCR unreadable: SEV's fate unknown", SME_ON(), "sev.usable", MC_SKIP, "SMMLOCK unknown" },
	{ "min SEV ASID 1: no SEV-ES/SNP ASIDs (KVM disables them)", SME_ON(.edx = 1, .extra = HWCR_LOCKED), "sev.asids", MC_WARN,
	  "leaves no ASID for them" },
	{ "min SEV ASID 1 with SNP enabled by the BIOS", SME_ON(.eax = 0x1f, .edx = 1, .syscfg = "0x1840000",
	  .extra = HWCR_LOCKED "\n" RMP_OK), "sev.asids", MC_FAIL, "though the BIOS enabled SNP" },
	{ "SNP enabled on every core", SME_ON(.eax = 0x1f, .syscfg = "0x1840000", .extra = HWCR_LOCKED "\n" RMP_OK),
	  "snp.enabled", MC_PASS, "SYSCFG[24] SecureNestedPagingEn set on all 2 CPUs" },
	{ "SNP supported, not enabled", SME_ON(.eax = 0x1f, .extra = HWCR_LOCKED), "snp.enabled", MC_INFO, "not enabled by the BIOS" },
	{ "SNP without MemEncryptionModEn", SME_ON(.eax = 0x1f, .syscfg = "0x1040000", .extra = HWCR_LOCKED "\n" RMP_OK),
	  "snp.enabled", MC_FAIL, "SYSCFG[23] MemEncryptionModEn clear" },
	{ "SNP on, VMPLs exist, VMPLEn clear", SME_ON(.eax = 0x3f, .ebx = 47 | (5 << 6) | (4 << 12), .syscfg = "0x1840000",
	  .extra = HWCR_LOCKED "\n" RMP_OK), "snp.enabled", MC_WARN, "VMPLEn (SYSCFG[25]) clear although 4 VMPLs" },
	{ "SNP and VMPLEn on", SME_ON(.eax = 0x3f, .ebx = 47 | (5 << 6) | (4 << 12), .syscfg = "0x3840000",
	  .extra = HWCR_LOCKED "\n" RMP_OK), "snp.enabled", MC_PASS, "and [25] VMPLEn" },
	{ "RMP reserved, RAM extent unknown: size not judged", SME_ON(.eax = 0x1f, .syscfg = "0x1840000",
	  .extra = HWCR_LOCKED "\n" RMP_OK), "snp.rmp", MC_SKIP, "size is not judged" },
	{ "RMP not reserved (0)", SME_ON(.eax = 0x1f, .syscfg = "0x1840000", .extra = HWCR_LOCKED "\nmsr 0xc0010132 0\nmsr 0xc0010133 0"),
	  "snp.rmp", MC_FAIL, "did not reserve the RMP" },
	{ "RMP end+1 not 1 MiB aligned", SME_ON(.eax = 0x1f, .syscfg = "0x1840000",
	  .extra = HWCR_LOCKED "\nmsr 0xc0010132 0x100000\nmsr 0xc0010133 0x1fffef"), "snp.rmp", MC_FAIL, "1 MiB aligned" },
	{ "RMP MSRs #GP with SNP enabled", SME_ON(.eax = 0x1f, .syscfg = "0x1840000", .extra = HWCR_LOCKED),
	  "snp.rmp", MC_FAIL, "raised #GP with SNP enabled" },
	{ "TSME not visible without the OS view", SME_ON(), "sme.tsme", MC_SKIP, "only the PSP" },

	/* SEV_STATUS in a guest */
	{ "SEV-SNP guest", SME_ON(.leaf1_ecx = HV, .eax = 0x1a, .ebx = 51 | (1 << 6), .ecx = 0, .edx = 0,
	  .syscfg = "gp", .sev_status = "0x7"), "sev.guest", MC_PASS, "sev-snp guest" },
	{ "SEV-ES guest", SME_ON(.leaf1_ecx = HV, .eax = 0x0a, .syscfg = "gp", .sev_status = "0x3"), "sev.guest", MC_PASS, "sev-es guest" },
	{ "SEV guest", SME_ON(.leaf1_ecx = HV, .eax = 0x02, .syscfg = "gp", .sev_status = "0x1"), "sev.guest", MC_PASS, "an sev guest" },
	{ "SEV_STATUS ES without SEV", SME_ON(.leaf1_ecx = HV, .eax = 0x0a, .syscfg = "gp", .sev_status = "0x2"), "sev.guest", MC_FAIL, "without SEV" },
	{ "SEV_STATUS #GP: not an SEV guest", SME_ON(.leaf1_ecx = HV, .eax = 0x0a, .syscfg = "gp", .sev_status = "gp"), "sev.guest", MC_INFO, "not an SEV guest" },
	{ "SEV guest: SYSCFG is the host's", SME_ON(.leaf1_ecx = HV, .eax = 0x0b, .syscfg = "gp", .sev_status = "0x1"), "sme.enabled", MC_SKIP, "belongs to the host" },
	{ "bare metal: SEV_STATUS not read", SME_ON(), "sev.guest", MC_INFO, "not a guest" },
};

TEST(checks_amd, table)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		chk_row(i, amd_text(&rows[i].prof), rows[i].id, rows[i].v, rows[i].has, rows[i].why);
}

/* FACTS.md: QEMU's EPYC-Milan has max extended leaf 0x8000001E, and leaf
 * 0x8000001F answers with the highest basic leaf (0xD), EAX=0x207, whose
 * bits 0 and 1 read as "SME and SEV". It must not be read as SME. */
TEST(checks_amd, qemu_milan_leaf_trap)
{
	struct amd_prof p = SME_ON(.max_ext = 0x8000001e, .eax = 0, .ebx = 0, .ecx = 0, .edx = 0,
				   .extra = "cpuid 0xd 0 0x207 0x340 0x340 0");
	struct chk *c = chk_new(amd_text(&p));
	if (!c)
		return;
	struct cpuid_regs r;
	mc_cpuid(&c->model, 0x8000001f, 0, &r);
	EXPECT(r.eax == 0x207, "the model reproduces the trap: unguarded 0x8000001F EAX=0x%x", r.eax);
	chk_run(c, NULL);
	EXPECT(!c->facts.sme.leaf && !c->facts.sme.supported && !c->facts.sme.enc.sev,
	       "leaf above the max is not read: SME %d SEV %d", c->facts.sme.supported, c->facts.sme.enc.sev);
	chk_expect(c, "sme.supported", MC_SKIP, "0x8000001e", "FACTS.md leaf trap");
	EXPECT(!chk_find(c, "sme.enabled") && !chk_find(c, "sev.supported"), "no SME/SEV judgment from the trap");
	chk_free(c);
}

/* A C-bit of 0 the model refuses to build: the leaf is overridden over
 * the model by the test's shim. */
TEST(checks_amd, cbit_zero)
{
	struct amd_prof p = SME_ON();
	struct chk *c = chk_new(amd_text(&p));
	if (!c)
		return;
	c->ovr_leaf = 0x8000001f;
	c->ovr = (struct cpuid_regs){ 0x0f, 5 << 6, 509, 100 };
	chk_run(c, NULL);
	chk_expect(c, "sme.c_bit", MC_FAIL, "C-bit 0", "C-bit 0 is no C-bit");
	chk_free(c);
}

/* Linux's rule (FACTS.md): the reduction applies only with SYSCFG[23]. */
TEST(checks_amd, usable_width)
{
	struct amd_prof on = SME_ON(), off = SME_ON(.syscfg = "0x40000");
	struct chk *c = chk_new(amd_text(&on));
	if (!c)
		return;
	chk_run(c, NULL);
	EXPECT(c->facts.sme.enabled && c->facts.usable_phys_bits == 43 && c->facts.sme.enc.c_bit == 47,
	       "SME on: 48 - 5 = 43 usable bits, C-bit 47 (got %u)", c->facts.usable_phys_bits);
	EXPECT(mc_cbit_pa(0xABCDE321ULL, c->facts.sme.enc.c_bit) == 0x8000ABCDE321ULL,
	       "AMD seed SEV translation example: 0xABCD_E321 with the C-bit is 0x8000_ABCD_E321");
	chk_free(c);
	c = chk_new(amd_text(&off));
	if (!c)
		return;
	chk_run(c, NULL);
	EXPECT(!c->facts.sme.enabled && c->facts.usable_phys_bits == 48, "SME off: all 48 bits (got %u)", c->facts.usable_phys_bits);
	chk_free(c);
}

/* SYSCFG[23] is per core: one core cleared is an inconsistency; an
 * unreachable core is SKIP, not PASS. */
TEST(checks_amd, syscfg_per_core)
{
	struct amd_prof p = SME_ON(.cpus = 4);
	struct chk *c = chk_new(amd_text(&p));
	if (!c)
		return;
	c->unreachable_cpu = 3;
	chk_run(c, NULL);
	chk_expect(c, "sme.enabled", MC_SKIP, "1 of 4 could not be read", "unreachable core");
	c->unreachable_cpu = -1;
	int rc = mc_wrmsr(&c->model, 2, 0xc0010010, 0x40000);
	EXPECT(rc == 0, "the model clears SYSCFG[23] on cpu 2 (rc %d)", rc);
	chk_run(c, NULL);
	chk_expect(c, "sme.enabled", MC_FAIL, "set on 3 of 4 CPUs read, clear on cpu 2", "SYSCFG[23] on every core");
	chk_free(c);
}

/* TSME (FACTS.md): SYSCFG[23] clear yet all memory encrypted; only the
 * OS view (the PSP through Linux, or a profile's `os tsme` line) says so. */
TEST(checks_amd, tsme)
{
	struct amd_prof p = SME_ON(.syscfg = "0x40000", .extra = HWCR_LOCKED);
	struct chk *c = chk_new(amd_text(&p));
	if (!c)
		return;
	static struct mc_os_view os;
	struct mc_check_input in = { .os = &os };
	os.tsme = MC_TRI_YES;
	chk_run(c, &in);
	chk_expect(c, "sme.tsme", MC_PASS, "TSME on", "TSME reported by the PSP");
	chk_expect(c, "sme.enabled", MC_PASS, "encrypted transparently", "TSME: never 'BIOS did not enable SME'");
	chk_expect(c, "sev.usable", MC_FAIL, "TSME encrypts memory, but SEV needs the bit", "Linux: SEV needs SYSCFG[23]");
	EXPECT(c->facts.sme.tsme == MC_TRI_YES, "facts carry TSME from the OS view");
	os.tsme = MC_TRI_NO;
	chk_run(c, &in);
	chk_expect(c, "sme.tsme", MC_INFO, "TSME off", "TSME off");
	chk_expect(c, "sme.enabled", MC_FAIL, "did not enable SME: SYSCFG[23] MemEncryptionModEn clear on all 2 CPUs read (SYSCFG=0x0000000000040000), TSME off",
		   "no TSME, no SYSCFG[23]");
	chk_free(c);
}

/* RMP size (Linux snp_rmptable_init): 16 bytes per 4 KiB page of RAM plus
 * 16 KiB. A 1 MiB RMP covers (1 MiB - 16 KiB) / 16 * 4 KiB = 252 MiB. */
TEST(checks_amd, rmp_size)
{
	struct amd_prof p = SME_ON(.eax = 0x1f, .syscfg = "0x1840000", .extra = HWCR_LOCKED "\n" RMP_OK);
	struct chk *c = chk_new(amd_text(&p));
	if (!c)
		return;
	struct mc_check_input in = { .ram_top = 252ULL << 20 };
	chk_run(c, &in);
	chk_expect(c, "snp.rmp", MC_PASS, "1024 KiB covers the 1024 KiB", "RMP exactly large enough for 252 MiB");
	in.ram_top = (252ULL << 20) + 4096;
	chk_run(c, &in);
	chk_expect(c, "snp.rmp", MC_FAIL, "is smaller than the 1024 KiB", "one page more than the RMP covers");
	EXPECT(c->facts.sme.rmp_read && c->facts.sme.rmp_base == 0x1000000 && c->facts.sme.rmp_end == 0x10fffff,
	       "RMP_BASE/RMP_END read as listed (0x%llx-0x%llx)", (unsigned long long)c->facts.sme.rmp_base,
	       (unsigned long long)c->facts.sme.rmp_end);
	chk_free(c);
}

/* The handoff decision (lib/checks/guest.c) on the model: an SEV, SEV-ES
 * or SNP guest is not handed to a kernel without C-bit tables and #VC
 * handler; a host is. */
TEST(checks_amd, guest_handoff_decision)
{
	static const struct { const char *status; u32 eax; const char *has; } cases[] = {
		{ "0x1", 0x02, "sev guest (SEV_STATUS=0x1): not handed off: the kernel's map has no C-bit (47)" },
		{ "0x3", 0x0a, "sev-es guest (SEV_STATUS=0x3): not handed off: the kernel's map has no C-bit (47) and no #VC handler" },
		{ "0x7", 0x1a, "sev-snp guest (SEV_STATUS=0x7): not handed off: the kernel's map has no C-bit (47) and no #VC handler" },
	};
	char buf[200];
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct amd_prof p = SME_ON(.leaf1_ecx = HV, .eax = cases[i].eax, .syscfg = "gp", .sev_status = cases[i].status);
		struct chk *c = chk_new(amd_text(&p));
		if (!c)
			return;
		chk_run(c, NULL);
		const char *r = mc_guest_handoff_refusal(&c->facts, buf, sizeof(buf));
		EXPECT(r && !strcmp(r, cases[i].has), "guest SEV_STATUS=%s: refusal '%s'", cases[i].status, r ? r : "(none)");
		chk_free(c);
	}
	struct amd_prof host = SME_ON(.extra = HWCR_LOCKED);
	struct chk *c = chk_new(amd_text(&host));
	if (!c)
		return;
	chk_run(c, NULL);
	EXPECT(!mc_guest_handoff_refusal(&c->facts, buf, sizeof(buf)), "an SME host is handed off");
	chk_free(c);
}

/* AMD seed (SME) and CPUID 0x8000001F EBX[11:6]: with SYSCFG[23] set the
 * reduction's bits are lost, so RAM must end at or below 2^(MAXPHYADDR -
 * reduction). SME_ON: 48 - 5 = 43 bits, 8 TiB, written out from the rule. */
TEST(checks_amd, ram_addressable)
{
	const u64 limit = 1ULL << (48 - 5);
	struct amd_prof p = SME_ON();
	struct chk *c = chk_new(amd_text(&p));
	if (!c)
		return;
	struct mc_check_input in = { .ram_top = limit };
	chk_run(c, &in);
	chk_expect(c, "sme.ram_addressable", MC_PASS, "RAM top 0x80000000000 (8 TiB) <= 2^43 (8 TiB) = MAXPHYADDR 48 - reduction 5",
		   "SME on, RAM exactly up to 2^(48-5)");
	in.ram_top = limit + 4096;
	chk_run(c, &in);
	chk_expect(c, "sme.ram_addressable", MC_FAIL, "> 2^43 (8 TiB) = MAXPHYADDR 48 - reduction 5: RAM above is unreachable (", "SME on, one page of RAM above 2^(48-5)");
	chk_free(c);

	/* SYSCFG[23] clear: nothing is lost yet, but enabling SME would. */
	struct amd_prof off = SME_ON(.syscfg = "0x40000");
	c = chk_new(amd_text(&off));
	if (!c)
		return;
	chk_run(c, &in);
	chk_expect(c, "sme.ram_addressable", MC_WARN, "unreachable once SME is enabled", "SME off, RAM above 2^(48-5)");
	in.ram_top = limit;
	chk_run(c, &in);
	EXPECT(!chk_find(c, "sme.ram_addressable"), "SME off and RAM fits: no sme.ram_addressable result");
	chk_free(c);
}
