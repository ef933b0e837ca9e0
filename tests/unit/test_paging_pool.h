/* Host fixtures for the paging tests: a pool of 4 KiB pages standing in for
 * physical memory. Host heap addresses reach bit 46 and beyond, above the
 * address bits of a 46-bit MAX_PA with KeyIDs, so a page's "physical"
 * address is its offset in the pool plus POOL_PA_BASE, not its pointer.
 * The walker's read callback checks that every tagged address it is given
 * carries the table KeyID the test expects. */
#ifndef TEST_PAGING_POOL_H
#define TEST_PAGING_POOL_H
#include "tests/unit/harness.h"
#include "arch/x86/paging.h"
#include "arch/x86/pagewalk.h"
#include <stdlib.h>
#include <string.h>

#define POOL_PA_BASE 0x200000ULL       /* 2 MiB: tables never sit at pa 0 */

struct pool {
	unsigned char *mem;
	u64 pages, used;
	u64 *free_list;                /* page indexes given back */
	u64 nfree;
	u64 fail_after;                /* allocations left before NULL; ~0 = never */
	/* walker side */
	const struct pt_encoding *enc;
	u32 expect_table_keyid;
	u64 reads, bad_tag_reads;
};

static inline void pool_init(struct pool *p, u64 pages)
{
	memset(p, 0, sizeof(*p));
	p->mem = aligned_alloc(4096, pages * 4096);
	p->free_list = calloc(pages, sizeof(u64));
	p->pages = pages;
	p->fail_after = ~0ULL;
	if (p->mem)
		memset(p->mem, 0xA5, pages * 4096);   /* garbage: the builder must zero */
}

static inline void pool_fini(struct pool *p)
{
	free(p->mem);
	free(p->free_list);
	p->mem = NULL;
}

static inline u64 pool_in_use(const struct pool *p)
{
	return p->used - p->nfree;
}

static inline void *pool_alloc(void *arg)
{
	struct pool *p = arg;
	if (p->fail_after == 0)
		return NULL;
	if (p->fail_after != ~0ULL)
		p->fail_after--;
	if (p->nfree)
		return p->mem + p->free_list[--p->nfree] * 4096;
	if (p->used == p->pages)
		return NULL;
	return p->mem + (p->used++) * 4096;
}

static inline void pool_free(void *arg, void *page)
{
	struct pool *p = arg;
	p->free_list[p->nfree++] = (u64)((unsigned char *)page - p->mem) / 4096;
	memset(page, 0x5A, 4096);
}

static inline u64 pool_v2p(void *arg, const void *v)
{
	struct pool *p = arg;
	return POOL_PA_BASE + (u64)((const unsigned char *)v - p->mem);
}

static inline void *pool_p2v(void *arg, u64 pa)
{
	struct pool *p = arg;
	if (pa < POOL_PA_BASE || pa - POOL_PA_BASE >= p->used * 4096)
		return NULL;
	return p->mem + (pa - POOL_PA_BASE);
}

/* Walker read: strip the tag (what the memory controller does after
 * choosing the key), count reads whose tag is not the table KeyID. */
static inline int pool_read(void *arg, u64 tagged_pa, u64 *val)
{
	struct pool *p = arg;
	u64 tag = tagged_pa & p->enc->tag_mask;
	u32 keyid = p->enc->tag_mask ? (u32)(tag >> p->enc->keyid_shift) : 0;
	p->reads++;
	if (keyid != p->expect_table_keyid)
		p->bad_tag_reads++;
	u64 *e = pool_p2v(p, tagged_pa & ~p->enc->tag_mask);
	if (!e || ((tagged_pa & 7) != 0))
		return -1;
	*val = *e;
	return 0;
}

static inline struct pt_env pool_env(struct pool *p)
{
	struct pt_env env = { pool_alloc, pool_free, pool_v2p, pool_p2v, p };
	return env;
}

static inline struct pt_walker pool_walker(struct pool *p, const struct pt_encoding *enc,
					   int levels, u32 table_keyid)
{
	p->enc = enc;
	p->expect_table_keyid = table_keyid;
	struct pt_walker w = { enc, levels, true, pool_read, p };
	return w;
}

/* The raw slot holding the leaf for va (found by hand, not by the code
 * under test), for tests that corrupt an entry on purpose. */
static inline u64 *pool_leaf_slot(struct pool *p, const struct pt *pt, u64 va)
{
	u64 table = pt->root_pa;
	for (int level = pt->levels; level >= 1; level--) {
		u64 *t = pool_p2v(p, table);
		u64 *slot = &t[(va >> (12 + 9 * (level - 1))) & 511];
		if (level == 1 || (*slot & PTE_PS))
			return slot;
		table = *slot & GENMASK_ULL(pt->enc.addr_bits - 1, 12);
	}
	return NULL;
}

static inline u64 test_rand(u64 *s)       /* xorshift64*: deterministic */
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

#endif
