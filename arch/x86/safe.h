/* Fault-safe instructions: each returns 0, or the exception vector that the
 * instruction raised (X86_TRAP_GP for a locked or absent MSR, X86_TRAP_UD for
 * PCONFIG where it is not enumerated). The faulting instruction's address is
 * listed in the exception-fixup table (arch/x86/safe_insn.asm) and the exception
 * dispatcher (arch/x86/idt.c) resumes at its fixup with the vector in RAX.
 *
 * In the kernel our IDT is always loaded. In the UEFI stage the firmware owns
 * the IDT, so each call installs ours for the duration of the one
 * instruction, with interrupts off, and restores the firmware's after. */
#ifndef MC_X86_SAFE_H
#define MC_X86_SAFE_H
#include "lib/types.h"

int x86_rdmsr_safe(u32 msr, u64 *val);
int x86_wrmsr_safe(u32 msr, u64 val);
int x86_pconfig_safe(u32 leaf, const void *s, u64 *rax, bool *zf);
/* RDRAND with the retry Intel recommends (10 tries); false when it fails or
 * is not enumerated. */
bool x86_rdrand64(u64 *val);
/* Deliberate faults for the kernel's negative tests. */
int x86_ud2_safe(void);
/* A guarded 64-bit load (#GP non-canonical, #PF unmapped). */
int x86_read64_safe(u64 addr, u64 *val);

/* Raw asm entry points (arch/x86/safe_insn.asm); callers use the wrappers above. */
int __x86_rdmsr_safe(u32 msr, u64 *val);
int __x86_wrmsr_safe(u32 msr, u64 val);
int __x86_pconfig_safe(u32 leaf, const void *s, u64 *rax, u8 *zf);
int __x86_ud2_safe(void);
int __x86_read64_safe(u64 addr, u64 *val);
/* Returns the fixup address for a faulting RIP, or 0 when the RIP is not a
 * guarded instruction. */
u64 x86_fixup_lookup(u64 rip);

#endif
