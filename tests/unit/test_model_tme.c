/* The model's Intel TME registers: every row of Intel seed Table 4-3, the
 * exclusion range (Tables 4-5/4-6), MK_TME_CORE_ACTIVATE (Table 4-4) and
 * the SMI lock (Table 4-2 bit 0, 4.2.3). */
#include "tests/unit/harness.h"
#include "tests/unit/test_model_util.h"

#define GP X86_TRAP_GP
#define ROW "Table 4-3 row "

static const char no_tme[] =
	"cpus 2\n"
	"cpuid 0 0 00000016 756e6547 6c65746e 49656e69\n"
	"cpuid 7 0 00000000 d39ffffb 00000018 9c002400\n"
	"cpuid 80000000 0 80000008 0 0 0\n"
	"cpuid 80000008 0 0000302e 0 0 0\n"
	"msr 982 0\n";

TEST(model, table_4_3_not_enumerated)
{
	struct tm m;
	u64 v;
	if (!EXPECT(tm_boot(&m, no_tme, NULL, 1), "boot a profile without CPUID.TME"))
		return;
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3) == GP, ROW "'WRMSR when not enumerated' -> #GP");
	EXPECT(tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v) == GP &&
	       tm_rd(&m, 0, MSR_IA32_TME_CAPABILITY, &v) == GP &&
	       tm_rd(&m, 0, MSR_IA32_TME_EXCLUDE_MASK, &v) == GP,
	       "seed 4.1.1: TME MSRs do not exist without CPUID.7.0:ECX[13] (RDMSR #GP, even if the profile lists 982H)");
	tm_free(&m);
}

TEST(model, table_4_3_locked)
{
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME) == 0, "first activation is accepted");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3) == GP, ROW "'WRMSR while lock status = 1' -> #GP");
	tm_rd(&m, 1, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT(v == (TM_ACTIVATE_MKTME | 1),
	       "a #GP write leaves the register unchanged, seen from another CPU of the package (0x%016llx)",
	       (unsigned long long)v);
	tm_free(&m);
}

TEST(model, table_4_3_reserved)
{
	static const int bits[] = { 8, 15, 30, 36, 40, 47 };
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++)
		EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3 | BIT_ULL(bits[i])) == GP,
		       ROW "'WRMSR with reserved bits != 0' (bit %d) -> #GP", bits[i]);
	EXPECT(tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v) == 0 && v == 0, "no reserved-bit write was committed");
	tm_free(&m);

	/* Bit 31 exists only where CAPABILITY[31] enumerates bypass. */
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3 | TME_ACTIVATE_BYPASS) == 0,
	       "bypass (bit 31) is accepted when IA32_TME_CAPABILITY[31] = 1");
	tm_free(&m);
	const char *nobypass = "cpus 1\ncpuid 0 0 1b 756e6547 6c65746e 49656e69\ncpuid 7 0 0 0 2000 40000\n"
			       "cpuid 80000000 0 80000008 0 0 0\ncpuid 80000008 0 302e 0 0 0\nmsr 981 000003f600000001\n";
	if (!tm_boot(&m, nobypass, NULL, 1))
		return;
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3 | TME_ACTIVATE_BYPASS) == GP,
	       ROW "'reserved bits' covers bit 31 when bypass is not enumerated -> #GP");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3 | (2ULL << 4)) == GP,
	       ROW "'unsupported policy value' AES-XTS-256 (0010b) without CAPABILITY[2] -> #GP");
	tm_free(&m);
}

TEST(model, table_4_3_policy)
{
	struct tm m;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	for (u64 pol = 0; pol < 16; pol++) {
		if (pol == 0 || pol == 2)
			continue;
		EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3 | (pol << 4)) == GP,
		       ROW "'WRMSR with unsupported policy value' (%llu) -> #GP", (unsigned long long)pol);
	}
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3 | (2ULL << 4)) == 0,
	       "policy 0010b (AES-XTS-256), enumerated in CAPABILITY[2], is accepted");
	tm_free(&m);
}

