/* memcrypt program --profile FILE [--policy FILE] [key=value ...] --out FILE
 * The UEFI stage's BIOS sequence (lib/bios/program.h) on the model: build
 * the platform from the profile, apply the policy (file, then arguments,
 * as the stage does with policy.conf and the shell arguments), program or
 * validate, judge the result with the check library, and write the
 * resulting platform as a profile (MSR values after programming, lock
 * included) that `memcrypt check --profile` can judge again.
 * Exit: 0 programmed, or a locked platform validated, with no FAIL;
 *       1 programming failed or a check FAILed;
 *       2 bad arguments, profile or policy (nothing programmed or written). */
#include "host/command.h"
#include "host/model_load.h"
#include "lib/bios/program.h"
#include "lib/checks/checks.h"
#include "lib/model/model.h"
#include "lib/model/profile.h"
#include "arch/x86/msr-index.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USAGE "usage: memcrypt program --profile FILE [--policy FILE] [key=value ...] --out FILE\n"
#define MODEL_SEED 0x62696f732d6d6f64ULL   /* reproducible runs */

struct prog_args {
	const char *profile, *policy, *out;
	char words[4096];        /* the key=value arguments, space-separated */
};

static int parse_args(int argc, char **argv, struct prog_args *a)
{
	size_t n = 0;
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--profile") && i + 1 < argc)
			a->profile = argv[++i];
		else if (!strcmp(argv[i], "--policy") && i + 1 < argc)
			a->policy = argv[++i];
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			a->out = argv[++i];
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf(USAGE);
			return 1;
		} else if (strchr(argv[i], '=') && argv[i][0] != '-' && !strpbrk(argv[i], " \t\n")) {
			size_t l = strlen(argv[i]);
			if (n + l + 2 > sizeof(a->words)) {
				fprintf(stderr, "memcrypt program: too many key=value arguments\n");
				return 2;
			}
			memcpy(a->words + n, argv[i], l);
			n += l;
			a->words[n++] = ' ';
			a->words[n] = 0;
		} else {
			fprintf(stderr, "memcrypt program: unknown argument '%s'\n" USAGE, argv[i]);
			return 2;
		}
	}
	if (!a->profile || !a->out) {
		fprintf(stderr, "memcrypt program: --profile and --out are required\n" USAGE);
		return 2;
	}
	return 0;
}

static int load_policy(const struct prog_args *a, struct mc_policy *pol)
{
	char err[256];
	mc_policy_defaults(pol);
	if (a->policy) {
		size_t len;
		char *text = host_read_file(a->policy, &len);
		if (!text) {
			fprintf(stderr, "memcrypt program: %s: %s\n", a->policy, strerror(errno));
			return 2;
		}
		bool ok = mc_policy_parse_file(pol, text, len, a->policy, err, sizeof(err));
		free(text);
		if (!ok) {
			fprintf(stderr, "memcrypt program: %s; nothing programmed\n", err);
			return 2;
		}
	}
	if (a->words[0] && !mc_policy_parse_args(pol, a->words, err, sizeof(err))) {
		fprintf(stderr, "memcrypt program: %s; nothing programmed\n", err);
		return 2;
	}
	return 0;
}

/* One MSR of the resulting platform: CPU 0's value, and a comment for each
 * CPU that differs (the profile format holds one value per MSR). */
static void out_msr(FILE *o, const struct mc_platform *p, int cpus, u32 addr, const char *name, bool gp_flag)
{
	u64 v0 = 0;
	if (gp_flag) {
		fprintf(o, "msr %x gp\n", addr);
		return;
	}
	int e = mc_rdmsr(p, 0, addr, &v0);
	if (e) {
		fprintf(o, "msr %x gp   # %s: %s\n", addr, name, mc_fault_name(e));
		return;
	}
	fprintf(o, "msr %x %016llx   # %s\n", addr, (unsigned long long)v0, name);
	for (int c = 1; c < cpus; c++) {
		u64 v = 0;
		if (!mc_rdmsr(p, c, addr, &v) && v != v0)
			fprintf(o, "# cpu %d: %s=%016llx differs from cpu 0 (one value per MSR in a profile)\n", c, name,
				(unsigned long long)v);
	}
}

static const char *msr_name(u32 addr)
{
	switch (addr) {
	case MSR_IA32_TME_CAPABILITY:      return "IA32_TME_CAPABILITY";
	case MSR_IA32_TME_ACTIVATE:        return "IA32_TME_ACTIVATE";
	case MSR_IA32_TME_EXCLUDE_MASK:    return "IA32_TME_EXCLUDE_MASK";
	case MSR_IA32_TME_EXCLUDE_BASE:    return "IA32_TME_EXCLUDE_BASE";
	case MSR_IA32_MKTME_CORE_ACTIVATE: return "MK_TME_CORE_ACTIVATE";
	case MSR_AMD64_SYSCFG:             return "SYSCFG";
	case MSR_AMD64_SEV:                return "SEV_STATUS";
	default:                           return "as in the input profile";
	}
}

