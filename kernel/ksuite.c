#include "kernel/ksuite.h"
#include "kernel/hw_mem.h"
#include "kernel/platform_smp.h"
#include "kernel/smp.h"
#include "lib/model/model.h"
#include "arch/x86/paging.h"
#include "arch/x86/simd.h"
#include "lib/crypto/xts.h"
#include "lib/fmt.h"
#include "lib/mem.h"

const char *kmk_unusable(const struct mc_facts *f, char *buf, size_t size)
{
	if (f->vendor != MC_VENDOR_INTEL)
		return mc_snprintf(buf, size, "not an Intel CPU (%s)", f->vendor_id), buf;
	if (!f->tme.supported)
		return "TME not enumerated (CPUID.7.0:ECX[13]=0)";
	if (!f->tme.pconfig)
		return "PCONFIG not enumerated (CPUID.7.0:EDX[18]=0)";
	if (!f->tme.read)
		return "IA32_TME_ACTIVATE could not be read";
	if (!f->tme.active) {
		mc_snprintf(buf, size, "MKTME not activated by the BIOS stage (IA32_TME_ACTIVATE=0x%016llx: lock %d, enable %d)",
			    (unsigned long long)f->tme.act.raw, f->tme.act.locked, f->tme.act.enabled);
		return buf;
	}
	if (!f->tme.mktme || !f->tme.keyids) {
		mc_snprintf(buf, size, "TME active without MKTME (IA32_TME_ACTIVATE=0x%016llx: MK_TME_KEYID_BITS 0)",
			    (unsigned long long)f->tme.act.raw);
		return buf;
	}
	if (!f->tme.mktme_keyids) {
		mc_snprintf(buf, size, "no MKTME KeyIDs: all %u are TDX private (IA32_MKTME_KEYID_PARTITIONING=0x%016llx)",
			    f->tme.keyids, (unsigned long long)f->tme.partition);
		return buf;
	}
	if (!(f->tme.act.crypto_algs & (MKTME_AES_XTS_128 | MKTME_AES_XTS_256))) {
		mc_snprintf(buf, size, "no AES-XTS algorithm activated (MK_TME_CRYPTO_ALGS=0x%x)", f->tme.act.crypto_algs);
		return buf;
	}
	return NULL;
}

bool kmk_get(struct kernel_ctx *k, const char *id, struct kmk *m)
{
	char why[160];
	const struct mc_facts *f = kernel_facts();
	const char *r = kmk_unusable(f, why, sizeof(why));

	if (r) {
		mc_report(k->res, MC_SKIP, id, "%s", r);
		return false;
	}
	mc_memset(m, 0, sizeof(*m));
	m->k = k;
	m->p = &k->plat;
	m->f = f;
	m->max_pa = f->phys_bits;
	m->keyid_bits = f->tme.keyid_bits;
	/* Only MKTME KeyIDs: TDX private ones are the TDX module's (FACTS.md);
	 * on hardware the raw view keeps the top one for itself. */
	m->keyids = f->tme.keyids;
	m->mktme_keyids = f->tme.mktme_keyids;
	m->raw_keyid = k->on_model ? 0 : hw_mem_raw_keyid(f);
	m->nkeyids = m->mktme_keyids - (m->raw_keyid ? 1 : 0);
	/* Only the algorithms this code knows how to key (Table 4-2 bits 48, 50). */
	m->nalgs = mktme_algs_list(f->tme.act.crypto_algs & (MKTME_AES_XTS_128 | MKTME_AES_XTS_256), m->algs);
	return true;
}

u64 kmk_pa(const struct kmk *m, u64 pa, u32 keyid)
{
	return mc_facts_keyid_pa(m->f, pa, (u16)keyid);
}

u8 *kpc_page(void)
{
	static u8 *page;
	if (!page)
		page = kalloc_pages(1);   /* 4 KiB aligned, so 256-byte aligned */
	return page;
}

int kpc_cpu_of(const struct mc_platform *p, int cpus, int pkg)
{
	int any = -1;
	/* A CPU of the package that runs on a real CPU of its own (is up),
	 * else any CPU of it (the model runs that one on the boot CPU). */
	for (int c = 0; c < cpus; c++)
		if (p->package_of(p->ctx, c) == pkg) {
			if (smp_cpu_up(c))
				return c;
			if (any < 0)
				any = c;
		}
	return any;
}

int kpc_once(const struct kmk *m, int cpu, const void *s, u64 *rax, bool *zf)
{
	return m->p->pconfig(m->p->ctx, cpu, PCONFIG_LEAF_MKTME_KEY_PROGRAM, s, rax, zf);
}

bool kpc_mutation_pkg0_only;

u32 kpc_packages(const struct kmk *m)
{
	int pkgs = m->f->packages > 0 ? m->f->packages : 1;
	return (u32)(pkgs > KPC_MAX_PKGS ? KPC_MAX_PKGS : pkgs);
}

