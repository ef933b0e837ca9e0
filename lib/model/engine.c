/* The memory engine: simulated DRAM behind a small write-back cache.
 *
 * Address decode. Intel: once package 0's IA32_TME_ACTIVATE is locked and
 * enabled with n KeyID bits, PA bits [MAXPHYADDR-1 : MAXPHYADDR-n] carry the
 * KeyID (Intel seed 5.1) and the rest is the DRAM address. AMD: when
 * memory encryption is on (host: CPU 0's SYSCFG[23]; guest: SEV_STATUS[0]),
 * the C-bit (CPUID 8000_001Fh EBX[5:0]) is taken out of the address. DRAM
 * is split evenly between packages; a line belongs to the package whose
 * slice holds it and is encrypted with that package's keys.
 *
 * What is stored (docs/model.md "Memory engine"):
 *   Intel, KeyID k, in the home package:
 *     TME not active (not locked+enabled)      plaintext
 *     k's entry ENCRYPT_WITH_KEYID_KEY         XTS with k's data/tweak keys
 *     k's entry NO_ENCRYPTION                  plaintext
 *     TME behaviour (k = 0, CLEAR_KEY, never programmed):
 *       bypass (ACTIVATE[31])                  plaintext (seed 4.2.1, 6.2.1.1.2)
 *       k = 0 and in the exclusion range       plaintext (seed 4.2.4, KeyID 0 only)
 *       otherwise                              XTS with the platform TME key
 *   AMD: C=1 -> XTS-AES-128 with the host (SME) key, or the guest key in an
 *   SEV guest; C=0 -> plaintext.
 *
 * DRAM storage (lib/model/dram.c): flat, or for a big memory map sparse,
 * only the pages written kept; a page never written reads as zeros.
 *
 * Cache rule (Intel seed 7.2: the KeyID is part of the address in caches,
 * and nothing keeps aliases coherent). MC_CACHE_LINES lines of 64 bytes,
 * fully associative, LRU, tagged by (line address, KeyID or C-bit), holding
 * plaintext:
 *   - a write or read of a line not cached under its tag allocates it,
 *     filling from DRAM decrypted with that tag's current key (evicting the
 *     least recently used line, writing it back if dirty);
 *   - writes only dirty the line; DRAM changes on write-back: eviction,
 *     clflush of that (address, tag), or wbinvd;
 *   - a write-back encrypts with the key the tag has AT WRITE-BACK TIME
 *     (a key changed by PCONFIG before the flush is the one used);
 *   - clflush(pa) flushes only the line cached under pa's own tag;
 *     wbinvd writes back every dirty line (in cache order) and empties it.
 * So a line written under KeyID A and not flushed is not yet in DRAM, and
 * a read under KeyID B meanwhile decrypts the old DRAM bytes (stale data),
 * exactly the hazards EvictPage (seed 7.5) flushes away. */
#include "lib/model/state.h"
#include "lib/mem.h"
#include "arch/x86/msr-index.h"

#define ACTIVE (TME_ACTIVATE_LOCKED | TME_ACTIVATE_ENABLED)

static u32 active_keyid_bits(struct mc_model_state *s)
{
	u64 a = st_pkg(s, 0)->activate;
	if ((a & ACTIVE) != ACTIVE)
		return 0;
	return (u32)((a & TME_ACTIVATE_KEYID_BITS_MASK) >> TME_ACTIVATE_KEYID_BITS_SHIFT);
}

static bool amd_guest(struct mc_model_state *s)
{
	struct cpuid_regs r;
	st_cpuid(s, 0, 1, 0, &r);
	return r.ecx & CPUID_1_ECX_HYPERVISOR;
}

/* Is the C-bit interpreted, and with which key (AMD seed "SEV and SME
 * interaction": host C-bit -> SME key; SEV guest C-bit -> guest key)? */
static bool amd_cbit_on(struct mc_model_state *s, bool *guest_key)
{
	u64 v;
	*guest_key = false;
	if (!s->cbit)
		return false;
	if (amd_guest(s)) {
		*guest_key = true;
		return st_rdmsr(s, 0, MSR_AMD64_SEV, &v) == 0 && (v & MSR_AMD64_SEV_ENABLED);
	}
	return st_rdmsr(s, 0, MSR_AMD64_SYSCFG, &v) == 0 && (v & MSR_AMD64_SYSCFG_MEM_ENCRYPT);
}

