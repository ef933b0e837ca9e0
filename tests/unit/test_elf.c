/* lib/elf.c: the kernel loader's validation and relocation, on images built
 * here field by field, each broken in one way, and on the real kernel. */
#include "tests/unit/harness.h"
#include "lib/elf.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct img {
	uint8_t b[0x3000];
};

/* A minimal valid PIE: ELF header, 3 program headers (text R-X at 0,
 * data RW- at 0x1000 with .bss, DYNAMIC), 2 RELATIVE relocations. */
static size_t build(struct img *m)
{
	memset(m, 0, sizeof(*m));
	uint8_t *e = m->b;
	memcpy(e, "\x7f" "ELF", 4);
	e[4] = 2; e[5] = 1; e[6] = 1;
	*(uint16_t *)(e + 16) = 3;        /* ET_DYN */
	*(uint16_t *)(e + 18) = 62;       /* EM_X86_64 */
	*(uint32_t *)(e + 20) = 1;
	*(uint64_t *)(e + 24) = 0x200;    /* entry */
	*(uint64_t *)(e + 32) = 64;       /* phoff */
	*(uint16_t *)(e + 52) = 64;
	*(uint16_t *)(e + 54) = 56;       /* phentsize */
	*(uint16_t *)(e + 56) = 3;        /* phnum */
	uint8_t *p = e + 64;
	/* PT_LOAD text: offset 0, vaddr 0, filesz 0x1000, R X */
	*(uint32_t *)(p + 0) = 1; *(uint32_t *)(p + 4) = 5;
	*(uint64_t *)(p + 8) = 0; *(uint64_t *)(p + 16) = 0;
	*(uint64_t *)(p + 32) = 0x1000; *(uint64_t *)(p + 40) = 0x1000;
	p += 56;
	/* PT_LOAD data: offset 0x1000, vaddr 0x1000, filesz 0x200, memsz 0x1800 (bss) */
	*(uint32_t *)(p + 0) = 1; *(uint32_t *)(p + 4) = 6;
	*(uint64_t *)(p + 8) = 0x1000; *(uint64_t *)(p + 16) = 0x1000;
	*(uint64_t *)(p + 32) = 0x200; *(uint64_t *)(p + 40) = 0x1800;
	p += 56;
	/* PT_DYNAMIC at 0x1100 (inside data), 4 entries */
	*(uint32_t *)(p + 0) = 2; *(uint32_t *)(p + 4) = 6;
	*(uint64_t *)(p + 8) = 0x1100; *(uint64_t *)(p + 16) = 0x1100;
	*(uint64_t *)(p + 32) = 64; *(uint64_t *)(p + 40) = 64;
	uint64_t *dyn = (uint64_t *)(e + 0x1100);
	dyn[0] = 7; dyn[1] = 0x1180;      /* DT_RELA */
	dyn[2] = 8; dyn[3] = 48;          /* DT_RELASZ: 2 entries */
	dyn[4] = 9; dyn[5] = 24;          /* DT_RELAENT */
	dyn[6] = 0; dyn[7] = 0;
	uint64_t *rela = (uint64_t *)(e + 0x1180);
	rela[0] = 0x1008; rela[1] = 8; rela[2] = 0x10;    /* *(0x1008) = base + 0x10 */
	rela[3] = 0x1010; rela[4] = 8; rela[5] = 0x1500;  /* *(0x1010) = base + 0x1500 (bss) */
	e[0x200] = 0xc3;                                  /* the "entry": ret */
	return 0x1200;
}

static int rejects(struct img *m, size_t size, const char *needle)
{
	struct mc_elf_plan plan;
	char err[200] = "";
	bool ok = mc_elf_validate(m->b, size, &plan, err, sizeof(err));
	return !ok && strstr(err, needle) != NULL;
}

TEST(elf, valid_image_loads_and_relocates)
{
	struct img m;
	size_t size = build(&m);
	struct mc_elf_plan plan;
	char err[200] = "";
	bool ok = mc_elf_validate(m.b, size, &plan, err, sizeof(err));
	EXPECT(ok, "a minimal PIE validates (%s)", err);
	EXPECT(plan.span == 0x3000 && plan.entry_offset == 0x200 && plan.nload == 2 && plan.nrela == 2,
	       "plan: span 0x%llx (0x3000 incl. bss), entry +0x%llx, %u segments, %u relocations",
	       (unsigned long long)plan.span, (unsigned long long)plan.entry_offset, plan.nload, plan.nrela);
	uint8_t *dest = aligned_alloc(4096, plan.span);
	memset(dest, 0xaa, plan.span);
	uint64_t base = 0x7654321000ULL;
	ok = mc_elf_load(m.b, size, &plan, dest, base, err, sizeof(err));
	uint64_t r0, r1;
	memcpy(&r0, dest + 0x1008, 8);
	memcpy(&r1, dest + 0x1010, 8);
	EXPECT(ok && r0 == base + 0x10 && r1 == base + 0x1500,
	       "R_X86_64_RELATIVE applied for load base 0x%llx (got 0x%llx, 0x%llx)",
	       (unsigned long long)base, (unsigned long long)r0, (unsigned long long)r1);
	EXPECT(dest[0x2000] == 0 && dest[0x27ff] == 0, ".bss beyond p_filesz is zeroed");
	EXPECT(dest[0x200] == 0xc3, "segment bytes copied");
	free(dest);
}

