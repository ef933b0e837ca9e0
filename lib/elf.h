/* Validation and loading of the kernel ELF (ELF-64, x86-64, position
 * independent: ET_DYN with only R_X86_64_RELATIVE relocations). Pure logic,
 * so the host tests run it on truncated and corrupted files. The loader
 * (efi/) allocates mc_elf_plan.span bytes anywhere, then mc_elf_load copies
 * the segments there and applies the relocations; nothing assumes a fixed
 * address is free. */
#ifndef MC_ELF_H
#define MC_ELF_H
#include "lib/types.h"

#define MC_ELF_MAX_SPAN  (64ULL << 20)   /* a kernel above 64 MiB is a corrupt file */

struct mc_elf_plan {
	u64 vaddr_min;      /* lowest PT_LOAD vaddr (page aligned) */
	u64 span;           /* bytes to allocate, page multiple */
	u64 entry_offset;   /* entry - vaddr_min */
	u32 nload;          /* PT_LOAD segments */
	u32 nrela;          /* relocations to apply */
};

/* Returns true, or false with err = "what is wrong" (the caller adds the
 * file name). */
bool mc_elf_validate(const void *file, size_t size, struct mc_elf_plan *plan, char *err, size_t errlen);
/* Copy segments into dest (plan->span bytes, already validated file) and
 * relocate them for load address load_base. */
bool mc_elf_load(const void *file, size_t size, const struct mc_elf_plan *plan, void *dest,
		 u64 load_base, char *err, size_t errlen);

#endif
