/* arch/x86/paging.c and pagewalk.c: one test per seed rule, the KeyID
 * sign-extension bug class, and refused input. */
#include "tests/unit/test_paging_pool.h"
#include <inttypes.h>

struct fixture {
	struct pool pool;
	struct pt_encoding enc;
	struct pt pt;
	struct pt_walker w;
};

static int fixture_init(struct fixture *f, int levels, u32 table_keyid)
{
	pool_init(&f->pool, 256);
	struct pt_env env = pool_env(&f->pool);
	f->w = pool_walker(&f->pool, &f->enc, levels, table_keyid);
	return pt_init(&f->pt, levels, &f->enc, table_keyid, &env);
}

/* ---- Intel seed 5.1 / Table 4-2: where the KeyID sits ------------------ */

TEST(paging, intel_seed_5_1_keyid_starts_at_max_pa)
{
	struct pt_encoding e = { 0 };
	int err = pt_encoding_intel(&e, 52, 6);
	EXPECT(err == 0 && e.keyid_shift == 46 && e.addr_bits == 46 &&
	       e.tag_mask == GENMASK_ULL(51, 46) && e.max_keyid == 63,
	       "MAX_PA 52, 6 KeyID bits: KeyID in bits 51:46, addresses below bit 46 (shift %u mask 0x%" PRIx64 ")",
	       e.keyid_shift, e.tag_mask);
	EXPECT(pt_encoding_intel(&e, 46, 4) == 0 && e.tag_mask == GENMASK_ULL(45, 42) && e.max_keyid == 15,
	       "MAX_PA 46, 4 KeyID bits: KeyID in bits 45:42, KeyIDs 0..15");
	u64 out = 0;
	err = pt_keyid_pa(&e, GENMASK_ULL(41, 12), 15, &out);
	EXPECT(err == 0 && out == (GENMASK_ULL(41, 12) | (15ULL << 42)),
	       "the highest page address with the highest KeyID keeps both intact (0x%" PRIx64 ")", out);
	EXPECT(pt_encoding_intel(&e, 46, 0) == 0 && e.tag_mask == 0 && e.addr_bits == 46 && e.max_keyid == 0,
	       "0 activated KeyID bits (TME only): no tag, all of MAX_PA addresses memory");
}

TEST(paging, intel_seed_table_4_2_keyid_bits_field)
{
	struct pt_encoding e = { 0 };
	EXPECT(pt_encoding_intel(&e, 52, 15) == 0 && e.max_keyid == 32767,
	       "MK_TME_KEYID_BITS 15 (the 4-bit field's maximum) gives KeyIDs up to 32767");
	EXPECT(pt_encoding_intel(&e, 52, 16) == PT_EINVAL, "16 KeyID bits do not fit the 4-bit field: EINVAL");
	EXPECT(pt_encoding_intel(&e, 53, 6) == PT_EINVAL && pt_encoding_intel(&e, 20, 0) == PT_EINVAL,
	       "MAX_PA above 52 or below 36 is refused");
	EXPECT(pt_encoding_intel(&e, 36, 7) == PT_EINVAL,
	       "KeyID bits that leave less than 1 GiB of address space are refused");
}

/* ---- Intel seed 5.1.1: every level and CR3 carry a KeyID ---------------- */

