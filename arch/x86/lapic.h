/* The local APIC, in xAPIC (MMIO) or x2APIC (MSR) mode, whichever the
 * firmware left on (IA32_APIC_BASE[11:10], Intel SDM vol. 3 ch. 10/11):
 * its ID, EOI, IPIs (INIT, start-up, fixed, NMI) and the one-shot timer.
 * The same code serves every CPU: the registers sit at one address and
 * each CPU sees its own. */
#ifndef MC_X86_LAPIC_H
#define MC_X86_LAPIC_H
#include "lib/types.h"

#define MSR_IA32_APICBASE          0x0000001b
#define MSR_IA32_APICBASE_BSP      BIT_ULL(8)
#define MSR_IA32_APICBASE_EXTD     BIT_ULL(10)   /* x2APIC mode */
#define MSR_IA32_APICBASE_ENABLE   BIT_ULL(11)
#define MSR_IA32_APICBASE_BASE     GENMASK_ULL(51, 12)

/* ICR low word (SDM vol. 3 10.6.1). */
#define APIC_DM_FIXED      0x00000
#define APIC_DM_NMI        0x00400
#define APIC_DM_INIT       0x00500
#define APIC_DM_STARTUP    0x00600
#define APIC_ICR_BUSY      0x01000   /* delivery status, xAPIC only */
#define APIC_INT_ASSERT    0x04000
#define APIC_INT_LEVEL     0x08000

struct x86_lapic {
	bool x2apic;
	volatile u8 *mmio;     /* xAPIC: the register page, identity-mapped UC */
	u64 base;              /* physical base from IA32_APIC_BASE */
};

/* Read IA32_APIC_BASE (guarded) and fill l; mmio = the identity address of
 * the base. false if the APIC is disabled or the MSR faults. */
bool x86_lapic_probe(struct x86_lapic *l);
/* The one the kernel uses (x86_lapic_probe'd and mapped by kernel/smp.c). */
extern struct x86_lapic x86_lapic;

u32  x86_lapic_id(void);                        /* this CPU's APIC ID */
void x86_lapic_enable(u8 spurious_vector);      /* SVR: software enable */
void x86_lapic_eoi(void);
/* Send icr_low to APIC ID dest (physical destination). false if the
 * xAPIC's delivery status stayed busy past a bound. */
bool x86_lapic_ipi(u32 dest, u32 icr_low);
/* One-shot timer: vector after count ticks of the bus clock / 16. */
void x86_lapic_timer_oneshot(u8 vector, u32 count);
/* Counting with the LVT masked (to measure its rate). */
void x86_lapic_timer_masked_start(u32 count);
void x86_lapic_timer_stop(void);
u32  x86_lapic_timer_current(void);

#endif
