/* AP bring-up, the per-CPU work slot and its IPI, and the bounds that keep
 * a silent CPU from hanging the run (kernel/smp.h). The sequence follows
 * the Intel SDM vol. 3 8.4.4.1 (and the MP specification's B.4): INIT
 * (assert), 10 ms, STARTUP with the trampoline page as vector, 200 us, a
 * second STARTUP if the AP has not shown life, then a bound. APs start one
 * at a time, so the trampoline's one data block serves each in turn; an AP
 * that never answered gets INIT again, back to wait-for-SIPI, before the
 * next one is started, so it cannot wake later on another AP's stack. */
#include "kernel/smp.h"
#include "kernel/console.h"
#include "kernel/delay.h"
#include "kernel/paging_setup.h"
#include "kernel/topology.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/idt.h"
#include "arch/x86/lapic.h"
#include "arch/x86/safe.h"
#include "arch/x86/simd.h"
#include "lib/fmt.h"
#include "lib/madt.h"
#include "lib/mem.h"

#define MSR_GS_BASE      0xc0000101
#define MSR_EFER         0xc0000080
#define EFER_LME         BIT(8)
#define EFER_NXE         BIT(11)
#define CR4_PCIDE        BIT_ULL(17)
#define CR4_CET          BIT_ULL(23)
#define AP_STACK         (16u << 10)
#define AP_IST_STACK     (4u << 10)
#define BRINGUP_BOUND_MS 2000

enum { SLOT_EMPTY = 0, SLOT_POSTED, SLOT_RUNNING, SLOT_DONE };

struct smp_cpu {
	u32 index;                    /* first: smp_this_cpu() reads %gs:0 */
	u32 apic_id;
	volatile u32 state;           /* enum smp_state */
	volatile u32 slot;
	void (*fn)(void *);
	void *arg;
	volatile u32 stop;            /* the NMI that follows means: park */
	int model_cpu;                /* kernel/platform.c, -1 */
	int package;
	struct ktopo topo;
	struct x86_gdt *gdt;
	u64 stack_top, ist_top;
	u64 crash_vector, crash_rip, crash_error;
	u32 tramp_stage;              /* how far an AP that did not answer got */
	bool reported;
};

/* The trampoline's data block (kernel/ap_trampoline.asm TD_*). */
struct ap_tramp {
	u16 gdtr_limit;
	u32 gdtr_base;
	u16 pad0;
	u32 pm_off;
	u16 pm_sel, pad1;
	u32 lm_off;
	u16 lm_sel, pad2;
	u32 cr3, cr4, cr0, efer;
	u64 stack, entry, arg;
	volatile u32 stage;
} __attribute__((packed));
_Static_assert(__builtin_offsetof(struct ap_tramp, cr3) == 24 && __builtin_offsetof(struct ap_tramp, stack) == 40 &&
	       __builtin_offsetof(struct ap_tramp, stage) == 64, "matches TD_* in kernel/ap_trampoline.asm");

extern const u8 ap_trampoline_start[], ap_trampoline_end[];
extern const u64 ap_trampoline_data_off;

static struct smp_cpu cpus[SMP_MAX_CPUS];
static int ncpus = 1, npkgs = 1, bsp;
static bool gs_ready;
static struct kernel_ctx *kctx;
u32 smp_bound_ms = 5000;   /* TCG on a loaded host stays well inside it */

/* ---- locks ------------------------------------------------------------ */
bool kspin_trylock(kspin_t *l)
{
	return !__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE);
}

void kspin_lock(kspin_t *l)
{
	while (!kspin_trylock(l))
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED))
			cpu_relax();
}