TEST(paging, intel_seed_5_1_1_cr3_and_every_level_carry_keyid)
{
	for (int levels = 4; levels <= 5; levels++) {
		struct fixture f;
		pt_encoding_intel(&f.enc, 52, 6);
		u32 tk = 0x2a, leaf_k = 0x15;
		EXPECT(fixture_init(&f, levels, tk) == 0, "%d-level: init with table KeyID 0x2a", levels);
		u64 cr3 = pt_cr3(&f.pt);
		EXPECT((cr3 & GENMASK_ULL(51, 46)) >> 46 == tk && (cr3 & GENMASK_ULL(45, 0)) == f.pt.root_pa,
		       "%d-level: CR3 0x%" PRIx64 " = root pa 0x%" PRIx64 " with KeyID 0x2a in bits 51:46",
		       levels, cr3, f.pt.root_pa);
		u64 va = 0xffff900012345000ULL;     /* canonical in both modes */
		EXPECT(pt_map(&f.pt, va, 0x3ff000000000ULL, PT_SIZE_4K, PTE_RW, leaf_k, PT_SIZE_4K) == 0,
		       "%d-level: map one 4K page with KeyID 0x15", levels);
		/* Follow the raw entries by hand: each non-leaf entry carries
		 * the table KeyID, the leaf its own. */
		u64 table = f.pt.root_pa;
		int good = 0;
		for (int level = levels; level >= 1; level--) {
			u64 e = ((u64 *)pool_p2v(&f.pool, table))[(va >> (12 + 9 * (level - 1))) & 511];
			u32 k = (u32)((e >> 46) & 63);
			good += (level > 1) ? k == tk : k == leaf_k;
			table = e & GENMASK_ULL(45, 12);
		}
		EXPECT(good == levels, "%d-level: all %d entries on the path carry their KeyID (%d did)",
		       levels, levels, good);
		struct pt_walk_result r;
		pt_walk(&f.w, cr3, va + 0x123, &r);
		EXPECT(r.fault == 0 && r.pa == 0x3ff000000123ULL && r.keyid == leaf_k &&
		       f.pool.bad_tag_reads == 0 && f.pool.reads == (u64)levels,
		       "%d-level: the walker reads each of the %d tables with KeyID 0x2a and ends at pa 0x%" PRIx64 " KeyID 0x%x",
		       levels, levels, r.pa, r.keyid);
		/* A CR3 without the table KeyID must not pass the audit. */
		struct pt_audit_spec spec = { tk, NULL, NULL };
		struct pt_audit_report rep;
		EXPECT(pt_audit(&f.w, cr3 & ~f.enc.tag_mask, &spec, &rep) == PT_FAULT_TABLE_KEYID && rep.level == 0,
		       "%d-level: audit refuses a CR3 that lacks the table KeyID", levels);
		u64 *pml = pool_p2v(&f.pool, f.pt.root_pa);
		u64 *slot = &pml[(va >> (12 + 9 * (levels - 1))) & 511];
		u64 saved = *slot;
		*slot &= ~f.enc.tag_mask;            /* table pointer with KeyID 0 */
		int a = pt_audit(&f.w, cr3, &spec, &rep);
		EXPECT(a == PT_FAULT_TABLE_KEYID && rep.level == levels,
		       "%d-level: audit finds the top-level entry whose table pointer lost its KeyID (level %d)",
		       levels, rep.level);
		*slot = saved;
		EXPECT(pt_audit(&f.w, cr3, &spec, &rep) == PT_FAULT_NONE, "%d-level: restored, audit passes", levels);
		pool_fini(&f.pool);
	}
}

/* ---- Intel seed 5.1.3: reserved checking stays by MAX_PA ---------------- */

TEST(paging, intel_seed_5_1_3_bits_above_max_pa_reserved)
{
	struct fixture f;
	pt_encoding_intel(&f.enc, 46, 6);
	fixture_init(&f, 4, 0);
	EXPECT(pt_map(&f.pt, 0x40000000, 0x40000000, PT_SIZE_1G, PTE_RW, 3, PT_SIZE_1G) == 0, "map 1G with KeyID 3");
	u64 *leaf = pool_leaf_slot(&f.pool, &f.pt, 0x40000000);
	struct pt_walk_result r;
	int caught = 0;
	for (int bit = 46; bit <= 51; bit++) {
		*leaf ^= BIT_ULL(bit);
		caught += pt_walk(&f.w, pt_cr3(&f.pt), 0x40000000, &r) == PT_FAULT_RESERVED;
		*leaf ^= BIT_ULL(bit);
	}
	EXPECT(caught == 6, "each of bits 51:46 above MAX_PA 46 makes the walk fault RESERVED (%d of 6)", caught);
	u64 out;
	EXPECT(pt_keyid_pa(&f.enc, BIT_ULL(46), 0, &out) == PT_EPA && pt_keyid_pa(&f.enc, BIT_ULL(40), 0, &out) == PT_EPA,
	       "pt_keyid_pa refuses a pa at or above the KeyID field");
	pool_fini(&f.pool);
}

/* ---- AMD seed: the C-bit ------------------------------------------------ */

