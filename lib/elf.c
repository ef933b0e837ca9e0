#include "lib/elf.h"
#include "lib/fmt.h"
#include "lib/mem.h"

/* ELF-64 structures as in the System V ABI (gABI 4.1); our own spelling so
 * that no host header is needed in freestanding builds. */
struct elf64_ehdr {
	u8  e_ident[16];
	u16 e_type, e_machine;
	u32 e_version;
	u64 e_entry, e_phoff, e_shoff;
	u32 e_flags;
	u16 e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	u32 p_type, p_flags;
	u64 p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

struct elf64_dyn {
	s64 d_tag;
	u64 d_val;
};

struct elf64_rela {
	u64 r_offset, r_info;
	s64 r_addend;
};

#define ET_DYN        3
#define EM_X86_64     62
#define PT_LOAD       1
#define PT_DYNAMIC    2
#define PF_X          1
#define DT_NULL       0
#define DT_RELA       7
#define DT_RELASZ     8
#define DT_RELAENT    9
#define R_X86_64_NONE      0
#define R_X86_64_RELATIVE  8
#define PAGE_SIZE     4096ULL

#define FAIL(...) do { mc_snprintf(err, errlen, __VA_ARGS__); return false; } while (0)

static bool add_overflows(u64 a, u64 b)
{
	return a + b < a;
}

static const struct elf64_phdr *phdr(const void *file, const struct elf64_ehdr *eh, unsigned i)
{
	return (const struct elf64_phdr *)((const u8 *)file + eh->e_phoff + (u64)i * eh->e_phentsize);
}

/* Find the RELA table through PT_DYNAMIC; its address is a vaddr, which we
 * translate to a file offset through the PT_LOAD that contains it. */
static bool vaddr_to_offset(const void *file, const struct elf64_ehdr *eh, u64 vaddr, u64 len, u64 *off)
{
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = phdr(file, eh, i);
		if (p->p_type != PT_LOAD)
			continue;
		if (vaddr >= p->p_vaddr && !add_overflows(vaddr, len) && vaddr + len <= p->p_vaddr + p->p_filesz) {
			*off = p->p_offset + (vaddr - p->p_vaddr);
			return true;
		}
	}
	return false;
}

static bool find_rela(const void *file, size_t size, const struct elf64_ehdr *eh,
		      u64 *rela_off, u64 *count, char *err, size_t errlen)
{
	*count = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = phdr(file, eh, i);
		if (p->p_type != PT_DYNAMIC)
			continue;
		if (p->p_filesz % sizeof(struct elf64_dyn) || add_overflows(p->p_offset, p->p_filesz) ||
		    p->p_offset + p->p_filesz > size || p->p_offset % 8)
			FAIL("PT_DYNAMIC out of bounds (offset 0x%llx size 0x%llx)",
			     (unsigned long long)p->p_offset, (unsigned long long)p->p_filesz);
		const struct elf64_dyn *d = (const void *)((const u8 *)file + p->p_offset);
		u64 n = p->p_filesz / sizeof(*d), rela = 0, relasz = 0, relaent = sizeof(struct elf64_rela);
		bool have_rela = false;
		for (u64 k = 0; k < n && d[k].d_tag != DT_NULL; k++) {
			if (d[k].d_tag == DT_RELA) {
				rela = d[k].d_val;
				have_rela = true;
			} else if (d[k].d_tag == DT_RELASZ) {
				relasz = d[k].d_val;
			} else if (d[k].d_tag == DT_RELAENT) {
				relaent = d[k].d_val;
			}
		}
		if (!have_rela)
			return true;
		if (relaent != sizeof(struct elf64_rela) || relasz % relaent)
			FAIL("relocation table malformed (DT_RELAENT %llu, DT_RELASZ %llu)",
			     (unsigned long long)relaent, (unsigned long long)relasz);
		if (!vaddr_to_offset(file, eh, rela, relasz, rela_off) || *rela_off % 8)
			FAIL("relocation table at vaddr 0x%llx is outside the file's loaded data",
			     (unsigned long long)rela);
		*count = relasz / relaent;
	}
	return true;
}

