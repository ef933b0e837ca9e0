/* memcrypt dump-profile [--root DIR] [FILE]: this machine's memory-
 * encryption CPUID leaves and MSRs, and what Linux said (`os` lines,
 * host/os_view.h), as a platform profile (docs/profile-format.md), so a
 * real box can be replayed on the model and in QEMU, and `check --profile`
 * judges the capture as `check` judged the box. Leaves are written only
 * within the maximum leaves; MSRs are read only when CPUID enumerates them
 * (QEMU answers 0 for MSRs it lacks, FACTS.md), and one that faults is
 * written as `msr ADDR gp`. --root reads every Linux path under DIR.
 * Exit: 0 written, 2 cannot read or write. */
#include "host/command.h"
#include "host/live_platform.h"
#include "host/os_view.h"
#include "lib/checks/checks.h"
#include "arch/x86/msr-index.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROFILE_MAX_CPUS 64   /* the profile format's limit (lib/model/profile.h) */

static void leaf(FILE *out, const struct mc_platform *p, u32 l, u32 sub)
{
	struct cpuid_regs r;
	mc_cpuid(p, l, sub, &r);
	fprintf(out, "cpuid 0x%08x 0x%x 0x%08x 0x%08x 0x%08x 0x%08x\n", l, sub, r.eax, r.ebx, r.ecx, r.edx);
}

static void leaves(FILE *out, const struct mc_platform *p, const struct mc_facts *f)
{
	fprintf(out, "# CPUID (max basic 0x%x, max extended 0x%x)\n", f->max_basic_leaf, f->max_ext_leaf);
	leaf(out, p, 0, 0);
	if (f->max_basic_leaf >= 1)
		leaf(out, p, 1, 0);
	if (f->max_basic_leaf >= 7)
		leaf(out, p, 7, 0);
	if (f->tme.have_leaf_1b)   /* Intel seed 6.2.3.1: up to and with the first invalid sub-leaf */
		for (u32 n = 0; n <= (u32)f->tme.pconfig_subleaves && n < MC_PCONFIG_MAX_SUBLEAF; n++)
			leaf(out, p, CPUID_LEAF_PCONFIG, n);
	if (!f->max_ext_leaf)
		return;
	leaf(out, p, CPUID_LEAF_EXT_MAX, 0);
	for (u32 l = 0x80000001; l <= 0x80000004 && l <= f->max_ext_leaf; l++)
		leaf(out, p, l, 0);
	if (f->have_addr_leaf)
		leaf(out, p, CPUID_LEAF_ADDR_SIZES, 0);
	if (f->sme.leaf)
		leaf(out, p, CPUID_LEAF_AMD_MEM_ENCRYPT, 0);
}

/* One MSR: CPU 0's value (or gp), and a comment for every CPU that differs. */
static void msr(FILE *out, const struct mc_platform *p, int cpus, u32 addr, const char *name)
{
	u64 v0 = 0;
	int f0 = mc_rdmsr(p, 0, addr, &v0);
	if (f0 == MC_PLAT_ENOSYS) {
		fprintf(out, "# msr 0x%x (%s): could not be read\n", addr, name);
		return;
	}
	if (f0)
		fprintf(out, "msr 0x%x gp   # %s: %s\n", addr, name, mc_fault_name(f0));
	else
		fprintf(out, "msr 0x%x 0x%016llx   # %s\n", addr, (unsigned long long)v0, name);
	for (int c = 1; c < cpus; c++) {
		u64 v = 0;
		int fc = mc_rdmsr(p, c, addr, &v);
		if (fc == MC_PLAT_ENOSYS)
			fprintf(out, "# cpu %d: %s could not be read\n", c, name);
		else if (fc != f0 || (!fc && v != v0))
			fprintf(out, "# cpu %d: %s %s0x%016llx (differs from cpu 0)\n", c, name,
				fc ? "#GP, not " : "", (unsigned long long)(fc ? v0 : v));
	}
}

