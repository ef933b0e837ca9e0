/* TLB shootdown (Intel seed 7.5 step 1b: invalidate the page's mappings
 * "across the logical processors" before its KeyID changes): the
 * initiator posts the linear address, sends SMP_VEC_SHOOTDOWN to every
 * other CPU that is up, and waits (bounded) until each has run INVLPG in
 * its interrupt handler. */
#include "kernel/shootdown.h"
#include "kernel/delay.h"
#include "kernel/smp.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"

static volatile u64 target;
static volatile u32 acks[SMP_MAX_CPUS];
static kspin_t lock;

void kernel_shootdown_irq(void)
{
	int me = smp_this_cpu();
	invlpg((const void *)(uintptr_t)target);
	__atomic_store_n(&acks[me], 1, __ATOMIC_RELEASE);
}

int kshootdown(u64 linear, int *missing)
{
	int me = smp_this_cpu(), n = smp_cpu_count(), late = -1;
	kspin_lock(&lock);
	target = linear;
	for (int c = 0; c < n; c++)
		acks[c] = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	invlpg((const void *)(uintptr_t)linear);
	for (int c = 0; c < n; c++)
		if (c != me && smp_cpu_up(c))
			x86_lapic_ipi(smp_apic_id(c), APIC_DM_FIXED | APIC_INT_ASSERT | SMP_VEC_SHOOTDOWN);
	u64 end = rdtsc() + kms_to_tsc(smp_bound_ms);
	int done = 1;
	for (int c = 0; c < n; c++) {
		if (c == me || !smp_cpu_up(c))
			continue;
		while (!__atomic_load_n(&acks[c], __ATOMIC_ACQUIRE) && kbefore(end))
			cpu_relax();
		if (acks[c])
			done++;
		else if (late < 0)
			late = c;
	}
	kspin_unlock(&lock);
	if (missing)
		*missing = late;
	return done;
}
