/* kernel-test=...: raise or mutate on purpose, outside any fixup, to prove
 * that what follows is a reported FAIL with the right status: an exception
 * is one FAIL with the register dump and the crash status (kernel/panic.c),
 * a hang is the watchdog's FAIL, an AP's fault is that CPU's FAIL while the
 * run goes on, a mutation is caught by the suites. */
#include "kernel/faults.h"
#include "kernel/console.h"
#include "kernel/delay.h"
#include "kernel/paging_setup.h"
#include "kernel/panic.h"
#include "kernel/smp.h"
#include "kernel/watchdog.h"
#include "arch/x86/idt.h"
#include "arch/x86/raise.h"
#include "lib/mem.h"
#include "lib/policy.h"
#include "lib/report.h"

extern bool kpc_mutation_pkg0_only;
extern u8 kernel_stack_bottom[];

#define NMI_WAIT_MS 30000u   /* tests/qemu sends the NMI once it reads the line below */

static void hang_here(void *arg)
{
	for (;;)
		__asm__ __volatile__("pause");
}

static void fault_here(void *arg)
{
	(void)*(volatile u64 *)(uintptr_t)0x8000000000000000ULL;
}

static void not_raised(const char *what, const char *why)
{
	mc_report(kernel_results(), MC_FAIL, "kernel.kernel_test", "kernel-test=%s: %s", what, why);
}

/* kernel-test=vector-N: the natural cause where there is one, then INT n
 * if the CPU (or the emulator) raised nothing. Each line names the RIP the
 * exception report must carry. */
static void raise_vector(const char *what, int v)
{
	const struct x86_raiser *r = &x86_raise_table[v];
	const char *name = x86_vector_name((u64)v);
	if (r->natural) {
		kprintf("INFO: kernel: kernel-test=%s: raising %s by %s, expected RIP=0x%llx", what, name,
			x86_raise_cause(v), (unsigned long long)r->natural_at);
		x86_raise_call(r->natural);
		kprintf("INFO: kernel: kernel-test=%s: %s did not raise %s on this CPU", what, x86_raise_cause(v), name);
	}
	kprintf("INFO: kernel: kernel-test=%s: raising %s by INT %d, expected RIP=0x%llx", what, name, v,
		(unsigned long long)r->int_at);
	x86_raise_call(r->by_int);
	not_raised(what, "INT n returned without an exception");
}

void kernel_test_run(const char *what)
{
	if (!mc_strcmp(what, "hang")) {
		/* The watchdog must end this with a FAIL naming the suite. */
		kprintf("INFO: kernel: kernel-test=hang: a suite that never returns, watchdog bound 1000 ms");
		watchdog_arm("kernel-test-hang", 1000);
		hang_here(NULL);
	}
	if (!mc_strcmp(what, "ap-hang")) {
		int cpu = smp_cpu_count() > 1 ? 1 : -1;
		kprintf("INFO: kernel: kernel-test=ap-hang: work that never returns on cpu %d", cpu);
		if (cpu < 0 || on_cpu(cpu, hang_here, NULL) == 0)
			not_raised(what, "no AP to hang, or on_cpu returned success");
		return;
	}
	if (!mc_strcmp(what, "ap-fault")) {
		int cpu = smp_cpu_count() > 1 ? 1 : -1;
		kprintf("INFO: kernel: kernel-test=ap-fault: an unguarded #GP on cpu %d", cpu);
		if (cpu < 0 || on_cpu(cpu, fault_here, NULL) == 0)
			not_raised(what, "no AP, or on_cpu returned success");
		return;
	}
	if (!mc_strcmp(what, "ap-nosipi"))
		return;                   /* done by smp_init: CPU 1 got no STARTUP */
	if (!mc_strcmp(what, "pkg0-only")) {
		kprintf("INFO: kernel: kernel-test=pkg0-only: every per-package PCONFIG runs on package 0 only (a mutation the suites must catch)");
		kpc_mutation_pkg0_only = true;
		return;
	}
	if (!mc_strcmp(what, "stack-overflow")) {
		u64 g = kernel_stack_guard_base();
		kprintf("INFO: kernel: kernel-test=stack-overflow: pushing from RSP down to the guard page 0x%llx-0x%llx (stack bottom 0x%llx); expected #DF on IST1",
			(unsigned long long)g, (unsigned long long)(g + KERNEL_STACK_GUARD_BYTES - 1),
			(unsigned long long)(uintptr_t)kernel_stack_bottom);
		x86_raise_stack_overflow();
	}
	if (!mc_strcmp(what, "nmi")) {
		/* Interrupts stay off: only a non-maskable one can end this. */
		kprintf("INFO: kernel: kernel-test=nmi: waiting %u ms for an NMI in the loop at RIP=0x%llx-0x%llx",
			NMI_WAIT_MS, (unsigned long long)(uintptr_t)x86_wait_loop_begin,
			(unsigned long long)(uintptr_t)x86_wait_loop_end);
		x86_wait_until_tsc(rdtsc() + kms_to_tsc(NMI_WAIT_MS));
		not_raised(what, "no NMI arrived within the wait");
		return;
	}
	int v = mc_policy_test_vector(what);
	if (v >= 0) {
		raise_vector(what, v);
		return;
	}
	kprintf("INFO: kernel: kernel-test=%s: raising it on purpose, unguarded", what);
	if (!mc_strcmp(what, "pf"))
		(void)*(volatile u64 *)(uintptr_t)0xfffffffffffff000ULL;
	else if (!mc_strcmp(what, "gp"))
		(void)*(volatile u64 *)(uintptr_t)0x8000000000000000ULL;
	else if (!mc_strcmp(what, "ud"))
		__asm__ __volatile__("ud2");
	not_raised(what, "did not fault");
}