TEST(elf, every_corruption_is_named)
{
	struct img m;
	size_t size = build(&m);
	EXPECT(rejects(&m, 40, "truncated: 40 bytes"), "header cut short: 'truncated'");
	build(&m); m.b[1] = 'X';
	EXPECT(rejects(&m, size, "not an ELF file"), "bad magic: 'not an ELF file'");
	build(&m); m.b[4] = 1;
	EXPECT(rejects(&m, size, "class 1"), "32-bit class named");
	build(&m); *(uint16_t *)(m.b + 18) = 3;
	EXPECT(rejects(&m, size, "machine 3, expected 62"), "wrong machine named");
	build(&m); *(uint16_t *)(m.b + 16) = 2;
	EXPECT(rejects(&m, size, "expected ET_DYN"), "ET_EXEC refused (kernel must be position independent)");
	build(&m);
	EXPECT(rejects(&m, 0x100, "program headers out of bounds") || rejects(&m, 0x100, "beyond the end of the file"),
	       "file cut inside the segments: 'truncated' bounds error");
	build(&m);
	EXPECT(rejects(&m, 0x1100, "beyond the end of the file"), "segment data past EOF named");
	build(&m); *(uint64_t *)(m.b + 64 + 56 + 32) = 0x2000;   /* data filesz > memsz */
	EXPECT(rejects(&m, sizeof(m.b), "p_filesz 0x2000 > p_memsz 0x1800"), "p_filesz > p_memsz named");
	build(&m); *(uint64_t *)(m.b + 64 + 56 + 16) = 0x800;     /* data vaddr overlaps text */
	EXPECT(rejects(&m, size, "overlap"), "overlapping segments named");
	build(&m); *(uint64_t *)(m.b + 24) = 0x1010;               /* entry in the data segment */
	EXPECT(rejects(&m, size, "not inside an executable loaded segment"), "entry outside code named");
	build(&m); *(uint64_t *)(m.b + 0x1180 + 8) = 1;            /* R_X86_64_64 */
	EXPECT(rejects(&m, size, "only R_X86_64_RELATIVE"), "unsupported relocation type named");
	build(&m); *(uint64_t *)(m.b + 0x1180) = 0x9000;           /* patch outside image */
	EXPECT(rejects(&m, size, "outside the image"), "relocation outside the image named");
	build(&m); *(uint64_t *)(m.b + 64 + 56 + 40) = 1ULL << 40; /* huge memsz */
	EXPECT(rejects(&m, size, "overflows") || rejects(&m, size, "spans"), "absurd size refused");
}

TEST(elf, real_kernel_validates)
{
	FILE *f = fopen("build/esp/memcrypt/kernel.elf", "rb");
	if (!f) {
		EXPECT(false, "setup: build/esp/memcrypt/kernel.elf not built (run make first): it was not validated");
		return;
	}
	static uint8_t buf[4 << 20];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	struct mc_elf_plan plan;
	char err[200] = "";
	bool ok = mc_elf_validate(buf, n, &plan, err, sizeof(err));
	EXPECT(ok && plan.nrela > 0, "the built kernel.elf validates (%zu bytes, %u relocations) %s", n, plan.nrela, err);
	/* Every prefix that cuts into loaded bytes must be refused (never
	 * crash the validator); what lies after them (symbols, debug info)
	 * is not needed to run. */
	uint64_t phoff = *(uint64_t *)(buf + 32), loaded_end = 0;
	uint16_t phnum = *(uint16_t *)(buf + 56);
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = buf + phoff + i * 56;
		uint64_t end = *(const uint64_t *)(ph + 8) + *(const uint64_t *)(ph + 32);
		if (*(const uint32_t *)ph == 1 && end > loaded_end)
			loaded_end = end;
	}
	int refused = 0, tried = 0;
	for (size_t cut = 0; cut < loaded_end; cut += loaded_end / 97 + 1, tried++)
		refused += !mc_elf_validate(buf, cut, &plan, err, sizeof(err));
	EXPECT(refused == tried && tried > 90, "%d of %d prefixes cut inside the loaded bytes (0..0x%llx) refused", refused, tried,
	       (unsigned long long)loaded_end);
}
