/* lifecycle: the Intel seed's page life cycle (section 7) on one page of
 * test memory, through the platform's memory port:
 *   AddPage  (7.4): program the KeyID's key, map the page with it, zero the
 *            page through that mapping (the zeroes flushed to DRAM before
 *            the page is handed over);
 *   EvictPage(7.5): unmap, invalidate the TLB, map with the old KeyID and
 *            flush its dirty lines (CLFLUSH, step 1d);
 *   Paging example (7.6): evict the page from VM2 (KeyID 2), keep a swap
 *            copy through KeyID 2 in VMM memory (KeyID 0), add it to VM3
 *            (KeyID 3).
 * Afterwards VM3 must read AddPage's zeroes and exactly what it wrote
 * (its data in the upper half of the page), and nothing of VM2's
 * plaintext is readable through KeyID 3. The model's write-back cache is
 * tagged by KeyID (lib/model/engine.c), so a run that skips EvictPage's
 * flush leaves VM2's dirty lines to be written back over VM3's page at the
 * next WBINVD ("aliasing overwrite/data corruption", 7.5 1d): the negative
 * control runs that flow and shows the same check catches it. */
#include "kernel/ksuite.h"
#include "kernel/platform_smp.h"
#include "lib/model/model.h"
#include "lib/fmt.h"
#include "lib/mem.h"

#define PAGE      4096
#define LINE      64
#define VM2_KEYID 2
#define VM3_KEYID 3
#define RECENT    (8 * LINE)    /* VM2's last writes, still dirty in the cache */

struct lc {
	struct kmk m;
	const struct mc_platform *p;
	u64 page;
	u8 vm2[PAGE], vm3[PAGE], swap[PAGE], view[PAGE], zero[PAGE];
};

struct outcome {
	int  err;                   /* memory port or PCONFIG failure (0 = none) */
	bool swap_ok;               /* the swap copy is VM2's last content */
	u32  lines_bad;             /* lines of VM3's page that are not VM3's data */
	u32  lines_vm2;             /* lines readable through KeyID 3 that are VM2's plaintext */
	bool raw_vm2;               /* VM2 plaintext found in DRAM */
};

static bool add_page(struct lc *l, u32 keyid, struct outcome *o)
{
	u8 key[64];
	u32 alg = l->m.algs[0];
	size_t half = mktme_key_half(alg);
	struct kpc_result r;

	/* 7.4 step 1 (and 3: PCONFIG completed successfully). */
	if (!ksuite_random_key(l->p, key, 2 * half)) {
		o->err = MC_PLAT_ENOSYS;
		return false;
	}
	kpc_program(&l->m, (u16)keyid, MKTME_KEYID_SET_KEY_DIRECT, alg, key, key + half, &r);
	mc_wipe(key, sizeof(key));
	if (!kpc_ok(&r)) {
		o->err = r.fault ? r.fault : MC_PLAT_EINVAL;
		return false;
	}
	/* Steps 2 and 4: map with the new KeyID (the tagged address) and zero
	 * through it, line by line, each line flushed as it is written. */
	u64 t = kmk_pa(&l->m, l->page, keyid);
	for (u32 off = 0; off < PAGE; off += LINE) {
		if ((o->err = l->p->mem_write(l->p->ctx, t + off, l->zero, LINE)))
			return false;
		l->p->clflush(l->p->ctx, t + off);
	}
	return true;
}

/* 7.5 step 1: a) and b) are the unmapping and TLB invalidation the memory
 * port does for every access (a fresh window mapping, INVLPG); c) the old
 * KeyID's mapping; d) flush its dirty lines, or not (negative control). */
static void evict_page(struct lc *l, u32 keyid, bool flush)
{
	if (flush)
		kflush(l->p, kmk_pa(&l->m, l->page, keyid), PAGE);
}

static void move_page(struct lc *l, bool flush, struct outcome *o)
{
	const struct mc_platform *p = l->p;
	u64 t2 = kmk_pa(&l->m, l->page, VM2_KEYID), t3 = kmk_pa(&l->m, l->page, VM3_KEYID);

	mc_memset(o, 0, sizeof(*o));
	/* VM2 owns the page: AddPage, its data written back, then its latest
	 * writes still in the cache. */
	if (!add_page(l, VM2_KEYID, o))
		return;
	ksuite_pattern(l->vm2, PAGE, 2);
	if ((o->err = p->mem_write(p->ctx, t2, l->vm2, PAGE)))
		return;
	kwbinvd_all(&l->m);             /* on every package (seed 7.5 note) */
	ksuite_pattern(l->vm2, RECENT, 22);
	if ((o->err = p->mem_write(p->ctx, t2, l->vm2, RECENT)))
		return;

	/* 7.6 step 1: EvictPage from VM2. Step 2: swap copy through KeyID 2
	 * into VMM memory (KeyID 0: an ordinary buffer here). */
	evict_page(l, VM2_KEYID, flush);
	if ((o->err = p->mem_read(p->ctx, t2, l->swap, PAGE)))
		return;
	o->swap_ok = !mc_memcmp(l->swap, l->vm2, PAGE);

	/* Step 3: AddPage to VM3, which then writes the upper half of the page
	 * and flushes it; the lower half stays as AddPage left it (zero). */
	if (!add_page(l, VM3_KEYID, o))
		return;
	mc_memset(l->vm3, 0, PAGE / 2);
	ksuite_pattern(l->vm3 + PAGE / 2, PAGE / 2, 3);
	if ((o->err = p->mem_write(p->ctx, t3 + PAGE / 2, l->vm3 + PAGE / 2, PAGE / 2)))
		return;
	kflush(p, t3 + PAGE / 2, PAGE / 2);

	/* Later, the caches are written back (another WBINVD on every
	 * package, evictions). */
	if (kwbinvd_all(&l->m) != kpc_packages(&l->m))
		o->err = MC_PLAT_ENOSYS;
	if ((o->err = p->mem_read(p->ctx, t3, l->view, PAGE)))
		return;
	for (u32 off = 0; off < PAGE; off += LINE) {
		o->lines_bad += mc_memcmp(l->view + off, l->vm3 + off, LINE) != 0;
		o->lines_vm2 += !mc_memcmp(l->view + off, l->vm2 + off, LINE);
	}
	if (!(o->err = p->mem_raw_read(p->ctx, l->page, l->view, PAGE)))
		for (u32 off = 0; off < PAGE; off += LINE)
			o->raw_vm2 |= !mc_memcmp(l->view + off, l->vm2 + off, LINE);
}

