/* The IDT: the 32 exception vectors and the interrupt vectors 32-255,
 * shared by the UEFI stage (installed only around a guarded instruction,
 * interrupts off; its exception gates also in a copy of the firmware's IDT
 * for the stage's whole run) and the kernel (installed for good on every CPU: the APs
 * load the same table, so the same exception fixups work everywhere). */
#ifndef MC_X86_IDT_H
#define MC_X86_IDT_H
#include "arch/x86/cpu.h"

/* Called for an exception that no fixup covers; must not return. */
typedef void (*x86_fatal_handler)(const struct x86_frame *f);

/* Called for vectors 32-255 (the handler sends the EOI). */
typedef void (*x86_irq_handler)(struct x86_frame *f);

#define X86_IDT_VECTORS 256

void x86_idt_init(x86_fatal_handler fatal);
/* The UEFI stage's guard for its whole run (efi/fault.c): a copy of the
 * firmware's IDT with our gates for the exceptions 0-31 (but #VE and #VC,
 * the firmware's), loaded on this CPU; the firmware's IDTR is kept in
 * saved_idtr (10 bytes) for x86_idt_unguard. After x86_idt_init. */
void x86_idt_guard(void *saved_idtr);
void x86_idt_unguard(const void *saved_idtr);
/* Load our IDT for good (kernel; each AP calls it too). */
void x86_idt_install(void);
void x86_idt_set_irq_handler(x86_irq_handler h);
/* Run vector on the TSS interrupt stack ist (1..7); kernel only. */
void x86_idt_set_ist(int vector, int ist);
/* Probe window for the UEFI stage: interrupts off, our IDT in, and back. A
 * no-op when our IDT is installed for good. */
struct x86_probe {
	u64 rflags;
	u8  saved_idtr[10];   /* the firmware's IDTR, restored at the end */
};
void x86_probe_begin(struct x86_probe *p);
void x86_probe_end(const struct x86_probe *p);

const char *x86_vector_name(u64 vector);   /* "#GP", "#PF" ... */

#endif
