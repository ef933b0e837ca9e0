/* The BIOS-stage sequence (lib/bios/program.c, plan.c, sme.c) on the model,
 * through a shim platform that logs every WRMSR and can make one #GP. */
#include "tests/unit/harness.h"
#include "tests/unit/test_model_util.h"
#include "lib/bios/program.h"
#include <stdlib.h>
#include <string.h>

#define LOG_MAX 64

/* A platform wrapping the model: same answers, but WRMSRs are logged and
 * the one to gp_msr (on gp_cpu, -2 = any) returns #GP without reaching the
 * model. */
struct shim {
	struct mc_platform inner, outer;
	u32 log_msr[LOG_MAX];
	int log_cpu[LOG_MAX];
	int n;
	u32 gp_msr;
	int gp_cpu;
};

static int shim_wrmsr(void *ctx, int cpu, u32 msr, u64 v)
{
	struct shim *s = ctx;
	if (s->n < LOG_MAX) {
		s->log_msr[s->n] = msr;
		s->log_cpu[s->n] = cpu;
	}
	s->n++;
	if (s->gp_msr == msr && (s->gp_cpu == -2 || s->gp_cpu == cpu))
		return X86_TRAP_GP;
	return s->inner.wrmsr(s->inner.ctx, cpu, msr, v);
}
static int shim_rdmsr(void *ctx, int cpu, u32 msr, u64 *v)
{
	struct shim *s = ctx;
	return s->inner.rdmsr(s->inner.ctx, cpu, msr, v);
}
static void shim_cpuid(void *ctx, int cpu, u32 l, u32 sl, struct cpuid_regs *r)
{
	struct shim *s = ctx;
	s->inner.cpuid(s->inner.ctx, cpu, l, sl, r);
}
static int shim_count(void *ctx)
{
	struct shim *s = ctx;
	return s->inner.cpu_count(s->inner.ctx);
}
static int shim_pkg(void *ctx, int cpu)
{
	struct shim *s = ctx;
	return s->inner.package_of(s->inner.ctx, cpu);
}

struct run {
	struct tm m;
	struct shim s;
	struct mc_results res;
	struct mc_bios_report rep;
	enum mc_bios_outcome o;
	u64 ram_top;            /* given to mc_bios_run; 0: unknown */
};

static struct run R;   /* mc_results is large */

static bool boot(const char *base, const char *extra)
{
	memset(&R, 0, sizeof(R));
	if (!tm_boot(&R.m, base, extra, 7))
		return false;
	R.s.inner = R.m.p;
	R.s.outer = R.m.p;
	R.s.outer.ctx = &R.s;
	R.s.outer.wrmsr = shim_wrmsr;
	R.s.outer.rdmsr = shim_rdmsr;
	R.s.outer.cpuid = shim_cpuid;
	R.s.outer.cpu_count = shim_count;
	R.s.outer.package_of = shim_pkg;
	R.s.gp_cpu = -2;
	mc_results_init(&R.res, MC_STAGE_HOST);
	return true;
}

static enum mc_bios_outcome run_policy(const char *words)
{
	struct mc_policy pol;
	char err[200];
	mc_policy_defaults(&pol);
	if (words && !mc_policy_parse_args(&pol, words, err, sizeof(err)))
		EXPECT(false, "setup: the test's policy '%s' does not parse (%s): it runs on the defaults instead", words, err);
	mc_report_set_sink(NULL, NULL);
	R.o = mc_bios_run(&R.s.outer, &pol, R.ram_top, &R.res, &R.rep);
	return R.o;
}

/* A result with this id and verdict whose detail contains text. */
static bool has(enum mc_verdict v, const char *id, const char *text)
{
	for (u32 i = 0; i < R.res.count; i++)
		if (R.res.r[i].verdict == v && !strcmp(R.res.r[i].id, id) && strstr(R.res.r[i].detail, text))
			return true;
	return false;
}

static u64 rd(int cpu, u32 msr)
{
	u64 v = 0;
	tm_rd(&R.m, cpu, msr, &v);
	return v;
}

#define UNLOCKED "msr 982 0\nmsr 983 0\nmsr 984 0\nmsr 9ff 0\n"

