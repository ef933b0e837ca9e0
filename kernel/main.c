/* kmain: validate the handoff, take over the machine (GDT, IDT), run the
 * suites, report, end the run. */
#include "kernel/kernel.h"
#include "kernel/console.h"
#include "kernel/efirt.h"
#include "kernel/exit.h"
#include "kernel/faults.h"
#include "kernel/panic.h"
#include "kernel/paging_setup.h"
#include "kernel/persist.h"
#include "kernel/smp.h"
#include "kernel/watchdog.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/idt.h"
#include "arch/x86/safe.h"
#include "arch/x86/serial.h"
#include "arch/x86/simd.h"
#include "lib/fmt.h"
#include "lib/mem.h"

void kmain(struct mc_handoff *h);
void kalloc_init(u64 base, u64 size);
extern u8 kernel_ist_stack_top[];

static struct mc_results results;
static struct kernel_ctx kctx;
static struct kernel_paging kpaging;

static void report_sink(const char *line, void *arg)
{
	console_write(line);
}

/* After an unexpected exception: the crash is already a recorded FAIL;
 * store the results (so a crash on a real box survives its reset) once the
 * handoff is known good, then the SUMMARY. A fault inside SetVariable is a
 * nested exception, which kernel/panic.c ends at once. */
void kernel_panic_summary(void)
{
	if (kctx.handoff)
		kernel_persist_results(&kctx);
	mc_report_summary(&results);
}

struct mc_results *kernel_results(void)
{
	return &results;
}

#define SUITE_BOUND_MS 60000u     /* any suite: far above the slowest (scale profile under TCG) */

void kmain(struct mc_handoff *h)
{
	static struct mc_handoff fallback = { .serial_port = SERIAL_COM1 };
	char err[160], opt[16];
	bool magic_ok = h && h->magic == MC_HANDOFF_MAGIC;

	console_init(magic_ok && h->version == MC_HANDOFF_VERSION && h->size == sizeof(*h) ? h : &fallback);
	kprintf("memcrypt kernel %s", MC_VERSION);
	x86_gdt_install((u64)(uintptr_t)kernel_ist_stack_top);
	x86_idt_init(kernel_fatal_exception);     /* gates take our new CS */
	x86_idt_set_ist(2, 1);                    /* NMI */
	x86_idt_set_ist(8, 1);                    /* #DF */
	x86_idt_set_ist(18, 1);                   /* #MC */
	x86_idt_install();

	/* SSE/AVX state on before any vector crypto backend can be picked
	 * (lib/crypto checks XCR0 through CPUID/XGETBV). */
	u64 xcr0 = x86_simd_enable();

	mc_report_set_sink(report_sink, 0);
	mc_results_init(&results, MC_STAGE_KERNEL);
	if (!mc_handoff_validate(h, err, sizeof(err))) {
		mc_report(&results, MC_FAIL, "kernel.handoff", "invalid handoff at %p: %s", (void *)h, err);
		mc_report_summary(&results);
		kernel_exit(KERNEL_FAIL);
	}
	mc_report(&results, MC_INFO, "kernel.simd", "SSE state enabled, XCR0=0x%llx", (unsigned long long)xcr0);
	efirt_init(h->runtime_services);
	kernel_exit_init(h);
	kalloc_init(h->scratch_base, h->scratch_size);

	/* The kernel's SUMMARY covers the UEFI stage's results and its own. */
	mc_results_merge(&results, &h->results);
	kprintf("INFO: kernel: adopted %u results of the UEFI stage (%u passed, %u failed, %u skipped)",
		h->results.count, h->results.n[MC_PASS], h->results.n[MC_FAIL], h->results.n[MC_SKIP]);

	kctx.handoff = h;
	kctx.res = &results;
	/* Our own page tables before anything else touches memory the
	 * firmware's tables might not describe the same way. */
	if (!kernel_paging_setup(&kctx, &kpaging)) {
		mc_report_summary(&results);
		kernel_exit(KERNEL_FAIL);
	}
	kctx.paging = &kpaging;
	/* Every CPU the MADT lists, each on its own GDT/TSS/stack, before the
	 * platform: per-CPU operations run on the CPU they name. */
	smp_init(&kctx);
	if (!watchdog_init(&results))
		mc_report(&results, MC_WARN, "kernel.watchdog", "the LAPIC timer does not count: suites run without a watchdog");
	if (!kernel_platform_init(&kctx)) {
		mc_report_summary(&results);
		kernel_exit(KERNEL_FAIL);
	}

	if (mc_option_get(h->options, "kernel-test", opt, sizeof(opt)))
		kernel_test_run(opt);    /* kernel/faults.c */

	/* Each suite under the LAPIC-timer watchdog (kernel/watchdog.c). */
	for (const struct kernel_suite *s = kernel_suites; s->name; s++) {
		watchdog_arm(s->name, SUITE_BOUND_MS);
		u64 t0 = rdtsc();
		s->run(&kctx);
		suite_clock_lap(s->name, rdtsc() - t0);
		watchdog_disarm();
	}

	kernel_persist_results(&kctx);      /* MemcryptLastRun variable (docs/bios-stage.md) */
	mc_report_summary(&results);
	kernel_exit(results.n[MC_FAIL] ? KERNEL_FAIL : KERNEL_PASS);
}
