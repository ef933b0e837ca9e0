/* x86-64 page-table builder with memory-encryption tags: 4-level paging, or
 * 5-level (LA57, PML5); 4 KiB, 2 MiB and 1 GiB pages; the KeyID (Intel
 * MKTME) or the C-bit (AMD SME) in the physical address of every entry at
 * every level, and in CR3.
 *
 * Pure logic: no instruction is executed here (no CR3 load, no INVLPG), so the
 * same object is built for the UEFI stage, the kernel and the host tests. The
 * caller supplies the page allocator and the physical<->virtual translation
 * (struct pt_env) and loads pt_cr3() itself.
 *
 * Where the tag sits (struct pt_encoding):
 *   Intel seed 5.1: once MKTME is active the upper physical-address bits,
 *     starting with the highest bit that CPUID 0x80000008 MAX_PA enumerates,
 *     carry the KeyID: with k activated KeyID bits (IA32_TME_ACTIVATE[35:32],
 *     Intel seed Table 4-2) the KeyID is bits [MAX_PA-1 : MAX_PA-k] and
 *     addresses use bits [MAX_PA-k-1 : 0].
 *   Intel seed 5.1.1: every level of the IA page table uses such addresses,
 *     and so does CR3.
 *   Intel seed 5.1.3: reserved-bit checking still follows MAX_PA, so bits
 *     [51 : MAX_PA] stay reserved (zero) in every entry.
 *   AMD seed "SME - technical details": the C-bit position comes from CPUID
 *     0x8000001F EBX[5:0] (e.g. bit 47), and with SME on some address bits
 *     below it are reserved (EBX[11:6] of them, FACTS.md): addresses use bits
 *     [MAX_PA-reduction-1 : 0]. The C-bit of an entry decides whether what
 *     the entry points to (data page or next table) is encrypted, so the
 *     builder sets it at every level as it sets the KeyID.
 * One rule covers both: address bits are [addr_bits-1 : 0]; tag_mask says
 * which of the bits [51 : addr_bits] carry the tag; every other bit there is
 * reserved and is never set.
 *
 * Which KeyID the tables use: every paging-structure page of one struct pt
 * (root included) uses the same table KeyID, given to pt_init. CR3 and every
 * non-leaf entry carry it (Intel seed 5.1.1); each leaf carries the KeyID
 * given to pt_map for its range. On AMD, KeyID 1 means "C-bit set" and 0
 * "clear". The env's phys_to_virt must return a pointer that reads and
 * writes a table page the way the table KeyID does (on hardware: through a
 * mapping with that KeyID, or KeyID 0 for tables built before the switch).
 *
 * Every function returns 0 or a negative PT_E* code and never leaves a
 * partial mapping behind: bad input is refused before any entry changes. */
#ifndef MC_ARCH_X86_PAGING_H
#define MC_ARCH_X86_PAGING_H
#include "lib/types.h"

/* Paging-entry bits (Intel SDM vol. 3 "4-level paging"; names as Linux's
 * _PAGE_* with a PTE_ prefix). PTE_PS is "page size" in a PDPTE/PDE. */
#define PTE_PRESENT   BIT_ULL(0)
#define PTE_RW        BIT_ULL(1)
#define PTE_USER      BIT_ULL(2)
#define PTE_PWT       BIT_ULL(3)
#define PTE_PCD       BIT_ULL(4)
#define PTE_ACCESSED  BIT_ULL(5)
#define PTE_DIRTY     BIT_ULL(6)
#define PTE_PS        BIT_ULL(7)
#define PTE_GLOBAL    BIT_ULL(8)
#define PTE_NX        BIT_ULL(63)    /* needs EFER.NXE, else reserved */
/* Flags a caller may ask pt_map for; PRESENT (and PS for large pages) are
 * added by the builder. */
#define PTE_MAP_FLAGS (PTE_RW | PTE_USER | PTE_PWT | PTE_PCD | PTE_GLOBAL | PTE_NX)

#define PT_SIZE_4K    0x1000ULL
#define PT_SIZE_2M    0x200000ULL
#define PT_SIZE_1G    0x40000000ULL
#define PT_ENTRIES    512
#define PT_MAX_PA_ARCH 52            /* entries hold physical bits [51:12] */

