/* The kernel ELF (lib/elf.c): \memcrypt\kernel.elf as the stage reads it
 * from the ESP. Contract (elf.h): a validated file loads into plan.span
 * bytes at any base, every relocation inside the image, the entry inside
 * it. Loading is tried for images up to 4 MiB (the limit is 64 MiB; the
 * bounds logic is the same) at an odd page-aligned base. */
#include "tests/fuzz/fuzz.h"
#include "lib/elf.h"

#define LOAD_MAX (4u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_elf_plan plan;
	char err[200];
	/* Its own allocation, 8-byte aligned as AllocatePool's is. */
	uint8_t *file = malloc(size ? size : 1);

	if (!file)
		abort();
	memcpy(file, data, size);
	memset(err, 0x55, sizeof(err));
	if (!mc_elf_validate(file, size, &plan, err, sizeof(err))) {
		fuzz_check_err(err, sizeof(err));
		free(file);
		return 0;
	}
	FUZZ_CHECK(plan.nload >= 1 && plan.span && plan.span <= MC_ELF_MAX_SPAN && !(plan.span & 0xfff) &&
		   !(plan.vaddr_min & 0xfff), "plan span 0x%llx at 0x%llx", (unsigned long long)plan.span,
		   (unsigned long long)plan.vaddr_min);
	FUZZ_CHECK(plan.entry_offset < plan.span, "entry offset 0x%llx, span 0x%llx",
		   (unsigned long long)plan.entry_offset, (unsigned long long)plan.span);
	if (plan.span <= LOAD_MAX) {
		uint8_t *dest = malloc(plan.span);
		if (!dest)
			abort();
		if (!mc_elf_load(file, size, &plan, dest, 0x7f5a3000ULL, err, sizeof(err)))
			fuzz_check_err(err, sizeof(err));
		free(dest);
	}
	free(file);
	return 0;
}