TEST(paging, amd_seed_sme_cbit_at_every_level)
{
	struct fixture f;
	/* The seed's example: C-bit 47, bits 46:X reserved (reduction 5). */
	EXPECT(pt_encoding_amd(&f.enc, 48, 47, 5) == 0 && f.enc.tag_mask == BIT_ULL(47) &&
	       f.enc.addr_bits == 43 && f.enc.max_keyid == 1,
	       "AMD: C-bit 47, 5 bits of reduction: addresses below bit 43, tag = bit 47 only");
	fixture_init(&f, 4, 1);
	u64 cr3 = pt_cr3(&f.pt);
	EXPECT(cr3 & BIT_ULL(47), "AMD: CR3 has the C-bit: tables are encrypted (Linux SME builds them so)");
	EXPECT(pt_map(&f.pt, 0x200000, 0x200000, PT_SIZE_2M, PTE_RW, 1, PT_SIZE_2M) == 0 &&
	       pt_map(&f.pt, 0x400000, 0x400000, PT_SIZE_2M, PTE_RW, 0, PT_SIZE_2M) == 0,
	       "AMD: one encrypted (C=1) and one shared (C=0) 2M page");
	struct pt_walk_result r1, r0;
	pt_walk(&f.w, cr3, 0x200000, &r1);
	pt_walk(&f.w, cr3, 0x400000, &r0);
	EXPECT(r1.fault == 0 && r1.keyid == 1 && r1.pa == 0x200000 && (r1.entry & BIT_ULL(47)) &&
	       r0.fault == 0 && r0.keyid == 0 && r0.pa == 0x400000 && !(r0.entry & BIT_ULL(47)),
	       "AMD: the leaf C-bit decides, and never shows in the translated address");
	EXPECT(f.pool.bad_tag_reads == 0, "AMD: every table was read with the C-bit set");
	u64 out;
	EXPECT(pt_map(&f.pt, 0x600000, 0x600000, PT_SIZE_4K, 0, 2, PT_SIZE_4K) == PT_EKEYID,
	       "AMD: 'KeyID' 2 does not exist for a one-bit tag: EKEYID");
	EXPECT(pt_keyid_pa(&f.enc, BIT_ULL(44), 1, &out) == PT_EPA,
	       "AMD: a pa in the reserved bits 46:43 is refused");
	u64 *leaf = pool_leaf_slot(&f.pool, &f.pt, 0x200000);
	*leaf |= BIT_ULL(45);
	EXPECT(pt_walk(&f.w, cr3, 0x200000, &r1) == PT_FAULT_RESERVED,
	       "AMD: an entry with a reserved bit between the address and the C-bit faults RESERVED");
	EXPECT(pt_encoding_amd(&f.enc, 48, 51, 1) == 0 && f.enc.addr_bits == 47 && f.enc.tag_mask == BIT_ULL(51),
	       "AMD: a C-bit above MAXPHYADDR (bit 51, later EPYC) is accepted");
	EXPECT(pt_encoding_amd(&f.enc, 48, 40, 5) == PT_EINVAL && pt_encoding_amd(&f.enc, 48, 52, 0) == PT_EINVAL,
	       "AMD: a C-bit inside the address bits or above bit 51 is refused");
	pool_fini(&f.pool);
}

/* ---- the sign-extension bug class -------------------------------------- */

/* What a careless encoder does: the 6-bit KeyID built at the top of a
 * 32-bit int, sign-extended to 64 bits, then moved into place. Fine for
 * KeyIDs below 0x20, wrong as soon as the KeyID's top bit is bit 31. */
static u64 broken_encode(u64 pa, u32 keyid, unsigned int shift)
{
	int32_t v = (int32_t)(keyid << 26);
	return pa | ((u64)(s64)v << (shift - 26));
}

