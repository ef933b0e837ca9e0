#include "kernel/hw_mem.h"
#include "kernel/paging_setup.h"
#include "kernel/smp.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/pconfig.h"
#include "arch/x86/safe.h"
#include "lib/checks/checks.h"
#include "lib/mem.h"

u32 hw_mem_raw_keyid(const struct mc_facts *f)
{
	if (f->vendor != MC_VENDOR_INTEL || !f->tme.mktme || !f->tme.pconfig || f->tme.mktme_keyids < 4)
		return 0;
	return f->tme.mktme_keyids;
}

/* The tag geometry now in force, from the check run's facts: Intel MKTME
 * KeyID field (seed 5.1) or the AMD C-bit; plain otherwise. */
static bool encoding(struct pt_encoding *enc, u32 *raw_tag, bool *have_raw)
{
	const struct mc_facts *f = kernel_facts();
	*have_raw = false;
	if (f->vendor == MC_VENDOR_INTEL && f->tme.mktme && f->tme.keyid_bits) {
		*raw_tag = hw_mem_raw_keyid(f);  /* reserved NO_ENCRYPT KeyID */
		*have_raw = *raw_tag != 0;
		return !pt_encoding_intel(enc, f->phys_bits, f->tme.keyid_bits);
	}
	if (f->vendor == MC_VENDOR_AMD && f->sme.supported && f->sme.enabled && !f->sme.guest) {
		*raw_tag = 0;
		*have_raw = true;
		return !pt_encoding_amd(enc, f->phys_bits, f->sme.enc.c_bit, f->sme.enc.reduction);
	}
	return !pt_encoding_plain(enc, f->phys_bits ? f->phys_bits : kernel_max_pa());
}

static u32 tag_of(const struct pt_encoding *enc, u64 pa)
{
	if (!enc->tag_mask)
		return 0;
	return (u32)((pa & enc->tag_mask) >> enc->keyid_shift);
}

static u64 untag(const struct pt_encoding *enc, u64 pa)
{
	return pa & ~enc->tag_mask;
}

/* Is [pa, pa+len) RAM the memory map lists (not MMIO, not a hole)? */
static bool is_ram(struct kernel_ctx *k, u64 pa, u64 len)
{
	const struct mc_mem_range *mm = (const void *)(uintptr_t)k->handoff->memmap;
	for (u32 i = 0; i < k->handoff->memmap_count; i++) {
		u64 end = mm[i].base + mm[i].pages * 4096;
		if (pa >= mm[i].base && pa + len <= end && pa + len > pa)
			return mm[i].type != MC_MEM_MMIO && mm[i].type != MC_MEM_RESERVED;
	}
	return false;
}

/* Point the window at the page of pa (untagged) with tag. The mapping in
 * force is remembered and a request for the same page, tag and encoding
 * leaves it alone: the PTE would be rewritten with the same value. Why:
 * every remap ends in INVLPG, and under TCG an INVLPG inside a range QEMU
 * saw mapped by a large page flushes the whole TLB; the table audit of
 * paging.cr3_switch reads 8 bytes at a time, and remapping for each read
 * cost about 1.4 s of a 7 s hw-path boot. */
static struct { bool valid; u64 page, tag_mask; u32 tag; } window;

static int map_window(struct kernel_ctx *k, const struct pt_encoding *enc, u64 page, u32 tag)
{
	struct pt *pt = &k->paging->pt;
	struct pt_encoding saved = pt->enc;
	int e;

	if (window.valid && window.page == page && window.tag == tag && window.tag_mask == enc->tag_mask)
		return 0;
	window.valid = false;
	/* The identity map was built with the plain encoding; its addresses sit
	 * below every tag, so the tagged encoding describes the same tables. */
	pt->enc = *enc;
	e = pt_unmap(pt, HW_MEM_WINDOW, PT_SIZE_4K);
	if (!e)
		e = pt_map(pt, HW_MEM_WINDOW, page, PT_SIZE_4K, PTE_RW | PTE_NX, tag, PT_SIZE_4K);
	pt->enc = saved;
	invlpg((const void *)(uintptr_t)HW_MEM_WINDOW);
	if (e)
		return MC_PLAT_EINVAL;
	window.valid = true;
	window.page = page, window.tag = tag, window.tag_mask = enc->tag_mask;
	return 0;
}

/* The raw view on every package (issue 11): the reserved KeyID programmed
 * NO_ENCRYPT (Table 6-5) by a CPU of each package, since PCONFIG is package
 * scoped (seed 6.2.1, 7.4 note), and WBINVD there so dirty lines under any
 * KeyID reach DRAM first (seed 7.5 step 1d and its note: each socket). */
struct raw_prep { u32 tag; u8 *page; int err; };

