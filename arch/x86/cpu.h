/* Thin inline wrappers for x86 instructions that cannot fault in the
 * contexts we use them (CPUID, port I/O, control registers). Anything that
 * can fault (RDMSR, WRMSR, PCONFIG) goes through arch/x86/safe.h instead. */
#ifndef MC_X86_CPU_H
#define MC_X86_CPU_H
#include "lib/types.h"
#include "lib/platform.h"

static inline void x86_cpuid(u32 leaf, u32 sub, struct cpuid_regs *r)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
			     : "a"(leaf), "c"(sub));
}

static inline void outb(u16 port, u8 v) { __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outl(u16 port, u32 v) { __asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port)); }

static inline u64 read_cr0(void) { u64 v; __asm__ __volatile__("mov %%cr0, %0" : "=r"(v)); return v; }
static inline u64 read_cr2(void) { u64 v; __asm__ __volatile__("mov %%cr2, %0" : "=r"(v)); return v; }
static inline u64 read_cr3(void) { u64 v; __asm__ __volatile__("mov %%cr3, %0" : "=r"(v)); return v; }
static inline u64 read_cr4(void) { u64 v; __asm__ __volatile__("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr3(u64 v) { __asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory"); }
static inline void write_cr4(u64 v) { __asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory"); }

static inline u64 read_rflags(void)
{
	u64 f;
	__asm__ __volatile__("pushfq; popq %0" : "=r"(f));
	return f;
}
static inline void cli(void) { __asm__ __volatile__("cli" ::: "memory"); }
static inline void sti(void) { __asm__ __volatile__("sti" ::: "memory"); }
static inline void hlt(void) { __asm__ __volatile__("hlt" ::: "memory"); }
static inline void cpu_relax(void) { __asm__ __volatile__("pause" ::: "memory"); }
static inline void clflush(const volatile void *p) { __asm__ __volatile__("clflush (%0)" : : "r"(p) : "memory"); }
static inline void wbinvd(void) { __asm__ __volatile__("wbinvd" ::: "memory"); }
static inline void mfence(void) { __asm__ __volatile__("mfence" ::: "memory"); }
static inline void invlpg(const void *p) { __asm__ __volatile__("invlpg (%0)" : : "r"(p) : "memory"); }

static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

#define X86_RFLAGS_IF  BIT_ULL(9)
#define X86_CR4_PAE    BIT_ULL(5)
#define X86_CR4_LA57   BIT_ULL(12)

/* The exception frame pushed by arch/x86/vectors.asm. */
/* x86_frame.error of a vector that has an error code but was entered by INT n
 * (arch/x86/vectors.asm): the CPU pushed none. */
#define X86_ERROR_NONE (~0ULL)

struct x86_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss;
};

#endif