TEST(paging, keyid_sign_extension_bug_is_caught)
{
	struct fixture f;
	pt_encoding_intel(&f.enc, 52, 6);
	fixture_init(&f, 4, 0);
	u64 va = 0x80000000, pa = 0x123456000ULL;
	EXPECT(pt_map(&f.pt, va, pa, PT_SIZE_4K, PTE_RW, 1, PT_SIZE_4K) == 0, "map a 4K page");
	u64 *leaf = pool_leaf_slot(&f.pool, &f.pt, va);
	u64 keep = *leaf & (GENMASK_ULL(11, 0) | PTE_NX);
	struct pt_audit_spec spec = { 0, NULL, NULL };
	struct pt_audit_report rep;
	struct pt_walk_result r;

	/* Small KeyID: the broken encoder happens to be right, the checks pass. */
	*leaf = broken_encode(pa, 0x1f, 46) | keep;
	int w_small = pt_walk(&f.w, pt_cr3(&f.pt), va, &r);
	int a_small = pt_audit(&f.w, pt_cr3(&f.pt), &spec, &rep);
	EXPECT(w_small == 0 && a_small == 0 && r.keyid == 0x1f && r.pa == pa,
	       "KeyID 0x1f through the broken encoder is still well formed (walk %s, audit %s)",
	       pt_fault_name(w_small), pt_fault_name(a_small));

	/* KeyID 0x20: bit 31 of the int, sign-extended into bits 63:52. */
	*leaf = broken_encode(pa, 0x20, 46) | keep;
	EXPECT((*leaf & GENMASK_ULL(63, 52)) != 0, "KeyID 0x20 through the broken encoder sets bits 63:52 (0x%" PRIx64 ")",
	       *leaf);
	int w = pt_walk(&f.w, pt_cr3(&f.pt), va, &r);
	EXPECT(w == PT_FAULT_HIGH_BITS, "strict walk reports the leaked high bits (%s)", pt_fault_name(w));
	int a = pt_audit(&f.w, pt_cr3(&f.pt), &spec, &rep);
	EXPECT(a == PT_FAULT_HIGH_BITS && rep.level == 1 && rep.va == va && rep.entry == *leaf,
	       "audit names the bad level-1 entry for va 0x%" PRIx64 " (%s at level %d)", rep.va,
	       pt_fault_name(a), rep.level);

	/* With 6 KeyID bits at 45:40 (MAX_PA 46) the same bug also lands in
	 * reserved bits 51:46, which hardware itself would fault on. */
	struct fixture g;
	pt_encoding_intel(&g.enc, 46, 6);
	fixture_init(&g, 4, 0);
	pt_map(&g.pt, va, 0x1000, PT_SIZE_4K, PTE_RW, 1, PT_SIZE_4K);
	u64 *gl = pool_leaf_slot(&g.pool, &g.pt, va);
	*gl = broken_encode(0x1000, 0x20, 40) | PTE_PRESENT | PTE_RW;
	g.w.strict = false;
	EXPECT(pt_walk(&g.w, pt_cr3(&g.pt), va, &r) == PT_FAULT_RESERVED,
	       "MAX_PA 46: even a non-strict (hardware-faithful) walk faults RESERVED on the leaked bits");

	/* And the builder's own encoder for every KeyID 0..63 at the top pa. */
	int leaks = 0;
	for (u32 k = 0; k <= 63; k++) {
		u64 out;
		pt_keyid_pa(&f.enc, GENMASK_ULL(45, 12), k, &out);
		leaks += (out & ~GENMASK_ULL(51, 0)) != 0 || (out & GENMASK_ULL(45, 0)) != GENMASK_ULL(45, 12) ||
			 ((out >> 46) & 63) != k;
	}
	EXPECT(leaks == 0, "pt_keyid_pa for all 64 KeyIDs: tag only in 51:46, address untouched (%d bad)", leaks);
	pool_fini(&g.pool);
	pool_fini(&f.pool);
}

/* An off-by-one KeyID position overlaps the address: the walk sees it. */
TEST(paging, keyid_never_leaks_into_address)
{
	struct fixture f;
	pt_encoding_intel(&f.enc, 46, 6);
	fixture_init(&f, 5, 0);
	int bad = 0, caught = 0;
	for (u32 k = 0; k <= 63; k++) {
		u64 va = 0x1000000000ULL + (u64)k * PT_SIZE_2M;
		u64 pa = GENMASK_ULL(39, 21) - (u64)k * PT_SIZE_2M;   /* near the top of 40 bits */
		if (pt_map(&f.pt, va, pa, PT_SIZE_2M, PTE_RW, k, PT_SIZE_2M)) {
			bad++;
			continue;
		}
		struct pt_walk_result r;
		pt_walk(&f.w, pt_cr3(&f.pt), va + 0x1abcd, &r);
		bad += r.fault || r.pa != pa + 0x1abcd || r.keyid != k || (r.pa >> 40);
		/* The same entry written with the KeyID one bit too low. */
		u64 *leaf = pool_leaf_slot(&f.pool, &f.pt, va);
		u64 good = *leaf;
		*leaf = (pa | ((u64)k << 39)) | PTE_PRESENT | PTE_RW | PTE_PS;
		pt_walk(&f.w, pt_cr3(&f.pt), va, &r);
		caught += k == 0 || r.fault || r.pa != pa || r.keyid != k;
		*leaf = good;
	}
	EXPECT(bad == 0, "5-level, MAX_PA 46/6 KeyID bits: 64 2M pages near the top of memory walk back to their pa and KeyID, no KeyID bit in the address (%d bad)", bad);
	EXPECT(caught == 64, "a KeyID written one bit too low is seen by the walker as a wrong pa or KeyID (%d of 64)", caught);
	pool_fini(&f.pool);
}

