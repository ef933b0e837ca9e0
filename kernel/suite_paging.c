/* paging: page tables that carry the KeyID (Intel seed 5.1, 5.1.1) or the
 * C-bit (AMD seed, "SME - technical details") at every level and in CR3,
 * built with arch/x86/paging.c and checked by the independent walker and
 * auditor (arch/x86/pagewalk.c): 4-level and 5-level (LA57) tables, 4 KiB,
 * 2 MiB and 1 GiB pages, each translating to the intended address and tag,
 * with no tag bit leaking into an address.
 *
 * Where the tag sits comes from the facts: MAX_PA (CPUID 0x80000008) and
 * the activated KeyID bits (IA32_TME_ACTIVATE[35:32]) on Intel, CPUID
 * 0x8000001F EBX on AMD. QEMU's MAXPHYADDR is 40, not the profile's 46/52
 * (FACTS.md), so the KeyID-tagged tables are built in kernel memory and
 * walked in software; on the model a second set is written into the
 * simulated DRAM through the table KeyID's key and walked through the
 * memory engine (pt_walk_read_platform), the way the processor fetches
 * table entries with the KeyID of CR3 / the parent entry. */
#include "kernel/ksuite.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/pagewalk.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "kernel/paging_setup.h"

#define POOL_PAGES   24
#define MODEL_TABLES 0x300000ULL    /* model DRAM for the engine-walked tables */

struct region {
	const char *what;
	u64 va, pa, size, page;
	u32 keyid;
};

struct layout {
	const struct pt_encoding *enc;
	struct region r[4];
	u32 n;
	u32 table_keyid;
	const char *tag;            /* "KeyID" or "C-bit" */
};

/* Tables in kernel memory: strip the tag, read through the identity map. */
static int read_kernel(void *arg, u64 tagged_pa, u64 *val)
{
	const struct pt_encoding *enc = arg;
	*val = *(const volatile u64 *)(uintptr_t)(tagged_pa & ~enc->tag_mask);
	return 0;
}

static bool leaf_keyid(void *arg, u64 va, u64 size, u32 *keyid)
{
	const struct layout *l = arg;
	for (u32 i = 0; i < l->n; i++)
		if (va >= l->r[i].va && va + size <= l->r[i].va + l->r[i].size) {
			*keyid = l->r[i].keyid;
			return true;
		}
	return false;
}

static bool expect_keyid1(void *arg, u64 va, u64 size, u32 *keyid)
{
	*keyid = 1;
	return true;
}

static int build(struct pt *pt, struct ktables *pool, int levels, const struct layout *l)
{
	struct pt_env env;
	ktables_env(pool, &env);
	int e = pt_init(pt, levels, l->enc, l->table_keyid, &env);
	for (u32 i = 0; !e && i < l->n; i++)
		e = pt_map(pt, l->r[i].va, l->r[i].pa, l->r[i].size, PTE_RW | PTE_NX, l->r[i].keyid, l->r[i].page);
	return e;
}

/* Every page of every region, at its first, middle and last quadword. */
static bool walk_all(const struct pt_walker *w, u64 cr3, const struct layout *l, char *why, size_t size, u32 *walks)
{
	const struct pt_encoding *enc = l->enc;
	for (u32 i = 0; i < l->n; i++) {
		const struct region *r = &l->r[i];
		for (u64 off = 0; off < r->size; off += r->page) {
			const u64 offs[3] = { 0, r->page / 2 + 8, r->page - 8 };
			for (int j = 0; j < 3; j++) {
				struct pt_walk_result res;
				u64 va = r->va + off + offs[j], want = r->pa + off + offs[j];
				int f = pt_walk(w, cr3, va, &res);
				u64 leaf_tag = (res.entry & enc->tag_mask) >> enc->keyid_shift;
				(*walks)++;
				if (f || res.pa != want || res.keyid != r->keyid || res.page_size != r->page ||
				    (res.pa & enc->tag_mask) || res.pa >> enc->addr_bits || leaf_tag != r->keyid) {
					mc_snprintf(why, size, "%s va 0x%llx: %s, pa 0x%llx (want 0x%llx), %s %u (want %u), page 0x%llx",
						    r->what, (unsigned long long)va, pt_fault_name(f),
						    (unsigned long long)res.pa, (unsigned long long)want, l->tag, res.keyid,
						    r->keyid, (unsigned long long)res.page_size);
					return false;
				}
			}
		}
	}
	return true;
}

