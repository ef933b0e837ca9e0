/* Every CPU (issue 11). The kernel starts the processors the ACPI MADT
 * lists with INIT-SIPI-SIPI through the trampoline page the UEFI stage
 * reserved (kernel/ap_trampoline.asm), numbers them as the stage's MP
 * survey did (CPU n here is processor n there, and model CPU n runs on
 * real CPU n), gives each its own GDT, TSS (IST stack) and stack, loads the
 * one IDT (the same exception fixups everywhere), and parks it waiting for
 * work. Work is posted into the CPU's slot and announced by an IPI; the
 * caller waits with a bound. A CPU that does not answer in time is a FAIL
 * naming it, is stopped by an NMI (or INIT before it ever ran), and the
 * run goes on with the others. */
#ifndef MC_KERNEL_SMP_H
#define MC_KERNEL_SMP_H
#include "kernel/kernel.h"

struct x86_frame;

#define SMP_MAX_CPUS      1024
#define SMP_VEC_WORK      0xf0     /* "look at your work slot" */
#define SMP_VEC_SHOOTDOWN 0xf1     /* INVLPG of the posted address (kernel/shootdown.c) */
#define SMP_VEC_TIMER     0xef     /* LAPIC timer: the watchdog (kernel/watchdog.c) */
#define SMP_VEC_SPURIOUS  0xff

enum smp_state { SMP_ABSENT = 0, SMP_UP, SMP_NO_ANSWER, SMP_CRASHED, SMP_STOPPED };

/* Bring up every AP; reports smp.bringup. Runs once, on the boot CPU,
 * after the kernel's own page tables are in CR3. */
void smp_init(struct kernel_ctx *k);

int  smp_cpu_count(void);             /* CPUs listed (up or not) */
int  smp_this_cpu(void);              /* index of the CPU running this */
bool smp_cpu_up(int cpu);
u32  smp_apic_id(int cpu);
/* Package index (0..smp_packages()-1, in order of first appearance) from
 * the CPU's own CPUID topology (kernel/topology.c); 0 before smp_init. */
int  package_of(int cpu);
int  smp_packages(void);

/* Run fn(arg) on CPU cpu and wait for it (bound smp_bound_ms); fn runs
 * with interrupts on. 0, or MC_PLAT_ENOSYS (CPU absent, down, or it did not
 * finish in time: then it is stopped and reported). The contract of
 * mc_platform.on_cpu. */
int  on_cpu(int cpu, void (*fn)(void *), void *arg);
/* Post without waiting, then wait: for work that must run on several CPUs
 * at once (pconfig.concurrency). */
int  smp_post(int cpu, void (*fn)(void *), void *arg);
int  smp_wait(int cpu);
extern u32 smp_bound_ms;

/* While a profile-only model CPU runs on this real CPU (kernel/platform.c):
 * which model CPU "this CPU" is; -1 for none. */
void smp_set_model_cpu(int model_cpu);
int  smp_model_cpu(void);

/* A tiny test-and-set lock (interrupt-safe enough for the kernel's short
 * sections: holders never wait for an IPI). */
typedef struct { volatile u32 v; } kspin_t;
void kspin_lock(kspin_t *l);
bool kspin_trylock(kspin_t *l);
void kspin_unlock(kspin_t *l);

/* An AP's unexpected exception (kernel/panic.c asks first): recorded, the
 * CPU parked, the boot CPU reports it. Returns only on the boot CPU. */
void smp_ap_exception(const struct x86_frame *f);

/* Interrupt entry (vectors 32-255), set by smp_init. */
void smp_irq(struct x86_frame *f);

#endif
