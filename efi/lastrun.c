/* stage_lastrun_show: the results the kernel stored in MemcryptLastRun
 * (lib/bios/lastrun.h) at the end of the previous run, printed as
 * "INFO: last-run: ..." and copied to \memcrypt\last-run.json.
 *
 * The reboot-loop rule (docs/bios-stage.md): on real hardware the kernel
 * resets after its run, and the firmware boots this stick again. So when
 * the record says the run ended with a reset and this stage has not shown
 * it yet, the stage shows it, marks it shown and returns to the firmware
 * instead of running again - unless the policy says after-reset=run. A
 * record already shown, or from a run that ended without a reset (QEMU's
 * isa-debug-exit, exit=halt), is shown and the run goes on. */
#include "efi/bios.h"
#include "arch/x86/cpu.h"
#include "lib/bios/lastrun.h"
#include "lib/fmt.h"

#define JSON_MAX (64u << 10)

static EFI_GUID lastrun_guid = { MC_LASTRUN_GUID_D1, MC_LASTRUN_GUID_D2, MC_LASTRUN_GUID_D3, MC_LASTRUN_GUID_D4 };
static struct mc_lastrun lr;   /* ~16 KiB: off the stack */

static void copy_json(struct mc_results *res)
{
	char *json = AllocatePool(JSON_MAX);
	int n = json ? mc_lastrun_json(&lr, json, JSON_MAX) : -1;
	if (n < 0) {
		mc_report(res, MC_WARN, "last-run", "\\memcrypt\\last-run.json not written: no memory");
	} else {
		EFI_STATUS s = stage_write_file(L"\\memcrypt\\last-run.json", json, (UINTN)n);
		if (EFI_ERROR(s))
			mc_report(res, MC_WARN, "last-run", "\\memcrypt\\last-run.json not written: %s; the run goes on",
				  stage_efi_error(s));
		else
			mc_report(res, MC_INFO, "last-run", "copied to \\memcrypt\\last-run.json (%d bytes)", n);
	}
	if (json)
		FreePool(json);
}

__attribute__((noreturn)) static void return_to_firmware(struct mc_results *res)
{
	struct cpuid_regs r;
	mc_report_summary(res);
	stage_print("memcrypt: the last run ended with a reset; its results are shown above. Not running again "
		    "(reboot-loop rule); policy after-reset=run runs anyway");
	x86_cpuid(1, 0, &r);
	if (r.ecx & BIT(31))
		outl(0xf4, 0);   /* under a hypervisor: end the VM with "all passed" */
	stage_print("memcrypt: returning to the firmware in 10 seconds");
	BS->Stall(10 * 1000 * 1000);
	BS->Exit(stage_image, EFI_SUCCESS, 0, NULL);
	for (;;)
		hlt();
}

void stage_lastrun_show(const struct mc_policy *pol, struct mc_results *res)
{
	CHAR16 name[] = L"" MC_LASTRUN_VAR_NAME;
	UINTN size = 0;
	char err[160], line[200];
	u8 *rec = LibGetVariableAndSize(name, &lastrun_guid, &size);

	if (!rec) {
		mc_report(res, MC_INFO, "last-run", "no %s variable: no earlier run stored results", MC_LASTRUN_VAR_NAME);
		return;
	}
	if (!mc_lastrun_decode(rec, size, &lr, err, sizeof(err))) {
		mc_report(res, MC_WARN, "last-run", "%s variable (%u bytes) unreadable: %s", MC_LASTRUN_VAR_NAME,
			  (unsigned)size, err);
		FreePool(rec);
		return;
	}
	bool shown = lr.flags & MC_LASTRUN_SHOWN;
	mc_lastrun_summary(&lr, line, sizeof(line));
	mc_report(res, MC_INFO, "last-run", "%s%s", line, shown ? " (shown before)" : "");
	for (u32 i = 0; i < lr.stored; i++) {
		mc_result_format(&lr.entry[i], line, sizeof(line));
		mc_report(res, MC_INFO, "last-run", "%s", line);
	}
	if (lr.omitted)
		mc_report(res, MC_INFO, "last-run", "%u more FAIL/WARN results did not fit in the record", lr.omitted);
	copy_json(res);

	if (!shown) {
		mc_lastrun_set_flags(rec, size, (u16)(lr.flags | MC_LASTRUN_SHOWN));
		EFI_STATUS s = RT->SetVariable(name, &lastrun_guid, MC_LASTRUN_ATTRS, size, rec);
		if (EFI_ERROR(s))
			mc_report(res, MC_WARN, "last-run", "cannot mark the record shown: %s", stage_efi_error(s));
	}
	FreePool(rec);
	if (!shown && (lr.flags & MC_LASTRUN_RESET) && !pol->after_reset_run)
		return_to_firmware(res);
}