TEST(bios, program_unlocked_icelake)
{
	if (!boot(tm_icelake, UNLOCKED))
		return;
	EXPECT(run_policy("mode=program") == MC_BIOS_PROGRAMMED, "mode=program on an unlocked Ice Lake: outcome programmed (got %s)",
	       mc_bios_outcome_name(R.o));
	EXPECT(rd(0, MSR_IA32_TME_ACTIVATE) == 0x0005000600000023ULL,
	       "defaults: AES-XTS-256 (strongest), 6 KeyID bits (max), algorithms 0x5 (all), locked+enabled: 0x0005000600000023 (got 0x%llx)",
	       (unsigned long long)rd(0, MSR_IA32_TME_ACTIVATE));
	EXPECT(has(MC_PASS, "bios.activate", "xx011b"), "Table 4-3 row \"enabled=1, new key, RNG success\": PASS naming xx011b");
	EXPECT(has(MC_PASS, "bios.core_activate", "CPUs 0-3"), "MK_TME_CORE_ACTIVATE written and read back on CPUs 0-3");
	bool all = true;
	for (int c = 0; c < 4; c++)
		all &= rd(c, MSR_IA32_MKTME_CORE_ACTIVATE) == 0x600000000ULL;
	EXPECT(all, "every core's MK_TME_CORE_ACTIVATE shows the package's 6 KeyID bits (Intel seed 4.2.3)");
	EXPECT(R.s.n == 5 && R.s.log_msr[0] == MSR_IA32_TME_ACTIVATE, "5 WRMSRs: ACTIVATE, then CORE_ACTIVATE x4 (got %d)", R.s.n);
	bool cores = true;
	for (int i = 1; i < 5 && i < R.s.n; i++)
		cores &= R.s.log_msr[i] == MSR_IA32_MKTME_CORE_ACTIVATE && R.s.log_cpu[i] == i - 1;
	EXPECT(cores, "MK_TME_CORE_ACTIVATE written on CPUs 0, 1, 2, 3 in turn, after ACTIVATE");
	EXPECT(R.res.n[MC_FAIL] == 0, "no FAIL (%u)", R.res.n[MC_FAIL]);
	tm_free(&R.m);
}

TEST(bios, exclusion_before_activate)
{
	if (!boot(tm_icelake, UNLOCKED))
		return;
	run_policy("mode=program exclude=0x40000000:256M keyid-bits=4 algorithm=aes-xts-128 mktme-algorithms=aes-xts-128");
	EXPECT(R.o == MC_BIOS_PROGRAMMED, "programmed with an exclusion range (got %s)", mc_bios_outcome_name(R.o));
	EXPECT(R.s.n >= 3 && R.s.log_msr[0] == MSR_IA32_TME_EXCLUDE_BASE && R.s.log_msr[1] == MSR_IA32_TME_EXCLUDE_MASK &&
	       R.s.log_msr[2] == MSR_IA32_TME_ACTIVATE,
	       "order: EXCLUDE_BASE, EXCLUDE_MASK, then IA32_TME_ACTIVATE (Intel seed 4.2.1 note)");
	EXPECT(rd(0, MSR_IA32_TME_EXCLUDE_BASE) == 0x40000000ULL, "EXCLUDE_BASE = 0x40000000");
	EXPECT(rd(0, MSR_IA32_TME_EXCLUDE_MASK) == (GENMASK_ULL(45, 28) | TME_EXCLUDE_MASK_ENABLE),
	       "EXCLUDE_MASK = bits 45:28 | enable (Table 4-5, MAXPHYADDR 46) (got 0x%llx)",
	       (unsigned long long)rd(0, MSR_IA32_TME_EXCLUDE_MASK));
	EXPECT(rd(0, MSR_IA32_TME_ACTIVATE) == 0x0001000400000003ULL,
	       "ACTIVATE = AES-XTS-128, 4 KeyID bits, algs 0x1, locked+enabled (got 0x%llx)",
	       (unsigned long long)rd(0, MSR_IA32_TME_ACTIVATE));
	EXPECT(has(MC_PASS, "bios.exclusion", "before IA32_TME_ACTIVATE"), "PASS names the order");
	tm_free(&R.m);
}

