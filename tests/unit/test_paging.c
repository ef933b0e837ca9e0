/* arch/x86/paging.c checked by the independent walker in pagewalk.c:
 * random map/walk round trips at 4 KiB, 2 MiB and 1 GiB with random KeyIDs,
 * 4- and 5-level; a realistic identity map up to 1 TiB; unmap back to the
 * bare root. */
#include "tests/unit/test_paging_pool.h"
#include <inttypes.h>

struct shadow {
	u64 va, pa, size, flags;
	u32 keyid;
};

struct shadow_set {
	struct shadow *m;
	size_t n;
};

static const struct shadow *shadow_find(const struct shadow_set *s, u64 va)
{
	for (size_t i = 0; i < s->n; i++)
		if (va - s->m[i].va < s->m[i].size)
			return &s->m[i];
	return NULL;
}

static bool shadow_overlaps(const struct shadow_set *s, u64 va, u64 size)
{
	for (size_t i = 0; i < s->n; i++)
		if (va < s->m[i].va + s->m[i].size && s->m[i].va < va + size)
			return true;
	return false;
}

/* Audit callback: the KeyID the shadow says va must carry. */
static bool shadow_keyid(void *arg, u64 va, u64 page_size, u32 *keyid)
{
	const struct shadow *m = shadow_find(arg, va);
	if (!m || va + page_size > m->va + m->size)
		return false;
	*keyid = m->keyid;
	return true;
}

/* A random canonical va inside a 4 TiB window of the lower or upper half,
 * so mappings collide now and then and EEXIST gets exercised too. */
static u64 random_va(u64 *seed, int levels, u64 align)
{
	u64 off = test_rand(seed) & (4096ULL * PT_SIZE_1G - 1) & ~(align - 1);
	if (test_rand(seed) & 1)
		return off + 0x100000000ULL;                     /* above 4 GiB */
	u64 top = levels == 5 ? 0xff00000000000000ULL : 0xffff800000000000ULL;
	return top + off;                                    /* upper half */
}

