/* Page-table builder: the contract is in paging.h; here only the why. */
#include "arch/x86/paging.h"
#include "lib/mem.h"

#define PT_ADDR_LOW   12     /* a table or 4 KiB frame starts at bit 12 */

const char *pt_strerror(int err)
{
	switch (err) {
	case 0:            return "ok";
	case PT_EINVAL:    return "bad argument (levels 4/5, size > 0, flags in PTE_MAP_FLAGS, page size 4K/2M/1G)";
	case PT_ENONCANON: return "va range is not canonical for the paging mode";
	case PT_EALIGN:    return "va, pa or size is not 4 KiB aligned";
	case PT_EKEYID:    return "keyid is above what the encoding carries";
	case PT_EPA:       return "pa reaches into the KeyID/C-bit or past the address bits";
	case PT_EEXIST:    return "va range overlaps an existing mapping";
	case PT_ENOMEM:    return "page allocator failed or gave an unaligned/unaddressable page";
	case PT_ESPLIT:    return "range cuts a large page in two";
	default:           return "unknown paging error";
	}
}

/* ---- encodings ------------------------------------------------------- */

static bool max_pa_ok(unsigned int max_pa)
{
	/* 36 is the smallest MAXPHYADDR of any x86-64 part; entries hold
	 * physical bits up to 51. */
	return max_pa >= 36 && max_pa <= PT_MAX_PA_ARCH;
}

int pt_encoding_plain(struct pt_encoding *e, unsigned int max_pa)
{
	if (!e || !max_pa_ok(max_pa))
		return PT_EINVAL;
	mc_memset(e, 0, sizeof(*e));
	e->max_pa = max_pa;
	e->addr_bits = max_pa;
	e->keyid_shift = max_pa;
	return 0;
}

int pt_encoding_intel(struct pt_encoding *e, unsigned int max_pa, unsigned int keyid_bits)
{
	/* Intel seed Table 4-2: MK_TME_KEYID_BITS is a 4-bit field. Leave at
	 * least 1 GiB of address space so every page size stays expressible. */
	if (!e || !max_pa_ok(max_pa) || keyid_bits > 15 || max_pa - keyid_bits < 30)
		return PT_EINVAL;
	if (keyid_bits == 0)
		return pt_encoding_plain(e, max_pa);
	mc_memset(e, 0, sizeof(*e));
	e->max_pa = max_pa;
	/* Intel seed 5.1: the KeyID starts at the top bit MAX_PA enumerates. */
	e->keyid_shift = max_pa - keyid_bits;
	e->addr_bits = e->keyid_shift;
	e->tag_mask = GENMASK_ULL(max_pa - 1, e->keyid_shift);
	e->max_keyid = (u32)((1UL << keyid_bits) - 1);
	return 0;
}

int pt_encoding_amd(struct pt_encoding *e, unsigned int max_pa, unsigned int cbit,
		    unsigned int reduction)
{
	if (!e || !max_pa_ok(max_pa) || reduction > max_pa - 30)
		return PT_EINVAL;
	/* AMD seed: the C-bit sits above the address bits ([47] [46:X]
	 * 0]); it may lie above MAXPHYADDR (bit 51 on later parts) but
	 * never above the entry's address field. */
	if (cbit < max_pa - reduction || cbit >= PT_MAX_PA_ARCH)
		return PT_EINVAL;
	mc_memset(e, 0, sizeof(*e));
	e->max_pa = max_pa;
	e->addr_bits = max_pa - reduction;
	e->keyid_shift = cbit;
	e->tag_mask = BIT_ULL(cbit);
	e->max_keyid = 1;
	return 0;
}

int pt_keyid_pa(const struct pt_encoding *e, u64 pa, u32 keyid, u64 *out)
{
	if (!e || !out)
		return PT_EINVAL;
	if (keyid > e->max_keyid)
		return PT_EKEYID;
	if (pa >> e->addr_bits)
		return PT_EPA;
	/* Widen before shifting: a 32-bit (or signed) shift here is the
	 * classic bug that sets bits above the tag. */
	u64 tag = ((u64)keyid << e->keyid_shift) & e->tag_mask;
	if (keyid && !tag)
		return PT_EKEYID;        /* plain encoding: no room for a KeyID */
	*out = pa | tag;
	return 0;
}

/* ---- geometry --------------------------------------------------------- */

unsigned int pt_va_bits(int levels)
{
	return levels == 5 ? 57 : 48;
}

bool pt_va_canonical(int levels, u64 va)
{
	/* Bits 63 .. va_bits-1 must all equal (SDM "canonical address"). */
	u64 top = va >> (pt_va_bits(levels) - 1);
	return top == 0 || top == (~0ULL >> (pt_va_bits(levels) - 1));
}

static unsigned int level_shift(int level)   /* 1 = PT .. 5 = PML5 */
{
	return PT_ADDR_LOW + 9 * (unsigned int)(level - 1);
}