void suite_shootdown(struct kernel_ctx *k);
void suite_lifecycle(struct kernel_ctx *k);
void suite_lifecycle(struct kernel_ctx *k)
{
	static struct lc l;
	struct outcome o;
	struct kpc_result r;

	/* 7.5 1b across CPUs: about TLBs, so whatever MKTME says. */
	suite_shootdown(k);
	if (!kmk_get(k, "lifecycle.move", &l.m))
		return;
	if (l.m.nkeyids < VM3_KEYID) {
		mc_report(k->res, MC_SKIP, "lifecycle.move", "only %u KeyIDs usable: the seed's example needs KeyIDs 2 and 3",
			  l.m.nkeyids);
		return;
	}
	l.p = &k->plat;
	l.page = ktest_page(k, 4);
	if (!l.page) {
		mc_report(k->res, MC_FAIL, "lifecycle.move", "no test memory (scratch exhausted)");
		return;
	}

	move_page(&l, true, &o);
	if (o.err) {
		mc_report(k->res, MC_FAIL, "lifecycle.move", "the flow stopped: %s (vector/status %d)", mc_fault_name(o.err), o.err);
	} else {
		mc_report_check(k->res, o.swap_ok, "lifecycle.swap",
				"EvictPage from VM2 (KeyID %d, CLFLUSH of its lines), then the swap copy read through KeyID %d is VM2's last content (Intel seed 7.5, 7.6 step 2)",
				VM2_KEYID, VM2_KEYID);
		mc_report_check(k->res, o.lines_bad == 0, "lifecycle.move",
				"page at 0x%llx moved from VM2 (KeyID %d) to VM3 (KeyID %d) by EvictPage + AddPage: after a later WBINVD VM3 reads AddPage's zeroes and its own data on %u of 64 lines (expected 64)",
				(unsigned long long)l.page, VM2_KEYID, VM3_KEYID, 64 - o.lines_bad);
		mc_report_check(k->res, o.lines_vm2 == 0 && !o.raw_vm2, "lifecycle.no_leak",
				"no line of VM2's plaintext readable through KeyID %d (%u found) nor stored in DRAM (%s)", VM3_KEYID,
				o.lines_vm2, o.raw_vm2 ? "found" : "none");
	}

	/* Negative control: the same flow without EvictPage's flush. Only the
	 * model's cache is deterministic enough to make it fail on purpose. */
	if (!k->on_model) {
		mc_report(k->res, MC_SKIP, "lifecycle.negative_control",
			  "hardware caches are not deterministic: skipping a flush proves nothing either way");
	} else {
		move_page(&l, false, &o);
		mc_report_check(k->res, !o.err && o.lines_bad > 0, "lifecycle.negative_control",
				"a test that the check can fail: without EvictPage's CLFLUSH, VM2's dirty KeyID %d lines are written back over VM3's page (on eviction or WBINVD), and the check finds %u of 64 lines of VM3's page corrupted",
				VM2_KEYID, o.lines_bad);
	}

	/* Who flushed: the model's own record of WBINVD per package. */
	void *st = kmodel_state();
	if (k->on_model && st) {
		u32 pkgs = kpc_packages(&l.m), miss = 0;
		char who[120];
		size_t n = 0;
		for (u32 pk = 0; pk < pkgs; pk++) {
			struct mc_model_pkg_log lg;
			if (mc_model_pkg_log(st, pk, &lg) || !lg.wbinvd_count)
				miss++;
			else if (n + 24 < sizeof(who))
				n += (size_t)mc_snprintf(who + n, sizeof(who) - n, "%s%u:%u(x%u)", n ? " " : "", pk, lg.wbinvd_last_cpu,
							 lg.wbinvd_count);
		}
		who[n] = 0;
		mc_report_check(k->res, !miss, "lifecycle.wbinvd",
				"WBINVD executed on %u of %u package(s), by the model's record package:last CPU(count): %s (seed 7.5 note: on each socket)",
				pkgs - miss, pkgs, n ? who : "none");
	}

	kpc_program(&l.m, VM2_KEYID, MKTME_KEYID_CLEAR_KEY, l.m.algs[0], NULL, NULL, &r);
	kpc_program(&l.m, VM3_KEYID, MKTME_KEYID_CLEAR_KEY, l.m.algs[0], NULL, NULL, &r);
	mc_wipe(l.vm2, sizeof(l.vm2));
	mc_wipe(l.swap, sizeof(l.swap));
}