/* ---- refused input ------------------------------------------------------- */

TEST(paging, bad_arguments_refused)
{
	struct fixture f;
	pt_encoding_intel(&f.enc, 46, 6);
	struct pt_env env = { 0 };
	struct pt tmp;
	EXPECT(pt_init(&tmp, 4, &f.enc, 0, &env) == PT_EINVAL, "pt_init without allocator: EINVAL");
	fixture_init(&f, 4, 0);
	struct pt_env good = pool_env(&f.pool);
	EXPECT(pt_init(&tmp, 3, &f.enc, 0, &good) == PT_EINVAL, "3 levels: EINVAL");
	EXPECT(pt_init(&tmp, 4, &f.enc, 64, &good) == PT_EKEYID, "table KeyID 64 with 6 bits: EKEYID");
	u64 used = pool_in_use(&f.pool);
	struct pt *pt = &f.pt;
	EXPECT(pt_map(pt, 0x0000800000000000ULL, 0, PT_SIZE_4K, 0, 0, PT_SIZE_4K) == PT_ENONCANON,
	       "4-level: va 0x0000800000000000 is not canonical");
	EXPECT(pt_map(pt, 0x00007ffffffff000ULL, 0, 2 * PT_SIZE_4K, 0, 0, PT_SIZE_4K) == PT_ENONCANON,
	       "a range running off the top of the lower half is refused");
	EXPECT(pt_map(pt, 0xfffffffffffff000ULL, 0, 2 * PT_SIZE_4K, 0, 0, PT_SIZE_4K) == PT_ENONCANON,
	       "a range wrapping past 2^64 is refused");
	EXPECT(pt_map(pt, 0x1234, 0, PT_SIZE_4K, 0, 0, PT_SIZE_4K) == PT_EALIGN &&
	       pt_map(pt, 0x1000, 0x10, PT_SIZE_4K, 0, 0, PT_SIZE_4K) == PT_EALIGN &&
	       pt_map(pt, 0x1000, 0x1000, 0x800, 0, 0, PT_SIZE_4K) == PT_EALIGN,
	       "unaligned va, pa or size: EALIGN");
	EXPECT(pt_map(pt, 0x1000, 0x1000, PT_SIZE_4K, 0, 64, PT_SIZE_4K) == PT_EKEYID, "KeyID 64 with 6 bits: EKEYID");
	EXPECT(pt_map(pt, 0x1000, BIT_ULL(40), PT_SIZE_4K, 0, 1, PT_SIZE_4K) == PT_EPA,
	       "pa with a bit in the KeyID field: EPA");
	EXPECT(pt_map(pt, 0x1000, BIT_ULL(40) - PT_SIZE_4K, 2 * PT_SIZE_4K, 0, 1, PT_SIZE_4K) == PT_EPA,
	       "pa range whose end runs into the KeyID field: EPA");
	EXPECT(pt_map(pt, 0x1000, 0x1000, PT_SIZE_4K, PTE_PS, 0, PT_SIZE_4K) == PT_EINVAL &&
	       pt_map(pt, 0x1000, 0x1000, PT_SIZE_4K, BIT_ULL(52), 0, PT_SIZE_4K) == PT_EINVAL,
	       "flags outside PTE_MAP_FLAGS (PS, bit 52): EINVAL");
	EXPECT(pt_map(pt, 0x1000, 0x1000, PT_SIZE_4K, 0, 0, 0x3000) == PT_EINVAL &&
	       pt_map(pt, 0x1000, 0x1000, 0, 0, 0, PT_SIZE_4K) == PT_EINVAL,
	       "page size not 4K/2M/1G, or size 0: EINVAL");
	EXPECT(pool_in_use(&f.pool) == used && pt->table_pages == 1,
	       "none of the refused calls allocated a table");

	/* Overlap: a 2M page, then a range that ends inside it. */
	EXPECT(pt_map(pt, 0x400000, 0x400000, PT_SIZE_2M, PTE_RW, 1, PT_SIZE_2M) == 0, "map a 2M page at 4 MiB");
	EXPECT(pt_map(pt, 0x200000, 0x10000000, 0x201000, PTE_RW, 1, PT_SIZE_4K) == PT_EEXIST,
	       "a range [2M, 4M+4K) overlapping it: EEXIST");
	struct pt_walk_result r;
	EXPECT(pt_walk(&f.w, pt_cr3(pt), 0x200000, &r) == PT_FAULT_NOT_PRESENT &&
	       pt_walk(&f.w, pt_cr3(pt), 0x3ff000, &r) == PT_FAULT_NOT_PRESENT &&
	       pt_walk(&f.w, pt_cr3(pt), 0x400000, &r) == 0 && r.pa == 0x400000,
	       "after EEXIST the pages before the overlap were rolled back and the old page is intact");
	EXPECT(pt_map(pt, 0x401000, 0x1000, PT_SIZE_4K, 0, 0, PT_SIZE_4K) == PT_EEXIST,
	       "a 4K page inside an existing 2M page: EEXIST");
	EXPECT(pt_unmap(pt, 0x400000, PT_SIZE_4K) == PT_ESPLIT &&
	       pt_walk(&f.w, pt_cr3(pt), 0x400000, &r) == 0,
	       "unmapping 4K of a 2M page: ESPLIT and the page stays");
	EXPECT(pt_unmap(pt, 0x0, 0x800000) == 0 && pt_walk(&f.w, pt_cr3(pt), 0x400000, &r) == PT_FAULT_NOT_PRESENT,
	       "unmapping [0, 8M) skips the holes and removes the 2M page");
	pool_fini(&f.pool);
}

