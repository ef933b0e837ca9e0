/* The kernel's own GDT: null, 64-bit code, data, and a TSS whose IST1 stack
 * takes #DF, NMI and #MC so a blown stack is still reported, and one
 * not-present descriptor for the #NP test (the caller
 * points those vectors at IST1 with x86_idt_set_ist after x86_idt_init,
 * which must run after this: the gates take the current CS). */
#ifndef MC_X86_GDT_H
#define MC_X86_GDT_H
#include "lib/types.h"

#define GDT_KERNEL_CS  0x08
#define GDT_KERNEL_DS  0x10
#define GDT_TSS        0x18   /* 16 bytes: entries 3 and 4 */
/* A data descriptor with P=0: loading it raises #NP(0x28), the natural way
 * to raise vector 11 (arch/x86/raise_insn.asm). Never loaded otherwise. */
#define GDT_NOT_PRESENT 0x28

struct x86_tss64 {
	u32 rsv0;
	u64 rsp[3];
	u64 rsv1;
	u64 ist[7];
	u64 rsv2;
	u16 rsv3;
	u16 iomap_base;
} __attribute__((packed));

/* One CPU's GDT and TSS: each CPU needs its own TSS (the descriptor turns
 * busy on LTR, and IST1 must be that CPU's own stack). */
struct x86_gdt {
	u64 gdt[6];
	struct x86_tss64 tss;
} __attribute__((aligned(16)));

/* The boot CPU's (a static one). */
void x86_gdt_install(u64 ist1_stack_top);
/* Any CPU's, in memory the caller owns (kernel/smp.c for each AP). */
void x86_gdt_install_on(struct x86_gdt *g, u64 ist1_stack_top);

#endif
