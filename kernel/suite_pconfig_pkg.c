/* pconfig.per_package: PCONFIG is package scoped and "needs to be executed
 * once per physical package" (Intel seed 6.2.1; 7.4 note: "on one LP on
 * each package/socket"). Shown by what memory does, not by what the loop
 * meant: on the model each package's key table encrypts the DRAM homed on
 * that package (lib/model/engine.c), so after a KeyID is given a new key a
 * page on every package must be stored under the new key. The negative
 * control programs package 0 only and shows package 1's page still under
 * the old key -- the check fails there, as it must. On hardware the kernel
 * does not know which memory each socket homes (no SRAT), so the lines
 * that show the executors (pconfig.<cmd>_<alg>) carry the proof. */
#include "kernel/ksuite.h"
#include "lib/fmt.h"
#include "lib/mem.h"

#define PAGE   4096
#define KEYID  1
#define TPAGE  6        /* test page number in each package's slice */

struct pkgtest {
	struct kmk *m;
	u32 pkgs, alg;
	size_t half;
	u8 plain[PAGE], raw[PAGE];
};

/* Write plain through KeyID on package pkg's page, flush, read DRAM back:
 * stored under key? */
static int stored_under(struct pkgtest *t, u32 pkg, const u8 *key, bool *yes)
{
	const struct mc_platform *p = t->m->p;
	u64 upa = ktest_page_pkg(t->m->k, pkg, TPAGE), pa = kmk_pa(t->m, upa, KEYID);
	int e = p->mem_write(p->ctx, pa, t->plain, PAGE);
	if (!e) {
		kflush(p, pa, PAGE);
		e = p->mem_raw_read(p->ctx, upa, t->raw, PAGE);
	}
	*yes = !e && ksuite_model_stored_under(t->m->k, key, 2 * t->half, upa, t->plain, t->raw, PAGE);
	return e;
}

/* Packages whose page is stored under key (bit p), or -1 on an error. */
static s64 under_key(struct pkgtest *t, const u8 *key)
{
	u64 mask = 0;
	for (u32 pkg = 0; pkg < t->pkgs; pkg++) {
		bool yes;
		if (stored_under(t, pkg, key, &yes))
			return -1;
		mask |= (u64)yes << pkg;
	}
	return (s64)mask;
}

/* PCONFIG DIRECT key on package pkg only, on a CPU of it. */
static bool program_one(struct pkgtest *t, u32 pkg, const u8 *key)
{
	u8 *s = kpc_page();
	int cpu = kpc_cpu_of(t->m->p, t->m->f->cpus, (int)pkg);
	u64 rax = 1;
	bool zf = true;
	for (int tries = 0; tries < KPC_BUSY_TRIES && s && cpu >= 0; tries++) {
		mktme_prog_build((void *)s, KEYID, MKTME_KEYID_SET_KEY_DIRECT, t->alg, key, key + t->half);
		if (kpc_once(t->m, cpu, s, &rax, &zf) || rax != MKTME_DEVICE_BUSY)
			break;
	}
	if (s)
		mc_wipe(s, 256);
	return rax == MKTME_PROG_SUCCESS && !zf;
}

void suite_pconfig_per_package(struct kmk *m);
void suite_pconfig_per_package(struct kmk *m)
{
	static struct pkgtest t;
	struct kpc_result r;
	u8 old_key[64], new_key[64], pkg0_key[64];
	char where[200], got[80];

	if (!m->k->on_model) {
		mc_report(m->k->res, MC_SKIP, "pconfig.per_package",
			  "hardware: which memory each socket homes is not known to the kernel (no SRAT); the executors in the pconfig.<cmd> lines show each package ran its own PCONFIG");
		return;
	}
	t.m = m;
	t.pkgs = kpc_packages(m);
	t.alg = m->algs[0];
	t.half = mktme_key_half(t.alg);
	ksuite_pattern(t.plain, PAGE, 11);
	if (!ksuite_random_key(m->p, old_key, 2 * t.half) || !ksuite_random_key(m->p, new_key, 2 * t.half) ||
	    !ksuite_random_key(m->p, pkg0_key, 2 * t.half)) {
		mc_report(m->k->res, MC_FAIL, "pconfig.per_package", "platform RNG failed while making keys");
		return;
	}
	u64 all = (1ULL << t.pkgs) - 1;

	/* The old key, then the new one, each through kpc_program: once per
	 * package on a CPU of that package. */
	kpc_program(m, KEYID, MKTME_KEYID_SET_KEY_DIRECT, t.alg, old_key, old_key + t.half, &r);
	s64 before = kpc_ok(&r) ? under_key(&t, old_key) : -1;
	kpc_program(m, KEYID, MKTME_KEYID_SET_KEY_DIRECT, t.alg, new_key, new_key + t.half, &r);
	bool ok = kpc_ok(&r);
	s64 after = ok ? under_key(&t, new_key) : -1;
	kpc_where(&r, t.pkgs, where, sizeof(where));
	if (!ok)
		mc_report(m->k->res, MC_FAIL, "pconfig.per_package", "KeyID %d: %s", KEYID, kpc_describe(&r, got, sizeof(got)));
	else
		mc_report_check(m->k->res, before == (s64)all && after == (s64)all, "pconfig.per_package",
				"KeyID %d rekeyed in %u pass(es), %s: the page homed on each package is under the new key on mask 0x%llx of 0x%llx (old key before: 0x%llx)",
				KEYID, r.passes, where, (unsigned long long)(after < 0 ? 0 : after), (unsigned long long)all,
				(unsigned long long)(before < 0 ? 0 : before));

	/* Negative control: package 0 only. */
	if (t.pkgs < 2) {
		mc_report(m->k->res, MC_SKIP, "pconfig.package_negative", "one package: nothing to leave behind");
	} else {
		bool prog = program_one(&t, 0, pkg0_key);
		s64 neg = prog ? under_key(&t, pkg0_key) : -1;
		s64 stale = prog ? under_key(&t, new_key) : -1;
		mc_report_check(m->k->res, prog && neg == 1 && stale == (s64)(all & ~1ULL), "pconfig.package_negative",
				"a test that the check can fail: KeyID %d rekeyed on package 0 only leaves packages 0x%llx under the old key (expected 0x%llx), 0x%llx under the new: per_package would FAIL",
				KEYID, (unsigned long long)(stale < 0 ? 0 : stale), (unsigned long long)(all & ~1ULL),
				(unsigned long long)(neg < 0 ? 0 : neg));
	}
	kpc_program(m, KEYID, MKTME_KEYID_CLEAR_KEY, t.alg, NULL, NULL, &r);
	mc_wipe(old_key, sizeof(old_key));
	mc_wipe(new_key, sizeof(new_key));
	mc_wipe(pkg0_key, sizeof(pkg0_key));
}
