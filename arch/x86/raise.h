/* Raising an exception vector on purpose (arch/x86/raise_insn.asm): the tests'
 * way to show that every vector ends in a reported FAIL, never a hang.
 * Shared by the kernel (kernel-test=vector-N) and the UEFI stage
 * (stage-test=vector-N). */
#ifndef MC_X86_RAISE_H
#define MC_X86_RAISE_H
#include "lib/types.h"

#define X86_EXCEPTION_VECTORS 32

struct x86_raiser {
	u64 natural, natural_at;   /* 0, 0: no natural cause in 64-bit ring 0 */
	u64 by_int, int_at;        /* INT n */
};
extern const struct x86_raiser x86_raise_table[X86_EXCEPTION_VECTORS];

/* The instruction that raises it naturally, for the report ("DIV by zero"),
 * or NULL. */
const char *x86_raise_cause(int vector);
/* The natural cause changes machine state the firmware owns (CR0.TS,
 * CR0.NE, CR4.OSXMMEXCPT, MXCSR) or needs our GDT's not-present selector: the
 * stage, which returns to the firmware, raises these by INT n instead. */
bool x86_raise_natural_needs_own_machine(int vector);

/* Calls the raiser at the given entry (x86_raise_table[v].natural or
 * .by_int); returns only if the CPU raised nothing. */
void x86_raise_call(u64 entry);

/* Raise vector v for a test: its natural cause if natural and there is
 * one, then INT n if the CPU raised nothing; say() gets each step's text
 * ("raising #DE by DIV by zero, expected RIP=0x..."). Returns only if INT n
 * returned too. */
void x86_raise_vector(int v, bool natural, void (*say)(const char *text, void *arg), void *arg);

/* The kernel's #DF test: pushes until the stack's guard page. Never returns. */
void x86_raise_stack_overflow(void) __attribute__((noreturn));
/* Spin until RDTSC >= end; the loop's code is [begin, end). */
void x86_wait_until_tsc(u64 end);
extern const u8 x86_wait_loop_begin[], x86_wait_loop_end[];

#endif