TEST(model, table_4_3_enable_0)
{
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0) == 0, "WRMSR 0 is accepted");
	tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT((v & 3) == 1, ROW "'WRMSR with enabled=0' -> TME disabled, locked, RDMSR xx01b (got 0x%llx)",
	       (unsigned long long)v);
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3) == GP, "after enabled=0 the MSR is locked (#GP)");
	tm_free(&m);
}

TEST(model, table_4_3_new_key)
{
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3);
	tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT((v & 7) == 3, ROW "'enabled=1, key select=0, RNG success' -> enabled, locked, xx011b (0x%llx)",
	       (unsigned long long)v);
	tm_free(&m);

	if (!tm_boot(&m, tm_icelake, "fault rng-fail\n", 1))
		return;
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3) == 0, "a new-key activation with a failing RNG does not fault");
	tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT((v & 7) == 0, ROW "'enabled=1, key select=0, RNG fail' -> not enabled, xx000b (0x%llx)",
	       (unsigned long long)v);
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0) == 0, "after an RNG failure the MSR is not locked");
	tm_free(&m);
}

TEST(model, table_4_3_restore)
{
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x7);
	tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT((v & 7) == 7, ROW "'enabled=1, key select=1, non-zero key restored' -> enabled, locked, xx111b (0x%llx)",
	       (unsigned long long)v);
	tm_free(&m);

	if (!tm_boot(&m, tm_icelake, "fault restore-fail\n", 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x7);
	tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT((v & 7) == 4, ROW "'enabled=1, key select=1, zero key restored' -> not enabled, xx100b (0x%llx)",
	       (unsigned long long)v);
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3) == 0, "after a restore failure the MSR is not locked");
	tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT((v & 7) == 3, "a new key can still be created after a failed restore (0x%llx)", (unsigned long long)v);
	tm_free(&m);
}

TEST(model, table_4_3_other_legal)
{
	static const u64 vals[] = {
		0x0000000000000003ULL,            /* TME only, AES-XTS-128 */
		0x0000000080000023ULL,            /* bypass, AES-XTS-256 policy */
		0x000000000000000bULL,            /* save key for standby */
		0x0001000100000003ULL,            /* MKTME 1 bit, AES-XTS-128 */
		0x0004000600000003ULL,            /* MKTME 6 bits, AES-XTS-256 only */
		0x0005000600000023ULL,            /* both, TME policy 256 */
		0x0000000000000001ULL,            /* lock bit written: ignored */
	};
	for (size_t i = 0; i < ARRAY_SIZE(vals); i++) {
		struct tm m;
		u64 v;
		if (!tm_boot(&m, tm_icelake, NULL, 1))
			return;
		int f = tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, vals[i]);
		tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v);
		EXPECT(f == 0 && v == (vals[i] | 1),
		       ROW "'any other legal values' 0x%016llx -> RDMSR returns the value + lock (0x%016llx)",
		       (unsigned long long)vals[i], (unsigned long long)v);
		tm_free(&m);
	}
}

TEST(model, table_4_3_keyid_bits)
{
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x0001000700000003ULL) == GP,
	       ROW "'MK_TME_KEYID_BITS > MK_TME_MAX_KEYID_BITS' (7 > 6) -> #GP");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x0001000600000000ULL) == GP,
	       ROW "'MK_TME_KEYID_BITS > 0 && TME Enable == 0' -> #GP");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x0003000600000003ULL) == GP,
	       ROW "'MK_TME_CRYPTO_ALGS reserved bits are set' (bit 49) -> #GP");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x0009000600000003ULL) == GP,
	       ROW "'MK_TME_CRYPTO_ALGS reserved bits are set' (bit 51) -> #GP");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x8001000600000003ULL) == GP,
	       ROW "'MK_TME_CRYPTO_ALGS reserved bits are set' (bit 63) -> #GP");
	tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT(v == 0, "none of the #GP writes changed the register (0x%llx)", (unsigned long long)v);
	tm_free(&m);

	if (!tm_boot(&m, tm_icelake, "fault rng-fail\n", 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT((v & TME_ACTIVATE_KEYID_BITS_MASK) == 0 && (v & TME_ACTIVATE_CRYPTO_ALGS_MASK) == 0 && (v & 3) == 0,
	       ROW "'MK_TME_KEYID_BITS > 0 and TME not successfully activated' -> write not committed (0x%016llx)",
	       (unsigned long long)v);
	tm_free(&m);
}

TEST(model, capability_read_only)
{
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	int f = tm_rd(&m, 0, MSR_IA32_TME_CAPABILITY, &v);
	EXPECT(f == 0 && v == 0x000003f680000005ULL,
	       "IA32_TME_CAPABILITY reads the profile's value (0x%016llx)", (unsigned long long)v);
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_CAPABILITY, v) == GP, "Table 4-1: IA32_TME_CAPABILITY is read-only (WRMSR #GP)");
	tm_free(&m);
}