static unsigned int index_of(u64 va, int level)
{
	return (unsigned int)(va >> level_shift(level)) & (PT_ENTRIES - 1);
}

static int leaf_level(u64 page_size)
{
	return page_size == PT_SIZE_1G ? 3 : page_size == PT_SIZE_2M ? 2 : 1;
}

static u64 entry_addr(const struct pt *pt, u64 entry)
{
	return entry & GENMASK_ULL(pt->enc.addr_bits - 1, PT_ADDR_LOW);
}

static u64 *table_at(const struct pt *pt, u64 pa)
{
	return pt->env.phys_to_virt(pt->env.arg, pa);
}

static bool is_leaf(u64 entry, int level)
{
	return level == 1 || (entry & PTE_PS);
}

/* A fresh zeroed table page, or 0 with *err set. */
static u64 new_table(struct pt *pt, int *err)
{
	void *page = pt->env.alloc_page(pt->env.arg);
	if (!page) {
		*err = PT_ENOMEM;
		return 0;
	}
	u64 pa = pt->env.virt_to_phys(pt->env.arg, page);
	u64 tagged;
	if ((pa & (PT_SIZE_4K - 1)) || pt_keyid_pa(&pt->enc, pa, pt->table_keyid, &tagged)) {
		if (pt->env.free_page)
			pt->env.free_page(pt->env.arg, page);
		*err = PT_ENOMEM;
		return 0;
	}
	mc_memset(page, 0, PT_SIZE_4K);
	pt->table_pages++;
	return pa;
}

/* ---- init / cr3 ------------------------------------------------------- */

int pt_init(struct pt *pt, int levels, const struct pt_encoding *enc, u32 table_keyid,
	    const struct pt_env *env)
{
	if (!pt || !enc || !env || !env->alloc_page || !env->virt_to_phys || !env->phys_to_virt)
		return PT_EINVAL;
	if (levels != 4 && levels != 5)
		return PT_EINVAL;
	if (table_keyid > enc->max_keyid)
		return PT_EKEYID;
	mc_memset(pt, 0, sizeof(*pt));
	pt->levels = levels;
	pt->enc = *enc;
	pt->env = *env;
	pt->table_keyid = table_keyid;
	int err = 0;
	pt->root_pa = new_table(pt, &err);
	return pt->root_pa ? 0 : err;
}

u64 pt_cr3(const struct pt *pt)
{
	u64 cr3 = 0;
	/* Checked in pt_init/new_table, so this cannot fail here. */
	pt_keyid_pa(&pt->enc, pt->root_pa, pt->table_keyid, &cr3);
	return cr3;
}

/* ---- map -------------------------------------------------------------- */

static bool table_empty(const u64 *table)
{
	for (int i = 0; i < PT_ENTRIES; i++)
		if (table[i] & PTE_PRESENT)
			return false;
	return true;
}

/* Unlink, bottom-up, the tables on va's path that hold nothing (never the
 * root): used after a failed descent so no empty table stays linked, where
 * it would make a later large page at that slot look like an overlap. */
static void prune_path(struct pt *pt, u64 va)
{
	u64 *path[6] = { 0 };     /* path[level] = slot at that level */
	u64 *table = table_at(pt, pt->root_pa);
	int level;
	for (level = pt->levels; level > 1; level--) {
		u64 *slot = &table[index_of(va, level)];
		if (!(*slot & PTE_PRESENT) || is_leaf(*slot, level))
			break;
		path[level] = slot;
		table = table_at(pt, entry_addr(pt, *slot));
	}
	for (int up = level + 1; up <= pt->levels; up++) {
		u64 *child = table_at(pt, entry_addr(pt, *path[up]));
		if (!table_empty(child))
			break;
		*path[up] = 0;
		pt->table_pages--;
		if (pt->env.free_page)
			pt->env.free_page(pt->env.arg, child);
	}
}

/* Install one leaf of page_size at va. Intermediate entries carry the table
 * KeyID (Intel seed 5.1.1; on AMD the C-bit of the table); they are
 * writable and present, and gain USER when a user leaf lies below, so the
 * leaf alone decides access. */
static int map_one(struct pt *pt, u64 va, u64 leaf_entry, u64 page_size)
{
	int target = leaf_level(page_size);
	u64 *table = table_at(pt, pt->root_pa);
	u64 user = leaf_entry & PTE_USER;

	for (int level = pt->levels; level > target; level--) {
		u64 *slot = &table[index_of(va, level)];
		if (!(*slot & PTE_PRESENT)) {
			int err = 0;
			u64 pa = new_table(pt, &err);
			if (!pa) {
				prune_path(pt, va);
				return err;
			}
			u64 tagged;
			pt_keyid_pa(&pt->enc, pa, pt->table_keyid, &tagged);
			*slot = tagged | PTE_PRESENT | PTE_RW | user;
		} else if (is_leaf(*slot, level)) {
			return PT_EEXIST;
		} else {
			*slot |= user;
		}
		table = table_at(pt, entry_addr(pt, *slot));
	}
	u64 *slot = &table[index_of(va, target)];
	if (*slot & PTE_PRESENT)
		return PT_EEXIST;
	*slot = leaf_entry;
	return 0;
}

