/* paging.hw_switch: on hardware with MKTME active (or SME enabled), the
 * kernel really runs on page tables whose every level carries a KeyID (the
 * C-bit), CR3 included (Intel seed 5.1.1; AMD seed, SME).
 *
 * A copy of the kernel's identity map is built with the table KeyID T in CR3
 * and every non-leaf entry (leaves keep KeyID 0, so data is where it was).
 * Each table page is then written to DRAM through a KeyID-T alias (the
 * memory port's window), after its KeyID-0 lines are flushed, so memory
 * holds the tables as KeyID T stores them (Intel seed 7.2/7.5: no two
 * KeyIDs' lines for one page may be left in the caches).
 *
 * The guard: before CR3 is touched, the independent walker audits the whole
 * table reading every entry through the KeyID-T alias (what the processor's
 * page walker will see). A wrong byte there is a FAIL and no switch; only a
 * table that audits clean is loaded, used for a read and a write, and CR3 is
 * put back. Nothing of this runs on the model (its tables live in simulated
 * DRAM the CPU cannot walk: see paging.model_walk) or without a tag. */
#include "kernel/ksuite.h"
#include "kernel/paging_setup.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/pagewalk.h"
#include "lib/fmt.h"
#include "lib/mem.h"

#define SWITCH_POOL_PAGES 96

/* Every leaf of the copy carries KeyID 0 (data unchanged). */
static bool leaf_keyid0(void *arg, u64 va, u64 size, u32 *keyid)
{
	*keyid = 0;
	return true;
}

static volatile u64 switch_marker = 0x6d656d6372797074ULL;   /* "memcrypt" */

/* With interrupts off: load the tagged CR3, read and write through it, and
 * restore. Returns the marker as read on the tagged tables. */
static u64 run_on(u64 cr3)
{
	u64 saved = read_cr3(), seen;
	write_cr3(cr3);
	seen = switch_marker;
	switch_marker = seen + 1;
	write_cr3(saved);
	return seen;
}

void paging_hw_switch(struct kernel_ctx *k, const struct pt_encoding *enc, u32 table_keyid, bool intel);
void paging_hw_switch(struct kernel_ctx *k, const struct pt_encoding *enc, u32 table_keyid, bool intel)
{
	/* Without a tag (no MKTME, no SME: QEMU) the same mechanics still run
	 * under their own id, with table KeyID 0: rebuild, copy through the
	 * memory port, audit through it, switch CR3 and back. */
	const char *id = enc->tag_mask ? "paging.hw_switch" : "paging.cr3_switch";
	const char *tag = !enc->tag_mask ? "no tag" : intel ? "KeyID" : "C-bit";
	static struct ktables pool;
	const struct mc_platform *p = &k->plat;
	struct pt pt;
	struct kmk m;
	struct kpc_result r = { 0 };
	char why[200];
	int levels = kernel_paging_levels();

	intel = intel && enc->tag_mask;
	if (intel) {
		/* The table KeyID gets a CPU-generated key (Table 6-5, RANDOM). */
		static const u8 no_entropy[64];
		if (!kmk_get(k, id, &m))
			return;
		kpc_program(&m, (u16)table_keyid, MKTME_KEYID_SET_KEY_RANDOM, m.algs[0], no_entropy, no_entropy, &r);
		if (!kpc_ok(&r)) {
			char got[80];
			mc_report(k->res, MC_FAIL, id, "programming table KeyID %u: %s", table_keyid,
				  kpc_describe(&r, got, sizeof(got)));
			return;
		}
	}
	if (!ktables_reset(&pool, SWITCH_POOL_PAGES)) {
		mc_report(k->res, MC_FAIL, id, "no memory for %u table pages", SWITCH_POOL_PAGES);
		goto out;
	}
	struct pt_env env;
	ktables_env(&pool, &env);
	int e = kernel_identity_map(k, &pt, enc, table_keyid, &env, levels, why, sizeof(why));
	if (e) {
		mc_report(k->res, MC_FAIL, id, "building the tagged identity map: %s", why);
		goto out;
	}

	/* Into DRAM as KeyID T stores it: flush the KeyID-0 lines the builder
	 * left, then write the page through the T alias and flush that too. */
	static u8 copy[PT_SIZE_4K];
	for (u32 i = 0; !e && i < pool.used; i++) {
		u8 *page = pool.block + (u64)i * PT_SIZE_4K;
		u64 tagged;
		mc_memcpy(copy, page, sizeof(copy));
		for (u32 off = 0; off < PT_SIZE_4K; off += 64)
			clflush(page + off);
		mfence();
		e = pt_keyid_pa(enc, (u64)(uintptr_t)page, table_keyid, &tagged) ? MC_PLAT_EINVAL : 0;
		if (!e)
			e = p->mem_write(p->ctx, tagged, copy, sizeof(copy));
		if (!e)
			kflush(p, tagged, sizeof(copy));
		if (e)
			mc_report(k->res, MC_FAIL, id, "writing table page %u (PA 0x%llx) through its %s alias failed: %s",
				  i, (unsigned long long)(uintptr_t)page, tag, mc_fault_name(e));
	}
	if (e)
		goto out;

	/* The guard: audit through the tagged alias, as the page walker reads. */
	struct pt_walker w = { enc, levels, true, pt_walk_read_platform, (void *)p };
	struct pt_audit_spec spec = { table_keyid, leaf_keyid0, 0 };
	struct pt_audit_report rep;
	u64 cr3 = pt_cr3(&pt);
	if (pt_audit(&w, cr3, &spec, &rep)) {
		pt_audit_describe(&rep, why, sizeof(why));
		mc_report(k->res, MC_FAIL, id, "tagged tables read through %s %u fail the audit, not loaded: %s",
			  tag, table_keyid, why);
		goto out;
	}
	u64 before = switch_marker;
	u64 seen = run_on(cr3);
	char what[48];
	if (enc->tag_mask)
		mc_snprintf(what, sizeof(what), "%s %u at every level", tag, table_keyid);
	else
		mc_snprintf(what, sizeof(what), "untagged (mechanics only)");
	mc_report_check(k->res, seen == before && switch_marker == before + 1, id,
			"ran on a rebuilt %d-level identity map, %s, CR3=0x%llx, %llu tables audited through the alias: "
			"read 0x%llx (expected 0x%llx), wrote",
			levels, what, (unsigned long long)cr3, (unsigned long long)rep.tables,
			(unsigned long long)seen, (unsigned long long)before);
out:
	if (intel)
		kpc_program(&m, (u16)table_keyid, MKTME_KEYID_CLEAR_KEY, m.algs[0], 0, 0, &r);
}