static void round_trips(int levels, const struct pt_encoding *enc, int count, u64 seed)
{
	static const u64 sizes[] = { PT_SIZE_4K, PT_SIZE_2M, PT_SIZE_1G };
	struct pool pool;
	struct pt pt;
	pool_init(&pool, 16384);
	struct pt_env env = pool_env(&pool);
	u32 table_keyid = (u32)(test_rand(&seed) % (enc->max_keyid + 1));
	EXPECT(pt_init(&pt, levels, enc, table_keyid, &env) == 0,
	       "%d-level: pt_init with table KeyID %u", levels, table_keyid);
	struct pt_walker w = pool_walker(&pool, enc, levels, table_keyid);
	struct shadow_set set = { calloc((size_t)count, sizeof(struct shadow)), 0 };

	int mapped = 0, eexist_ok = 0, bad_map = 0, bad_walk = 0;
	for (int i = 0; i < count; i++) {
		u64 ps = sizes[test_rand(&seed) % 3];
		u64 n = 1 + test_rand(&seed) % 3;             /* 1..3 pages */
		u64 va = random_va(&seed, levels, ps);
		u64 pa = test_rand(&seed) & GENMASK_ULL(enc->addr_bits - 1, 0) & ~(ps - 1);
		if (pa + n * ps > (1ULL << enc->addr_bits))
			pa -= n * ps;
		u32 keyid = (u32)(test_rand(&seed) % (enc->max_keyid + 1));
		u64 flags = test_rand(&seed) & PTE_MAP_FLAGS;
		bool overlap = shadow_overlaps(&set, va, n * ps);
		int err = pt_map(&pt, va, pa, n * ps, flags, keyid, ps);
		if (overlap) {
			eexist_ok += err == PT_EEXIST;
			bad_map += err != PT_EEXIST;
			continue;
		}
		if (err) {
			bad_map++;
			printf("  map va=%" PRIx64 " pa=%" PRIx64 " size=%" PRIx64 ": %s\n",
			       va, pa, n * ps, pt_strerror(err));
			continue;
		}
		set.m[set.n++] = (struct shadow){ va, pa, n * ps, flags, keyid };
		mapped++;
		/* Two random bytes inside the new range walk to pa + offset. */
		for (int k = 0; k < 2; k++) {
			u64 off = test_rand(&seed) % (n * ps);
			struct pt_walk_result r;
			pt_walk(&w, pt_cr3(&pt), va + off, &r);
			bool ok = r.fault == PT_FAULT_NONE && r.pa == pa + off && r.keyid == keyid &&
				  r.page_size == ps && (r.flags & PTE_NX) == (flags & PTE_NX) &&
				  (r.flags & PTE_USER) == (flags & PTE_USER) &&
				  (r.flags & PTE_RW) == (flags & PTE_RW) &&
				  (r.flags & (PTE_PWT | PTE_PCD | PTE_GLOBAL)) ==
				  (flags & (PTE_PWT | PTE_PCD | PTE_GLOBAL));
			if (!ok && bad_walk++ < 3)
				printf("  walk va=%" PRIx64 ": fault %s pa=%" PRIx64 " (want %" PRIx64
				       ") keyid %u (want %u) size %" PRIx64 " (want %" PRIx64 ")\n",
				       va + off, pt_fault_name(r.fault), r.pa, pa + off, r.keyid, keyid,
				       r.page_size, ps);
		}
	}
	EXPECT(bad_map == 0 && mapped > count / 2,
	       "%d-level: %d random maps at 4K/2M/1G with KeyIDs 0..%u succeed, %d overlaps refused with EEXIST (%d wrong)",
	       levels, mapped, enc->max_keyid, eexist_ok, bad_map);
	EXPECT(bad_walk == 0, "%d-level: %d walks give the intended pa, KeyID, page size and flags (%d wrong)",
	       levels, 2 * mapped, bad_walk);
	EXPECT(pool.bad_tag_reads == 0 && pool.reads > 0,
	       "%d-level: Intel seed 5.1.1: all %" PRIu64 " table reads of the walker used table KeyID %u (%" PRIu64 " did not)",
	       levels, pool.reads, table_keyid, pool.bad_tag_reads);

	struct pt_audit_spec spec = { table_keyid, shadow_keyid, &set };
	struct pt_audit_report rep;
	char line[200];
	pt_audit(&w, pt_cr3(&pt), &spec, &rep);
	pt_audit_describe(&rep, line, sizeof(line));
	EXPECT(rep.fault == PT_FAULT_NONE && rep.tables == pt.table_pages,
	       "%d-level: audit of every entry passes and sees the %" PRIu64 " tables the builder allocated (%s)",
	       levels, pt.table_pages, line);

	/* Unmap everything: every walk faults, only the root is left. */
	int bad_unmap = 0, still = 0;
	for (size_t i = 0; i < set.n; i++) {
		bad_unmap += pt_unmap(&pt, set.m[i].va, set.m[i].size) != 0;
		struct pt_walk_result r;
		still += pt_walk(&w, pt_cr3(&pt), set.m[i].va, &r) != PT_FAULT_NOT_PRESENT;
	}
	EXPECT(bad_unmap == 0 && still == 0 && pt.table_pages == 1 && pool_in_use(&pool) == 1,
	       "%d-level: unmapping all %zu ranges leaves no mapping and only the root table (%" PRIu64
	       " tables, %" PRIu64 " pages in use, %d unmap errors, %d still mapped)",
	       levels, set.n, pt.table_pages, pool_in_use(&pool), bad_unmap, still);
	free(set.m);
	pool_fini(&pool);
}

TEST(paging, round_trip_4level_intel_random)
{
	struct pt_encoding enc = { 0 };
	pt_encoding_intel(&enc, 46, 6);
	round_trips(4, &enc, 3000, 0x9E3779B97F4A7C15ULL);
}

TEST(paging, round_trip_5level_intel_random)
{
	struct pt_encoding enc = { 0 };
	pt_encoding_intel(&enc, 52, 6);
	round_trips(5, &enc, 3000, 0xD1B54A32D192ED03ULL);
}

TEST(paging, round_trip_4level_amd_cbit_random)
{
	struct pt_encoding enc = { 0 };
	pt_encoding_amd(&enc, 48, 47, 5);
	round_trips(4, &enc, 1500, 0x94D049BB133111EBULL);
}

TEST(paging, round_trip_4level_plain_random)
{
	struct pt_encoding enc = { 0 };
	pt_encoding_plain(&enc, 40);
	round_trips(4, &enc, 1000, 0xBF58476D1CE4E5B9ULL);
}

/* ---- a realistic memory map, identity mapped --------------------------- */

