/* The model's state blob: layout, reset, attach, the DRBG and the
 * mc_platform operations that front the rest of lib/model. */
#include "lib/model/state.h"
#include "lib/checks/checks.h"   /* struct mc_check_input */
#include "lib/mem.h"
#include "lib/fmt.h"
#include "arch/x86/msr-index.h"

#define ALIGN64(x) (((x) + 63) & ~(u64)63)

/* Everything the layout depends on, derived from the profile alone, so
 * init and attach compute the same offsets. */
struct layout {
	u32 vendor, maxphyaddr, cbit, nkeys, ncpus, npkgs;
	u64 off_cpus, off_pkgs, off_keys, off_cache, off_slots, off_dram, dram, size;
	u64 off_index;                /* sparse DRAM only */
	u32 sparse;
};

static u32 profile_cpuid(const struct mc_profile *p, u32 leaf, int reg)
{
	const struct mc_profile_cpuid *c = mc_profile_find_cpuid(p, leaf, 0);
	if (!c)
		return 0;
	return reg == 0 ? c->eax : reg == 1 ? c->ebx : reg == 2 ? c->ecx : c->edx;
}

static u64 profile_msr(const struct mc_profile *p, u32 addr)
{
	const struct mc_profile_msr *m = mc_profile_find_msr(p, addr);
	return m && !(m->flags & MC_PROFILE_MSR_GP) ? m->value : 0;
}

static bool compute_layout(const struct mc_profile *p, struct layout *l, char *err, size_t errlen)
{
	u32 ebx = profile_cpuid(p, 0, 1), ext_max = profile_cpuid(p, CPUID_LEAF_EXT_MAX, 0);

	mc_memset(l, 0, sizeof(*l));
	if (!p || p->version != MC_PROFILE_VERSION || !p->cpus || !p->packages ||
	    p->cpus > MC_PROFILE_MAX_CPUS || p->packages > MC_PROFILE_MAX_PACKAGES ||
	    p->cpus % p->packages || p->n_cpuid > MC_PROFILE_MAX_CPUID || p->n_msr > MC_PROFILE_MAX_MSR ||
	    p->memory < MC_PROFILE_MIN_MEMORY || p->memory > MC_PROFILE_MAX_MEMORY ||
	    ((p->memory / p->packages) & 0xfff)) {
		mc_snprintf(err, errlen, "model: profile is not a parsed v%d profile", MC_PROFILE_VERSION);
		return false;
	}
	l->vendor = ebx == CPUID_VENDOR_INTEL_EBX ? MC_MODEL_VENDOR_INTEL :
		    ebx == CPUID_VENDOR_AMD_EBX ? MC_MODEL_VENDOR_AMD : MC_MODEL_VENDOR_OTHER;
	l->maxphyaddr = 36;       /* SDM: 36 when CPUID 0x80000008 is absent */
	if (ext_max >= CPUID_LEAF_ADDR_SIZES && (profile_cpuid(p, CPUID_LEAF_ADDR_SIZES, 0) & 0xff))
		l->maxphyaddr = profile_cpuid(p, CPUID_LEAF_ADDR_SIZES, 0) & 0xff;
	if (l->maxphyaddr < 32 || l->maxphyaddr > 52) {
		mc_snprintf(err, errlen, "model: MAXPHYADDR %u outside 32..52", l->maxphyaddr);
		return false;
	}
	l->dram = p->memory;
	if (l->dram > (1ULL << l->maxphyaddr)) {
		mc_snprintf(err, errlen, "model: memory (%llu MiB) above MAXPHYADDR %u",
			    (unsigned long long)(l->dram >> 20), l->maxphyaddr);
		return false;
	}
	l->nkeys = 1;
	bool tme = (profile_cpuid(p, 0, 0) >= 7) &&
		   ((mc_profile_find_cpuid(p, 7, 0) ? mc_profile_find_cpuid(p, 7, 0)->ecx : 0) & CPUID_7_ECX_TME);
	if (l->vendor == MC_MODEL_VENDOR_INTEL && tme) {
		u64 cap = profile_msr(p, MSR_IA32_TME_CAPABILITY);
		u32 bits = (u32)((cap & TME_CAP_MAX_KEYID_BITS_MASK) >> TME_CAP_MAX_KEYID_BITS_SHIFT);
		u32 keys = (u32)((cap & TME_CAP_MAX_KEYS_MASK) >> TME_CAP_MAX_KEYS_SHIFT);
		if (bits) {
			u32 addressable = (1u << bits) - 1;
			l->nkeys = (keys < addressable ? keys : addressable) + 1;
		}
		/* DRAM may reach into the PA bits the KeyIDs can take (Intel seed
		 * 5.1), as on a real box with more RAM than 2^(MAXPHYADDR -
		 * MK_TME_MAX_KEYID_BITS): the engine decodes the KeyID from the
		 * activated bits, so RAM above 2^(MAXPHYADDR - activated bits) is
		 * unreachable, as there. The BIOS plan then takes fewer bits and
		 * tme.ram_addressable FAILs a lock that strands RAM. */
	}
	if (l->vendor == MC_MODEL_VENDOR_AMD && ext_max >= CPUID_LEAF_AMD_MEM_ENCRYPT) {
		const struct mc_profile_cpuid *c = mc_profile_find_cpuid(p, CPUID_LEAF_AMD_MEM_ENCRYPT, 0);
		if (c && (c->eax & (CPUID_8000001F_EAX_SME | CPUID_8000001F_EAX_SEV))) {
			l->cbit = c->ebx & CPUID_8000001F_EBX_CBIT_MASK;
			if (l->cbit < 20 || l->dram > (1ULL << l->cbit)) {
				mc_snprintf(err, errlen, "model: C-bit %u overlaps simulated memory", l->cbit);
				return false;
			}
		}
	}
	l->ncpus = p->cpus;
	l->npkgs = p->packages;
	u64 off = ALIGN64(sizeof(struct mc_model_state));
	l->off_cpus = off;  off = ALIGN64(off + (u64)l->ncpus * sizeof(struct mc_model_cpu));
	l->off_pkgs = off;  off = ALIGN64(off + (u64)l->npkgs * sizeof(struct mc_model_pkg));
	l->off_keys = off;  off = ALIGN64(off + (u64)l->npkgs * l->nkeys * sizeof(struct mc_model_key));
	l->off_cache = off; off = ALIGN64(off + MC_CACHE_LINES * sizeof(struct mc_model_line));
	l->off_slots = off; off = ALIGN64(off + MC_XTS_SLOTS * sizeof(struct mc_model_slot));
	l->sparse = l->dram > MC_MODEL_FLAT_DRAM_MAX;
	if (l->sparse) {
		l->off_index = off; off = ALIGN64(off + MC_MODEL_SPARSE_INDEX * sizeof(struct mc_model_dram_ix));
		off = (off + MC_MODEL_PAGE - 1) & ~(u64)(MC_MODEL_PAGE - 1);
		l->off_dram = off;  off += (u64)MC_MODEL_SPARSE_PAGES * MC_MODEL_PAGE;
	} else {
		l->off_dram = off;  off = ALIGN64(off + l->dram);
	}
	l->size = off;
	return true;
}

