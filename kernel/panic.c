/* Unexpected exceptions: print vector, error code, RIP, CR2 and the general
 * registers, then end the run with the crash status. Never a reboot loop
 * or a silent hang: kernel_exit pauses, then resets or halts. */
#include "kernel/panic.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/smp.h"
#include "arch/x86/idt.h"
#include "lib/report.h"

static int nesting;

void kernel_fatal_exception(const struct x86_frame *f)
{
	/* On an AP: recorded and parked there; the boot CPU reports it
	 * (kernel/smp.c) and the run goes on. */
	smp_ap_exception(f);
	if (nesting++) {
		/* A fault while reporting a fault: say the least and stop. */
		console_write("memcrypt: nested exception while reporting; stopping");
		kernel_exit(KERNEL_CRASH);
	}
	mc_report(kernel_results(), MC_FAIL, "kernel.exception", "unexpected exception %s (vector %llu) error=0x%llx at RIP=0x%llx",
		  x86_vector_name(f->vector), (unsigned long long)f->vector, (unsigned long long)f->error,
		  (unsigned long long)f->rip);
	kprintf("  RIP=0x%016llx CS=0x%llx RFLAGS=0x%016llx RSP=0x%016llx SS=0x%llx",
		(unsigned long long)f->rip, (unsigned long long)f->cs, (unsigned long long)f->rflags,
		(unsigned long long)f->rsp, (unsigned long long)f->ss);
	kprintf("  CR2=0x%016llx CR3=0x%016llx CR0=0x%016llx CR4=0x%016llx",
		(unsigned long long)read_cr2(), (unsigned long long)read_cr3(),
		(unsigned long long)read_cr0(), (unsigned long long)read_cr4());
	kprintf("  RAX=0x%016llx RBX=0x%016llx RCX=0x%016llx RDX=0x%016llx",
		(unsigned long long)f->rax, (unsigned long long)f->rbx, (unsigned long long)f->rcx, (unsigned long long)f->rdx);
	kprintf("  RSI=0x%016llx RDI=0x%016llx RBP=0x%016llx R8 =0x%016llx",
		(unsigned long long)f->rsi, (unsigned long long)f->rdi, (unsigned long long)f->rbp, (unsigned long long)f->r8);
	kprintf("  R9 =0x%016llx R10=0x%016llx R11=0x%016llx R12=0x%016llx",
		(unsigned long long)f->r9, (unsigned long long)f->r10, (unsigned long long)f->r11, (unsigned long long)f->r12);
	kprintf("  R13=0x%016llx R14=0x%016llx R15=0x%016llx",
		(unsigned long long)f->r13, (unsigned long long)f->r14, (unsigned long long)f->r15);
	kernel_panic_summary();
	kernel_exit(KERNEL_CRASH);
}