void kspin_unlock(kspin_t *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

/* ---- who am I --------------------------------------------------------- */
int smp_this_cpu(void)
{
	u32 v;
	if (!gs_ready)
		return 0;
	__asm__ __volatile__("movl %%gs:0, %0" : "=r"(v));
	return (int)v;
}

static struct smp_cpu *self(void)
{
	return &cpus[smp_this_cpu()];
}

static void set_gs(struct smp_cpu *c)
{
	x86_wrmsr_safe(MSR_GS_BASE, (u64)(uintptr_t)c);
}

int smp_cpu_count(void) { return ncpus; }
int smp_packages(void) { return npkgs; }
bool smp_cpu_up(int cpu) { return cpu >= 0 && cpu < ncpus && cpus[cpu].state == SMP_UP; }
u32 smp_apic_id(int cpu) { return cpu >= 0 && cpu < ncpus ? cpus[cpu].apic_id : ~0u; }
int package_of(int cpu) { return cpu >= 0 && cpu < ncpus ? cpus[cpu].package : 0; }

void smp_set_model_cpu(int model_cpu) { self()->model_cpu = model_cpu; }
int smp_model_cpu(void) { return self()->model_cpu; }

/* ---- interrupts -------------------------------------------------------- */
void kernel_watchdog_irq(void);
void kernel_shootdown_irq(void);

void smp_irq(struct x86_frame *f)
{
	switch (f->vector) {
	case SMP_VEC_SPURIOUS:
		return;                           /* no EOI for a spurious vector */
	case SMP_VEC_TIMER:
		x86_lapic_eoi();
		kernel_watchdog_irq();
		return;
	case SMP_VEC_SHOOTDOWN:
		kernel_shootdown_irq();
		break;
	default:                                  /* SMP_VEC_WORK: the idle loop looks */
		break;
	}
	x86_lapic_eoi();
}

/* ---- an AP's life ------------------------------------------------------ */
static __attribute__((noreturn)) void park(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt" ::: "memory");
}

void smp_ap_exception(const struct x86_frame *f)
{
	struct smp_cpu *c = self();
	if (!gs_ready || c->index == (u32)bsp)
		return;
	if (c->stop && f->vector == 2) {
		c->state = SMP_STOPPED;
	} else {
		c->crash_vector = f->vector;
		c->crash_rip = f->rip;
		c->crash_error = f->error;
		__atomic_store_n(&c->state, SMP_CRASHED, __ATOMIC_RELEASE);
	}
	park();
}

static __attribute__((noreturn)) void ap_idle(struct smp_cpu *c)
{
	for (;;) {
		cli();
		u32 want = SLOT_POSTED;
		if (__atomic_compare_exchange_n(&c->slot, &want, SLOT_RUNNING, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			sti();
			c->fn(c->arg);
			cli();
			__atomic_store_n(&c->slot, SLOT_DONE, __ATOMIC_RELEASE);
			continue;
		}
		/* STI's one-instruction shadow covers HLT: an IPI that comes
		 * after the check above wakes the HLT, never lost. */
		__asm__ __volatile__("sti; hlt" ::: "memory");
	}
}

void ap_main(u64 index);
void ap_main(u64 index)
{
	struct smp_cpu *c = &cpus[index];
	x86_gdt_install_on(c->gdt, c->ist_top);
	x86_idt_install();
	set_gs(c);
	x86_simd_enable();
	x86_lapic_enable(SMP_VEC_SPURIOUS);
	ktopo_self(&c->topo);
	__atomic_store_n(&c->state, SMP_UP, __ATOMIC_RELEASE);
	ap_idle(c);
}

/* ---- work ------------------------------------------------------------- */
int smp_post(int cpu, void (*fn)(void *), void *arg)
{
	if (cpu < 0 || cpu >= ncpus)
		return MC_PLAT_ENOSYS;
	struct smp_cpu *c = &cpus[cpu];
	if (cpu == smp_this_cpu() || c->state != SMP_UP || c->slot != SLOT_EMPTY)
		return MC_PLAT_ENOSYS;
	c->fn = fn;
	c->arg = arg;
	__atomic_store_n(&c->slot, SLOT_POSTED, __ATOMIC_RELEASE);
	x86_lapic_ipi(c->apic_id, APIC_DM_FIXED | APIC_INT_ASSERT | SMP_VEC_WORK);
	return 0;
}

static void report_lost(struct smp_cpu *c, const char *what)
{
	if (c->reported || !kctx)
		return;
	c->reported = true;
	if (c->state == SMP_CRASHED)
		mc_report(kctx->res, MC_FAIL, "smp.cpu", "cpu %u (APIC ID %u): unexpected exception %s (vector %llu) error=0x%llx at RIP=0x%llx %s; parked, the run goes on without it",
			  c->index, c->apic_id, x86_vector_name(c->crash_vector), (unsigned long long)c->crash_vector,
			  (unsigned long long)c->crash_error, (unsigned long long)c->crash_rip, what);
	else
		mc_report(kctx->res, MC_FAIL, "smp.cpu", "cpu %u (APIC ID %u) did not finish its work within %u ms %s; %s, the run goes on without it",
			  c->index, c->apic_id, smp_bound_ms, what,
			  c->state == SMP_STOPPED ? "stopped by an NMI and parked" : "it did not even take the NMI");
}

int smp_wait(int cpu)
{
	struct smp_cpu *c = &cpus[cpu];
	u64 end = rdtsc() + kms_to_tsc(smp_bound_ms);
	while (__atomic_load_n(&c->slot, __ATOMIC_ACQUIRE) != SLOT_DONE) {
		if (c->state == SMP_CRASHED) {
			report_lost(c, "while running work");
			return MC_PLAT_ENOSYS;
		}
		if (!kbefore(end)) {
			u32 want = SLOT_POSTED;
			if (__atomic_compare_exchange_n(&c->slot, &want, SLOT_EMPTY, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
				/* It never took the work: INIT puts it back to
				 * wait-for-SIPI, so it will not run it late. */
				x86_lapic_ipi(c->apic_id, APIC_DM_INIT | APIC_INT_ASSERT);
				c->state = SMP_NO_ANSWER;
				report_lost(c, "(it never took the work; sent INIT)");
				return MC_PLAT_ENOSYS;
			}
			/* Running past its bound (the AP watchdog): an NMI ends
			 * it, so it never touches the caller's data again. */
			c->stop = 1;
			x86_lapic_ipi(c->apic_id, APIC_DM_NMI | APIC_INT_ASSERT);
			u64 nmi_end = rdtsc() + kms_to_tsc(100);
			while (c->state == SMP_UP && kbefore(nmi_end))
				cpu_relax();
			if (c->state == SMP_UP)
				c->state = SMP_NO_ANSWER;
			report_lost(c, "(running past its bound)");
			return MC_PLAT_ENOSYS;
		}
		cpu_relax();
	}
	__atomic_store_n(&c->slot, SLOT_EMPTY, __ATOMIC_RELEASE);
	return 0;
}

int on_cpu(int cpu, void (*fn)(void *), void *arg)
{
	if (cpu == smp_this_cpu()) {
		fn(arg);
		return 0;
	}
	int r = smp_post(cpu, fn, arg);
	return r ? r : smp_wait(cpu);
}

/* ---- bring-up ---------------------------------------------------------- */
static const void *phys_ident(void *arg, u64 pa, size_t len)
{
	/* ACPI tables are in ACPI reclaim / NVS ranges, identity-mapped by
	 * kernel/paging_setup.c; refuse anything above what it maps. */
	return pa && pa + len > pa && pa + len <= (1ULL << kernel_max_pa()) ? (const void *)(uintptr_t)pa : NULL;
}

static bool map_lapic(struct kernel_ctx *k)
{
	if (x86_lapic.x2apic)
		return true;
	int e = pt_map(&k->paging->pt, x86_lapic.base, x86_lapic.base, PT_SIZE_4K, PTE_RW | PTE_PCD | PTE_PWT | PTE_NX, 0, PT_SIZE_4K);
	return !e || e == PT_EEXIST;
}

static void ids_text(char *buf, size_t size, int from, int to_excl, bool only_up)
{
	size_t n = 0;
	buf[0] = 0;
	for (int i = from; i < to_excl && n + 16 < size; i++)
		if (!only_up || cpus[i].state == SMP_UP)
			n += (size_t)mc_snprintf(buf + n, size - n, "%s%u", n ? "," : "", cpus[i].apic_id);
}

/* CPU n = the stage's processor n (its APIC ID found in the MADT), then
 * anything the MADT lists that the survey did not. */
static void number_cpus(struct kernel_ctx *k, const struct mc_madt *m, bool have_madt, u32 bsp_id, u32 *unsurveyed,
			u32 *missing)
{
	const struct mc_handoff *h = k->handoff;
	ncpus = 0;
	*unsurveyed = *missing = 0;
	for (u32 i = 0; i < h->mp_count && ncpus < SMP_MAX_CPUS; i++) {
		bool listed = !have_madt || h->mp[i].apic_id == bsp_id;
		for (u32 j = 0; have_madt && j < m->count && !listed; j++)
			listed = m->apic_id[j] == h->mp[i].apic_id;
		if (listed)
			cpus[ncpus++].apic_id = h->mp[i].apic_id;
		else
			(*missing)++;
	}
	for (u32 j = 0; have_madt && j < m->count && ncpus < SMP_MAX_CPUS; j++) {
		bool seen = false;
		for (int i = 0; i < ncpus && !seen; i++)
			seen = cpus[i].apic_id == m->apic_id[j];
		if (!seen) {
			cpus[ncpus++].apic_id = m->apic_id[j];
			(*unsurveyed)++;
		}
	}
	bool bsp_seen = false;
	for (int i = 0; i < ncpus; i++)
		bsp_seen |= cpus[i].apic_id == bsp_id;
	if (!ncpus || !bsp_seen)
		cpus[ncpus++].apic_id = bsp_id;
}

static bool start_ap(struct smp_cpu *c, u64 page, bool no_sipi)
{
	struct ap_tramp *d = (void *)(uintptr_t)(page + ap_trampoline_data_off);
	u8 *mem = kalloc_pages((AP_STACK + AP_IST_STACK) / 4096 + 1);
	if (!mem)
		return false;
	c->stack_top = (u64)(uintptr_t)mem + AP_STACK;
	c->ist_top = c->stack_top + AP_IST_STACK;
	c->gdt = (struct x86_gdt *)(uintptr_t)c->ist_top;
	d->stack = c->stack_top;
	d->arg = c->index;
	d->stage = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	x86_lapic_ipi(c->apic_id, APIC_DM_INIT | APIC_INT_ASSERT);
	kudelay(10000);
	for (int sipi = 0; sipi < 2 && !d->stage && !no_sipi; sipi++) {
		x86_lapic_ipi(c->apic_id, APIC_DM_STARTUP | (u32)(page >> 12));
		kudelay(200);
	}
	u64 end = rdtsc() + kms_to_tsc(BRINGUP_BOUND_MS);
	while (__atomic_load_n(&c->state, __ATOMIC_ACQUIRE) != SMP_UP && kbefore(end))
		cpu_relax();
	if (c->state == SMP_UP)
		return true;
	c->tramp_stage = d->stage;
	c->state = SMP_NO_ANSWER;
	x86_lapic_ipi(c->apic_id, APIC_DM_INIT | APIC_INT_ASSERT);   /* back to wait-for-SIPI */
	kudelay(10000);
	return false;
}

static const char *stage_name(u32 s)
{
	static const char *const n[] = { "never ran the trampoline", "stopped in real mode", "stopped in protected mode",
					 "stopped in long mode before the kernel" };
	return s < 4 ? n[s] : "?";
}

static void topology(struct kernel_ctx *k);

void smp_init(struct kernel_ctx *k)
{
	static struct mc_madt madt;
	struct mc_handoff *h = k->handoff;
	char err[120], ids[200];
	u32 unsurveyed, missing;

	kctx = k;
	kdelay_init();
	for (int i = 0; i < SMP_MAX_CPUS; i++)
		cpus[i] = (struct smp_cpu){ .index = (u32)i, .model_cpu = -1 };
	if (!x86_lapic_probe(&x86_lapic) || !map_lapic(k)) {
		cpus[0].state = SMP_UP;
		mc_report(k->res, MC_FAIL, "smp.bringup", "no usable local APIC (IA32_APIC_BASE disabled, faulting, or unmappable): boot CPU only");
		return;
	}
	u32 bsp_id = x86_lapic_id();
	bool have_madt = !mc_madt_read(h->rsdp, phys_ident, NULL, &madt, err, sizeof(err));
	number_cpus(k, &madt, have_madt, bsp_id, &unsurveyed, &missing);
	for (int i = 0; i < ncpus; i++)
		if (cpus[i].apic_id == bsp_id)
			bsp = i;
	struct smp_cpu *b = &cpus[bsp];
	set_gs(b);
	gs_ready = true;
	b->state = SMP_UP;
	ktopo_self(&b->topo);
	x86_idt_set_irq_handler(smp_irq);
	x86_lapic_enable(SMP_VEC_SPURIOUS);
	/* The 8259s stay masked: only LAPIC vectors arrive here. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);

	if (!have_madt)
		mc_report(k->res, MC_FAIL, "smp.madt", "%s: CPUs from the stage's MP survey only", err);
	else if (unsurveyed || missing)
		mc_report(k->res, MC_FAIL, "smp.madt", "the MADT lists %u processor(s) the stage's MP survey did not report, and the survey %u the MADT does not list",
			  unsurveyed, missing);

	u64 page = h->trampoline, cr3 = read_cr3(), t0 = rdtsc();
	if (ncpus > 1 && (!page || cr3 >> 32)) {
		for (int i = 0; i < ncpus; i++)
			if (i != bsp)
				cpus[i].state = SMP_NO_ANSWER;
		mc_report(k->res, MC_FAIL, "smp.bringup", "%d CPUs listed but %s: boot CPU only", ncpus,
			  !page ? "the UEFI stage reserved no start-up page below 1 MiB" : "the kernel's page tables are above 4 GiB");
		return;
	}
	if (ncpus > 1) {
		mc_memcpy((void *)(uintptr_t)page, ap_trampoline_start, (size_t)(ap_trampoline_end - ap_trampoline_start));
		struct ap_tramp *d = (void *)(uintptr_t)(page + ap_trampoline_data_off);
		u64 efer = 0;
		x86_rdmsr_safe(MSR_EFER, &efer);
		d->gdtr_base += (u32)page;
		d->pm_off += (u32)page;
		d->lm_off += (u32)page;
		d->cr3 = (u32)cr3;
		d->cr4 = (u32)(read_cr4() & ~(CR4_PCIDE | CR4_CET));
		d->cr0 = (u32)read_cr0();
		d->efer = (u32)(EFER_LME | (efer & EFER_NXE));
		d->entry = (u64)(uintptr_t)ap_main;
	}
	/* kernel-test=ap-nosipi: CPU 1 gets INIT but no STARTUP, as a dead AP
	 * would look: it must be a FAIL naming it, and the run goes on. */
	char opt[16];
	bool nosipi = mc_option_get(h->options, "kernel-test", opt, sizeof(opt)) && !mc_strcmp(opt, "ap-nosipi");
	int up = 1;
	for (int i = 0; i < ncpus; i++)
		if (i != bsp)
			up += start_ap(&cpus[i], page, nosipi && i == 1);
	u64 ms = (rdtsc() - t0) / ktsc_per_ms();

	ids_text(ids, sizeof(ids), 0, ncpus, true);
	if (up == ncpus) {
		mc_report(k->res, MC_PASS, "smp.bringup", "%d of %d CPUs up (APIC IDs %s%s) in %llu ms (%s): %s, trampoline at 0x%llx, each with its own GDT, TSS and stack",
			  up, ncpus, ids, ncpus > 40 ? ", first ones" : "", (unsigned long long)ms, x86_lapic.x2apic ? "x2APIC" : "xAPIC",
			  have_madt ? "processors from the MADT" : "processors from the MP survey", (unsigned long long)page);
	} else {
		for (int i = 0; i < ncpus; i++)
			if (cpus[i].state != SMP_UP)
				mc_report(k->res, MC_FAIL, "smp.bringup", "cpu %d (APIC ID %u) did not answer within %u ms of INIT-SIPI-SIPI (%s); %d of %d CPUs up (APIC IDs %s), the run goes on with them",
					  i, cpus[i].apic_id, BRINGUP_BOUND_MS, stage_name(cpus[i].tramp_stage), up, ncpus, ids);
	}
	topology(k);
}

/* ---- topology ---------------------------------------------------------- */
static void topo_on(void *arg)
{
	ktopo_self(arg);
}

static void topology(struct kernel_ctx *k)
{
	u32 raw[SMP_MAX_CPUS];
	int bad_id = -1, stage_diff = -1;
	char text[400];
	size_t n = 0;

	npkgs = 0;
	for (int i = 0; i < ncpus; i++) {
		struct smp_cpu *c = &cpus[i];
		/* Read by the CPU itself (on_cpu proves the work path too);
		 * the APs filled it at start, read it again here. */
		if (c->state == SMP_UP && i != bsp && on_cpu(i, topo_on, &c->topo))
			continue;
		if (c->state != SMP_UP) {
			c->package = 0;
			continue;
		}
		if ((c->topo.apic_id & (x86_lapic.x2apic ? ~0u : 0xffu)) != c->apic_id && bad_id < 0)
			bad_id = i;
		int p = 0;
		while (p < npkgs && raw[p] != c->topo.pkg_id)
			p++;
		if (p == npkgs)
			raw[npkgs++] = c->topo.pkg_id;
		c->package = p;
	}
	if (!npkgs)
		npkgs = 1;
	/* The stage's MP survey (EFI_CPU_PHYSICAL_LOCATION.Package): the
	 * same partition, package numbers aside. */
	const struct mc_handoff *h = k->handoff;
	for (int i = 0; i < ncpus && i < (int)h->mp_count && stage_diff < 0; i++)
		for (int j = 0; j < i && j < (int)h->mp_count; j++)
			if ((cpus[i].package == cpus[j].package) != (h->mp[i].package == h->mp[j].package) &&
			    cpus[i].state == SMP_UP && cpus[j].state == SMP_UP && h->mp[i].apic_id == cpus[i].apic_id &&
			    h->mp[j].apic_id == cpus[j].apic_id) {
				stage_diff = i;
				break;
			}
	for (int p = 0; p < npkgs && n + 40 < sizeof(text); p++) {
		int first = -1, last = -1, count = 0;
		for (int i = 0; i < ncpus; i++)
			if (cpus[i].state == SMP_UP && cpus[i].package == p) {
				if (first < 0)
					first = i;
				last = i;
				count++;
			}
		bool contiguous = last - first + 1 == count;
		n += (size_t)mc_snprintf(text + n, sizeof(text) - n, "%spackage %d (id %u): ", p ? "; " : "", p, raw[p]);
		if (contiguous && count > 2)
			n += (size_t)mc_snprintf(text + n, sizeof(text) - n, "CPUs %d-%d", first, last);
		else
			for (int i = 0; i < ncpus && n + 8 < sizeof(text); i++)
				if (cpus[i].state == SMP_UP && cpus[i].package == p)
					n += (size_t)mc_snprintf(text + n, sizeof(text) - n, "%s%d", i == first ? "CPUs " : ",", i);
	}
	if (bad_id >= 0)
		mc_report(k->res, MC_FAIL, "smp.topology", "cpu %d reads APIC ID %u from its own CPUID, but it was started as APIC ID %u (MADT)",
			  bad_id, cpus[bad_id].topo.apic_id, cpus[bad_id].apic_id);
	else if (stage_diff >= 0)
		mc_report(k->res, MC_FAIL, "smp.topology", "cpu %d: its CPUID package differs from the stage's MP survey (package %u there): %s",
			  stage_diff, h->mp[stage_diff].package, text);
	else
		mc_report(k->res, MC_PASS, "smp.topology", "%d package(s): %s; from CPUID 0x%s on each CPU itself (package = APIC ID >> %u), agrees with the MADT and the stage's MP survey",
			  npkgs, text, cpus[bsp].topo.leaf + 2, cpus[bsp].topo.pkg_shift);
}
