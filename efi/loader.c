/* Load the kernel ELF from the ESP: read, check its SHA-256 against the
 * digest embedded at build time (kernel_digest.c), validate every header
 * (lib/elf.c), take pages wherever the firmware has them, copy and
 * relocate. Any problem is a FAIL naming the file and what is wrong. */
#include "efi/stage.h"
#include "lib/elf.h"
#include "lib/report.h"

bool stage_load_kernel(const CHAR16 *path, const char *display_path, struct stage_kernel *k,
		       struct mc_results *res)
{
	void *file = NULL;
	UINTN size = 0;
	char err[160];
	struct mc_elf_plan plan;
	EFI_STATUS s = stage_read_file(path, &file, &size);

	if (EFI_ERROR(s)) {
		mc_report(res, MC_FAIL, "uefi.kernel", "%s: cannot read: %s (EFI status 0x%llx)", display_path,
			  stage_efi_error(s), (unsigned long long)s);
		return false;
	}
	if (!stage_verify_kernel(file, size, display_path, res)) {
		FreePool(file);
		return false;
	}
	if (!mc_elf_validate(file, size, &plan, err, sizeof(err))) {
		mc_report(res, MC_FAIL, "uefi.kernel", "%s: invalid kernel ELF: %s", display_path, err);
		FreePool(file);
		return false;
	}
	EFI_PHYSICAL_ADDRESS base = 0;
	UINTN pages = plan.span / 4096;
	s = BS->AllocatePages(AllocateAnyPages, EfiLoaderCode, pages, &base);
	if (EFI_ERROR(s)) {
		mc_report(res, MC_FAIL, "uefi.kernel", "%s: firmware refused %llu pages for the kernel: %s",
			  display_path, (unsigned long long)pages, stage_efi_error(s));
		FreePool(file);
		return false;
	}
	if (!mc_elf_load(file, size, &plan, (void *)(uintptr_t)base, base, err, sizeof(err))) {
		mc_report(res, MC_FAIL, "uefi.kernel", "%s: load failed: %s", display_path, err);
		BS->FreePages(base, pages);
		FreePool(file);
		return false;
	}
	FreePool(file);
	k->base = base;
	k->size = plan.span;
	k->entry = base + plan.entry_offset;
	mc_report(res, MC_PASS, "uefi.kernel", "%s: valid ELF (%u segments, %u relocations), loaded at 0x%llx (%llu KiB)",
		  display_path, plan.nload, plan.nrela, (unsigned long long)base, (unsigned long long)(plan.span >> 10));
	return true;
}
