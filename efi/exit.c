/* Ending the stage without a kernel, after a failure or by design (an SEV
 * guest the kernel cannot run in): on QEMU (hypervisor present) through
 * isa-debug-exit so CI sees the status; on hardware, a visible pause
 * and a return to the firmware's boot manager with the error: never a
 * reset, so a bad USB stick cannot reboot-loop a lab machine. */
#include "efi/stage.h"
#include "arch/x86/cpu.h"

EFI_HANDLE stage_image;

/* isa-debug-exit value v ends QEMU with (v << 1) | 1: 0 pass, 1 fail, 2
 * crash (scripts/qemu-run maps them to 0/1/2). */
__attribute__((noreturn)) void stage_end(EFI_STATUS status, u32 debug_exit)
{
	struct cpuid_regs r;
	stage_fault_unguard();
	x86_cpuid(1, 0, &r);
	if (r.ecx & BIT(31))
		outl(0xf4, debug_exit);
	stage_print("memcrypt: returning to the firmware in 10 seconds");
	BS->Stall(10 * 1000 * 1000);
	BS->Exit(stage_image, status, 0, NULL);
	for (;;)
		hlt();
}

void stage_fail_exit(EFI_STATUS status, struct mc_results *res)
{
	mc_report_summary(res);
	stage_print("memcrypt: the UEFI stage stopped before the kernel (%s)", stage_efi_error(status));
	stage_end(status, res->n[MC_FAIL] ? 1 : 2);
}

void stage_stop_exit(struct mc_results *res)
{
	mc_report_summary(res);
	stage_print("memcrypt: the UEFI stage ends here by design: no kernel handoff");
	stage_end(res->n[MC_FAIL] ? EFI_ABORTED : EFI_SUCCESS, res->n[MC_FAIL] ? 1 : 0);
}