static void kernel_tables(struct kernel_ctx *k, int levels, struct layout *l)
{
	static struct ktables pool;
	struct pt pt;
	char why[200], id[24];
	u32 walks = 0;

	mc_snprintf(id, sizeof(id), "paging.level%d", levels);
	if (!ktables_reset(&pool, POOL_PAGES)) {
		mc_report(k->res, MC_FAIL, id, "no memory for the tables");
		return;
	}
	int e = build(&pt, &pool, levels, l);
	if (e) {
		mc_report(k->res, MC_FAIL, id, "building %d-level tables: %s", levels, pt_strerror(e));
		return;
	}
	struct pt_walker w = { l->enc, levels, true, read_kernel, (void *)l->enc };
	u64 cr3 = pt_cr3(&pt);
	bool cr3_ok = ((cr3 & l->enc->tag_mask) >> l->enc->keyid_shift) == l->table_keyid;
	bool ok = walk_all(&w, cr3, l, why, sizeof(why), &walks);
	struct pt_audit_spec spec = { l->table_keyid, leaf_keyid, l };
	struct pt_audit_report rep;
	if (ok && pt_audit(&w, cr3, &spec, &rep)) {
		pt_audit_describe(&rep, why, sizeof(why));
		ok = false;
	}
	if (ok && !cr3_ok)
		mc_snprintf(why, sizeof(why), "CR3 0x%llx does not carry table %s %u", (unsigned long long)cr3, l->tag,
			    l->table_keyid);
	if (!ok || !cr3_ok) {
		mc_report(k->res, MC_FAIL, id, "%d-level tables: %s", levels, why);
		return;
	}
	mc_report(k->res, MC_PASS, id,
		  "%d-level: %s %u in CR3 0x%llx and all %llu tables; 4K/2M/1G leaves with %s %u/%u/%u%s: %u walks exact, no tag bit leaks, audit clean",
		  levels, l->tag, l->table_keyid, (unsigned long long)cr3, (unsigned long long)rep.tables, l->tag,
		  l->r[0].keyid, l->r[1].keyid, l->r[2].keyid, l->n > 3 ? " + a 4K page above 2^48" : "", walks);

	if (levels == 4) {
		/* The audit must be able to fail: demand one tag everywhere. */
		struct pt_audit_spec wrong = { l->table_keyid, expect_keyid1, 0 };
		int f = pt_audit(&w, cr3, &wrong, &rep);
		mc_report_check(k->res, f == PT_FAULT_LEAF_KEYID, "paging.audit_negative",
				"audit told every leaf should carry %s 1 reports %s at va 0x%llx (expected leaf KeyID mismatch)",
				l->tag, pt_fault_name(f), (unsigned long long)rep.va);
	}
}

/* The same layout written into the model's DRAM through the table tag's
 * key, walked through the engine. */
