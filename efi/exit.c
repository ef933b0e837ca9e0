/* Ending the stage without a kernel: on QEMU (hypervisor present) through
 * isa-debug-exit so CI sees the failure status; on hardware, a visible pause
 * and a return to the firmware's boot manager with the error: never a
 * reset, so a bad USB stick cannot reboot-loop a lab machine. */
#include "efi/stage.h"
#include "arch/x86/cpu.h"

EFI_HANDLE stage_image;

void stage_fail_exit(EFI_STATUS status, struct mc_results *res)
{
	struct cpuid_regs r;
	mc_report_summary(res);
	stage_print("memcrypt: the UEFI stage stopped before the kernel (%s)", stage_efi_error(status));
	x86_cpuid(1, 0, &r);
	if (r.ecx & BIT(31))
		outl(0xf4, res->n[MC_FAIL] ? 1 : 2);
	stage_print("memcrypt: returning to the firmware in 10 seconds");
	BS->Stall(10 * 1000 * 1000);
	BS->Exit(stage_image, status, 0, NULL);
	for (;;)
		hlt();
}