bool kpc_all_packages(const struct kmk *m, const struct kpc_result *r)
{
	u32 n = kpc_packages(m);
	return r->hit == (n >= 64 ? ~0ULL : (1ULL << n) - 1);
}

const char *kpc_where(const struct kpc_result *r, u32 pkgs, char *buf, size_t size)
{
	size_t n = (size_t)mc_snprintf(buf, size, "package:CPU(real CPU)");
	for (u32 p = 0; p < pkgs && p < KPC_MAX_PKGS && n + 16 < size; p++)
		n += (size_t)mc_snprintf(buf + n, size - n, " %u:%d(%d)", p, r->cpu[p], r->real[p]);
	return buf;
}

/* One PCONFIG executed on the CPU on_cpu put us on; who ran it. */
struct kpc_exec {
	const struct mc_platform *p;
	const void *s;
	u64 rax;
	bool zf;
	int fault, real, pkg;
};

static void kpc_exec_here(void *arg)
{
	struct kpc_exec *e = arg;
	e->fault = e->p->pconfig(e->p->ctx, MC_CPU_CURRENT, PCONFIG_LEAF_MKTME_KEY_PROGRAM, e->s, &e->rax, &e->zf);
	e->real = smp_this_cpu();
	e->pkg = e->p->package_of(e->p->ctx, MC_CPU_CURRENT);
}

/* The model's own record: which packages' entry for keyid changed. */
static void model_gens(u16 keyid, u32 pkgs, u32 *gen)
{
	void *st = kmodel_state();
	for (u32 p = 0; p < pkgs; p++) {
		u32 cpu;
		gen[p] = 0;
		if (st)
			mc_model_key_by(st, p, keyid, &cpu, &gen[p]);
	}
}

void kpc_program(struct kmk *m, u16 keyid, u32 cmd, u32 alg, const u8 *k1, const u8 *k2,
		 struct kpc_result *r)
{
	struct mktme_key_program *s = (void *)kpc_page();
	int cpus = m->f->cpus > 0 ? m->f->cpus : 1;
	u32 pkgs = kpc_packages(m), before[KPC_MAX_PKGS], after[KPC_MAX_PKGS];

	mc_memset(r, 0, sizeof(*r));
	for (u32 p = 0; p < KPC_MAX_PKGS; p++)
		r->cpu[p] = r->real[p] = -1;
	if (!s) {
		r->fault = MC_PLAT_ENOSYS;
		return;
	}
	if (m->k->on_model)
		model_gens(keyid, pkgs, before);
	for (u32 pkg = 0; pkg < pkgs; pkg++) {
		int cpu = kpc_cpu_of(m->p, cpus, kpc_mutation_pkg0_only ? 0 : (int)pkg);
		r->pkg = (int)pkg;
		if (cpu < 0) {
			r->fault = MC_PLAT_ENOSYS;
			break;
		}
		struct kpc_exec e = { m->p, s, 0, false, 0, -1, -1 };
		for (u32 t = 0; t < KPC_BUSY_TRIES; t++) {
			mktme_prog_build(s, keyid, cmd, alg, k1, k2);
			/* Executed on a CPU of this package (seed 6.2.1, 7.4 note). */
			int rc = m->p->on_cpu(m->p->ctx, cpu, kpc_exec_here, &e);
			r->fault = rc ? rc : e.fault;
			r->status = e.rax;
			r->zf = e.zf;
			if (r->fault || r->status != MKTME_DEVICE_BUSY)
				break;
			r->busy++;
		}
		r->passes++;
		if (!kpc_ok(r))
			break;
		r->cpu[pkg] = cpu;
		r->real[pkg] = e.real;
		if (!m->k->on_model && e.pkg >= 0 && e.pkg < 64)
			r->hit |= 1ULL << e.pkg;
	}
	if (m->k->on_model) {
		model_gens(keyid, pkgs, after);
		for (u32 p = 0; p < pkgs; p++)
			if (after[p] != before[p])
				r->hit |= 1ULL << p;
	}
	for (u32 p = 0; p < 64; p++)
		r->packages += (r->hit >> p) & 1;
	mc_wipe(s, sizeof(*s));
}

struct wb { const struct mc_platform *p; };
static void wbinvd_here(void *arg)
{
	struct wb *w = arg;
	w->p->wbinvd(w->p->ctx);
}

u32 kwbinvd_all(struct kmk *m)
{
	int cpus = m->f->cpus > 0 ? m->f->cpus : 1;
	u32 done = 0, pkgs = kpc_packages(m);
	struct wb w = { m->p };
	for (u32 pkg = 0; pkg < pkgs; pkg++) {
		int cpu = kpc_cpu_of(m->p, cpus, kpc_mutation_pkg0_only ? 0 : (int)pkg);
		if (cpu >= 0 && !m->p->on_cpu(m->p->ctx, cpu, wbinvd_here, &w))
			done++;
	}
	return done;
}

bool kpc_ok(const struct kpc_result *r)
{
	return !r->fault && r->status == MKTME_PROG_SUCCESS && !r->zf;
}

