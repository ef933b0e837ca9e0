/* smp.percpu: every CPU reads the memory-encryption enumeration itself
 * (issue 11 item 3): CPUID 7.0 (TME ECX[13], PCONFIG EDX[18]), 0x1B and
 * 0x80000008 (MAX_PA), and on AMD 0x8000001F, through the platform on the
 * CPU the reading names (hw: that real CPU; model: model CPU n on real CPU
 * n). The check library's per-CPU MSR judgments (tme.consistent,
 * mktme.core_activate, sme.enabled) take the same path. The line names the
 * first CPU that differs from CPU 0, and any CPU the read did not run on. */
#include "kernel/kernel.h"
#include "kernel/smp.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "arch/x86/safe.h"

struct look {
	const struct mc_platform *p;
	struct cpuid_regs r[5];
	int ran_on;
	int ud, gp;          /* the guarded faults' vectors on this CPU */
};

static const u32 leaves[5] = { 7, 0x1b, 0x80000000, 0x80000008, 0x8000001f };

static void look_here(void *arg)
{
	struct look *l = arg;
	u32 ext = 0;
	for (int i = 0; i < 5; i++) {
		l->r[i] = (struct cpuid_regs){ 0, 0, 0, 0 };
		if (leaves[i] > 0x80000000 && leaves[i] > ext)
			continue;                  /* guard extended leaves (FACTS.md) */
		l->p->cpuid(l->p->ctx, MC_CPU_CURRENT, leaves[i], 0, &l->r[i]);
		if (leaves[i] == 0x80000000)
			ext = l->r[i].eax;
	}
	l->ran_on = smp_this_cpu();
	/* The exception fixups on this CPU: a guarded UD2 and a guarded load
	 * of a non-canonical address come back as results. */
	u64 v;
	l->ud = x86_ud2_safe();
	l->gp = x86_read64_safe(0x8000000000000000ULL, &v);
}

void suite_percpu(struct kernel_ctx *k);
void suite_percpu(struct kernel_ctx *k)
{
	const struct mc_platform *p = &k->plat;
	int n = p->cpu_count(p->ctx), differ = -1, unreached = 0, elsewhere = -1, own = 0, nofix = -1, fixed = 0;
	struct look base = { p, {{0}}, -1, 0, 0 }, l;

	for (int c = 0; c < n; c++) {
		l = (struct look){ p, {{0}}, -1, 0, 0 };
		if (p->on_cpu(p->ctx, c, look_here, &l)) {
			unreached++;
			continue;
		}
		if (smp_cpu_up(c)) {
			own++;
			if (l.ran_on != c && elsewhere < 0)
				elsewhere = c;
			if (l.ud == X86_TRAP_UD && l.gp == X86_TRAP_GP)
				fixed++;
			else if (nofix < 0)
				nofix = c;
		}
		if (c == 0)
			base = l;
		else if (mc_memcmp(base.r, l.r, sizeof(l.r)) && differ < 0)
			differ = c;
	}
	if (nofix >= 0)
		mc_report(k->res, MC_FAIL, "smp.fixups", "cpu %d: a guarded UD2 / non-canonical load did not come back as #UD / #GP", nofix);
	else
		mc_report(k->res, MC_PASS, "smp.fixups", "a guarded UD2 returned #UD and a guarded non-canonical load #GP on each of the %d CPU(s) that are up: the same fixups on every CPU",
			  fixed);
	if (elsewhere >= 0)
		mc_report(k->res, MC_FAIL, "smp.percpu", "cpu %d's CPUID was read on real CPU %d, not on itself", elsewhere, l.ran_on);
	else if (differ >= 0)
		mc_report(k->res, MC_FAIL, "smp.percpu", "cpu %d's memory-encryption CPUID differs from cpu 0's (leaves 7, 0x1B, 0x80000008, 0x8000001F): inconsistent between CPUs",
			  differ);
	else if (unreached)
		mc_report(k->res, MC_FAIL, "smp.percpu", "%d of %d CPUs could not be reached", unreached, n);
	else
		mc_report(k->res, MC_PASS, "smp.percpu", "CPUID 7.0 (ECX=0x%x EDX=0x%x), 0x1B, 0x80000008 (EAX=0x%x), 0x8000001F equal on all %d CPUs, %d of them read by their own real CPU%s",
			  base.r[0].ecx, base.r[0].edx, base.r[3].eax, n, own, own < n ? " (rest: boot CPU)" : "");
}