static void msrs(FILE *out, const struct mc_platform *p, const struct mc_facts *f)
{
	fprintf(out, "# MSRs (read on every CPU; only those CPUID enumerates)\n");
	if (f->tme.supported) {
		msr(out, p, f->cpus, MSR_IA32_TME_CAPABILITY, "IA32_TME_CAPABILITY");
		msr(out, p, f->cpus, MSR_IA32_TME_ACTIVATE, "IA32_TME_ACTIVATE");
		msr(out, p, f->cpus, MSR_IA32_TME_EXCLUDE_MASK, "IA32_TME_EXCLUDE_MASK");
		msr(out, p, f->cpus, MSR_IA32_TME_EXCLUDE_BASE, "IA32_TME_EXCLUDE_BASE");
		msr(out, p, f->cpus, MSR_IA32_MKTME_CORE_ACTIVATE, "MK_TME_CORE_ACTIVATE");
		/* Beyond the seed (FACTS.md): the TDX KeyID split, read guarded
		 * like the checks read it, and SEAMRR where MTRRCAP[15] says. */
		msr(out, p, f->cpus, MSR_IA32_MKTME_KEYID_PARTITIONING, "IA32_MKTME_KEYID_PARTITIONING");
		msr(out, p, f->cpus, MSR_MTRRcap, "IA32_MTRRCAP");
		u64 cap = 0;
		if (!mc_rdmsr(p, 0, MSR_MTRRcap, &cap) && (cap & MTRR_CAP_SEAMRR)) {
			msr(out, p, f->cpus, MSR_IA32_SEAMRR_PHYS_BASE, "IA32_SEAMRR_PHYS_BASE");
			msr(out, p, f->cpus, MSR_IA32_SEAMRR_PHYS_MASK, "IA32_SEAMRR_PHYS_MASK");
		}
	} else {
		fprintf(out, "# TME not enumerated (CPUID.7.0:ECX[13]=0): TME MSRs not read (the model #GPs them)\n");
	}
	if (f->vendor == MC_VENDOR_AMD && f->sme.leaf && (f->sme.enc.sme || f->sme.enc.sev)) {
		msr(out, p, f->cpus, MSR_AMD64_SYSCFG, "SYSCFG");
		if (f->sme.enc.sev && f->hypervisor)
			msr(out, p, f->cpus, MSR_AMD64_SEV, "SEV_STATUS");
		if (f->sme.enc.sev && !f->hypervisor)   /* host readiness (FACTS.md "AMD beyond SME") */
			msr(out, p, f->cpus, MSR_K7_HWCR, "HWCR");
		if (f->sme.enc.sev_snp && !f->hypervisor) {
			msr(out, p, f->cpus, MSR_AMD64_RMP_BASE, "RMP_BASE");
			msr(out, p, f->cpus, MSR_AMD64_RMP_END, "RMP_END");
		}
	} else if (f->vendor == MC_VENDOR_AMD) {
		fprintf(out, "# SME/SEV not enumerated: SYSCFG and SEV_STATUS not read\n");
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: memcrypt dump-profile [--root DIR] [FILE]\n");
	return 2;
}

static int cmd_dump_profile(int argc, char **argv)
{
	const char *root = NULL, *file = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--root") && i + 1 < argc)
			root = argv[++i];
		else if ((argv[i][0] == '-' && argv[i][1]) || file)
			return usage();
		else
			file = argv[i];
	}
	const char *path = file && strcmp(file, "-") ? file : NULL;

	struct mc_platform p;
	struct live_ctx *live;
	char err[800];
	if (live_platform_open_root(&p, &live, root, err, sizeof(err))) {
		fprintf(stderr, "memcrypt dump-profile: %s\n", err);
		return 2;
	}
	static struct mc_facts f;
	static struct mc_os_view view;
	mc_enumerate(&p, &f);
	host_os_view_read(root, &view);

	/* Into memory first: nothing is written if the MSRs cannot be read. */
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem) {
		live_platform_close(live);
		fprintf(stderr, "memcrypt dump-profile: out of memory\n");
		return 2;
	}
	fprintf(mem, "# memcrypt dump-profile: %s, %d CPUs in %d packages%s\n", f.vendor_id, f.cpus, f.packages,
		f.hypervisor ? ", under a hypervisor" : "");
	int cpus = f.cpus > PROFILE_MAX_CPUS ? PROFILE_MAX_CPUS : f.cpus;
	fprintf(mem, "cpus %d\n", cpus);
	if (f.packages > 1 && f.packages <= 8 && cpus % f.packages == 0)
		fprintf(mem, "packages %d\n", f.packages);
	if (cpus != f.cpus)
		fprintf(mem, "# this machine has %d CPUs; a profile holds at most %d\n", f.cpus, PROFILE_MAX_CPUS);
	leaves(mem, &p, &f);
	msrs(mem, &p, &f);
	host_os_view_write(mem, &view);
	fclose(mem);

	int status = 0;
	if (live_platform_access_error(live, err, sizeof(err))) {
		fprintf(stderr, "memcrypt dump-profile: %s\n", err);
		status = 2;
	} else {
		FILE *out = path ? fopen(path, "w") : stdout;
		if (!out || fwrite(text, 1, len, out) != len || (path && fclose(out))) {
			fprintf(stderr, "memcrypt dump-profile: %s: %s\n", path ? path : "stdout", strerror(errno));
			status = 2;
		}
	}
	free(text);
	live_platform_close(live);
	return status;
}

/* The command name has a dash, which HOST_COMMAND's #id cannot spell, so
 * it registers itself the way the macro does. */
static const struct host_command host_cmd_dump_profile = {
	"dump-profile", "dump-profile [--root DIR] [FILE]",
	"write this machine's memory-encryption CPUID leaves, MSRs and what Linux says as a profile", cmd_dump_profile
};
__attribute__((constructor)) static void host_cmd_reg_dump_profile(void)
{
	host_command_register(&host_cmd_dump_profile);
}
