/* Independent page walker and auditor: the contract is in pagewalk.h. This
 * file deliberately does not call paging.c: it derives every mask from the
 * architectural layout and struct pt_encoding's raw fields, so a mistake in
 * the builder's arithmetic cannot hide behind the same mistake here. */
#include "arch/x86/pagewalk.h"
#include "lib/fmt.h"

#define ENTRY_BYTES     8
#define FRAME_LOW       12
#define HIGH_IGNORED    GENMASK_ULL(62, 52)   /* ignored / protection keys */

const char *pt_fault_name(int fault)
{
	switch (fault) {
	case PT_FAULT_NONE:         return "ok";
	case PT_FAULT_BAD_ARGS:     return "bad walker arguments";
	case PT_FAULT_NONCANONICAL: return "va not canonical";
	case PT_FAULT_NOT_PRESENT:  return "not present";
	case PT_FAULT_RESERVED:     return "reserved bit set";
	case PT_FAULT_HIGH_BITS:    return "bits 62:52 set (KeyID leaked above the address?)";
	case PT_FAULT_READ:         return "table read failed";
	case PT_FAULT_KEYID_RANGE:  return "KeyID above the encoding's maximum";
	case PT_FAULT_TABLE_KEYID:  return "table pointer does not carry the table KeyID";
	case PT_FAULT_LEAF_KEYID:   return "leaf carries the wrong KeyID";
	case PT_FAULT_UNEXPECTED:   return "va mapped that should not be";
	default:                    return "unknown fault";
	}
}

static unsigned int shift_of(int level)
{
	return FRAME_LOW + 9 * (unsigned int)(level - 1);
}

/* Bits [51:addr_bits] that are not the tag: reserved while encryption
 * repurposes the top (Intel seed 5.1.3: checking stays by MAX_PA; AMD
 * seed: the bits between the C-bit and the address are reserved). */
static u64 reserved_phys(const struct pt_encoding *e)
{
	return GENMASK_ULL(51, e->addr_bits) & ~e->tag_mask;
}

static u32 tag_keyid(const struct pt_encoding *e, u64 entry)
{
	return e->tag_mask ? (u32)((entry & e->tag_mask) >> e->keyid_shift) : 0;
}

/* Checks every present entry must pass, leaf or not. */
static int check_entry(const struct pt_walker *w, u64 entry, int level, bool strict)
{
	if (entry & reserved_phys(w->enc))
		return PT_FAULT_RESERVED;
	if (strict && (entry & HIGH_IGNORED))
		return PT_FAULT_HIGH_BITS;
	if (tag_keyid(w->enc, entry) > w->enc->max_keyid)
		return PT_FAULT_KEYID_RANGE;
	if ((entry & PTE_PS) && level >= 4)
		return PT_FAULT_RESERVED;      /* no 512 GiB pages */
	if ((entry & PTE_PS) && level > 1 && (entry & GENMASK_ULL(shift_of(level) - 1, 13)))
		return PT_FAULT_RESERVED;      /* frame below the page size; 12 is PAT */
	return PT_FAULT_NONE;
}

static bool args_ok(const struct pt_walker *w)
{
	return w && w->enc && w->read && (w->levels == 4 || w->levels == 5) &&
	       w->enc->addr_bits > FRAME_LOW && w->enc->addr_bits <= 52;
}

static int check_cr3(const struct pt_walker *w, u64 cr3)
{
	/* CR3 has no bits 62:52 to ignore: everything above the address
	 * field except the tag is reserved. */
	if (cr3 & GENMASK_ULL(63, w->enc->addr_bits) & ~w->enc->tag_mask)
		return PT_FAULT_RESERVED;
	if (tag_keyid(w->enc, cr3) > w->enc->max_keyid)
		return PT_FAULT_KEYID_RANGE;
	return PT_FAULT_NONE;
}

static u64 frame_of(const struct pt_walker *w, u64 entry, unsigned int low)
{
	return entry & GENMASK_ULL(w->enc->addr_bits - 1, low);
}

int pt_walk(const struct pt_walker *w, u64 cr3, u64 va, struct pt_walk_result *out)
{
	struct pt_walk_result r = { 0 };
	r.fault = PT_FAULT_BAD_ARGS;
	if (!out)
		return r.fault;
	if (!args_ok(w))
		goto done;

	/* Canonical: sign-extend from the top linear-address bit and compare. */
	unsigned int vbits = w->levels == 5 ? 57 : 48;
	s64 ext = (s64)(va << (64 - vbits)) >> (64 - vbits);
	if ((u64)ext != va) {
		r.fault = PT_FAULT_NONCANONICAL;
		goto done;
	}
	r.entry = cr3;
	if ((r.fault = check_cr3(w, cr3)))
		goto done;

	u64 table = frame_of(w, cr3, FRAME_LOW);
	u64 tag = cr3 & w->enc->tag_mask;     /* KeyID of the table to read */
	bool rw = true, user = true, nx = false;
	for (int level = w->levels; level >= 1; level--) {
		u64 idx = (va >> shift_of(level)) & 511;
		u64 entry;
		r.level = level;
		if (w->read(w->arg, (table + idx * ENTRY_BYTES) | tag, &entry)) {
			r.fault = PT_FAULT_READ;
			goto done;
		}
		r.entry = entry;
		if (!(entry & PTE_PRESENT)) {
			r.fault = PT_FAULT_NOT_PRESENT;
			goto done;
		}
		if ((r.fault = check_entry(w, entry, level, w->strict)))
			goto done;
		rw = rw && (entry & PTE_RW);
		user = user && (entry & PTE_USER);
		nx = nx || (entry & PTE_NX);
		if (level == 1 || (entry & PTE_PS)) {
			r.page_size = 1ULL << shift_of(level);
			r.pa = frame_of(w, entry, shift_of(level)) | (va & (r.page_size - 1));
			r.keyid = tag_keyid(w->enc, entry);
			r.flags = (entry & GENMASK_ULL(8, 0) & ~(PTE_RW | PTE_USER)) |
				  (rw ? PTE_RW : 0) | (user ? PTE_USER : 0) | (nx ? PTE_NX : 0);
			r.fault = PT_FAULT_NONE;
			goto done;
		}
		table = frame_of(w, entry, FRAME_LOW);
		tag = entry & w->enc->tag_mask;
	}
done:
	*out = r;
	return r.fault;
}