TEST(bios, tme_off_bypass_restore_save)
{
	if (!boot(tm_icelake, UNLOCKED))
		return;
	run_policy("mode=program tme=off");
	EXPECT(R.o == MC_BIOS_PROGRAMMED && (rd(0, MSR_IA32_TME_ACTIVATE) & 7) == 1,
	       "Table 4-3 row \"enabled=0\": tme=off locks with TME disabled, xx01b (got 0x%llx)",
	       (unsigned long long)rd(0, MSR_IA32_TME_ACTIVATE));
	EXPECT(has(MC_PASS, "bios.activate", "xx01b"), "PASS names xx01b");
	tm_free(&R.m);

	if (!boot(tm_icelake, UNLOCKED))
		return;
	run_policy("mode=program bypass=on save-key=on");
	EXPECT(R.o == MC_BIOS_PROGRAMMED && (rd(0, MSR_IA32_TME_ACTIVATE) & (TME_ACTIVATE_BYPASS | TME_ACTIVATE_SAVE_KEY)) ==
	       (TME_ACTIVATE_BYPASS | TME_ACTIVATE_SAVE_KEY), "bypass=on save-key=on set bits 31 and 3");
	tm_free(&R.m);

	if (!boot(tm_icelake, UNLOCKED))
		return;
	run_policy("mode=program key=restore");
	EXPECT(R.o == MC_BIOS_PROGRAMMED && (rd(0, MSR_IA32_TME_ACTIVATE) & 7) == 7 && has(MC_PASS, "bios.activate", "xx111b"),
	       "Table 4-3 row \"key select=1, non-zero key restored\": xx111b, PASS");
	tm_free(&R.m);
}

TEST(bios, rng_failure_is_reported)
{
	if (!boot(tm_icelake, "fault rng-fail\n" UNLOCKED))
		return;
	EXPECT(run_policy("mode=program") == MC_BIOS_FAILED, "rng-fail: outcome failed (got %s)", mc_bios_outcome_name(R.o));
	EXPECT(has(MC_FAIL, "bios.activate", "xx000b"), "Table 4-3 row \"RNG fail\": FAIL naming xx000b, never success");
	EXPECT(!(rd(0, MSR_IA32_TME_ACTIVATE) & TME_ACTIVATE_LOCKED), "IA32_TME_ACTIVATE is left unlocked");
	EXPECT(has(MC_SKIP, "bios.core_activate", "did not succeed"), "MK_TME_CORE_ACTIVATE is not written after a failed activation");
	EXPECT(R.s.n == 1, "one WRMSR only (got %d)", R.s.n);
	tm_free(&R.m);
}

TEST(bios, restore_failure_is_reported)
{
	if (!boot(tm_icelake, "fault restore-fail\n" UNLOCKED))
		return;
	EXPECT(run_policy("mode=program key=restore") == MC_BIOS_FAILED, "restore-fail: outcome failed");
	EXPECT(has(MC_FAIL, "bios.activate", "xx100b"), "Table 4-3 row \"zero key restored\": FAIL naming xx100b");
	tm_free(&R.m);
}

TEST(bios, core_mismatch_names_the_cpu)
{
	if (!boot(tm_icelake, "fault core-mismatch 2\n" UNLOCKED))
		return;
	EXPECT(run_policy("mode=program") == MC_BIOS_FAILED, "core-mismatch: outcome failed");
	EXPECT(has(MC_FAIL, "bios.core_activate", "CPU 2:"), "the FAIL names CPU 2");
	EXPECT(!has(MC_FAIL, "bios.core_activate", "CPU 1:") && has(MC_INFO, "bios.core_activate", "0-1,3"),
	       "CPUs 0, 1 and 3 are right and said so");
	tm_free(&R.m);
}