TEST(model, smi_lock)
{
	struct tm m;
	u64 v, c;
	if (!tm_boot(&m, tm_icelake, "msr 9ff 0\n", 1))
		return;
	mc_model_smi(m.state);
	tm_rd(&m, 0, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT(v & TME_ACTIVATE_LOCKED, "Table 4-2 bit 0: the first SMI sets the lock (0x%llx)", (unsigned long long)v);
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3) == GP, "after the SMI lock, WRMSR to IA32_TME_ACTIVATE #GPs");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_BASE, 0) == GP, "after the SMI lock, the exclusion MSRs #GP too");
	tm_free(&m);

	/* Activated but cores never written: the first SMI synchronises them. */
	if (!tm_boot(&m, tm_icelake, "msr 9ff 0\n", 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	tm_rd(&m, 3, MSR_IA32_MKTME_CORE_ACTIVATE, &c);
	EXPECT(c == 0, "before the SMI, CPU 3's MK_TME_CORE_ACTIVATE is still 0");
	mc_model_smi(m.state);
	tm_rd(&m, 3, MSR_IA32_MKTME_CORE_ACTIVATE, &c);
	EXPECT(c == 0x0000000600000000ULL, "seed 4.2.3: the first SMI syncs MK_TME_CORE_ACTIVATE with the package (0x%llx)",
	       (unsigned long long)c);
	tm_free(&m);
}

TEST(model, exclusion_range)
{
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake, NULL, 1))
		return;
	/* MAXPHYADDR 46: mask field bits 45:12. */
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_MASK, 0x3ffffff00800ULL) == 0,
	       "Table 4-5: a contiguous mask (1 MiB) with enable is accepted");
	tm_rd(&m, 0, MSR_IA32_TME_EXCLUDE_MASK, &v);
	EXPECT(v == 0x3ffffff00800ULL,
	       "IA32_TME_EXCLUDE_MASK reads back (0x%llx)", (unsigned long long)v);
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_MASK, 0x3fffffe01800ULL) == GP,
	       "4.2.4: a mask that is not contiguous -> #GP");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_MASK, 0x7ffffff00800ULL) == GP,
	       "4.2.4: mask bit 46 (above MAXPHYADDR 46) -> #GP");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_BASE, 0x400000000000ULL) == GP,
	       "4.2.4: base bit 46 (above MAXPHYADDR) -> #GP");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_MASK, 0x3ffffff00801ULL) == GP,
	       "Table 4-5: mask reserved bits 10:0 -> #GP");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_BASE, 0x100080ULL) == GP,
	       "Table 4-6: base reserved bits 11:0 -> #GP");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_BASE, 0x100000ULL) == 0, "Table 4-6: a 4K-aligned base is accepted");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_MASK, 0x800ULL) == 0,
	       "a mask with an empty TMEEMASK (everything matches) is contiguous");
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x3);
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_MASK, 0x3ffffff00800ULL) == GP &&
	       tm_wr(&m, 0, MSR_IA32_TME_EXCLUDE_BASE, 0) == GP,
	       "4.2.4: after IA32_TME_ACTIVATE locks, WRMSR to the exclusion MSRs #GPs");
	tm_free(&m);
}

