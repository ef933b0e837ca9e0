/* lifecycle.shootdown: EvictPage step 1b (Intel seed 7.5) -- before a page
 * changes KeyID, "invalidate all page mappings/aliases ... from the TLB
 * (across the logical processors, with the old KeyID)". An AP reads a page
 * through a linear address (its TLB now holds the translation); the boot
 * CPU changes the page-table entry and shoots the old translation down on
 * every other CPU by IPI (kernel/shootdown.c); the AP, reading again, must
 * see the new mapping. The negative control changes the entry without the
 * IPI: an AP that still reads the old page shows the stale translation the
 * shootdown removes (QEMU's TCG keeps a TLB per vCPU, so it does; hardware
 * may have evicted the entry, then INFO). The entry's change here points the
 * address at another physical page, which QEMU can show; on hardware with
 * MKTME the same INVLPG rule covers a change of the KeyID bits. */
#include "kernel/ksuite.h"
#include "kernel/hw_mem.h"
#include "kernel/paging_setup.h"
#include "kernel/shootdown.h"
#include "kernel/smp.h"
#include "kernel/delay.h"
#include "arch/x86/cpu.h"
#include "lib/mem.h"

#define LINEAR (HW_MEM_WINDOW + 0x200000ULL)   /* a slot of its own, next to the memory port's */
#define OLD_VAL 0x01d01d01d01d01d0ULL
#define NEW_VAL 0x0e30e30e30e30e30ULL

struct reader {
	volatile u32 primed, changed, done;
	volatile u64 first, second;
};

static void read_twice(void *arg)
{
	struct reader *r = arg;
	volatile u64 *p = (volatile u64 *)(uintptr_t)LINEAR;
	invlpg((const void *)(uintptr_t)LINEAR);
	r->first = *p;                       /* the translation is now in this CPU's TLB */
	__atomic_store_n(&r->primed, 1, __ATOMIC_RELEASE);
	u64 end = rdtsc() + kms_to_tsc(1000);
	while (!__atomic_load_n(&r->changed, __ATOMIC_ACQUIRE) && kbefore(end))
		cpu_relax();
	r->second = *p;
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
}

static int map(struct kernel_ctx *k, u64 pa)
{
	pt_unmap(&k->paging->pt, LINEAR, PT_SIZE_4K);
	return pt_map(&k->paging->pt, LINEAR, pa, PT_SIZE_4K, PTE_RW | PTE_NX, 0, PT_SIZE_4K);
}

/* One flow; returns what the AP read after the change, or 0 on an error. */
static u64 flow(struct kernel_ctx *k, int cpu, u64 old_pa, u64 new_pa, bool shoot, int *acks, int *late)
{
	static struct reader r;
	mc_memset((void *)&r, 0, sizeof(r));
	if (map(k, old_pa))
		return 0;
	invlpg((const void *)(uintptr_t)LINEAR);
	if (smp_post(cpu, read_twice, &r))
		return 0;
	u64 end = rdtsc() + kms_to_tsc(1000);
	while (!r.primed && kbefore(end))
		cpu_relax();
	if (!r.primed || r.first != OLD_VAL) {
		smp_wait(cpu);
		return 0;
	}
	/* The entry changes; 7.5 1b: invalidate everywhere, then go on. */
	if (map(k, new_pa)) {
		smp_wait(cpu);
		return 0;
	}
	*acks = shoot ? kshootdown(LINEAR, late) : 1;
	if (!shoot)
		invlpg((const void *)(uintptr_t)LINEAR);   /* this CPU only */
	__atomic_store_n(&r.changed, 1, __ATOMIC_RELEASE);
	if (smp_wait(cpu))
		return 0;
	return r.second;
}

void suite_shootdown(struct kernel_ctx *k);
void suite_shootdown(struct kernel_ctx *k)
{
	int cpu = -1, acks = 0, late = -1, up = 0;
	for (int c = 0; c < smp_cpu_count(); c++)
		if (smp_cpu_up(c)) {
			up++;
			if (c != smp_this_cpu() && cpu < 0)
				cpu = c;
		}
	if (cpu < 0) {
		mc_report(k->res, MC_SKIP, "lifecycle.shootdown", "one CPU: no other TLB to shoot down");
		return;
	}
	u64 *pages = kalloc_pages(2);
	if (!pages) {
		mc_report(k->res, MC_FAIL, "lifecycle.shootdown", "no scratch pages");
		return;
	}
	u64 old_pa = (u64)(uintptr_t)pages, new_pa = old_pa + 4096;
	pages[0] = OLD_VAL;
	pages[512] = NEW_VAL;

	u64 got = flow(k, cpu, old_pa, new_pa, true, &acks, &late);
	mc_report_check(k->res, got == NEW_VAL && late < 0 && acks == up, "lifecycle.shootdown",
			"cpu %d read 0x%llx through a mapping, the entry changed, INVLPG by IPI acknowledged by %d of %d CPUs (seed 7.5 1b): it then read 0x%llx (expected the new page's 0x%llx)",
			cpu, (unsigned long long)OLD_VAL, acks, up, (unsigned long long)got, (unsigned long long)NEW_VAL);

	got = flow(k, cpu, old_pa, new_pa, false, &acks, &late);
	if (got == OLD_VAL)
		mc_report(k->res, MC_PASS, "lifecycle.shootdown_negative",
			  "a test that the check can fail: the same change without the IPI leaves cpu %d reading the old page (0x%llx) through its stale TLB entry",
			  cpu, (unsigned long long)got);
	else
		mc_report(k->res, MC_INFO, "lifecycle.shootdown_negative",
			  "without the IPI cpu %d read 0x%llx: this platform did not keep the stale translation, so the control shows nothing here",
			  cpu, (unsigned long long)got);
	pt_unmap(&k->paging->pt, LINEAR, PT_SIZE_4K);
	kshootdown(LINEAR, &late);
}