static void raw_prep_here(void *arg)
{
	struct raw_prep *r = arg;
	const struct mc_facts *f = kernel_facts();
	if (f->vendor == MC_VENDOR_INTEL) {
		u64 rax;
		bool zf;
		u32 alg = f->tme.act.crypto_algs & MKTME_AES_XTS_128 ? MKTME_AES_XTS_128 : MKTME_AES_XTS_256;
		mktme_prog_build((void *)r->page, (u16)r->tag, MKTME_KEYID_NO_ENCRYPT, alg, NULL, NULL);
		int v = x86_pconfig_safe(PCONFIG_LEAF_MKTME_KEY_PROGRAM, r->page, &rax, &zf);
		if (v || rax || zf)
			r->err = MC_PLAT_ENOSYS;
	}
	wbinvd();
}

static int raw_prepare(u32 tag)
{
	static u8 *page;   /* 256-byte aligned struct (6.2.12) */
	if (!page && !(page = kalloc_pages(1)))
		return MC_PLAT_ENOSYS;
	struct raw_prep r = { tag, page, 0 };
	for (int pkg = 0; pkg < smp_packages() && !r.err; pkg++) {
		int cpu = -1;
		for (int c = 0; c < smp_cpu_count() && cpu < 0; c++)
			if (smp_cpu_up(c) && package_of(c) == pkg)
				cpu = c;
		if (cpu < 0 || on_cpu(cpu, raw_prep_here, &r))
			r.err = MC_PLAT_ENOSYS;
	}
	return r.err;
}

typedef int (*chunk_fn)(volatile u8 *win, u8 *buf, size_t len);

static int chunk_write(volatile u8 *win, u8 *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		win[i] = buf[i];
	return 0;
}

static int chunk_read(volatile u8 *win, u8 *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		u64 v;
		int f = x86_read64_safe((u64)(uintptr_t)(win + i), &v);
		if (f)
			return f;
		mc_memcpy(buf + i, &v, 8);
	}
	return 0;
}

static int access(struct kernel_ctx *k, u64 pa, void *buf, size_t len, chunk_fn fn, bool raw)
{
	struct pt_encoding enc;
	u32 raw_tag, tag;
	bool have_raw;
	u8 *b = buf;

	if (!encoding(&enc, &raw_tag, &have_raw))
		return MC_PLAT_ENOSYS;
	if (raw && !have_raw)
		return MC_PLAT_ENOSYS;
	tag = raw ? raw_tag : tag_of(&enc, pa);
	pa = untag(&enc, pa);
	if ((pa | len) & 7 || pa >> enc.addr_bits || !is_ram(k, pa, len))
		return MC_PLAT_EINVAL;
	if (raw && raw_prepare(raw_tag))
		return MC_PLAT_ENOSYS;
	while (len) {
		u64 page = pa & ~(PT_SIZE_4K - 1), off = pa - page;
		size_t n = PT_SIZE_4K - off < len ? (size_t)(PT_SIZE_4K - off) : len;
		volatile u8 *win = (volatile u8 *)(uintptr_t)(HW_MEM_WINDOW + off);
		int f = map_window(k, &enc, page, tag);
		if (!f)
			f = fn(win, b, n);
		if (!f && raw)
			for (size_t i = 0; i < n; i += 64)
				clflush(win + i);   /* leave no line of the alias behind */
		if (f)
			return f;
		b += n, pa += n, len -= n;
	}
	mfence();
	return 0;
}

static int hw_mem_write(void *arg, u64 pa, const void *buf, size_t len)
{
	return access(arg, pa, (void *)buf, len, chunk_write, false);
}

static int hw_mem_read(void *arg, u64 pa, void *buf, size_t len)
{
	return access(arg, pa, buf, len, chunk_read, false);
}

static int hw_mem_raw_read(void *arg, u64 pa, void *buf, size_t len)
{
	return access(arg, pa, buf, len, chunk_read, true);
}

static void hw_mem_clflush(void *arg, u64 pa)
{
	struct kernel_ctx *k = arg;
	struct pt_encoding enc;
	u32 raw_tag;
	bool have_raw;

	if (!encoding(&enc, &raw_tag, &have_raw))
		return;
	u64 upa = untag(&enc, pa);
	if (upa >> enc.addr_bits || !is_ram(k, upa & ~63ULL, 64))
		return;
	if (map_window(k, &enc, upa & ~(PT_SIZE_4K - 1), tag_of(&enc, pa)))
		return;
	clflush((const volatile void *)(uintptr_t)(HW_MEM_WINDOW + (upa & (PT_SIZE_4K - 1))));
	mfence();
}

void hw_mem_ops(struct kernel_ctx *k, struct hw_platform_ops *ops)
{
	ops->mem_write = hw_mem_write;
	ops->mem_read = hw_mem_read;
	ops->mem_raw_read = hw_mem_raw_read;
	ops->clflush = hw_mem_clflush;
	ops->arg = k;
}
