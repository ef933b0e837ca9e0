/* The kernel's own identity map: every range of the memory map (RAM far
 * above 4 GiB included; not the boot stack's guard page), the framebuffer, with the largest pages alignment
 * allows, built by arch/x86/paging.c from the scratch pages, audited by the
 * independent walker (arch/x86/pagewalk.c) before CR3 is switched. The
 * tables use KeyID 0 / no C-bit: the KeyID-tagged tables are the paging
 * suite's business (issue 7), not the boot path's. */
#include "kernel/kernel.h"
#include "kernel/paging_setup.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/pagewalk.h"
#include "lib/fmt.h"

static void *alloc_table(void *arg)
{
	return kalloc_pages(1);
}

static void free_table(void *arg, void *page)
{
	kfree_page(page);
}

static u64 virt_to_phys(void *arg, const void *p)
{
	return (u64)(uintptr_t)p;
}

static void *phys_to_virt(void *arg, u64 pa)
{
	return (void *)(uintptr_t)pa;
}

static int read_identity(void *arg, u64 pa, u64 *val)
{
	*val = *(const volatile u64 *)(uintptr_t)pa;
	return 0;
}

unsigned int kernel_max_pa(void)
{
	struct cpuid_regs r;
	x86_cpuid(0x80000000, 0, &r);
	if (r.eax < 0x80000008)
		return 36;   /* SDM: without leaf 0x80000008, MAXPHYADDR is 36 */
	x86_cpuid(0x80000008, 0, &r);
	return r.eax & 0xff;
}

/* Map [base, base+size) unless already mapped; pieces already present
 * (a framebuffer inside an MMIO range of the map) are skipped page by page. */
static int map_range(struct pt *pt, u64 base, u64 size, u64 flags)
{
	int e = pt_map(pt, base, base, size, flags, 0, PT_SIZE_1G);
	if (e != PT_EEXIST)
		return e;
	for (u64 off = 0; off < size; off += PT_SIZE_4K) {
		e = pt_map(pt, base + off, base + off, PT_SIZE_4K, flags, 0, PT_SIZE_4K);
		if (e && e != PT_EEXIST)
			return e;
	}
	return 0;
}

extern u8 kernel_stack_guard[];

u64 kernel_stack_guard_base(void)
{
	return (u64)(uintptr_t)kernel_stack_guard;
}

/* A range, without the guard page where it holds it. */
static int map_range_guarded(struct pt *pt, u64 base, u64 size, u64 flags)
{
	u64 g = kernel_stack_guard_base(), ge = g + KERNEL_STACK_GUARD_BYTES;
	if (ge <= base || g >= base + size)
		return map_range(pt, base, size, flags);
	int e = g > base ? map_range(pt, base, g - base, flags) : 0;
	if (!e && base + size > ge)
		e = map_range(pt, ge, base + size - ge, flags);
	return e;
}

int kernel_identity_map(struct kernel_ctx *k, struct pt *pt, const struct pt_encoding *enc, u32 table_keyid,
			const struct pt_env *env, int levels, char *why, size_t whylen)
{
	struct mc_handoff *h = k->handoff;
	const struct mc_mem_range *mm = (const void *)(uintptr_t)h->memmap;
	int e = pt_init(pt, levels, enc, table_keyid, env);

	if (e)
		mc_snprintf(why, whylen, "root table: %s", pt_strerror(e));
	for (u32 i = 0; !e && i < h->memmap_count; i++) {
		u64 flags = PTE_RW;
		if (mm[i].type == MC_MEM_MMIO)
			flags |= PTE_PCD | PTE_PWT;
		if (mm[i].pages)
			e = map_range_guarded(pt, mm[i].base, mm[i].pages * PT_SIZE_4K, flags);
		if (e)
			mc_snprintf(why, whylen, "memory range %u (0x%llx, %llu pages): %s", i,
				    (unsigned long long)mm[i].base, (unsigned long long)mm[i].pages, pt_strerror(e));
	}
	if (!e && h->fb.format != MC_FB_NONE) {
		u64 base = h->fb.base & ~(PT_SIZE_4K - 1);
		u64 size = ((h->fb.base + h->fb.size + PT_SIZE_4K - 1) & ~(PT_SIZE_4K - 1)) - base;
		e = map_range(pt, base, size, PTE_RW | PTE_PWT);
		if (e)
			mc_snprintf(why, whylen, "the framebuffer: %s", pt_strerror(e));
	}
	return e;
}

int kernel_paging_levels(void)
{
	return (read_cr4() & X86_CR4_LA57) ? 5 : 4;
}

bool kernel_paging_setup(struct kernel_ctx *k, struct kernel_paging *out)
{
	struct pt_env env = { alloc_table, free_table, virt_to_phys, phys_to_virt, 0 };
	unsigned int max_pa = kernel_max_pa();
	int levels = kernel_paging_levels();
	char why[160];
	int e = pt_encoding_plain(&out->enc, max_pa);

	if (e)
		mc_snprintf(why, sizeof(why), "MAXPHYADDR %u: %s", max_pa, pt_strerror(e));
	else
		e = kernel_identity_map(k, &out->pt, &out->enc, 0, &env, levels, why, sizeof(why));
	if (e) {
		mc_report(k->res, MC_FAIL, "boot.paging", "building the identity map: %s", why);
		return false;
	}

	struct pt_walker w = { &out->enc, levels, true, read_identity, 0 };
	struct pt_audit_spec spec = { 0, 0, 0 };
	struct pt_audit_report rep;
	if (pt_audit(&w, pt_cr3(&out->pt), &spec, &rep)) {
		pt_audit_describe(&rep, why, sizeof(why));
		mc_report(k->res, MC_FAIL, "boot.paging", "own identity map fails the walker's audit: %s", why);
		return false;
	}
	write_cr3(pt_cr3(&out->pt));
	mc_report(k->res, MC_PASS, "boot.paging",
		  "own %d-level identity map in use (MAXPHYADDR %u): %llu x 1G, %llu x 2M, %llu x 4K pages, %llu table pages, audited",
		  levels, max_pa, (unsigned long long)rep.leaves_1g, (unsigned long long)rep.leaves_2m,
		  (unsigned long long)rep.leaves_4k, (unsigned long long)rep.tables);
	return true;
}
