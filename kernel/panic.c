/* Unexpected exceptions: a FAIL line naming the vector, error code and RIP
 * (arch/x86/frame_dump.c, the stage's format too), the registers, then the
 * run ends with the crash status. Never a reboot loop or a silent hang:
 * kernel_exit pauses, then resets or halts. */
#include "kernel/panic.h"
#include "kernel/console.h"
#include "kernel/exit.h"
#include "kernel/paging_setup.h"
#include "kernel/smp.h"
#include "arch/x86/frame_dump.h"
#include "lib/report.h"

static int nesting;

static void dump_line(const char *text, void *arg)
{
	console_write(text);
}

void kernel_fatal_exception(const struct x86_frame *f)
{
	char head[120];
	/* On an AP: recorded and parked there; the boot CPU reports it
	 * (kernel/smp.c) and the run goes on. */
	smp_ap_exception(f);
	if (nesting++) {
		/* A fault while reporting a fault: say the least and stop. */
		console_write("memcrypt: nested exception while reporting; stopping");
		kernel_exit(KERNEL_CRASH);
	}
	x86_frame_headline(f, head, sizeof(head));
	mc_report(kernel_results(), MC_FAIL, "kernel.exception", "unexpected exception %s", head);
	x86_frame_dump(f, dump_line, 0);
	/* #DF's saved RIP and RSP are undefined (SDM vol. 3 6.15, interrupt
	 * 8); CR2 still holds the #PF that could not be delivered. */
	u64 cr2 = read_cr2(), guard = kernel_stack_guard_base();
	if (f->vector == 8 && cr2 >= guard && cr2 < guard + KERNEL_STACK_GUARD_BYTES)
		kprintf("INFO: kernel: exception: CR2=0x%llx lies in the guard page 0x%llx-0x%llx below the boot CPU's stack: a stack overflow",
			(unsigned long long)cr2, (unsigned long long)guard,
			(unsigned long long)(guard + KERNEL_STACK_GUARD_BYTES - 1));
	kernel_panic_summary();
	kernel_exit(KERNEL_CRASH);
}