bool mc_elf_validate(const void *file, size_t size, struct mc_elf_plan *plan, char *err, size_t errlen)
{
	const struct elf64_ehdr *eh = file;

	if (size < sizeof(*eh))
		FAIL("truncated: %zu bytes, shorter than an ELF header (64)", size);
	if (eh->e_ident[0] != 0x7f || eh->e_ident[1] != 'E' || eh->e_ident[2] != 'L' || eh->e_ident[3] != 'F')
		FAIL("not an ELF file (bad magic %02x %02x %02x %02x)",
		     eh->e_ident[0], eh->e_ident[1], eh->e_ident[2], eh->e_ident[3]);
	if (eh->e_ident[4] != 2)
		FAIL("ELF class %u, expected 2 (64-bit)", eh->e_ident[4]);
	if (eh->e_ident[5] != 1)
		FAIL("ELF data encoding %u, expected 1 (little-endian)", eh->e_ident[5]);
	if (eh->e_machine != EM_X86_64)
		FAIL("machine %u, expected %u (x86-64)", eh->e_machine, EM_X86_64);
	if (eh->e_type != ET_DYN)
		FAIL("type %u, expected ET_DYN (a position-independent kernel)", eh->e_type);
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		FAIL("program header size %u, expected %u", eh->e_phentsize, (unsigned)sizeof(struct elf64_phdr));
	if (!eh->e_phnum || eh->e_phoff % 8 || add_overflows(eh->e_phoff, (u64)eh->e_phnum * sizeof(struct elf64_phdr)) ||
	    eh->e_phoff + (u64)eh->e_phnum * sizeof(struct elf64_phdr) > size)
		FAIL("program headers out of bounds (%u at offset 0x%llx, file is %zu bytes): truncated?",
		     eh->e_phnum, (unsigned long long)eh->e_phoff, size);

	u64 lo = ~0ULL, hi = 0;
	bool entry_ok = false;
	plan->nload = 0;
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = phdr(file, eh, i);
		if (p->p_type != PT_LOAD)
			continue;
		plan->nload++;
		if (p->p_filesz > p->p_memsz)
			FAIL("segment %u: p_filesz 0x%llx > p_memsz 0x%llx", i,
			     (unsigned long long)p->p_filesz, (unsigned long long)p->p_memsz);
		if (add_overflows(p->p_offset, p->p_filesz) || p->p_offset + p->p_filesz > size)
			FAIL("segment %u: file bytes 0x%llx+0x%llx beyond the end of the file (%zu bytes): truncated?",
			     i, (unsigned long long)p->p_offset, (unsigned long long)p->p_filesz, size);
		/* The end, rounded up to a page below, must not wrap past 2^64
		 * either: a span of 0 would load nothing (found by fuzz_elf). */
		if (add_overflows(p->p_vaddr, p->p_memsz) || p->p_memsz > MC_ELF_MAX_SPAN ||
		    p->p_vaddr + p->p_memsz > ~0ULL - (PAGE_SIZE - 1))
			FAIL("segment %u: vaddr 0x%llx size 0x%llx overflows", i,
			     (unsigned long long)p->p_vaddr, (unsigned long long)p->p_memsz);
		for (unsigned j = 0; j < i; j++) {
			const struct elf64_phdr *q = phdr(file, eh, j);
			if (q->p_type == PT_LOAD && p->p_vaddr < q->p_vaddr + q->p_memsz &&
			    q->p_vaddr < p->p_vaddr + p->p_memsz)
				FAIL("segments %u and %u overlap (0x%llx+0x%llx, 0x%llx+0x%llx)", j, i,
				     (unsigned long long)q->p_vaddr, (unsigned long long)q->p_memsz,
				     (unsigned long long)p->p_vaddr, (unsigned long long)p->p_memsz);
		}
		if (p->p_vaddr < lo)
			lo = p->p_vaddr;
		if (p->p_vaddr + p->p_memsz > hi)
			hi = p->p_vaddr + p->p_memsz;
		if ((p->p_flags & PF_X) && eh->e_entry >= p->p_vaddr && eh->e_entry < p->p_vaddr + p->p_memsz)
			entry_ok = true;
	}
	if (!plan->nload)
		FAIL("no loadable segment");
	lo &= ~(PAGE_SIZE - 1);
	hi = (hi + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (hi - lo > MC_ELF_MAX_SPAN)
		FAIL("image spans 0x%llx bytes, more than 0x%llx", (unsigned long long)(hi - lo),
		     (unsigned long long)MC_ELF_MAX_SPAN);
	if (!entry_ok)
		FAIL("entry point 0x%llx is not inside an executable loaded segment",
		     (unsigned long long)eh->e_entry);

	u64 rela_off = 0, nrela = 0;
	if (!find_rela(file, size, eh, &rela_off, &nrela, err, errlen))
		return false;
	const struct elf64_rela *r = (const void *)((const u8 *)file + rela_off);
	for (u64 k = 0; k < nrela; k++) {
		u32 type = (u32)r[k].r_info;
		if (type == R_X86_64_NONE)
			continue;
		if (type != R_X86_64_RELATIVE)
			FAIL("relocation %llu has type %u; only R_X86_64_RELATIVE is supported",
			     (unsigned long long)k, type);
		if (r[k].r_offset < lo || r[k].r_offset + 8 > hi || r[k].r_offset + 8 < r[k].r_offset)
			FAIL("relocation %llu patches 0x%llx, outside the image", (unsigned long long)k,
			     (unsigned long long)r[k].r_offset);
	}
	plan->vaddr_min = lo;
	plan->span = hi - lo;
	plan->entry_offset = eh->e_entry - lo;
	plan->nrela = (u32)nrela;
	return true;
}

bool mc_elf_load(const void *file, size_t size, const struct mc_elf_plan *plan, void *dest,
		 u64 load_base, char *err, size_t errlen)
{
	const struct elf64_ehdr *eh = file;
	u8 *d = dest;

	mc_memset(d, 0, plan->span);     /* .bss and gaps */
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = phdr(file, eh, i);
		if (p->p_type == PT_LOAD)
			mc_memcpy(d + (p->p_vaddr - plan->vaddr_min), (const u8 *)file + p->p_offset, p->p_filesz);
	}
	u64 rela_off = 0, nrela = 0;
	if (!find_rela(file, size, eh, &rela_off, &nrela, err, errlen))
		return false;
	const struct elf64_rela *r = (const void *)((const u8 *)file + rela_off);
	u64 delta = load_base - plan->vaddr_min;
	for (u64 k = 0; k < nrela; k++) {
		if ((u32)r[k].r_info != R_X86_64_RELATIVE)
			continue;
		u64 v = load_base + ((u64)r[k].r_addend - plan->vaddr_min);
		mc_memcpy(d + (r[k].r_offset - plan->vaddr_min), &v, 8);
	}
	(void)delta;
	return true;
}
