#include "arch/x86/idt.h"
#include "arch/x86/safe.h"
#include "lib/mem.h"

struct idt_gate {
	u16 offset_lo;
	u16 selector;
	u8  ist;
	u8  type_attr;
	u16 offset_mid;
	u32 offset_hi;
	u32 zero;
} __attribute__((packed));

struct idt_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

extern const u64 x86_isr_table[X86_IDT_VECTORS];

static struct idt_gate idt[X86_IDT_VECTORS] __attribute__((aligned(16)));
static struct idt_gate guard_idt[X86_IDT_VECTORS] __attribute__((aligned(16)));
static x86_fatal_handler fatal_handler;
static x86_irq_handler irq_handler;
static bool idt_owned;   /* true once the kernel installed ours for good */

static void lidt(const struct idt_ptr *p)
{
	__asm__ __volatile__("lidt %0" : : "m"(*p));
}

static u16 read_cs(void)
{
	u16 cs;
	__asm__ __volatile__("mov %%cs, %0" : "=r"(cs));
	return cs;
}

void x86_idt_init(x86_fatal_handler fatal)
{
	u16 cs = read_cs();
	fatal_handler = fatal;
	for (int v = 0; v < X86_IDT_VECTORS; v++) {
		u64 a = x86_isr_table[v];
		idt[v] = (struct idt_gate){
			.offset_lo = (u16)a,
			.selector = cs,
			/* #DF, NMI and #MC run on their own stack (TSS IST1) in
			 * the kernel, so a broken stack still gets reported. */
			.ist = 0,
			.type_attr = 0x8e, /* present, DPL 0, 64-bit interrupt gate */
			.offset_mid = (u16)(a >> 16),
			.offset_hi = (u32)(a >> 32),
		};
	}
}

/* #VE and #VC are how a TDX or SEV-ES guest's firmware has CPUID, MSR and
 * MMIO accesses emulated (GHCB, TDCALL): they stay the firmware's. */
static bool firmware_keeps(int v)
{
	return v == 20 || v == 29;
}

void x86_idt_guard(void *saved_idtr)
{
	struct idt_ptr fw;
	__asm__ __volatile__("sidt %0" : "=m"(fw));
	mc_memcpy(saved_idtr, &fw, sizeof(fw));
	mc_memset(guard_idt, 0, sizeof(guard_idt));   /* beyond the firmware's limit: not present */
	size_t n = ((size_t)fw.limit + 1) / sizeof(struct idt_gate);
	mc_memcpy(guard_idt, (const void *)(uintptr_t)fw.base,
		  (n < X86_IDT_VECTORS ? n : X86_IDT_VECTORS) * sizeof(struct idt_gate));
	for (int v = 0; v < 32; v++)
		if (!firmware_keeps(v) || v >= (int)n)
			guard_idt[v] = idt[v];
	struct idt_ptr p = { sizeof(guard_idt) - 1, (u64)(uintptr_t)guard_idt };
	lidt(&p);
}

void x86_idt_unguard(const void *saved_idtr)
{
	struct idt_ptr fw;
	mc_memcpy(&fw, saved_idtr, sizeof(fw));
	lidt(&fw);
}

void x86_idt_set_ist(int vector, int ist)
{
	idt[vector].ist = (u8)ist;
}


void x86_idt_install(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (u64)(uintptr_t)idt };
	lidt(&p);
	idt_owned = true;
}

void x86_idt_set_irq_handler(x86_irq_handler h)
{
	irq_handler = h;
}

/* The firmware's IDTR is saved in the caller's probe struct, so APs running
 * a probe at the same time through the MP services do not share a slot. */
void x86_probe_begin(struct x86_probe *p)
{
	p->rflags = read_rflags();
	if (idt_owned)
		return;
	cli();
	struct idt_ptr ours = { sizeof(idt) - 1, (u64)(uintptr_t)idt };
	__asm__ __volatile__("sidt %0" : "=m"(*(struct idt_ptr *)p->saved_idtr));
	lidt(&ours);
}

void x86_probe_end(const struct x86_probe *p)
{
	if (!idt_owned)
		lidt((const struct idt_ptr *)p->saved_idtr);
	if (p->rflags & X86_RFLAGS_IF)
		sti();
}

const char *x86_vector_name(u64 vector)
{
	static const char *const names[32] = {
		"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
		"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "RSV",
		"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "V22", "V23",
		"V24", "V25", "V26", "V27", "#HV", "#VC", "#SX", "V31",
	};
	return vector < 32 ? names[vector] : "V??";
}

void x86_exception_dispatch(struct x86_frame *f);
void x86_exception_dispatch(struct x86_frame *f)
{
	if (f->vector >= 32) {
		/* An interrupt (IPI, LAPIC timer, or a stray line): the kernel's
		 * handler acknowledges it; without one it is ignored. */
		if (irq_handler)
			irq_handler(f);
		return;
	}
	u64 fixup = x86_fixup_lookup(f->rip);
	if (fixup) {
		f->rip = fixup;
		f->rax = f->vector;
		return;
	}
	if (fatal_handler)
		fatal_handler(f);
	for (;;)
		hlt();
}
