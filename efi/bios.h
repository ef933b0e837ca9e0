/* The UEFI stage's BIOS-stage hooks (docs/bios-stage.md), one call each
 * from efi_main:
 *   stage_lastrun_show  after the policy: show (and copy) the last run's
 *                       results; may end the stage (reboot-loop rule)
 *   stage_bios_run      after platform init, before the checks: program
 *                       or validate (lib/bios/program.h)
 *   stage_report_write  after the checks: \memcrypt\report.txt + .json */
#ifndef MC_EFI_BIOS_H
#define MC_EFI_BIOS_H
#include "efi/stage.h"
#include "lib/policy.h"
#include "lib/checks/checks.h"

void stage_lastrun_show(const struct mc_policy *pol, struct mc_results *res);
/* false when the policy cannot be honoured on this platform (nothing was
 * written; a FAIL names the setting): the caller ends the stage. ram_top:
 * where RAM ends (the memory map's, or the model's DRAM), 0 if unknown. */
bool stage_bios_run(const struct mc_platform *plat, const struct mc_policy *pol, u64 ram_top, struct mc_results *res);
void stage_report_write(const struct mc_facts *facts, struct mc_results *res);

#endif