TEST(paging, allocator_failure_leaves_no_mapping)
{
	struct fixture f;
	pt_encoding_intel(&f.enc, 46, 6);
	fixture_init(&f, 4, 0);
	f.pool.fail_after = 3;   /* enough for one 4K path (PDPT, PD, PT), not two */
	int err = pt_map(&f.pt, 0x1ff000, 0x1000, 2 * PT_SIZE_4K, PTE_RW, 0, PT_SIZE_4K);
	struct pt_walk_result r;
	EXPECT(err == PT_ENOMEM && pt_walk(&f.w, pt_cr3(&f.pt), 0x1ff000, &r) == PT_FAULT_NOT_PRESENT,
	       "allocator fails mid-range: ENOMEM and the first page was rolled back (%s)", pt_strerror(err));
	f.pool.fail_after = 2;   /* PDPT and PD allocated, PT refused */
	err = pt_map(&f.pt, 0x40000000000ULL, 0x1000, PT_SIZE_4K, PTE_RW, 0, PT_SIZE_4K);
	EXPECT(err == PT_ENOMEM && f.pt.table_pages == 1 && pool_in_use(&f.pool) == 1 &&
	       !(((u64 *)pool_p2v(&f.pool, f.pt.root_pa))[8] & PTE_PRESENT),
	       "allocator fails mid-descent: the new empty PDPT and PD are unlinked and freed (%" PRIu64 " tables)",
	       f.pt.table_pages);
	f.pool.fail_after = ~0ULL;
	EXPECT(pt_map(&f.pt, 0x40000000000ULL, 0x40000000, PT_SIZE_1G, PTE_RW, 0, PT_SIZE_1G) == 0,
	       "so a 1G page at that slot maps afterwards, no stale table in the way");
	EXPECT(pt_map(&f.pt, 0x1ff000, 0x1000, 2 * PT_SIZE_4K, PTE_RW, 0, PT_SIZE_4K) == 0,
	       "with memory again, the same range maps");
	pool_fini(&f.pool);
}

/* ---- LA57 -------------------------------------------------------------- */

