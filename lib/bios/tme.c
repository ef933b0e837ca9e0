/* The Intel half of the BIOS-stage sequence (lib/bios/program.h). Per
 * package because IA32_TME_ACTIVATE and the exclusion MSRs are
 * package-scoped (Intel seed 4.2; PCONFIG's "once per physical package",
 * 6.2.1, is the same scope); MK_TME_CORE_ACTIVATE per core (4.2.3). */
#include "lib/bios/program.h"
#include "lib/bios/internal.h"
#include "lib/fmt.h"
#include "lib/mem.h"
#include "arch/x86/msr-index.h"

/* "package 1: " on multi-package platforms, "" otherwise. */
static const char *pkg_prefix(struct bios_run *r, int pkg, char *buf, size_t len)
{
	if (r->f->packages <= 1)
		return "";
	mc_snprintf(buf, len, "package %d: ", pkg);
	return buf;
}

static bool fail(struct bios_run *r, const char *id, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(struct bios_run *r, const char *id, const char *fmt, ...)
{
	char msg[MC_RESULT_DETAIL_MAX];
	va_list ap;
	va_start(ap, fmt);
	mc_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	mc_report(r->res, MC_FAIL, id, "%s", msg);
	r->out->outcome = MC_BIOS_FAILED;
	return false;
}

/* Step 1: the exclusion range, before IA32_TME_ACTIVATE (Intel seed 4.2.1
 * note: "expected to be configured before"). Base first, then the mask
 * whose enable bit turns the range on. */
static bool write_exclusion(struct bios_run *r, int cpu, const char *pp, const struct mc_bios_plan *plan)
{
	static const struct { u32 msr; const char *name; } regs[2] = {
		{ MSR_IA32_TME_EXCLUDE_BASE, "IA32_TME_EXCLUDE_BASE" },
		{ MSR_IA32_TME_EXCLUDE_MASK, "IA32_TME_EXCLUDE_MASK" },
	};
	u64 want[2] = { plan->exclude_base, plan->exclude_mask };

	for (int i = 0; i < 2; i++) {
		u64 got = 0;
		int e = bios_wrmsr(r, cpu, regs[i].msr, want[i]);
		if (e)
			return fail(r, "bios.exclusion", "%sWRMSR %s=0x%llx on CPU %d: %s (Intel seed Tables 4-5, 4-6); IA32_TME_ACTIVATE not written",
				    pp, regs[i].name, (unsigned long long)want[i], cpu, mc_fault_name(e));
		e = mc_rdmsr(r->p, cpu, regs[i].msr, &got);
		if (e || got != want[i])
			return fail(r, "bios.exclusion", "%s%s reads back %s0x%llx after writing 0x%llx; IA32_TME_ACTIVATE not written",
				    pp, regs[i].name, e ? mc_fault_name(e) : "", (unsigned long long)got,
				    (unsigned long long)want[i]);
	}
	if (plan->exclude_mask & TME_EXCLUDE_MASK_ENABLE)
		mc_report(r->res, MC_PASS, "bios.exclusion",
			  "%sexclusion range base 0x%llx size 0x%llx written before IA32_TME_ACTIVATE and read back (BASE=0x%llx MASK=0x%llx)",
			  pp, (unsigned long long)r->pol->exclude_base, (unsigned long long)r->pol->exclude_size,
			  (unsigned long long)plan->exclude_base, (unsigned long long)plan->exclude_mask);
	else
		mc_report(r->res, MC_PASS, "bios.exclusion",
			  "%sexclusion range disabled (exclude=none): MASK=0 BASE=0 written before IA32_TME_ACTIVATE and read back", pp);
	return true;
}

/* Step 2's read-back, by Intel seed Table 4-3. */
static bool judge_activate(struct bios_run *r, const char *pp, u64 wrote, u64 got)
{
	u64 st = got & GENMASK_ULL(2, 0);
	bool bits = (wrote & TME_ACTIVATE_KEYID_BITS_MASK) != 0;
	const char *uncommitted = bits ? "; KeyID bits not committed" : "";

	if (!(wrote & TME_ACTIVATE_ENABLED)) {
		if (st != (TME_ACTIVATE_LOCKED))
			return fail(r, "bios.activate", "%swrote 0x%llx (enabled=0), reads back 0x%llx: expected xx01b, locked and disabled (Intel seed Table 4-3)",
				    pp, (unsigned long long)wrote, (unsigned long long)got);
		mc_report(r->res, MC_PASS, "bios.activate", "%sIA32_TME_ACTIVATE=0x%llx: TME disabled by policy (tme=off) and locked, xx01b (Intel seed Table 4-3)",
			  pp, (unsigned long long)got);
	} else if (!(wrote & TME_ACTIVATE_KEY_SELECT)) {
		if (st == 0)
			return fail(r, "bios.activate", "%sRNG failure: IA32_TME_ACTIVATE reads back 0x%llx (xx000b): TME not enabled, not locked (Intel seed Table 4-3)%s",
				    pp, (unsigned long long)got, uncommitted);
		if (st != (TME_ACTIVATE_LOCKED | TME_ACTIVATE_ENABLED))
			return fail(r, "bios.activate", "%swrote 0x%llx, reads back 0x%llx: bits 2:0 are not xx011b (Intel seed Table 4-3)",
				    pp, (unsigned long long)wrote, (unsigned long long)got);
		mc_report(r->res, MC_PASS, "bios.activate", "%sIA32_TME_ACTIVATE=0x%llx: TME enabled with a new key and locked, xx011b (Intel seed Table 4-3)",
			  pp, (unsigned long long)got);
	} else {
		if (st == TME_ACTIVATE_KEY_SELECT)
			return fail(r, "bios.activate", "%skey restore failed: IA32_TME_ACTIVATE reads back 0x%llx (xx100b): zero key restored, TME not enabled, not locked (Intel seed Table 4-3)%s",
				    pp, (unsigned long long)got, uncommitted);
		if (st != (TME_ACTIVATE_LOCKED | TME_ACTIVATE_ENABLED | TME_ACTIVATE_KEY_SELECT))
			return fail(r, "bios.activate", "%swrote 0x%llx, reads back 0x%llx: bits 2:0 are not xx111b (Intel seed Table 4-3)",
				    pp, (unsigned long long)wrote, (unsigned long long)got);
		mc_report(r->res, MC_PASS, "bios.activate", "%sIA32_TME_ACTIVATE=0x%llx: TME enabled with the restored key and locked, xx111b (Intel seed Table 4-3)",
			  pp, (unsigned long long)got);
	}
	/* "Any other legal values: subsequent RDMSR returns written values +
	 * lock status=1". */
	if ((got & ~GENMASK_ULL(2, 0)) != (wrote & ~GENMASK_ULL(2, 0)))
		return fail(r, "bios.activate", "%sIA32_TME_ACTIVATE fields above bit 2 read back 0x%llx, written 0x%llx (Intel seed Table 4-3)",
			    pp, (unsigned long long)(got & ~GENMASK_ULL(2, 0)), (unsigned long long)(wrote & ~GENMASK_ULL(2, 0)));
	return true;
}

/* Steps 1 and 2 on one package, through its first CPU. */
static bool program_package(struct bios_run *r, int pkg, int cpu, const struct mc_bios_plan *plan)
{
	char buf[24];
	const char *pp = pkg_prefix(r, pkg, buf, sizeof(buf));
	u64 got = 0;

	if (plan->exclude && !write_exclusion(r, cpu, pp, plan))
		return false;
	int e = bios_wrmsr(r, cpu, MSR_IA32_TME_ACTIVATE, plan->activate);
	if (e)
		return fail(r, "bios.activate", "%sWRMSR IA32_TME_ACTIVATE=0x%llx on CPU %d: %s (Intel seed Table 4-3); nothing activated",
			    pp, (unsigned long long)plan->activate, cpu, mc_fault_name(e));
	e = mc_rdmsr(r->p, cpu, MSR_IA32_TME_ACTIVATE, &got);
	if (e)
		return fail(r, "bios.activate", "%sRDMSR IA32_TME_ACTIVATE after the write on CPU %d: %s",
			    pp, cpu, mc_fault_name(e));
	return judge_activate(r, pp, plan->activate, got);
}

/* Step 3: MK_TME_CORE_ACTIVATE = 0 on every core; each core's KeyID-bits
 * field must then equal its package's (Intel seed 4.2.3, Table 4-4: "will
 * be shadowed from the package MSR value on write"). */
static void core_activate(struct bios_run *r, const u64 *pkg_activate, const bool *pkg_done)
{
	int n = r->f->cpus;
	bool ok[MC_BIOS_MAX_CPUS] = { false };
	bool all = true;
	char list[160];

	if (n > MC_BIOS_MAX_CPUS)
		n = MC_BIOS_MAX_CPUS;
	for (int c = 0; c < n; c++) {
		int pkg = r->p->package_of ? r->p->package_of(r->p->ctx, c) : 0;
		if (pkg < 0 || pkg >= MC_BIOS_MAX_PKGS || !pkg_done[pkg]) {
			all = false;
			continue;
		}
		u8 want = (u8)((pkg_activate[pkg] & TME_ACTIVATE_KEYID_BITS_MASK) >> TME_ACTIVATE_KEYID_BITS_SHIFT);
		u64 got = 0;
		int e = bios_wrmsr(r, c, MSR_IA32_MKTME_CORE_ACTIVATE, 0);
		if (e) {
			fail(r, "bios.core_activate", "WRMSR MK_TME_CORE_ACTIVATE=0 on CPU %d: %s (Intel seed Table 4-4)",
				    c, mc_fault_name(e));
			all = false;
			continue;
		}
		e = mc_rdmsr(r->p, c, MSR_IA32_MKTME_CORE_ACTIVATE, &got);
		if (e) {
			fail(r, "bios.core_activate", "RDMSR MK_TME_CORE_ACTIVATE on CPU %d after the write: %s",
				    c, mc_fault_name(e));
			all = false;
			continue;
		}
		struct mc_core_activate ca;
		mc_decode_core_activate(got, &ca);
		if (ca.keyid_bits != want) {
			fail(r, "bios.core_activate",
				    "CPU %d: MK_TME_CORE_ACTIVATE=0x%llx reads back KeyID bits %u, package %d has %u: the core did not take the package's value (Intel seed 4.2.3)",
				    c, (unsigned long long)got, ca.keyid_bits, pkg, want);
			all = false;
			continue;
		}
		ok[c] = true;
		r->out->cpus_activated++;
	}
	mc_bios_cpu_list(ok, n, list, sizeof(list));
	if (all)
		mc_report(r->res, MC_PASS, "bios.core_activate",
			  "MK_TME_CORE_ACTIVATE written and read back on CPUs %s: every core's KeyID bits equal its package's (Intel seed 4.2.3)",
			  list);
	else if (r->out->cpus_activated)
		mc_report(r->res, MC_INFO, "bios.core_activate", "MK_TME_CORE_ACTIVATE right on CPUs %s only", list);
}

/* The first CPU of each package (packages numbered 0..); -1 if none. */
static void package_leaders(const struct mc_platform *p, int cpus, int *leader)
{
	for (int k = 0; k < MC_BIOS_MAX_PKGS; k++)
		leader[k] = -1;
	for (int c = 0; c < cpus && c < MC_BIOS_MAX_CPUS; c++) {
		int k = p->package_of ? p->package_of(p->ctx, c) : 0;
		if (k >= 0 && k < MC_BIOS_MAX_PKGS && leader[k] < 0)
			leader[k] = c;
	}
}

void bios_run_tme(struct bios_run *r)
{
	int leader[MC_BIOS_MAX_PKGS];
	u64 act[MC_BIOS_MAX_PKGS] = { 0 };
	bool unlocked[MC_BIOS_MAX_PKGS] = { false }, done[MC_BIOS_MAX_PKGS] = { false };
	int n_unlocked = 0, n_pkgs = 0, first_unlocked = -1;
	char buf[24];
	struct mc_tme_cap cap;
	u64 capv = 0;

	int e = mc_rdmsr(r->p, MC_CPU_CURRENT, MSR_IA32_TME_CAPABILITY, &capv);
	if (e) {
		fail(r, "bios.capability", "RDMSR IA32_TME_CAPABILITY: %s though CPUID.7.0:ECX[13] enumerates TME (Intel seed 4.1.1); nothing written",
		     mc_fault_name(e));
		return;
	}
	mc_decode_tme_cap(capv, &cap);

	/* Lock state first: a locked package is never written (Table 4-3:
	 * "WRMSR while lock status = 1" #GPs; 4.2.1: the lock also covers
	 * the exclusion MSRs). */
	package_leaders(r->p, r->f->cpus, leader);
	for (int k = 0; k < MC_BIOS_MAX_PKGS; k++) {
		if (leader[k] < 0)
			continue;
		n_pkgs++;
		const char *pp = pkg_prefix(r, k, buf, sizeof(buf));
		e = mc_rdmsr(r->p, leader[k], MSR_IA32_TME_ACTIVATE, &act[k]);
		if (e) {
			fail(r, "bios.locked", "%sRDMSR IA32_TME_ACTIVATE on CPU %d: %s; nothing written", pp, leader[k],
			     mc_fault_name(e));
			return;
		}
		if (act[k] & TME_ACTIVATE_LOCKED) {
			mc_report(r->res, MC_PASS, "bios.locked",
				  "%sIA32_TME_ACTIVATE locked by BIOS (=0x%llx); validating, not writing", pp,
				  (unsigned long long)act[k]);
			if (r->pol->mode == MC_POLICY_PROGRAM)
				mc_report(r->res, MC_INFO, "bios.mode",
					  "%smode=program, but the BIOS (or the first SMI) already locked IA32_TME_ACTIVATE: no write attempted",
					  pp);
		} else {
			unlocked[k] = true;
			if (first_unlocked < 0)
				first_unlocked = k;
			n_unlocked++;
		}
	}
	r->out->outcome = MC_BIOS_VALIDATING;
	if (!n_unlocked)
		return;
	if (r->pol->mode == MC_POLICY_VALIDATE) {
		mc_report(r->res, MC_INFO, "bios.mode",
			  "IA32_TME_ACTIVATE unlocked (=0x%llx) on %d of %d packages; mode=validate: nothing written (mode=program programs it)",
			  (unsigned long long)act[first_unlocked], n_unlocked, n_pkgs);
		if (n_unlocked == n_pkgs)
			r->out->outcome = MC_BIOS_LEFT;
		return;
	}

	struct mc_bios_plan plan;
	if (!mc_bios_plan_tme(r->pol, &cap, r->f->phys_bits, r->ram_top, &plan, r->out->error, sizeof(r->out->error))) {
		mc_report(r->res, MC_FAIL, "bios.policy", "%s; nothing programmed", r->out->error);
		r->out->outcome = MC_BIOS_BAD_POLICY;
		return;
	}
	if (plan.keyid_bits_max)
		mc_report(r->res, MC_INFO, "bios.keyid_bits",
			  "keyid-bits=max: %u, not MK_TME_MAX_KEYID_BITS %u: RAM ends at 0x%llx, which needs %u of MAXPHYADDR %u's address bits (Intel seed 5.1)",
			  plan.keyid_bits, plan.keyid_bits_max, (unsigned long long)r->ram_top, plan.ram_bits, r->f->phys_bits);
	bool ok = true;
	for (int k = 0; k < MC_BIOS_MAX_PKGS; k++) {
		if (!unlocked[k])
			continue;
		if (!program_package(r, k, leader[k], &plan)) {
			ok = false;
			continue;
		}
		done[k] = true;
		act[k] = plan.activate;
	}
	/* Table 4-4: the core MSR #GPs without MKTME; 4.2.3: written "after
	 * successful activation". */
	if (cap.max_keyid_bits && r->pol->core_activate) {
		bool any = false;
		for (int k = 0; k < MC_BIOS_MAX_PKGS; k++)
			any |= done[k];
		if (any)
			core_activate(r, act, done);
		else
			mc_report(r->res, MC_SKIP, "bios.core_activate", "MK_TME_CORE_ACTIVATE not written: activation did not succeed (Intel seed 4.2.3: \"after successful activation\")");
	} else if (cap.max_keyid_bits) {
		mc_report(r->res, MC_WARN, "bios.core_activate",
			  "core-activate=off: MK_TME_CORE_ACTIVATE not written; the first SMI on each core synchronises it (Intel seed 4.2.3)");
	}
	if (ok && r->out->outcome != MC_BIOS_FAILED)
		r->out->outcome = MC_BIOS_PROGRAMMED;
}