static void model_tables(struct kernel_ctx *k, struct layout *l, bool intel)
{
	static struct ktables pool;
	struct mc_results *res = k->res;
	const struct mc_platform *p = &k->plat;
	struct pt pt;
	struct kmk m;
	struct kpc_result r = { 0 };
	char why[200];
	u32 walks = 0;
	u64 first = 0;
	u8 raw[64];

	if (!ktables_reset(&pool, POOL_PAGES)) {
		mc_report(res, MC_FAIL, "paging.model_walk", "no memory for the tables");
		return;
	}
	pool.base_pa = MODEL_TABLES;   /* the tables' addresses are in the model's DRAM */
	if (intel) {
		/* The table KeyID gets its own direct key (Table 6-5). */
		u8 key[64];
		kmk_get(k, "paging.model_walk", &m);
		size_t half = mktme_key_half(m.algs[0]);
		if (ksuite_random_key(p, key, 2 * half))
			kpc_program(&m, (u16)l->table_keyid, MKTME_KEYID_SET_KEY_DIRECT, m.algs[0], key, key + half, &r);
		else
			r.fault = MC_PLAT_ENOSYS;
		mc_wipe(key, sizeof(key));
		if (!kpc_ok(&r)) {
			char got[80];
			mc_report(res, MC_FAIL, "paging.model_walk", "programming table KeyID %u: %s", l->table_keyid,
				  kpc_describe(&r, got, sizeof(got)));
			return;
		}
	}
	int e = build(&pt, &pool, 4, l);
	if (e) {
		mc_report(res, MC_FAIL, "paging.model_walk", "building the tables: %s", pt_strerror(e));
		return;
	}
	/* Each table page into DRAM through the table tag, flushed. */
	for (u32 i = 0; !e && i < pool.used; i++) {
		u64 t;
		e = pt_keyid_pa(l->enc, MODEL_TABLES + (u64)i * 4096, l->table_keyid, &t);
		if (!e)
			e = p->mem_write(p->ctx, t, pool.block + (u64)i * 4096, 4096);
		if (!e)
			kflush(p, t, 4096);
		if (!i)
			first = t;
	}
	if (e || p->mem_raw_read(p->ctx, first, raw, sizeof(raw))) {
		mc_report(res, MC_FAIL, "paging.model_walk", "writing the tables into the model's DRAM failed (%d)", e);
		return;
	}
	bool cipher = mc_memcmp(raw, pool.block, sizeof(raw)) != 0;
	struct pt_walker w = { l->enc, 4, true, pt_walk_read_platform, (void *)p };
	bool ok = walk_all(&w, pt_cr3(&pt), l, why, sizeof(why), &walks);
	if (ok)
		mc_report_check(res, cipher, "paging.model_walk",
				"%u table pages in the model's DRAM at 0x%llx under table %s %u (stored as ciphertext: %s); %u walks through the engine from CR3 0x%llx hit the intended PA and %s",
				pool.used, (unsigned long long)MODEL_TABLES, l->tag, l->table_keyid, cipher ? "yes" : "no", walks,
				(unsigned long long)pt_cr3(&pt), l->tag);
	else
		mc_report(res, MC_FAIL, "paging.model_walk", "walk through the engine: %s", why);
	if (intel)
		kpc_program(&m, (u16)l->table_keyid, MKTME_KEYID_CLEAR_KEY, m.algs[0], NULL, NULL, &r);
}

void paging_hw_switch(struct kernel_ctx *k, const struct pt_encoding *enc, u32 table_keyid, bool intel);
/* No tag here: on hardware the CR3-switch mechanics still run untagged
 * (paging.cr3_switch) and the tagged switch is a SKIP with the reason. */
static void untagged_switch(struct kernel_ctx *k)
{
	static struct pt_encoding plain;
	if (k->on_model || pt_encoding_plain(&plain, kernel_max_pa()))
		return;
	mc_report(k->res, MC_SKIP, "paging.hw_switch", "no KeyID or C-bit on this platform: CR3 switch tried untagged only");
	paging_hw_switch(k, &plain, 0, false);
}