TEST(model, core_activate)
{
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake, "msr 9ff 0\n", 1))
		return;
	EXPECT(tm_wr(&m, 1, MSR_IA32_MKTME_CORE_ACTIVATE, 0x0000000600000000ULL) == GP,
	       "Table 4-4: a non-zero write to MK_TME_CORE_ACTIVATE -> #GP (KeyID field is read-only)");
	EXPECT(tm_wr(&m, 1, MSR_IA32_MKTME_CORE_ACTIVATE, 1) == GP, "Table 4-4: a write to reserved bits 31:0 -> #GP");
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	EXPECT(tm_wr(&m, 1, MSR_IA32_MKTME_CORE_ACTIVATE, 0) == 0, "writing 0 after activation is accepted");
	tm_rd(&m, 1, MSR_IA32_MKTME_CORE_ACTIVATE, &v);
	EXPECT(v == 0x0000000600000000ULL, "Table 4-4: the KeyID field is shadowed from the package on write (0x%llx)",
	       (unsigned long long)v);
	tm_rd(&m, 2, MSR_IA32_MKTME_CORE_ACTIVATE, &v);
	EXPECT(v == 0, "the shadowing is per core: CPU 2, not written, still reads 0");
	tm_free(&m);

	const char *no_mktme = "cpus 1\ncpuid 0 0 1b 756e6547 6c65746e 49656e69\ncpuid 7 0 0 0 2000 40000\n"
			       "cpuid 80000000 0 80000008 0 0 0\ncpuid 80000008 0 302e 0 0 0\nmsr 981 0000000080000001\n"
			       "msr 9ff 0\n";
	if (!tm_boot(&m, no_mktme, NULL, 1))
		return;
	EXPECT(tm_rd(&m, 0, MSR_IA32_MKTME_CORE_ACTIVATE, &v) == GP && tm_wr(&m, 0, MSR_IA32_MKTME_CORE_ACTIVATE, 0) == GP,
	       "Table 4-4: MK_TME_CORE_ACTIVATE #GPs when MKTME is not supported (MAX_KEYID_BITS = 0)");
	EXPECT(tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, 0x0001000100000003ULL) == GP,
	       "Table 4-2: KeyID bits 35:32 are reserved without MKTME -> #GP");
	tm_free(&m);
}

TEST(model, fault_core_mismatch)
{
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake, "msr 9ff 0\nfault core-mismatch 2\n", 1))
		return;
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	for (int c = 0; c < 4; c++)
		tm_wr(&m, c, MSR_IA32_MKTME_CORE_ACTIVATE, 0);
	mc_model_smi(m.state);
	tm_rd(&m, 1, MSR_IA32_MKTME_CORE_ACTIVATE, &v);
	EXPECT(v == 0x0000000600000000ULL, "fault core-mismatch 2: CPU 1 takes the package value");
	tm_rd(&m, 2, MSR_IA32_MKTME_CORE_ACTIVATE, &v);
	EXPECT(v == 0, "fault core-mismatch 2: CPU 2 keeps 0 after write and SMI (0x%llx)", (unsigned long long)v);
	tm_free(&m);
}

TEST(model, package_scope)
{
	struct tm m;
	u64 v;
	if (!tm_boot(&m, tm_icelake_2pkg, NULL, 1))
		return;
	EXPECT(m.p.package_of(m.p.ctx, 1) == 0 && m.p.package_of(m.p.ctx, 2) == 1,
	       "4 CPUs in 2 packages: CPUs 0-1 in package 0, 2-3 in package 1");
	tm_wr(&m, 0, MSR_IA32_TME_ACTIVATE, TM_ACTIVATE_MKTME);
	tm_rd(&m, 1, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT(v & 1, "IA32_TME_ACTIVATE is package-scoped: CPU 1 sees CPU 0's activation");
	tm_rd(&m, 2, MSR_IA32_TME_ACTIVATE, &v);
	EXPECT(v == 0, "package 1 (CPU 2) is not activated by package 0's write");
	tm_free(&m);
}
