/* The stage's own unexpected exceptions. From efi_main's first steps to the
 * handoff, the exceptions 0-31 (but #VE and #VC) go to our gates in a copy
 * of the firmware's IDT (arch/x86/idt.c, x86_idt_guard); the guarded probes
 * (arch/x86/safe.c) resume at their fixups as before. Anything else is a
 * FAIL uefi.exception with the register dump in the kernel's format
 * (arch/x86/frame_dump.c), then efi_main resumes at its recovery point
 * (setjmp), puts the firmware's IDT back and ends the stage with the crash
 * status: isa-debug-exit 2 on QEMU, a return to the firmware on hardware.
 *
 * What it cannot undo: a fault inside a boot service, at a raised TPL or
 * holding a firmware lock, leaves that as it was; the return to the
 * firmware then depends on the firmware. An AP running our code through the
 * MP services (efi/mp.c) records its fault and halts: printing from an AP is
 * not allowed, and the boot CPU's 1 s bound on the call reports it. */
#include "efi/stage.h"
#include "arch/x86/frame_dump.h"
#include "arch/x86/idt.h"
#include "arch/x86/raise.h"
#include "lib/policy.h"
#include "lib/report.h"

jmp_buf stage_fault_recovery;
static struct mc_results *fault_res;
static u8 firmware_idtr[10];
static bool guarded, reporting;
static u32 bsp_apic_id;
static volatile struct {
	u32 seen, apic_id;
	u64 vector, error, rip;
} ap_fault;

static u32 apic_id(void)
{
	struct cpuid_regs r;
	x86_cpuid(0, 0, &r);
	if (r.eax >= 0xb) {
		x86_cpuid(0xb, 0, &r);
		if (r.ebx)             /* leaf 0BH present: the 32-bit x2APIC ID */
			return r.edx;
	}
	x86_cpuid(1, 0, &r);
	return r.ebx >> 24;
}

static void dump_line(const char *text, void *arg)
{
	stage_line(text);
}

static void stage_fatal_exception(const struct x86_frame *f)
{
	char head[120];
	if (apic_id() != bsp_apic_id) {
		ap_fault.apic_id = apic_id();
		ap_fault.vector = f->vector;
		ap_fault.error = f->error;
		ap_fault.rip = f->rip;
		__atomic_store_n(&ap_fault.seen, 1, __ATOMIC_RELEASE);
		for (;;)
			__asm__ __volatile__("cli; hlt");
	}
	x86_frame_headline(f, head, sizeof(head));
	if (!guarded || reporting) {
		/* Before the recovery point exists, or a fault while reporting
		 * one: say the least and stop. */
		stage_print("FAIL: uefi: exception: unexpected exception %s%s", head,
			    reporting ? " (while reporting an earlier one)" : "");
		outl(0xf4, 2);
		for (;;)
			hlt();
	}
	reporting = true;
	mc_report(fault_res, MC_FAIL, "uefi.exception", "unexpected exception %s", head);
	x86_frame_dump(f, dump_line, 0);
	longjmp(stage_fault_recovery, 1);
}

void stage_fault_init(void)
{
	x86_idt_init(stage_fatal_exception);
	bsp_apic_id = apic_id();
}

void stage_fault_guard(struct mc_results *res)
{
	fault_res = res;
	x86_idt_guard(firmware_idtr);
	guarded = true;
}

void stage_fault_unguard(void)
{
	if (!guarded)
		return;
	guarded = false;
	x86_idt_unguard(firmware_idtr);
}

void stage_fault_recovered(struct mc_results *res)
{
	stage_fault_unguard();
	sti();    /* the gate cleared IF; efi_main runs at TPL_APPLICATION */
	mc_report_summary(res);
	stage_print("memcrypt: the UEFI stage stopped on an unexpected exception");
	stage_end(EFI_ABORTED, 2);
}

bool stage_fault_take_ap(void)
{
	if (!fault_res || !__atomic_load_n(&ap_fault.seen, __ATOMIC_ACQUIRE))
		return false;
	struct x86_frame f = { .vector = ap_fault.vector, .error = ap_fault.error, .rip = ap_fault.rip };
	char head[120];
	x86_frame_headline(&f, head, sizeof(head));
	mc_report(fault_res, MC_FAIL, "uefi.exception", "unexpected exception %s on the CPU with APIC ID %u (halted there; the MP services' bound ended the call)",
		  head, ap_fault.apic_id);
	ap_fault.seen = 0;
	return true;
}

struct stage_test {
	const char *what;
	struct mc_results *res;
};

static void say(const char *text, void *arg)
{
	const struct stage_test *t = arg;
	mc_report(t->res, MC_INFO, "uefi.stage_test", "stage-test=%s: %s", t->what, text);
}

/* stage-test=vector-N: raise N here, unguarded, as kernel-test=vector-N
 * does in the kernel (kernel/faults.c); natural causes that change state
 * the firmware owns are raised by INT n instead. */
void stage_fault_test(const char *what, struct mc_results *res)
{
	int v = mc_policy_test_vector(what);
	struct stage_test t = { what, res };
	if (!MC_POLICY_STAGE_VECTOR_OK(v))
		return;
	x86_raise_vector(v, !x86_raise_natural_needs_own_machine(v), say, &t);
	mc_report(res, MC_FAIL, "uefi.stage_test", "stage-test=%s: INT %d returned without an exception", what, v);
}