TEST(paging, la57_five_level_layout)
{
	struct fixture f;
	pt_encoding_intel(&f.enc, 52, 6);
	fixture_init(&f, 5, 0);
	u64 va = 0x00ff800000000000ULL;           /* needs bits 55:47: only LA57 has them */
	EXPECT(pt_map(&f.pt, va, 0x40000000, PT_SIZE_1G, PTE_RW, 7, PT_SIZE_1G) == 0,
	       "5-level: va 0x00ff800000000000 maps");
	u64 *pml5 = pool_p2v(&f.pool, f.pt.root_pa);
	EXPECT((pml5[0xff] & PTE_PRESENT) && !(pml5[0x1] & PTE_PRESENT),
	       "the PML5 index is va bits 56:48 (entry 0xff present)");
	struct pt_walk_result r;
	int fault = pt_walk(&f.w, pt_cr3(&f.pt), va + 0x1234567, &r);
	EXPECT(fault == 0 && r.pa == 0x41234567 &&
	       r.page_size == PT_SIZE_1G && r.level == 3 && r.keyid == 7,
	       "5-level walk: 1G leaf at level 3, pa 0x%" PRIx64, r.pa);
	f.w.levels = 4;
	EXPECT(pt_walk(&f.w, pt_cr3(&f.pt), va, &r) == PT_FAULT_NONCANONICAL,
	       "the same va is non-canonical for a 4-level walk");
	struct fixture g;
	pt_encoding_intel(&g.enc, 52, 6);
	fixture_init(&g, 4, 0);
	EXPECT(pt_map(&g.pt, va, 0x40000000, PT_SIZE_1G, PTE_RW, 7, PT_SIZE_1G) == PT_ENONCANON,
	       "4-level builder refuses it: ENONCANON");
	EXPECT(pt_map(&f.pt, 0xff00000000000000ULL, 0x80000000, PT_SIZE_2M, PTE_RW, 0, PT_SIZE_2M) == 0,
	       "5-level: the lowest upper-half va 0xff00000000000000 maps");
	pool_fini(&g.pool);
	pool_fini(&f.pool);
}

/* ---- flags ------------------------------------------------------------- */

TEST(paging, flags_follow_the_leaf)
{
	struct fixture f;
	pt_encoding_intel(&f.enc, 46, 6);
	fixture_init(&f, 4, 0);
	pt_map(&f.pt, 0x1000, 0x1000, PT_SIZE_4K, PTE_USER | PTE_RW, 0, PT_SIZE_4K);
	pt_map(&f.pt, 0x2000, 0x2000, PT_SIZE_4K, PTE_NX | PTE_GLOBAL | PTE_PCD | PTE_PWT, 0, PT_SIZE_4K);
	struct pt_walk_result u, k;
	pt_walk(&f.w, pt_cr3(&f.pt), 0x1000, &u);
	pt_walk(&f.w, pt_cr3(&f.pt), 0x2000, &k);
	EXPECT((u.flags & (PTE_USER | PTE_RW)) == (PTE_USER | PTE_RW) && !(u.flags & PTE_NX),
	       "a user RW page is user RW through every level");
	EXPECT(!(k.flags & (PTE_USER | PTE_RW)) &&
	       (k.flags & (PTE_NX | PTE_GLOBAL | PTE_PCD | PTE_PWT)) == (PTE_NX | PTE_GLOBAL | PTE_PCD | PTE_PWT),
	       "its supervisor read-only NX global uncached neighbour keeps exactly its own flags");
	pool_fini(&f.pool);
}

/* ---- the platform memory-port read callback ----------------------------- */

static u64 port_mem[512];
static u64 port_last_pa;
static int port_read(void *ctx, u64 pa, void *buf, size_t len)
{
	port_last_pa = pa;
	u64 off = (pa & 0xfffULL) / 8;
	if (len != 8)
		return MC_PLAT_EINVAL;
	memcpy(buf, &port_mem[off], 8);
	return 0;
}

TEST(paging, walker_reads_through_platform_port)
{
	/* A 4-level table where every level is the same page (a
	 * self-referencing trick: entry 0 points to the page itself), read
	 * through an mc_platform whose mem_read sees the tagged address. */
	struct pt_encoding e = { 0 };
	pt_encoding_intel(&e, 46, 6);
	u64 page = 0x5000, tag = 9ULL << 40;
	memset(port_mem, 0, sizeof(port_mem));
	port_mem[0] = page | tag | PTE_PRESENT | PTE_RW;
	struct mc_platform p = { 0 };
	p.mem_read = port_read;
	struct pt_walker w = { &e, 4, true, pt_walk_read_platform, &p };
	struct pt_walk_result r;
	pt_walk(&w, page | tag, 0x0, &r);
	EXPECT(r.fault == 0 && r.pa == page && r.keyid == 9 && port_last_pa == (page | tag),
	       "walk through mem_read: the port saw the tagged pa 0x%" PRIx64 ", result pa 0x%" PRIx64,
	       port_last_pa, r.pa);
	struct mc_platform none = { 0 };
	w.arg = &none;
	EXPECT(pt_walk(&w, page | tag, 0, &r) == PT_FAULT_READ, "a platform without a memory port gives PT_FAULT_READ");
}