/* Errors (negative). pt_strerror names the argument at fault. */
#define PT_EINVAL     (-1)   /* bad argument: levels, size 0, flags, page size */
#define PT_ENONCANON  (-2)   /* va range not canonical for the paging mode */
#define PT_EALIGN     (-3)   /* va, pa or size not 4 KiB aligned */
#define PT_EKEYID     (-4)   /* KeyID above what the encoding can carry */
#define PT_EPA        (-5)   /* pa uses bits of the tag or above the address bits */
#define PT_EEXIST     (-6)   /* part of the va range is already mapped */
#define PT_ENOMEM     (-7)   /* allocator returned NULL or an unusable page */
#define PT_ESPLIT     (-8)   /* unmap would cut a large page in two */
const char *pt_strerror(int err);

/* How the encryption tag sits in a physical address. Build it with one of
 * the pt_encoding_* functions, which check it. */
struct pt_encoding {
	u64 tag_mask;             /* KeyID field (Intel) or the C-bit (AMD); 0 = none */
	unsigned int keyid_shift; /* lowest tag bit: Intel MAX_PA-k, AMD the C-bit */
	unsigned int max_pa;      /* MAXPHYADDR, CPUID 0x80000008 EAX[7:0] */
	unsigned int addr_bits;   /* physical bits an address may use */
	u32 max_keyid;            /* Intel 2^k-1, AMD 1 (C-bit set), none 0 */
};

/* No tag (TME without MKTME, or no encryption): addresses use all of MAX_PA. */
int pt_encoding_plain(struct pt_encoding *e, unsigned int max_pa);
/* Intel MKTME with keyid_bits activated KeyID bits (Intel seed 5.1, Table 4-2:
 * 0..15; 0 gives the plain encoding). */
int pt_encoding_intel(struct pt_encoding *e, unsigned int max_pa, unsigned int keyid_bits);
/* AMD SME: C-bit at cbit (CPUID 0x8000001F EBX[5:0]); reduction = EBX[11:6]
 * when SYSCFG[23] MemEncryptionModEn is set, else 0 (FACTS.md). */
int pt_encoding_amd(struct pt_encoding *e, unsigned int max_pa, unsigned int cbit,
		    unsigned int reduction);

/* pa with the KeyID (or C-bit when keyid is 1) placed in the tag bits.
 * Refuses a pa that reaches into the tag or past addr_bits (PT_EPA) and a
 * KeyID the encoding cannot carry (PT_EKEYID); *out is set only on success. */
int pt_keyid_pa(const struct pt_encoding *e, u64 pa, u32 keyid, u64 *out);

/* What the builder needs from its host. alloc_page returns a 4 KiB-aligned,
 * 4 KiB page (contents need not be zero) or NULL; free_page may be NULL
 * (then tables emptied by pt_unmap are simply left unused); phys_to_virt
 * gets an untagged address (see "which KeyID the tables use" above). */
struct pt_env {
	void *(*alloc_page)(void *arg);
	void  (*free_page)(void *arg, void *page);
	u64   (*virt_to_phys)(void *arg, const void *p);
	void *(*phys_to_virt)(void *arg, u64 pa);
	void *arg;
};

struct pt {
	u64 root_pa;              /* untagged physical address of the PML4/PML5 */
	int levels;               /* 4, or 5 with LA57 */
	u32 table_keyid;          /* KeyID of every table page, CR3 included */
	struct pt_encoding enc;
	struct pt_env env;
	u64 table_pages;          /* table pages in use, root included */
};

/* levels: 4 or 5. Allocates the root. */
int pt_init(struct pt *pt, int levels, const struct pt_encoding *enc, u32 table_keyid,
	    const struct pt_env *env);

/* Map [va, va+size) to [pa, pa+size) with the given PTE_MAP_FLAGS and KeyID,
 * using for each piece the largest page size <= max_page_size (PT_SIZE_4K,
 * _2M or _1G) that va, pa and the remaining size allow. Any part already
 * mapped gives PT_EEXIST and nothing changes. */
int pt_map(struct pt *pt, u64 va, u64 pa, u64 size, u64 flags, u32 keyid,
	   u64 max_page_size);

/* Unmap [va, va+size): holes are skipped; a large page only partly inside
 * the range gives PT_ESPLIT and nothing changes. Tables left empty are
 * unlinked (and freed if the env can). */
int pt_unmap(struct pt *pt, u64 va, u64 size);

/* Root physical address with the table KeyID bits (Intel seed 5.1.1: CR3
 * carries a KeyID like every level); PWT/PCD clear, no PCID. */
u64 pt_cr3(const struct pt *pt);

/* Linear-address width for the mode: 48 (4-level) or 57 (LA57). */
unsigned int pt_va_bits(int levels);
bool pt_va_canonical(int levels, u64 va);

#endif