struct region {
	u64 base, size, flags;
};

/* Legacy RAM below 640 KiB, RAM from 1 MiB to 2 GiB, the IOAPIC and LAPIC
 * pages (uncached), and RAM from 4 GiB to 1 TiB. */
static const struct region memmap[] = {
	{ 0x0,           0x9f000,                    PTE_RW },
	{ 0x100000,      0x80000000 - 0x100000,      PTE_RW },
	{ 0xfec00000,    0x1000,                     PTE_RW | PTE_PCD | PTE_PWT | PTE_NX },
	{ 0xfee00000,    0x1000,                     PTE_RW | PTE_PCD | PTE_PWT | PTE_NX },
	{ 0x100000000,   (1ULL << 40) - 0x100000000, PTE_RW | PTE_NX },
};

static bool identity_keyid(void *arg, u64 va, u64 page_size, u32 *keyid)
{
	for (size_t i = 0; i < ARRAY_SIZE(memmap); i++)
		if (va >= memmap[i].base && va + page_size <= memmap[i].base + memmap[i].size) {
			/* MMIO stays KeyID 0; RAM uses the test's KeyID. */
			*keyid = (memmap[i].flags & PTE_PCD) ? 0 : *(u32 *)arg;
			return true;
		}
	return false;
}

TEST(paging, identity_map_1tib_large_pages)
{
	struct pt_encoding enc = { 0 };
	/* 46-bit MAX_PA with 6 KeyID bits leaves exactly 40 address bits:
	 * the top of RAM is the last addressable byte. */
	pt_encoding_intel(&enc, 46, 6);
	struct pool pool;
	struct pt pt;
	pool_init(&pool, 64);
	struct pt_env env = pool_env(&pool);
	u32 ram_keyid = 5;
	int errs = 0;
	EXPECT(pt_init(&pt, 4, &enc, ram_keyid, &env) == 0, "identity: pt_init");
	for (size_t i = 0; i < ARRAY_SIZE(memmap); i++) {
		u32 k = (memmap[i].flags & PTE_PCD) ? 0 : ram_keyid;
		errs += pt_map(&pt, memmap[i].base, memmap[i].base, memmap[i].size,
			       memmap[i].flags, k, PT_SIZE_1G) != 0;
	}
	EXPECT(errs == 0, "identity: all %zu regions of a map reaching 1 TiB are mapped", ARRAY_SIZE(memmap));

	struct pt_walker w = pool_walker(&pool, &enc, 4, ram_keyid);
	struct pt_audit_spec spec = { ram_keyid, identity_keyid, &ram_keyid };
	struct pt_audit_report rep;
	char line[200];
	pt_audit(&w, pt_cr3(&pt), &spec, &rep);
	pt_audit_describe(&rep, line, sizeof(line));
	/* 159 + 256 (1 MiB..2 MiB) + 2 MMIO pages at 4K; 511 2M pages up to
	 * 1 GiB; 1 GiB..2 GiB and 1020 GiB above 4 GiB at 1G. */
	EXPECT(rep.fault == PT_FAULT_NONE && rep.leaves_4k == 417 && rep.leaves_2m == 511 &&
	       rep.leaves_1g == 1021,
	       "identity: audit passes and used the largest pages alignment allows: 417 4K, 511 2M, 1021 1G (%s)",
	       line);
	EXPECT(pt.table_pages <= 8, "identity: 1 TiB costs %" PRIu64 " table pages", pt.table_pages);

	static const u64 probes[] = { 0x0, 0x9efff, 0x100000, 0x7fffffff, 0xfec00010,
				      0x100000000, 0xffffffffffULL, 0x123456789aULL };
	int bad = 0;
	for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
		struct pt_walk_result r;
		pt_walk(&w, pt_cr3(&pt), probes[i], &r);
		u32 want = probes[i] == 0xfec00010 ? 0 : ram_keyid;
		bad += r.fault || r.pa != probes[i] || r.keyid != want;
	}
	struct pt_walk_result hole;
	pt_walk(&w, pt_cr3(&pt), 0x90000000, &hole);
	EXPECT(bad == 0 && hole.fault == PT_FAULT_NOT_PRESENT,
	       "identity: probes up to the last byte of 1 TiB translate to themselves with the right KeyID; the PCI hole does not translate");
	pool_fini(&pool);
}
