#include "arch/x86/lapic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/safe.h"

/* Register offsets (xAPIC MMIO); x2APIC MSR = 0x800 + offset / 16. */
#define REG_ID        0x020
#define REG_EOI       0x0b0
#define REG_SVR       0x0f0
#define REG_ICR_LO    0x300
#define REG_ICR_HI    0x310
#define REG_LVT_TIMER 0x320
#define REG_TMR_INIT  0x380
#define REG_TMR_CUR   0x390
#define REG_TMR_DIV   0x3e0
#define LVT_MASKED    BIT(16)

struct x86_lapic x86_lapic;

bool x86_lapic_probe(struct x86_lapic *l)
{
	u64 v;
	if (x86_rdmsr_safe(MSR_IA32_APICBASE, &v) || !(v & MSR_IA32_APICBASE_ENABLE))
		return false;
	l->x2apic = v & MSR_IA32_APICBASE_EXTD;
	l->base = v & MSR_IA32_APICBASE_BASE;
	l->mmio = (volatile u8 *)(uintptr_t)l->base;
	return true;
}

static u32 rd(u32 reg)
{
	if (x86_lapic.x2apic) {
		u64 v = 0;
		x86_rdmsr_safe(0x800 + reg / 16, &v);
		return (u32)v;
	}
	return *(volatile u32 *)(x86_lapic.mmio + reg);
}

static void wr(u32 reg, u32 v)
{
	if (x86_lapic.x2apic)
		x86_wrmsr_safe(0x800 + reg / 16, v);
	else
		*(volatile u32 *)(x86_lapic.mmio + reg) = v;
}

u32 x86_lapic_id(void)
{
	/* x2APIC: the whole 32-bit ID; xAPIC: bits 31:24. */
	return x86_lapic.x2apic ? rd(REG_ID) : rd(REG_ID) >> 24;
}

void x86_lapic_enable(u8 spurious_vector)
{
	wr(REG_SVR, (rd(REG_SVR) & ~0xffu) | BIT(8) | spurious_vector);
}

void x86_lapic_eoi(void)
{
	wr(REG_EOI, 0);
}

bool x86_lapic_ipi(u32 dest, u32 icr_low)
{
	if (x86_lapic.x2apic) {
		/* One 64-bit write, destination in bits 63:32 (SDM 10.12.9);
		 * no delivery-status bit to poll. */
		mfence();
		return x86_wrmsr_safe(0x830, (u64)dest << 32 | icr_low) == 0;
	}
	wr(REG_ICR_HI, dest << 24);
	wr(REG_ICR_LO, icr_low);
	for (u32 spin = 0; spin < 1000000; spin++) {
		if (!(rd(REG_ICR_LO) & APIC_ICR_BUSY))
			return true;
		cpu_relax();
	}
	return false;
}

void x86_lapic_timer_oneshot(u8 vector, u32 count)
{
	wr(REG_TMR_DIV, 0x3);              /* divide by 16 */
	wr(REG_LVT_TIMER, vector);         /* one-shot, unmasked */
	wr(REG_TMR_INIT, count);
}

void x86_lapic_timer_masked_start(u32 count)
{
	wr(REG_TMR_DIV, 0x3);
	wr(REG_LVT_TIMER, LVT_MASKED | 0xff);
	wr(REG_TMR_INIT, count);
}

void x86_lapic_timer_stop(void)
{
	wr(REG_LVT_TIMER, LVT_MASKED);
	wr(REG_TMR_INIT, 0);
}

u32 x86_lapic_timer_current(void)
{
	return rd(REG_TMR_CUR);
}
