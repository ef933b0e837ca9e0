/* The kernel's own GDT: null, 64-bit code, data, and a TSS whose IST1 stack
 * takes #DF, NMI and #MC so a blown stack is still reported (the caller
 * points those vectors at IST1 with x86_idt_set_ist after x86_idt_init,
 * which must run after this: the gates take the current CS). */
#ifndef MC_X86_GDT_H
#define MC_X86_GDT_H
#include "lib/types.h"

#define GDT_KERNEL_CS  0x08
#define GDT_KERNEL_DS  0x10
#define GDT_TSS        0x18

void x86_gdt_install(u64 ist1_stack_top);

#endif