TEST(bios, gp_on_a_write_is_a_fail)
{
	if (!boot(tm_icelake, UNLOCKED))
		return;
	R.s.gp_msr = MSR_IA32_TME_EXCLUDE_MASK;
	run_policy("mode=program exclude=0:1M");
	EXPECT(R.o == MC_BIOS_FAILED && has(MC_FAIL, "bios.exclusion", "#GP"), "#GP on EXCLUDE_MASK: FAIL naming #GP");
	EXPECT(!(rd(0, MSR_IA32_TME_ACTIVATE) & TME_ACTIVATE_LOCKED) && R.s.n == 2,
	       "IA32_TME_ACTIVATE then not written (2 WRMSRs, got %d)", R.s.n);
	tm_free(&R.m);

	if (!boot(tm_icelake, UNLOCKED))
		return;
	R.s.gp_msr = MSR_IA32_TME_ACTIVATE;
	run_policy("mode=program");
	EXPECT(R.o == MC_BIOS_FAILED && has(MC_FAIL, "bios.activate", "#GP"), "#GP on ACTIVATE: FAIL naming #GP");
	tm_free(&R.m);

	if (!boot(tm_icelake, UNLOCKED))
		return;
	R.s.gp_msr = MSR_IA32_MKTME_CORE_ACTIVATE;
	R.s.gp_cpu = 3;
	run_policy("mode=program");
	EXPECT(R.o == MC_BIOS_FAILED && has(MC_FAIL, "bios.core_activate", "CPU 3: #GP"), "#GP on CPU 3's CORE_ACTIVATE: FAIL naming CPU 3");
	tm_free(&R.m);
}

TEST(bios, locked_is_validated_not_written)
{
	if (!boot(tm_icelake, "msr 982 0005000600000023\nmsr 9ff 0000000600000000\n"))
		return;
	EXPECT(run_policy("mode=program") == MC_BIOS_VALIDATING, "a locked platform: outcome validating (got %s)",
	       mc_bios_outcome_name(R.o));
	EXPECT(R.s.n == 0, "no WRMSR attempted (got %d)", R.s.n);
	EXPECT(has(MC_PASS, "bios.locked", "IA32_TME_ACTIVATE locked by BIOS (=0x5000600000023); validating, not writing"),
	       "PASS: bios: locked: ... validating, not writing");
	EXPECT(has(MC_INFO, "bios.mode", "no write attempted"), "mode=program on a locked platform says no write was attempted");
	tm_free(&R.m);
}

TEST(bios, validate_mode_never_writes)
{
	if (!boot(tm_icelake, UNLOCKED))
		return;
	EXPECT(run_policy(NULL) == MC_BIOS_LEFT && R.s.n == 0, "default mode=validate on an unlocked platform: nothing written");
	EXPECT(has(MC_INFO, "bios.mode", "mode=validate: nothing written"), "and it says so");
	tm_free(&R.m);
}