static u64 pick_size(u64 va, u64 pa, u64 left, u64 max_page_size)
{
	static const u64 sizes[] = { PT_SIZE_1G, PT_SIZE_2M, PT_SIZE_4K };
	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 s = sizes[i];
		if (s <= max_page_size && !((va | pa) & (s - 1)) && left >= s)
			return s;
	}
	return PT_SIZE_4K;
}

static int unmap_range(struct pt *pt, u64 va, u64 size, bool apply);

static int check_va_range(const struct pt *pt, u64 va, u64 size)
{
	u64 last = va + size - 1;
	if (last < va)
		return PT_ENONCANON;     /* wraps around */
	if (!pt_va_canonical(pt->levels, va) || !pt_va_canonical(pt->levels, last))
		return PT_ENONCANON;
	/* Both ends canonical but in different halves: the range crosses
	 * the non-canonical hole. */
	if ((va >> 63) != (last >> 63))
		return PT_ENONCANON;
	return 0;
}

int pt_map(struct pt *pt, u64 va, u64 pa, u64 size, u64 flags, u32 keyid,
	   u64 max_page_size)
{
	if (!pt || !size || (flags & ~PTE_MAP_FLAGS))
		return PT_EINVAL;
	if (max_page_size != PT_SIZE_4K && max_page_size != PT_SIZE_2M &&
	    max_page_size != PT_SIZE_1G)
		return PT_EINVAL;
	if ((va | pa | size) & (PT_SIZE_4K - 1))
		return PT_EALIGN;
	int err = check_va_range(pt, va, size);
	if (err)
		return err;
	/* Check the whole pa range, both ends, before touching any entry. */
	u64 probe;
	if (keyid > pt->enc.max_keyid)
		return PT_EKEYID;
	if (pa + size - 1 < pa)
		return PT_EPA;
	if ((err = pt_keyid_pa(&pt->enc, pa, keyid, &probe)) ||
	    (err = pt_keyid_pa(&pt->enc, pa + size - 1, keyid, &probe)))
		return err;

	u64 done = 0;
	while (done < size) {
		u64 ps = pick_size(va + done, pa + done, size - done, max_page_size);
		u64 tagged;
		pt_keyid_pa(&pt->enc, pa + done, keyid, &tagged);
		u64 entry = tagged | flags | PTE_PRESENT | (ps != PT_SIZE_4K ? PTE_PS : 0);
		err = map_one(pt, va + done, entry, ps);
		if (err) {
			/* Roll back what this call installed: all whole pages. */
			if (done)
				unmap_range(pt, va, done, true);
			return err;
		}
		done += ps;
	}
	return 0;
}

/* ---- unmap ------------------------------------------------------------ */

/* Clear the leaf mapping va (if any) and unlink tables that became empty.
 * Returns the bytes to step over: the leaf size, or the span of the hole. */
static u64 unmap_at(struct pt *pt, u64 va, u64 end, bool apply, int *err)
{
	u64 *table = table_at(pt, pt->root_pa);
	for (int level = pt->levels; level >= 1; level--) {
		u64 span = 1ULL << level_shift(level);
		u64 *slot = &table[index_of(va, level)];
		u64 to_boundary = span - (va & (span - 1));
		if (!(*slot & PTE_PRESENT))
			return to_boundary;      /* hole: nothing mapped here */
		if (!is_leaf(*slot, level)) {
			table = table_at(pt, entry_addr(pt, *slot));
			continue;
		}
		if ((va & (span - 1)) || end - va < span) {
			*err = PT_ESPLIT;
			return 0;
		}
		if (!apply)
			return span;
		*slot = 0;
		prune_path(pt, va);
		return span;
	}
	return PT_SIZE_4K;   /* not reached: level 1 is always a leaf */
}

static int unmap_range(struct pt *pt, u64 va, u64 size, bool apply)
{
	u64 end = va + size;     /* may be 0 at the very top: use offsets */
	u64 off = 0;
	while (off < size) {
		int err = 0;
		u64 step = unmap_at(pt, va + off, end, apply, &err);
		if (err)
			return err;
		off += step;
	}
	return 0;
}

int pt_unmap(struct pt *pt, u64 va, u64 size)
{
	if (!pt || !size)
		return PT_EINVAL;
	if ((va | size) & (PT_SIZE_4K - 1))
		return PT_EALIGN;
	int err = check_va_range(pt, va, size);
	if (err)
		return err;
	/* First a dry run, so a split error leaves everything as it was. */
	if ((err = unmap_range(pt, va, size, false)))
		return err;
	return unmap_range(pt, va, size, true);
}