const char *kpc_describe(const struct kpc_result *r, char *buf, size_t size)
{
	if (r->fault)
		mc_snprintf(buf, size, "%s (vector %d) on package %d", mc_fault_name(r->fault), r->fault, r->pkg);
	else
		mc_snprintf(buf, size, "%s (RAX=%llu), ZF=%d", mktme_status_name(r->status),
			    (unsigned long long)r->status, r->zf);
	return buf;
}

bool ksuite_random_key(const struct mc_platform *p, u8 *key, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		u64 v;
		if (p->rng(p->ctx, &v))
			return false;
		mc_memcpy(key + i, &v, len - i < 8 ? len - i : 8);
	}
	/* XTS needs K1 != K2 (NIST SP 800-38E); flip a bit if the RNG says otherwise. */
	if (!mc_memcmp(key, key + len / 2, len / 2))
		key[0] ^= 1;
	return true;
}

u64 ktest_page(struct kernel_ctx *k, u32 n)
{
	static u8 *pool;
	if (n >= KTEST_PAGES)
		return 0;
	if (k->on_model)
		return 0x200000 + (u64)n * 4096;
	if (!pool)
		pool = kalloc_pages(KTEST_PAGES);
	return pool ? (u64)(uintptr_t)pool + (u64)n * 4096 : 0;
}

u64 ktest_page_pkg(struct kernel_ctx *k, u32 pkg, u32 n)
{
	struct mc_model_info mi;
	if (!k->on_model || n >= KTEST_PAGES || mc_model_info(kmodel_state(), &mi) || pkg >= mi.packages)
		return 0;
	u64 slice = mi.dram_size / mi.packages, off = slice >= 0x400000 ? 0x200000 : slice / 2;
	return pkg * slice + off + (u64)n * 4096;
}

bool ksuite_model_stored_under(struct kernel_ctx *k, const u8 *key, size_t keylen, u64 upa, const u8 *plain,
			       const u8 *raw, size_t len)
{
	struct xts_ctx ctx;
	u8 tw[16], out[64];
	bool same = true;
	if (xts_init(&ctx, key, keylen, XTS_ENCRYPT, (enum xts_backend)ksuite_xts_backend(k, "encrypt.xts_backend")))
		return false;
	for (size_t off = 0; off + 64 <= len && same; off += 64) {
		mc_model_tweak(upa + off, tw);
		same = !xts_encrypt(&ctx, tw, plain + off, out, 64) && !mc_memcmp(out, raw + off, 64);
	}
	xts_wipe(&ctx);
	mc_wipe(out, sizeof(out));
	return same;
}

void kflush(const struct mc_platform *p, u64 pa, size_t len)
{
	for (u64 a = pa & ~63ULL; a < pa + len; a += 64)
		p->clflush(p->ctx, a);
}

void ksuite_pattern(u8 *buf, size_t len, u32 seed)
{
	u32 x = seed * 2654435761u + 0x9e3779b9u;
	for (size_t i = 0; i < len; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = (u8)(x >> 8);
	}
}

bool ksuite_all_zero(const u8 *buf, size_t len)
{
	return mc_is_zero(buf, len);
}

int ksuite_xts_backend(struct kernel_ctx *k, const char *id)
{
	static int chosen = -1;
	if (chosen >= 0)
		return chosen;
	u64 xcr0 = x86_simd_enable();
	enum xts_backend best = xts_backend_best();
	if (xts_selftest(best)) {
		chosen = best;
		mc_report(k->res, MC_PASS, id, "software AES-XTS backend %s passes its IEEE 1619 self-test (XCR0=0x%llx)",
			  xts_backend_name(best), (unsigned long long)xcr0);
		return chosen;
	}
	mc_report(k->res, MC_FAIL, id, "software AES-XTS backend %s fails its IEEE 1619 self-test; falling back to ct64",
		  xts_backend_name(best));
	chosen = XTS_BACKEND_CT64;
	if (!xts_selftest(XTS_BACKEND_CT64))
		mc_report(k->res, MC_FAIL, id, "the ct64 fallback fails its self-test too");
	return chosen;
}

static void *ktables_alloc(void *arg)
{
	struct ktables *t = arg;
	return t->used < t->n ? t->block + (u64)(t->used++) * PT_SIZE_4K : NULL;
}

static u64 ktables_v2p(void *arg, const void *v)
{
	struct ktables *t = arg;
	return t->base_pa + (u64)((const u8 *)v - t->block);
}

static void *ktables_p2v(void *arg, u64 pa)
{
	struct ktables *t = arg;
	return t->block + (pa - t->base_pa);
}

bool ktables_reset(struct ktables *t, u32 n)
{
	if (!t->block && !(t->block = kalloc_pages(n)))
		return false;
	t->used = 0, t->n = n, t->base_pa = (u64)(uintptr_t)t->block;
	return true;
}

void ktables_env(struct ktables *t, struct pt_env *env)
{
	*env = (struct pt_env){ ktables_alloc, 0, ktables_v2p, ktables_p2v, t };
}