void suite_paging(struct kernel_ctx *k);
void suite_paging(struct kernel_ctx *k)
{
	const struct mc_facts *f = kernel_facts();
	static struct pt_encoding enc;
	static struct layout l;
	char why[160];
	bool intel = false;
	int e;
	struct kmk m = { 0 };

	if (f->vendor == MC_VENDOR_AMD) {
		if (!f->sme.supported) {
			mc_report(k->res, MC_SKIP, "paging.tagged", "SME not supported (CPUID 0x8000001F EAX[0]=0 or leaf absent): no C-bit");
			untagged_switch(k);
			return;
		}
		if (!f->sme.enabled || f->sme.guest) {
			mc_report(k->res, MC_SKIP, "paging.tagged", "%s",
				  f->sme.guest ? "an SEV guest: the C-bit of its tables is the guest's business (AMD seed, SEV)" :
						 "SME not enabled (SYSCFG[23] MemEncryptionModEn=0): the C-bit has no meaning");
			return;
		}
		e = pt_encoding_amd(&enc, f->phys_bits, f->sme.enc.c_bit, f->sme.enc.reduction);
		mc_report_check(k->res, !e && enc.tag_mask == BIT_ULL(f->sme.enc.c_bit) &&
				enc.addr_bits == (u32)(f->phys_bits - f->sme.enc.reduction), "paging.tag_position",
				"C-bit %u from CPUID 0x8000001F EBX[5:0], %u address bits lost (EBX[11:6]): addresses use bits %u:0 of MAX_PA %u",
				f->sme.enc.c_bit, f->sme.enc.reduction, enc.addr_bits - 1, f->phys_bits);
		l.tag = "C-bit";
	} else {
		const char *r = kmk_unusable(f, why, sizeof(why));
		if (r) {
			mc_report(k->res, MC_SKIP, "paging.tagged", "%s", r);
			untagged_switch(k);
			return;
		}
		intel = true;
		kmk_get(k, "paging.tagged", &m);
		u32 bits = f->tme.keyid_bits;
		e = pt_encoding_intel(&enc, f->phys_bits, bits);
		mc_report_check(k->res, !e && enc.keyid_shift == (u32)(f->phys_bits - bits) &&
				enc.tag_mask == GENMASK_ULL(f->phys_bits - 1, f->phys_bits - bits) &&
				enc.max_keyid == (1u << bits) - 1, "paging.tag_position",
				"KeyID in PA bits %u:%u: MAX_PA %u (CPUID 0x80000008) minus %u activated KeyID bits (IA32_TME_ACTIVATE[35:32]); addresses use bits %u:0 (Intel seed 5.1)",
				f->phys_bits - 1, f->phys_bits - bits, f->phys_bits, bits, enc.addr_bits - 1);
		l.tag = "KeyID";
	}
	if (e)
		return;

	u32 top = enc.max_keyid, mid = top > 2 ? top / 2 : top;
	u64 high = (1ULL << enc.addr_bits) - 2 * PT_SIZE_1G;   /* the highest 1G pages the address bits reach */
	l.enc = &enc;
	/* The KeyID the CPU really walks tables with (paging.hw_switch) is one
	 * the suites may program: MKTME's, never a TDX private one. The tags
	 * the software walker checks may be any the field holds (top). */
	l.table_keyid = intel ? (m.nkeyids >= 5 ? 5 : m.nkeyids) : 1;
	l.r[0] = (struct region){ "8 x", 0x10000000ULL, 0x10000000ULL, 8 * PT_SIZE_4K, PT_SIZE_4K, 1 };
	l.r[1] = (struct region){ "4 x", 0x40000000ULL, 0x80000000ULL, 4 * PT_SIZE_2M, PT_SIZE_2M, intel ? mid : 0 };
	l.r[2] = (struct region){ "2 x", 0x8000000000ULL, high, 2 * PT_SIZE_1G, PT_SIZE_1G, top };
	l.n = 3;

	kernel_tables(k, 4, &l);
	/* 5-level: the same plus a page only LA57 reaches (va bit 48+). */
	l.r[3] = (struct region){ "1 x", 0x00ff000000000000ULL, 0x20000000ULL, PT_SIZE_4K, PT_SIZE_4K, 1 };
	l.n = 4;
	mc_report(k->res, MC_INFO, "paging.la57", "CR4.LA57=%d on this CPU: 5-level tables are built and walked in software either way",
		  !!(read_cr4() & X86_CR4_LA57));
	kernel_tables(k, 5, &l);
	l.n = 3;

	if (k->on_model) {
		model_tables(k, &l, intel);
		mc_report(k->res, MC_SKIP, "paging.hw_switch",
			  "the model's tables live in simulated DRAM the CPU cannot walk: CR3 stays on the untagged map (paging.model_walk walks them through the engine)");
	} else {
		mc_report(k->res, MC_SKIP, "paging.model_walk", "hardware: no simulated DRAM (tables walked in kernel memory above)");
		paging_hw_switch(k, &enc, l.table_keyid, intel);
	}
}