/* ---- audit ------------------------------------------------------------ */

struct audit {
	const struct pt_walker *w;
	const struct pt_audit_spec *spec;
	struct pt_audit_report *rep;
};

static int flag(struct audit *a, int fault, int level, u64 va, u64 entry, u64 entry_pa)
{
	a->rep->fault = fault;
	a->rep->level = level;
	a->rep->va = va;
	a->rep->entry = entry;
	a->rep->entry_pa = entry_pa;
	return fault;
}

static int audit_table(struct audit *a, u64 table, u64 tag, int level, u64 va_base)
{
	const struct pt_walker *w = a->w;
	unsigned int vbits = w->levels == 5 ? 57 : 48;
	a->rep->tables++;
	for (u64 i = 0; i < 512; i++) {
		u64 epa = table + i * ENTRY_BYTES, entry;
		u64 va = va_base | (i << shift_of(level));
		if (level == w->levels && (va >> (vbits - 1)) & 1)
			va |= ~0ULL << vbits;             /* upper half */
		if (w->read(w->arg, epa | tag, &entry))
			return flag(a, PT_FAULT_READ, level, va, 0, epa);
		if (!(entry & PTE_PRESENT))
			continue;
		int f = check_entry(w, entry, level, true);
		if (f)
			return flag(a, f, level, va, entry, epa);
		u32 keyid = tag_keyid(w->enc, entry);
		if (level > 1 && !(entry & PTE_PS)) {
			/* Intel seed 5.1.1: the pointer to a table carries
			 * that table's KeyID. */
			if (keyid != a->spec->table_keyid)
				return flag(a, PT_FAULT_TABLE_KEYID, level, va, entry, epa);
			f = audit_table(a, frame_of(w, entry, FRAME_LOW), entry & w->enc->tag_mask,
					level - 1, va);
			if (f)
				return f;
			continue;
		}
		u64 size = 1ULL << shift_of(level);
		if (a->spec->leaf_keyid) {
			u32 want;
			if (!a->spec->leaf_keyid(a->spec->arg, va, size, &want))
				return flag(a, PT_FAULT_UNEXPECTED, level, va, entry, epa);
			if (keyid != want)
				return flag(a, PT_FAULT_LEAF_KEYID, level, va, entry, epa);
		}
		if (level == 1)
			a->rep->leaves_4k++;
		else if (level == 2)
			a->rep->leaves_2m++;
		else
			a->rep->leaves_1g++;
	}
	return PT_FAULT_NONE;
}

int pt_audit(const struct pt_walker *w, u64 cr3, const struct pt_audit_spec *spec,
	     struct pt_audit_report *report)
{
	if (!report)
		return PT_FAULT_BAD_ARGS;
	struct pt_audit_report zero = { 0 };
	*report = zero;
	struct audit a = { w, spec, report };
	if (!args_ok(w) || !spec)
		return flag(&a, PT_FAULT_BAD_ARGS, 0, 0, cr3, 0);
	int f = check_cr3(w, cr3);
	if (f)
		return flag(&a, f, 0, 0, cr3, 0);
	if (tag_keyid(w->enc, cr3) != spec->table_keyid)
		return flag(&a, PT_FAULT_TABLE_KEYID, 0, 0, cr3, 0);
	return audit_table(&a, frame_of(w, cr3, FRAME_LOW), cr3 & w->enc->tag_mask,
			   w->levels, 0);
}

int pt_audit_describe(const struct pt_audit_report *r, char *buf, size_t size)
{
	if (r->fault == PT_FAULT_NONE)
		return mc_snprintf(buf, size, "%llu tables, %llu 4K + %llu 2M + %llu 1G pages, all entries well formed",
				   (unsigned long long)r->tables, (unsigned long long)r->leaves_4k,
				   (unsigned long long)r->leaves_2m, (unsigned long long)r->leaves_1g);
	if (r->level == 0)
		return mc_snprintf(buf, size, "CR3 0x%016llx: %s", (unsigned long long)r->entry,
				   pt_fault_name(r->fault));
	return mc_snprintf(buf, size, "level %d entry 0x%016llx at pa 0x%llx (va 0x%016llx): %s",
			   r->level, (unsigned long long)r->entry, (unsigned long long)r->entry_pa,
			   (unsigned long long)r->va, pt_fault_name(r->fault));
}

int pt_walk_read_platform(void *arg, u64 tagged_pa, u64 *val)
{
	const struct mc_platform *p = arg;
	if (!p || !p->mem_read)
		return MC_PLAT_ENOSYS;
	return p->mem_read(p->ctx, tagged_pa, val, sizeof(*val));
}
