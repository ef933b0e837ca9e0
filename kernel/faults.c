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

/* kernel-test=vector-N (arch/x86/raise.c): each step an INFO line naming
 * the RIP the exception report must carry. */
static void say(const char *text, void *what)
{
	kprintf("INFO: kernel: kernel-test=%s: %s", (const char *)what, text);
}

/* kernel-test=ap-hang|ap-fault: fn on CPU 1, which must not return success. */
static void on_ap(const char *what, const char *doing, void (*fn)(void *))
{
	int cpu = smp_cpu_count() > 1 ? 1 : -1;
	kprintf("INFO: kernel: kernel-test=%s: %s on cpu %d", what, doing, cpu);
	if (cpu < 0 || on_cpu(cpu, fn, NULL) == 0)
		not_raised(what, "no AP, or on_cpu returned success");
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
		on_ap(what, "work that never returns", hang_here);
		return;
	}
	if (!mc_strcmp(what, "ap-fault")) {
		on_ap(what, "an unguarded #GP", fault_here);
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
		x86_raise_vector(v, true, say, (void *)what);
		not_raised(what, "INT n returned without an exception");
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