/* pa -> DRAM address and tag; false if it is outside the simulated DRAM. */
static bool decode(struct mc_model_state *s, u64 pa, size_t len, u64 *dpa, u32 *tag)
{
	bool gk;

	*tag = 0;
	*dpa = pa;
	if (s->vendor == MC_MODEL_VENDOR_INTEL) {
		u32 bits = active_keyid_bits(s);
		*tag = mc_keyid_of(pa, s->maxphyaddr, bits);
		*dpa = pa & GENMASK_ULL(s->maxphyaddr - bits - 1, 0);
		if (pa >> s->maxphyaddr)
			return false;
	} else if (s->vendor == MC_MODEL_VENDOR_AMD && amd_cbit_on(s, &gk)) {
		*tag = (u32)((pa >> s->cbit) & 1);
		*dpa = pa & ~BIT_ULL(s->cbit);
	}
	return *dpa < s->dram_size && len <= s->dram_size - *dpa;
}

static bool excluded(struct mc_model_pkg *pk, u64 dpa)
{
	if (!(pk->excl_mask & TME_EXCLUDE_MASK_ENABLE))
		return false;
	u64 m = pk->excl_mask & ~GENMASK_ULL(11, 0);
	return (dpa & m) == (pk->excl_base & m);
}

/* Which key transforms the line at dpa under tag, now. */
static void line_key(struct mc_model_state *s, u64 dpa, u32 tag, struct mc_line_key *k)
{
	mc_memset(k, 0, sizeof(*k));
	k->plain = true;
	if (s->vendor == MC_MODEL_VENDOR_AMD) {
		bool gk;
		if (tag && amd_cbit_on(s, &gk)) {
			k->plain = false;
			k->keyid = gk ? 2 : 1;
			k->gen = 1;
			k->key = gk ? s->amd_guest_key : s->amd_host_key;
			k->keylen = 32;
		}
		return;
	}
	if (s->vendor != MC_MODEL_VENDOR_INTEL)
		return;
	u32 pkg = (u32)(dpa / (s->dram_size / s->npkgs));
	struct mc_model_pkg *pk = st_pkg(s, pkg);
	if ((pk->activate & ACTIVE) != ACTIVE)
		return;
	if (tag && tag < s->nkeys) {
		struct mc_model_key *e = st_key(s, pkg, tag);
		if (e->mode == MC_KEY_MODE_PLAIN)
			return;
		if (e->mode == MC_KEY_MODE_OWN) {
			k->plain = false;
			k->pkg = pkg;
			k->keyid = tag;
			k->gen = e->gen;
			k->key = e->key;
			k->keylen = e->alg == MKTME_AES_XTS_256 ? 64 : 32;
			return;
		}
	}
	if ((pk->activate & TME_ACTIVATE_BYPASS) || (tag == 0 && excluded(pk, dpa)) || !pk->tme_key_len)
		return;
	k->plain = false;
	k->pkg = pkg;
	k->keyid = MC_SLOT_TME;
	k->gen = pk->tme_gen;
	k->key = pk->tme_key;
	k->keylen = pk->tme_key_len;
}

static u32 unit_of(struct mc_model_state *s)
{
	return s->vendor == MC_MODEL_VENDOR_AMD ? MC_MODEL_AMD_UNIT : MC_MODEL_INTEL_UNIT;
}

static void write_back(struct mc_model_state *s, struct mc_model_line *l)
{
	struct mc_line_key k;
	if (l->valid && l->dirty) {
		/* st_mem_write gave the page its backing before dirtying the line. */
		u8 *page = st_dram_page(s, l->pa, true);
		line_key(s, l->pa, l->tag, &k);
		if (page)
			st_crypt_line(s, &k, l->pa, unit_of(s), l->data, page + l->pa % MC_MODEL_PAGE, MC_LINE,
				      XTS_ENCRYPT);
	}
	l->dirty = 0;
}

static void drop(struct mc_model_line *l)
{
	mc_wipe(l, sizeof(*l));
}