size_t mc_model_state_size(const struct mc_profile *p)
{
	struct layout l;
	char err[8];
	return compute_layout(p, &l, err, sizeof(err)) ? (size_t)l.size : 0;
}

/* ---- DRBG: SplitMix64 over a counter. Deterministic by design (same seed,
 * same run); it models an RNG's interface, not its strength. ---------- */
static u64 drbg_next(struct mc_model_state *s)
{
	/* Atomic: CPUs running PCONFIG's RANDOM at once each get their own
	 * counter value. */
	u64 z = s->rng_seed + __atomic_add_fetch(&s->rng_ctr, 1, __ATOMIC_RELAXED) * 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void st_drbg_bytes(struct mc_model_state *s, u8 *out, size_t n)
{
	while (n) {
		u64 v = drbg_next(s);
		size_t k = n < 8 ? n : 8;
		mc_memcpy(out, &v, k);
		mc_wipe(&v, sizeof(v));
		out += k;
		n -= k;
	}
}

bool st_rand_bytes(struct mc_model_state *s, u8 *out, size_t n)
{
	if (s->profile.faults & MC_FAULT_RNG_FAIL)
		return false;
	st_drbg_bytes(s, out, n);
	return true;
}

u32 st_new_gen(struct mc_model_state *s)
{
	return __atomic_add_fetch(&s->gen_next, 1, __ATOMIC_RELAXED);
}

int st_cpu_index(struct mc_model_state *s, int cpu)
{
	if (cpu == MC_CPU_CURRENT)
		return (int)s->cur_cpu;
	return cpu >= 0 && (u32)cpu < s->ncpus ? cpu : -1;
}

/* ---- reset ---------------------------------------------------------- */
static void reset_intel(struct mc_model_state *s)
{
	const struct mc_profile *p = &s->profile;
	bool tme = st_tme_enumerated(s);

	for (u32 k = 0; k < s->npkgs; k++) {
		struct mc_model_pkg *pk = st_pkg(s, k);
		pk->capability = tme ? profile_msr(p, MSR_IA32_TME_CAPABILITY) : 0;
		pk->activate   = tme ? profile_msr(p, MSR_IA32_TME_ACTIVATE) : 0;
		pk->excl_mask  = tme ? profile_msr(p, MSR_IA32_TME_EXCLUDE_MASK) : 0;
		pk->excl_base  = tme ? profile_msr(p, MSR_IA32_TME_EXCLUDE_BASE) : 0;
		/* A profile whose reset value is already activated (BIOS did it
		 * before us) needs the platform key that activation made. */
		if ((pk->activate & (TME_ACTIVATE_LOCKED | TME_ACTIVATE_ENABLED)) ==
		    (TME_ACTIVATE_LOCKED | TME_ACTIVATE_ENABLED)) {
			u32 pol = (u32)((pk->activate & TME_ACTIVATE_POLICY_MASK) >> TME_ACTIVATE_POLICY_SHIFT);
			pk->tme_key_len = pol == TME_ACTIVATE_POLICY_AES_XTS_256 ? 64 : 32;
			st_drbg_bytes(s, pk->tme_key, pk->tme_key_len);
			pk->tme_gen = st_new_gen(s);
		}
	}
	for (u32 c = 0; c < s->ncpus; c++)
		st_cpu(s, c)->core_activate = tme ? profile_msr(p, MSR_IA32_MKTME_CORE_ACTIVATE) : 0;
	/* Key storage for "restore": a key saved by an earlier boot, or the
	 * zero key the restore-fail fault stands for. */
	s->saved_key_len = 64;
	if (!(p->faults & MC_FAULT_RESTORE_FAIL))
		st_drbg_bytes(s, s->saved_tme_key, sizeof(s->saved_tme_key));
}

int mc_model_init(void *state, size_t size, const struct mc_profile *p, u64 seed, char *err, size_t errlen)
{
	struct mc_model_state *s = state;
	struct layout l;

	if (!compute_layout(p, &l, err, errlen))
		return -1;
	if (!state || size < l.size) {
		mc_snprintf(err, errlen, "model: state needs %llu bytes, got %llu",
			    (unsigned long long)l.size, (unsigned long long)size);
		return -1;
	}
	mc_memset(s, 0, (size_t)l.size);
	s->magic = MC_MODEL_MAGIC;
	s->version = MC_MODEL_VERSION;
	s->hdr_size = sizeof(*s);
	s->size = l.size;
	s->off_cpus = l.off_cpus;   s->off_pkgs = l.off_pkgs;   s->off_keys = l.off_keys;
	s->off_cache = l.off_cache; s->off_slots = l.off_slots; s->off_dram = l.off_dram;
	s->dram_size = l.dram;
	s->off_index = l.off_index;
	s->sparse = l.sparse;
	s->ncpus = l.ncpus;
	s->npkgs = l.npkgs;
	s->nkeys = l.nkeys;
	s->vendor = l.vendor;
	s->maxphyaddr = l.maxphyaddr;
	s->cbit = l.cbit;
	s->rng_seed = seed;
	s->busy_left = (p->faults & MC_FAULT_PCONFIG_BUSY) ? p->pconfig_busy : 0;
	mc_memcpy(&s->profile, p, sizeof(*p));

	for (u32 c = 0; c < s->ncpus; c++) {
		struct mc_model_cpu *cpu = st_cpu(s, c);
		cpu->package = c / (s->ncpus / s->npkgs);
		for (u32 i = 0; i < p->n_msr; i++)
			cpu->msr[i] = p->msr[i].value;
	}
	for (u32 k = 0; k < s->npkgs; k++)
		st_pkg(s, k)->off_keys = l.off_keys + (u64)k * l.nkeys * sizeof(struct mc_model_key);
	if (s->vendor == MC_MODEL_VENDOR_INTEL)
		reset_intel(s);
	if (s->vendor == MC_MODEL_VENDOR_AMD) {
		/* The AMD secure processor makes these at reset (AMD seed "SME"). */
		st_drbg_bytes(s, s->amd_host_key, sizeof(s->amd_host_key));
		st_drbg_bytes(s, s->amd_guest_key, sizeof(s->amd_guest_key));
	}
	return 0;
}

/* ---- mc_platform operations ----------------------------------------- */
static int op_cpu_count(void *ctx) { return (int)ST(ctx)->ncpus; }

static int op_package_of(void *ctx, int cpu)
{
	int c = st_cpu_index(ST(ctx), cpu);
	return c < 0 ? MC_PLAT_EINVAL : (int)st_cpu(ST(ctx), (u32)c)->package;
}

static void op_cpuid(void *ctx, int cpu, u32 leaf, u32 sub, struct cpuid_regs *r)
{
	int c = st_cpu_index(ST(ctx), cpu);
	st_cpuid(ST(ctx), c < 0 ? 0 : (u32)c, leaf, sub, r);
}

static int op_rdmsr(void *ctx, int cpu, u32 msr, u64 *val)
{
	int c = st_cpu_index(ST(ctx), cpu);
	return c < 0 ? MC_PLAT_ENOSYS : st_rdmsr(ST(ctx), (u32)c, msr, val);
}

static int op_wrmsr(void *ctx, int cpu, u32 msr, u64 val)
{
	int c = st_cpu_index(ST(ctx), cpu);
	return c < 0 ? MC_PLAT_ENOSYS : st_wrmsr(ST(ctx), (u32)c, msr, val);
}

static int op_pconfig(void *ctx, int cpu, u32 leaf, const void *sp, u64 *rax, bool *zf)
{
	int c = st_cpu_index(ST(ctx), cpu);
	return c < 0 ? MC_PLAT_ENOSYS : st_pconfig(ST(ctx), (u32)c, leaf, sp, rax, zf);
}

static int op_mem_write(void *ctx, u64 pa, const void *b, size_t n) { return st_mem_write(ST(ctx), pa, b, n); }
static int op_mem_read(void *ctx, u64 pa, void *b, size_t n) { return st_mem_read(ST(ctx), pa, b, n); }
static int op_mem_raw(void *ctx, u64 pa, void *b, size_t n) { return st_mem_raw_read(ST(ctx), pa, b, n); }
static void op_clflush(void *ctx, u64 pa) { st_clflush(ST(ctx), pa); }
static void op_wbinvd(void *ctx) { mc_model_wbinvd_on(ctx, ST(ctx)->cur_cpu); }

void mc_model_wbinvd_on(void *state, u32 cpu)
{
	struct mc_model_state *s = state;
	if (cpu >= s->ncpus)
		cpu = 0;
	struct mc_model_pkg *pk = st_pkg(s, st_cpu(s, cpu)->package);
	st_wbinvd(s);        /* one cache in the model: all of it (docs/model.md) */
	pk->wbinvd_count++;
	pk->wbinvd_last_cpu = cpu;
}

int mc_model_pkg_log(const void *state, u32 pkg, struct mc_model_pkg_log *out)
{
	struct mc_model_state *s = (struct mc_model_state *)state;
	if (!s || s->magic != MC_MODEL_MAGIC || pkg >= s->npkgs)
		return -1;
	struct mc_model_pkg *pk = st_pkg(s, pkg);
	*out = (struct mc_model_pkg_log){ pk->pconfig_count, pk->pconfig_last_cpu, pk->wbinvd_count,
					  pk->wbinvd_last_cpu, pk->busy_count };
	return 0;
}

int mc_model_key_by(const void *state, u32 pkg, u32 keyid, u32 *cpu, u32 *gen)
{
	struct mc_model_state *s = (struct mc_model_state *)state;
	if (!s || s->magic != MC_MODEL_MAGIC || pkg >= s->npkgs || keyid >= s->nkeys)
		return -1;
	struct mc_model_key *e = st_key(s, pkg, keyid);
	*cpu = e->by_cpu;
	*gen = e->gen;
	return 0;
}

static int op_rng(void *ctx, u64 *val)
{
	/* RDRAND with retry: the rng-fail fault makes every retry fail. */
	return st_rand_bytes(ST(ctx), (u8 *)val, sizeof(*val)) ? 0 : MC_PLAT_ENOSYS;
}

static int op_on_cpu(void *ctx, int cpu, void (*fn)(void *arg), void *arg)
{
	struct mc_model_state *s = ST(ctx);
	int c = st_cpu_index(s, cpu);
	if (c < 0)
		return MC_PLAT_ENOSYS;
	u32 prev = s->cur_cpu;
	s->cur_cpu = (u32)c;
	fn(arg);
	s->cur_cpu = prev;
	return 0;
}

int mc_model_attach(void *state, size_t size, struct mc_platform *out)
{
	struct mc_model_state *s = state;
	struct layout l;
	char err[8];

	if (!s || size < sizeof(*s) || s->magic != MC_MODEL_MAGIC || s->version != MC_MODEL_VERSION ||
	    s->hdr_size != sizeof(*s) || s->size > size)
		return -1;
	/* Offsets are trusted only if they are the ones this binary would
	 * lay out for the profile the blob carries. */
	if (!compute_layout(&s->profile, &l, err, sizeof(err)) || l.size != s->size ||
	    l.off_cpus != s->off_cpus || l.off_pkgs != s->off_pkgs || l.off_keys != s->off_keys ||
	    l.off_cache != s->off_cache || l.off_slots != s->off_slots || l.off_dram != s->off_dram ||
	    l.nkeys != s->nkeys || l.ncpus != s->ncpus || l.npkgs != s->npkgs || l.dram != s->dram_size ||
	    l.off_index != s->off_index || l.sparse != s->sparse || s->pages_used > MC_MODEL_SPARSE_PAGES ||
	    s->cur_cpu >= s->ncpus)
		return -1;
	for (u32 k = 0; k < s->npkgs; k++)
		if (st_pkg(s, k)->off_keys != l.off_keys + (u64)k * l.nkeys * sizeof(struct mc_model_key))
			return -1;
	/* Expanded keys may come from another binary's backend choice:
	 * rebuild them here. */
	st_forget_slots(s);
	mc_memset(out, 0, sizeof(*out));
	out->name = "model";
	out->ctx = s;
	out->cpu_count = op_cpu_count;
	out->package_of = op_package_of;
	out->cpuid = op_cpuid;
	out->rdmsr = op_rdmsr;
	out->wrmsr = op_wrmsr;
	out->pconfig = op_pconfig;
	out->mem_write = op_mem_write;
	out->mem_read = op_mem_read;
	out->mem_raw_read = op_mem_raw;
	out->clflush = op_clflush;
	out->wbinvd = op_wbinvd;
	out->rng = op_rng;
	out->on_cpu = op_on_cpu;
	return 0;
}

void mc_model_smi(void *state)
{
	struct mc_model_state *s = state;
	if (s->smi_done)
		return;
	s->smi_done = 1;
	if (s->vendor == MC_MODEL_VENDOR_INTEL)
		st_tme_smi(s);
}

int mc_model_info(const void *state, struct mc_model_info *out)
{
	const struct mc_model_state *s = state;
	if (!s || s->magic != MC_MODEL_MAGIC)
		return -1;
	struct mc_model_state *m = (struct mc_model_state *)s;
	mc_memset(out, 0, sizeof(*out));
	out->vendor = s->vendor;
	out->maxphyaddr = s->maxphyaddr;
	if (s->vendor == MC_MODEL_VENDOR_INTEL)
		out->keyid_bits = (u32)((st_pkg(m, 0)->activate & TME_ACTIVATE_KEYID_BITS_MASK) >>
					TME_ACTIVATE_KEYID_BITS_SHIFT);
	out->cbit = s->cbit;
	out->dram_size = s->dram_size;
	out->dram_sparse = s->sparse;
	out->dram_stored_max = s->sparse ? (u64)MC_MODEL_SPARSE_PAGES * MC_MODEL_PAGE : s->dram_size;
	out->dram_pages_stored = s->sparse ? s->pages_used : 0;
	out->cpus = s->ncpus;
	out->packages = s->npkgs;
	return 0;
}

size_t mc_model_unit_size(const void *state)
{
	const struct mc_model_state *s = state;
	return s->vendor == MC_MODEL_VENDOR_AMD ? MC_MODEL_AMD_UNIT : MC_MODEL_INTEL_UNIT;
}

void mc_model_tweak(u64 unit_pa, u8 tweak[16])
{
	for (int i = 0; i < 16; i++)
		tweak[i] = i < 8 ? (u8)(unit_pa >> (8 * i)) : 0;
}

const struct mc_os_view *mc_model_os_view(const void *state)
{
	const struct mc_model_state *s = state;
	return s && s->magic == MC_MODEL_MAGIC ? &s->profile.os : NULL;
}

void mc_model_check_input(const void *state, struct mc_check_input *in)
{
	static struct mc_os_view tsme_only;
	struct mc_model_info info;
	const struct mc_os_view *os = mc_model_os_view(state);
	in->ram_top = mc_model_info(state, &info) ? 0 : info.dram_size;
	tsme_only.tsme = os ? os->tsme : MC_TRI_UNKNOWN;
	in->os = &tsme_only;
}