TEST(bios, platform_policy_errors_write_nothing)
{
	static const struct { const char *words, *want; } cases[] = {
		{ "mode=program keyid-bits=7", "argument 2: keyid-bits=7: above MK_TME_MAX_KEYID_BITS 6" },
		{ "mode=program exclude=0x400000000000:4K", "argument 2: exclude=0x400000000000:0x1000: ends at 0x400000000fff, past MAXPHYADDR 46" },
		{ "mode=program tme=off keyid-bits=2", "argument 3: keyid-bits=2 with tme=off (argument 2)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!boot(tm_icelake, UNLOCKED))
			return;
		run_policy(cases[i].words);
		EXPECT(R.o == MC_BIOS_BAD_POLICY && R.s.n == 0 && strstr(R.rep.error, cases[i].want) &&
		       has(MC_FAIL, "bios.policy", "nothing programmed"),
		       "%s: refused before any write with \"%s\" (got \"%s\", %d writes)", cases[i].words, cases[i].want,
		       R.rep.error, R.s.n);
		tm_free(&R.m);
	}
	/* A capability without AES-XTS-256 and without bypass. */
	if (!boot("cpus 2\ncpuid 0 0 0000001b 756e6547 6c65746e 49656e69\ncpuid 7 0 00000000 0 00002000 00040000\n"
		  "cpuid 80000000 0 80000008 0 0 0\ncpuid 80000008 0 0000302e 0 0 0\nmsr 981 000000f400000001\n", UNLOCKED))
		return;
	run_policy("mode=program algorithm=aes-xts-256");
	EXPECT(R.o == MC_BIOS_BAD_POLICY && R.s.n == 0 && strstr(R.rep.error, "argument 2: algorithm=aes-xts-256: not enumerated"),
	       "algorithm=aes-xts-256 without capability bit 2 is refused (%s)", R.rep.error);
	R.res.count = 0;
	run_policy("mode=program mktme-algorithms=aes-xts-256");
	EXPECT(R.o == MC_BIOS_BAD_POLICY && R.s.n == 0 && strstr(R.rep.error, "argument 2: mktme-algorithms"),
	       "mktme-algorithms=aes-xts-256 without capability bit 2 is refused (%s)", R.rep.error);
	run_policy("mode=program bypass=on");
	EXPECT(R.o == MC_BIOS_BAD_POLICY && R.s.n == 0 && strstr(R.rep.error, "argument 2: bypass=on"),
	       "bypass=on without capability bit 31 is refused (%s)", R.rep.error);
	run_policy("mode=program");
	EXPECT(R.o == MC_BIOS_PROGRAMMED && rd(0, MSR_IA32_TME_ACTIVATE) == 0x0001000400000003ULL,
	       "defaults on that capability: AES-XTS-128, 4 KeyID bits, algs 0x1 (got 0x%llx)",
	       (unsigned long long)rd(0, MSR_IA32_TME_ACTIVATE));
	tm_free(&R.m);
}

TEST(bios, two_packages)
{
	if (!boot(tm_icelake_2pkg, UNLOCKED))
		return;
	run_policy("mode=program");
	EXPECT(R.o == MC_BIOS_PROGRAMMED, "2 packages programmed (got %s)", mc_bios_outcome_name(R.o));
	EXPECT(R.s.n == 6 && R.s.log_msr[0] == MSR_IA32_TME_ACTIVATE && R.s.log_cpu[0] == 0 &&
	       R.s.log_msr[1] == MSR_IA32_TME_ACTIVATE && R.s.log_cpu[1] == 2,
	       "IA32_TME_ACTIVATE written once per package, on its first CPU (0 and 2), then 4 cores (got %d writes)", R.s.n);
	EXPECT(has(MC_PASS, "bios.activate", "package 1:"), "results name the package");
	tm_free(&R.m);
}

static const char epyc[] =
	"cpus 4\n"
	"cpuid 0 0 00000010 68747541 444d4163 69746e65\n"
	"cpuid 80000000 0 80000023 68747541 444d4163 69746e65\n"
	"cpuid 80000008 0 00003030 00000000 00000000 00000000\n"
	"cpuid 8000001f 0 0000003f 00004173 000001fd 00000001\n";

TEST(bios, amd_sme)
{
	if (!boot(epyc, "msr c0010010 0000000000740000\n"))
		return;
	EXPECT(run_policy("mode=program") == MC_BIOS_PROGRAMMED && R.s.n == 4, "SYSCFG written on the 4 CPUs (got %d)", R.s.n);
	bool all = true;
	for (int c = 0; c < 4; c++)
		all &= rd(c, MSR_AMD64_SYSCFG) == 0xf40000ULL;
	EXPECT(all, "SYSCFG[23] set on every core, other bits kept (0xf40000)");
	EXPECT(has(MC_PASS, "bios.sme", "CPUs 0-3"), "PASS names CPUs 0-3 (AMD seed step 2)");
	tm_free(&R.m);

	if (!boot(epyc, "msr c0010010 0000000000740000\n"))
		return;
	EXPECT(run_policy("mode=program sme=off") == MC_BIOS_LEFT && R.s.n == 0, "sme=off: nothing written");
	EXPECT(run_policy("mode=validate") == MC_BIOS_LEFT && R.s.n == 0, "mode=validate: nothing written");
	tm_free(&R.m);

	if (!boot(epyc, "msr c0010010 0000000000f40000\n"))
		return;
	EXPECT(run_policy("mode=program") == MC_BIOS_VALIDATING && R.s.n == 0 && has(MC_PASS, "bios.sme", "already set by BIOS"),
	       "SYSCFG[23] already set: validated, not written");
	tm_free(&R.m);

	if (!boot(epyc, "msr c0010010 gp\n"))
		return;
	EXPECT(run_policy("mode=program") == MC_BIOS_FAILED && has(MC_FAIL, "bios.sme", "#GP"), "SYSCFG #GP: FAIL, not a crash");
	tm_free(&R.m);
}

TEST(bios, nothing_to_program)
{
	if (!boot("cpus 1\ncpuid 0 0 0000000d 756e6547 6c65746e 49656e69\n", ""))
		return;
	EXPECT(run_policy("mode=program") == MC_BIOS_NOTHING && R.s.n == 0 && has(MC_SKIP, "bios.platform", "nothing to program"),
	       "neither TME nor SME enumerated: SKIP, nothing written");
	tm_free(&R.m);
}

TEST(bios, cpu_list)
{
	bool s[8] = { true, true, false, true, true, true, false, true };
	char out[64];
	mc_bios_cpu_list(s, 8, out, sizeof(out));
	EXPECT(!strcmp(out, "0-1,3-5,7"), "CPU list 0-1,3-5,7 (got %s)", out);
	bool none[2] = { false, false };
	mc_bios_cpu_list(none, 2, out, sizeof(out));
	EXPECT(!strcmp(out, "none"), "empty CPU list reads none");
}

/* Intel seed 5.1: the KeyIDs take the top MK_TME_KEYID_BITS of MAXPHYADDR
 * (46 on tm_icelake, max 6 KeyID bits), so RAM must end at or below
 * 2^(46 - bits). 1 TiB + 4 KiB of RAM needs 41 address bits: 5 KeyID bits
 * at most; 1 TiB exactly needs 40: all 6 fit. */
TEST(bios, keyid_bits_leave_ram_addressable)
{
	const u64 tib = 1ULL << 40;

	if (!boot(tm_icelake, UNLOCKED))
		return;
	R.ram_top = tib + 4096;
	run_policy("mode=program");
	u64 act = rd(0, MSR_IA32_TME_ACTIVATE);
	EXPECT(R.o == MC_BIOS_PROGRAMMED && ((act >> 32) & 0xf) == 5,
	       "keyid-bits=max with RAM to 1 TiB + 4 KiB: 5 KeyID bits (46 - 41), not 6 (got %s, ACTIVATE 0x%llx)",
	       mc_bios_outcome_name(R.o), (unsigned long long)act);
	EXPECT(has(MC_INFO, "bios.keyid_bits", "keyid-bits=max: 5, not MK_TME_MAX_KEYID_BITS 6: RAM ends at 0x10000001000, which needs 41"),
	       "the cap is said, with the RAM top and the bits it needs");
	tm_free(&R.m);

	if (!boot(tm_icelake, UNLOCKED))
		return;
	R.ram_top = tib + 4096;
	run_policy("mode=program keyid-bits=6");
	EXPECT(R.o == MC_BIOS_BAD_POLICY && R.s.n == 0, "keyid-bits=6 with RAM past 2^40: refused, nothing written (got %s, %d WRMSRs)",
	       mc_bios_outcome_name(R.o), R.s.n);
	EXPECT(has(MC_FAIL, "bios.policy", "argument 2: keyid-bits=6: leaves 40 of MAXPHYADDR 46's address bits, but RAM ends at 0x10000001000 and needs 41: at most 5"),
	       "the refusal names the argument, the RAM top and the most that fits");
	tm_free(&R.m);

	if (!boot(tm_icelake, UNLOCKED))
		return;
	R.ram_top = tib;
	run_policy("mode=program");
	act = rd(0, MSR_IA32_TME_ACTIVATE);
	EXPECT(R.o == MC_BIOS_PROGRAMMED && ((act >> 32) & 0xf) == 6 && !has(MC_INFO, "bios.keyid_bits", ""),
	       "RAM to exactly 1 TiB: all 6 KeyID bits, no cap (got ACTIVATE 0x%llx)", (unsigned long long)act);
	tm_free(&R.m);
}