static struct mc_model_line *lookup(struct mc_model_state *s, u64 lpa, u32 tag)
{
	struct mc_model_line *c = st_cache(s);
	for (int i = 0; i < MC_CACHE_LINES; i++)
		if (c[i].valid && c[i].pa == lpa && c[i].tag == tag)
			return &c[i];
	return NULL;
}

static struct mc_model_line *get_line(struct mc_model_state *s, u64 lpa, u32 tag)
{
	struct mc_model_line *c = st_cache(s), *l = lookup(s, lpa, tag);
	struct mc_line_key k;

	if (!l) {
		l = &c[0];
		for (int i = 0; i < MC_CACHE_LINES; i++) {
			if (!c[i].valid) {
				l = &c[i];
				break;
			}
			if (c[i].age < l->age)
				l = &c[i];
		}
		write_back(s, l);
		drop(l);
		static const u8 never_written[MC_LINE];   /* sparse DRAM's unwritten pages: zeros */
		const u8 *page = st_dram_page(s, lpa, false);
		line_key(s, lpa, tag, &k);
		st_crypt_line(s, &k, lpa, unit_of(s), page ? page + lpa % MC_MODEL_PAGE : never_written, l->data,
			      MC_LINE, XTS_DECRYPT);
		l->valid = 1;
		l->pa = lpa;
		l->tag = tag;
	}
	l->age = ++s->clock;
	return l;
}

int st_mem_write(struct mc_model_state *s, u64 pa, const void *buf, size_t len)
{
	const u8 *b = buf;
	u64 dpa;
	u32 tag;

	if (!decode(s, pa, len, &dpa, &tag))
		return MC_PLAT_EINVAL;
	/* Every page the span touches gets its DRAM backing first, so the
	 * write is whole or not at all and no later write-back can fail. */
	for (u64 pg = dpa & ~(u64)(MC_MODEL_PAGE - 1); len && pg < dpa + len; pg += MC_MODEL_PAGE)
		if (!st_dram_page(s, pg, true))
			return MC_PLAT_ENOMEM;
	while (len) {
		u64 lpa = dpa & ~(u64)(MC_LINE - 1);
		size_t off = (size_t)(dpa - lpa), n = MC_LINE - off < len ? MC_LINE - off : len;
		struct mc_model_line *l = get_line(s, lpa, tag);
		mc_memcpy(l->data + off, b, n);
		l->dirty = 1;
		b += n, dpa += n, len -= n;
	}
	return 0;
}

int st_mem_read(struct mc_model_state *s, u64 pa, void *buf, size_t len)
{
	u8 *b = buf;
	u64 dpa;
	u32 tag;

	if (!decode(s, pa, len, &dpa, &tag))
		return MC_PLAT_EINVAL;
	while (len) {
		u64 lpa = dpa & ~(u64)(MC_LINE - 1);
		size_t off = (size_t)(dpa - lpa), n = MC_LINE - off < len ? MC_LINE - off : len;
		mc_memcpy(b, get_line(s, lpa, tag)->data + off, n);
		b += n, dpa += n, len -= n;
	}
	return 0;
}

int st_mem_raw_read(struct mc_model_state *s, u64 pa, void *buf, size_t len)
{
	u64 dpa;
	u32 tag;

	if (!decode(s, pa, len, &dpa, &tag))
		return MC_PLAT_EINVAL;
	for (u8 *b = buf; len;) {
		size_t off = (size_t)(dpa % MC_MODEL_PAGE), n = MC_MODEL_PAGE - off < len ? MC_MODEL_PAGE - off : len;
		const u8 *page = st_dram_page(s, dpa, false);
		if (page)
			mc_memcpy(b, page + off, n);
		else
			mc_memset(b, 0, n);
		b += n, dpa += n, len -= n;
	}
	return 0;
}

void st_clflush(struct mc_model_state *s, u64 pa)
{
	u64 dpa;
	u32 tag;
	struct mc_model_line *l;

	if (!decode(s, pa, 1, &dpa, &tag))
		return;
	l = lookup(s, dpa & ~(u64)(MC_LINE - 1), tag);
	if (l) {
		write_back(s, l);
		drop(l);
	}
}

void st_wbinvd(struct mc_model_state *s)
{
	struct mc_model_line *c = st_cache(s);
	for (int i = 0; i < MC_CACHE_LINES; i++) {
		write_back(s, &c[i]);
		drop(&c[i]);
	}
}