/* The resulting platform as a profile (docs/profile-format.md). */
static int write_profile(const char *path, const struct prog_args *a, const struct mc_profile *prof,
			 const struct mc_platform *p, const struct mc_facts *f, enum mc_bios_outcome outcome)
{
	static const u32 tme_msrs[] = { MSR_IA32_TME_CAPABILITY, MSR_IA32_TME_ACTIVATE, MSR_IA32_TME_EXCLUDE_MASK,
					MSR_IA32_TME_EXCLUDE_BASE, MSR_IA32_MKTME_CORE_ACTIVATE };
	FILE *o = fopen(path, "w");
	if (!o) {
		fprintf(stderr, "memcrypt program: %s: %s\n", path, strerror(errno));
		return 2;
	}
	fprintf(o, "# memcrypt program: %s%s%s after the BIOS-stage sequence (%s)\n", a->profile,
		a->policy ? " with policy " : "", a->policy ? a->policy : "", mc_bios_outcome_name(outcome));
	if (a->words[0])
		fprintf(o, "# arguments: %s\n", a->words);
	fprintf(o, "cpus %u\npackages %u\nmemory %lluK\n", prof->cpus, prof->packages,
		(unsigned long long)(prof->memory >> 10));
	if (prof->faults & MC_FAULT_RNG_FAIL)
		fprintf(o, "fault rng-fail\n");
	if (prof->faults & MC_FAULT_RESTORE_FAIL)
		fprintf(o, "fault restore-fail\n");
	if (prof->faults & MC_FAULT_ENTROPY_ERROR)
		fprintf(o, "fault entropy-error\n");
	if (prof->faults & MC_FAULT_PCONFIG_BUSY)
		fprintf(o, "fault pconfig-busy %u\n", prof->pconfig_busy);
	if (prof->faults & MC_FAULT_CORE_MISMATCH)
		fprintf(o, "fault core-mismatch %u\n", prof->core_mismatch_cpu);
	for (u32 i = 0; i < prof->n_cpuid; i++) {
		const struct mc_profile_cpuid *c = &prof->cpuid[i];
		fprintf(o, "cpuid %x %x %08x %08x %08x %08x\n", c->leaf, c->subleaf, c->eax, c->ebx, c->ecx, c->edx);
	}
	/* The TME registers as the model now answers them (lock included: the
	 * model starts locked and enabled from such a reset value). */
	if (f->tme.supported)
		for (size_t i = 0; i < sizeof(tme_msrs) / sizeof(tme_msrs[0]); i++)
			out_msr(o, p, f->cpus, tme_msrs[i], msr_name(tme_msrs[i]), false);
	for (u32 i = 0; i < prof->n_msr; i++) {
		u32 addr = prof->msr[i].addr;
		bool tme = addr == MSR_IA32_TME_CAPABILITY || addr == MSR_IA32_TME_ACTIVATE ||
			   addr == MSR_IA32_TME_EXCLUDE_MASK || addr == MSR_IA32_TME_EXCLUDE_BASE ||
			   addr == MSR_IA32_MKTME_CORE_ACTIVATE;
		if (tme && f->tme.supported)
			continue;
		out_msr(o, p, f->cpus, addr, msr_name(addr), prof->msr[i].flags & MC_PROFILE_MSR_GP);
	}
	if (fclose(o)) {
		fprintf(stderr, "memcrypt program: %s: %s\n", path, strerror(errno));
		return 2;
	}
	return 0;
}

static int cmd_program(int argc, char **argv)
{
	static struct prog_args a;
	static struct mc_policy pol;
	static struct host_model model;
	static struct mc_results res;
	static struct mc_facts facts;
	struct mc_bios_report rep;
	struct mc_platform plat;

	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc == 1 ? 0 : rc;
	/* Profile errors first, then policy errors; either way nothing runs. */
	if ((rc = host_model_load("program", a.profile, MODEL_SEED, &model)))
		return rc;
	if ((rc = load_policy(&a, &pol))) {
		host_model_free(&model);
		return rc;
	}
	plat = model.plat;

	mc_report_set_sink(NULL, NULL);
	mc_results_init(&res, MC_STAGE_HOST);
	/* The model's RAM is its DRAM: it bounds the KeyID bits (Intel seed
	 * 5.1) and is judged again after the sequence, as in the stage. */
	struct mc_check_input in = { 0 };
	mc_model_check_input(model.state, &in);
	enum mc_bios_outcome outcome = mc_bios_run(&plat, &pol, in.ram_top, &res, &rep);
	if (outcome == MC_BIOS_BAD_POLICY) {
		fprintf(stderr, "memcrypt program: %s; nothing programmed\n", rep.error);
		host_model_free(&model);
		return 2;
	}
	/* Judge what the sequence left, as the stage does before handoff. */
	mc_checks_run(&plat, &in, &facts, &res);
	host_print_results(&res);
	rc = write_profile(a.out, &a, &model.profile, &plat, &facts, outcome);
	host_model_free(&model);
	if (rc)
		return rc;
	return outcome == MC_BIOS_FAILED ? 1 : mc_results_status(&res);
}

HOST_COMMAND(program, "program --profile FILE [--policy FILE] [key=value ...] --out FILE",
	     "run the UEFI stage's BIOS sequence (program or validate TME/SME) on the model; write the result as a profile",
	     cmd_program)
