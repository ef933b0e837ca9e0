/* An independent software page walker and table auditor.
 *
 * Written apart from paging.c and never calling into it: it reads tables
 * only through a callback, from CR3 down, the way the processor does, so it
 * checks the builder (and any table built elsewhere, e.g. by firmware)
 * instead of repeating the builder's own arithmetic. It shares with
 * paging.h only the description of the tag (struct pt_encoding) and the
 * architectural PTE_* bit names.
 *
 * The read callback gets the physical address of the 8-byte entry WITH the
 * KeyID (or C-bit) of the table it lies in, exactly as the processor would
 * put it on the bus (Intel seed 5.1.1: each level, CR3 included, carries a
 * KeyID). So on the model it can be the memory port (mc_platform mem_read),
 * whose engine decrypts with that KeyID; on the host it strips the tag and
 * reads a pointer. See pt_walk_read_platform.
 *
 * Pure logic: built for the host, the UEFI stage and the kernel. */
#ifndef MC_ARCH_X86_PAGEWALK_H
#define MC_ARCH_X86_PAGEWALK_H
#include "lib/types.h"
#include "lib/platform.h"
#include "arch/x86/paging.h"

/* What a walk or an audit found; 0 = fine. */
enum pt_fault {
	PT_FAULT_NONE = 0,
	PT_FAULT_BAD_ARGS,         /* levels not 4/5, missing callback or encoding */
	PT_FAULT_NONCANONICAL,     /* va not canonical for the mode (#GP on hardware) */
	PT_FAULT_NOT_PRESENT,      /* P=0 at `level` (#PF) */
	PT_FAULT_RESERVED,         /* a reserved bit is set (#PF with RSVD): bits
				      [51:addr_bits] outside the tag, PS in a
				      PML4E/PML5E, large-page frame bits below the
				      page size (PAT bit 12 aside), or CR3 bits */
	PT_FAULT_HIGH_BITS,        /* bits 62:52 set: ignored by hardware but never
				      written by this project; where a sign-extended
				      KeyID shift lands (strict mode only) */
	PT_FAULT_READ,             /* the read callback failed */
	PT_FAULT_KEYID_RANGE,      /* tag holds a KeyID above the encoding's maximum */
	PT_FAULT_TABLE_KEYID,      /* CR3 or a non-leaf entry lacks the table KeyID (audit) */
	PT_FAULT_LEAF_KEYID,       /* leaf KeyID differs from the expected one (audit) */
	PT_FAULT_UNEXPECTED,       /* a leaf maps va the spec says must not be mapped (audit) */
};
const char *pt_fault_name(int fault);

struct pt_walker {
	const struct pt_encoding *enc;
	int levels;                 /* 4, or 5 with LA57 */
	bool strict;                /* also report PT_FAULT_HIGH_BITS */
	int (*read)(void *arg, u64 tagged_pa, u64 *val);   /* 0 = ok */
	void *arg;
};

struct pt_walk_result {
	int fault;                  /* enum pt_fault */
	int level;                  /* level of the leaf, or of the faulting entry
				       (5 PML5E .. 1 PTE; 0 = CR3 itself) */
	u64 pa;                     /* untagged physical address of va */
	u32 keyid;                  /* KeyID (AMD: C-bit) of the leaf */
	u64 page_size;              /* 4 KiB, 2 MiB or 1 GiB */
	u64 flags;                  /* leaf PTE_* bits; RW and USER only if every
				       level allows, NX if any level sets it */
	u64 entry;                  /* raw leaf (or faulting) entry */
};

/* Translate va from cr3 as the processor would (EFER.NXE=1, CR4.PAE=1, and
 * CR4.LA57 when levels is 5). Returns out->fault. */
int pt_walk(const struct pt_walker *w, u64 cr3, u64 va, struct pt_walk_result *out);

/* What the audit expects. Every table page, and so CR3 and every non-leaf
 * entry, must carry table_keyid. If leaf_keyid is set it is asked, for each
 * leaf, which KeyID the page at va should carry; returning false means va
 * should not be mapped at all. */
struct pt_audit_spec {
	u32 table_keyid;
	bool (*leaf_keyid)(void *arg, u64 va, u64 page_size, u32 *keyid);
	void *arg;
};

struct pt_audit_report {
	int fault;                  /* enum pt_fault of the first bad entry */
	int level;                  /* its level (0 = CR3) */
	u64 va;                     /* first va it covers */
	u64 entry;                  /* the raw entry (or CR3) */
	u64 entry_pa;               /* untagged address of the entry itself */
	u64 tables;                 /* table pages visited, root included */
	u64 leaves_4k, leaves_2m, leaves_1g;
};

/* Check every present entry at every level reachable from cr3, in address
 * order, stopping at the first bad one (always strict about bits 62:52).
 * Returns report->fault. */
int pt_audit(const struct pt_walker *w, u64 cr3, const struct pt_audit_spec *spec,
	     struct pt_audit_report *report);

/* One line for a report ("level 2 entry 0x... at pa 0x... va 0x...: ..."). */
int pt_audit_describe(const struct pt_audit_report *r, char *buf, size_t size);

/* A read callback over the platform memory port: arg is a
 * const struct mc_platform *; the tagged address goes to mem_read as is. */
int pt_walk_read_platform(void *arg, u64 tagged_pa, u64 *val);

#endif
