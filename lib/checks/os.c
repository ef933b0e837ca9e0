/* What Linux says about memory encryption, judged against what the
 * registers say (lib/osview.h gives the OS side: /proc/cpuinfo flags, the
 * kernel log's lines, KVM's module parameters, the PSP's status).
 *
 * Each rule is the kernel's own, so that "the kernel disagrees" means one of
 * the two read something else (a CPU the BIOS set up differently, an
 * emulated MSR, a stale capture), never a difference of opinion:
 *   cpuinfo tme      arch/x86/kernel/cpu/intel.c detect_tme_early: cleared
 *                    unless IA32_TME_ACTIVATE has lock and enable (kernels
 *                    before the 2024 change keep the CPUID flag);
 *   cpuinfo sme      arch/x86/kernel/cpu/amd.c early_detect_mem_encrypt:
 *                    cleared when SYSCFG[23] is clear, or when the kernel did
 *                    not activate SME (sme_me_mask 0);
 *   cpuinfo sev*     same function: sev, sev_es, sev_snp cleared when
 *                    SYSCFG[23] is clear or HWCR.SMMLOCK is not set; sev_snp
 *                    also when the BIOS reserved no RMP (snp_probe_rmptable_info);
 *   kvm_amd          arch/x86/kvm/svm/sev.c sev_hardware_setup: SEV needs the
 *                    sev CPU flag and ECX ASIDs; SEV-ES the sev_es flag and
 *                    min SEV ASID > 1; SNP SEV-ES plus host SNP
 *                    (CC_ATTR_HOST_SEV_SNP) and initialised SNP firmware; the
 *                    parameters read back what was enabled;
 *   kvm_intel tdx    arch/x86/kvm/vmx/tdx.c: enable_tdx is off by default and
 *                    needs the TDX module (SEAMRR enabled, private KeyIDs).
 * Registers the lead judgments did not read leave the expectation unknown:
 * the result is SKIP, never a verdict on a zero. */
#include "lib/checks/internal.h"
#include "lib/fmt.h"
#include "lib/mem.h"

#define RMP_ADDR_MASK  0x000fffffffffe000ULL   /* Linux: GENMASK_ULL(51, 13) */

/* ---- small text helpers (freestanding: no libc) ------------------------ */

static const char *find(const char *s, const char *needle)
{
	size_t n = mc_strlen(needle);
	for (; *s; s++)
		if (!mc_strncmp(s, needle, n))
			return s;
	return NULL;
}

/* The first kept kernel-log line containing key; *at points just past it. */
static const char *kmsg_find(const struct mc_os_view *os, const char *key, const char **at)
{
	for (u32 i = 0; i < os->n_kmsg && i < MC_OS_KMSG_LINES; i++) {
		const char *p = find(os->kmsg[i], key);
		if (p) {
			if (at)
				*at = p + mc_strlen(key);
			return os->kmsg[i];
		}
	}
	return NULL;
}

/* A decimal number at *s after blanks; advances *s. */
static bool num(const char **s, u64 *v)
{
	const char *p = *s;
	while (*p == ' ')
		p++;
	size_t n = 0;
	while (p[n] >= '0' && p[n] <= '9')
		n++;
	if (!n || !mc_parse_u64(p, n, 10, v))
		return false;
	*s = p + n;
	return true;
}

/* "A - B)" or "[A, B)": two numbers separated by anything but digits. */
static bool range(const char *s, u64 *a, u64 *b)
{
	while (*s && (*s < '0' || *s > '9'))
		s++;
	if (!num(&s, a))
		return false;
	while (*s && (*s < '0' || *s > '9'))
		s++;
	return num(&s, b);
}

/* ---- what the registers let Linux do ----------------------------------- */

struct expect {
	u8 v;                 /* enum mc_tri */
	bool strict;          /* every kernel that has the rule agrees */
	char why[96];
};

static void set(struct expect *e, u8 v, bool strict, const char *why)
{
	e->v = v;
	e->strict = strict;
	mc_strlcpy(e->why, why, sizeof(e->why));
}

static bool syscfg_known(const struct mc_facts *f)
{
	return f->sme.syscfg_read && f->sme.guest == MC_GUEST_NONE && f->sme.syscfg_cpus_read > 0;
}

static bool rmp_reserved(const struct mc_facts *f)
{
	return (f->sme.rmp_base & RMP_ADDR_MASK) && (f->sme.rmp_end & RMP_ADDR_MASK);
}

/* Linux keeps the sev flag (and runs KVM SEV) on this host? */
static void expect_sev(const struct mc_facts *f, struct expect *e)
{
	const struct mc_amd_mem_encrypt *c = &f->sme.enc;
	if (!f->sme.leaf || !c->sev)
		set(e, MC_TRI_NO, true, "CPUID 0x8000001F EAX[1]=0");
	else if (f->hypervisor)   /* the guest's SYSCFG/HWCR are the hypervisor's emulation */
		set(e, MC_TRI_UNKNOWN, false, "under a hypervisor");
	else if (syscfg_known(f) && !f->sme.enabled)
		set(e, MC_TRI_NO, true, "SYSCFG[23] clear");
	else if (f->sme.hwcr_read && !f->sme.smm_locked)
		set(e, MC_TRI_NO, true, "HWCR.SMMLOCK clear");
	else if (f->sme.hwcr_read && f->sme.sev_usable)
		set(e, MC_TRI_YES, true, "SYSCFG[23] set, SMM locked");
	else
		set(e, MC_TRI_UNKNOWN, false, "SYSCFG/HWCR not read");
}

static void expect_sev_es(const struct mc_facts *f, struct expect *e)
{
	expect_sev(f, e);
	if (e->v == MC_TRI_NO)
		return;
	if (!f->sme.enc.sev_es)
		set(e, MC_TRI_NO, true, "CPUID 0x8000001F EAX[3]=0");
}

static void expect_sev_snp(const struct mc_facts *f, struct expect *e)
{
	expect_sev_es(f, e);
	if (e->v == MC_TRI_NO)
		return;
	if (!f->sme.enc.sev_snp)
		set(e, MC_TRI_NO, true, "CPUID 0x8000001F EAX[4]=0");
	else if (e->v == MC_TRI_UNKNOWN)
		return;   /* SEV itself undecided: its reason stands */
	else if (f->sme.rmp_read && !rmp_reserved(f))
		set(e, MC_TRI_NO, true, "no RMP reserved by the BIOS");
	else if (f->sme.rmp_read)
		/* Kernels before host SNP support (6.11) never show it. */
		set(e, MC_TRI_YES, false, "RMP reserved");
	else
		set(e, MC_TRI_UNKNOWN, false, "RMP not read");
}

/* ---- linux.cpuinfo ------------------------------------------------------ */

struct flag {
	const char *name;
	u32 bit;
	struct expect e;
};

static void expect_tme(const struct mc_facts *f, struct expect *e)
{
	if (!f->tme.supported)
		set(e, MC_TRI_NO, true, "CPUID.7.0:ECX[13]=0");
	else if (!f->tme.read)
		set(e, MC_TRI_UNKNOWN, false, "IA32_TME_ACTIVATE not read");
	else if (f->tme.active)
		set(e, MC_TRI_YES, true, "IA32_TME_ACTIVATE lock+enable");
	else   /* kernels before the 2024 change to detect_tme_early keep it */
		set(e, MC_TRI_NO, false, "IA32_TME_ACTIVATE not lock+enable");
}

static void expect_sme(const struct mc_facts *f, struct expect *e)
{
	if (!f->sme.leaf || !f->sme.enc.sme)
		set(e, MC_TRI_NO, true, "CPUID 0x8000001F EAX[0]=0");
	else if (f->hypervisor)
		set(e, MC_TRI_UNKNOWN, false, "under a hypervisor");
	else if (!syscfg_known(f))
		set(e, MC_TRI_UNKNOWN, false, "SYSCFG not read");
	else if (!f->sme.enabled)
		set(e, MC_TRI_NO, true, "SYSCFG[23] clear");
	else   /* kept only when the kernel activated SME (mem_encrypt=on) */
		set(e, MC_TRI_YES, false, "SYSCFG[23] set");
}

static void judge_cpuinfo(const struct mc_facts *f, const struct mc_os_view *os, struct mc_results *res)
{
	if (!os->cpuinfo_read) {
		mc_report(res, MC_SKIP, "linux.cpuinfo", "/proc/cpuinfo not read: %s", os->cpuinfo_why[0] ? os->cpuinfo_why : "this view does not say (no line for it)");
		return;
	}
	struct flag fl[5];
	int n = 0;
	if (f->vendor == MC_VENDOR_INTEL) {
		fl[n] = (struct flag){ "tme", MC_OS_FLAG_TME, { 0 } };
		expect_tme(f, &fl[n++].e);
	} else if (f->vendor == MC_VENDOR_AMD) {
		fl[n] = (struct flag){ "sme", MC_OS_FLAG_SME, { 0 } };
		expect_sme(f, &fl[n++].e);
		fl[n] = (struct flag){ "sev", MC_OS_FLAG_SEV, { 0 } };
		expect_sev(f, &fl[n++].e);
		fl[n] = (struct flag){ "sev_es", MC_OS_FLAG_SEV_ES, { 0 } };
		expect_sev_es(f, &fl[n++].e);
		fl[n] = (struct flag){ "sev_snp", MC_OS_FLAG_SEV_SNP, { 0 } };
		expect_sev_snp(f, &fl[n++].e);
	}

	char seen[64] = "", notes[120] = "", open_[64] = "";
	size_t sl = 0, nl = 0, ol = 0;
	const char *open_why = "";
	int judged = 0;
	for (int i = 0; i < n; i++) {
		bool has = os->cpuinfo_flags & fl[i].bit;
		const struct expect *e = &fl[i].e;
		if (e->v == MC_TRI_UNKNOWN) {
			if (!ol)
				open_why = e->why;
			ol += (size_t)mc_snprintf(open_ + ol, sizeof(open_) - ol, "%s%s=%d", ol ? " " : "", fl[i].name, has);
			continue;
		}
		sl += (size_t)mc_snprintf(seen + sl, sizeof(seen) - sl, "%s%s=%d", sl ? " " : "", fl[i].name, has);
		judged++;
		bool want = e->v == MC_TRI_YES;
		if (has == want)
			continue;
		if (e->strict) {
			mc_report(res, MC_FAIL, "linux.cpuinfo", "kernel %s '%s', registers say %s: %s (Linux %s)",
				  has ? "shows" : "lacks", fl[i].name, want ? "it stays" : "it is cleared", e->why,
				  f->vendor == MC_VENDOR_INTEL ? "intel.c detect_tme_early" : "amd.c early_detect_mem_encrypt");
			return;
		}
		nl += (size_t)mc_snprintf(notes + nl, sizeof(notes) - nl, "; %s=%d with %s (%s)", fl[i].name, has, e->why,
					  fl[i].bit == MC_OS_FLAG_TME ? "older kernel" :
					  fl[i].bit == MC_OS_FLAG_SME ? "kernel did not activate SME" : "kernel without host SNP");
	}
	if (!n)
		mc_report(res, MC_SKIP, "linux.cpuinfo", "vendor %s: no memory-encryption flags to judge", f->vendor_id);
	else if (!judged)
		mc_report(res, MC_SKIP, "linux.cpuinfo", "flags %s; the registers that decide them were not read (%s)",
			  open_, open_why);
	else
		mc_report(res, MC_PASS, "linux.cpuinfo", "kernel agrees with the registers: %s%s%s%s%s%s%s", seen, notes,
			  ol ? "; not judged: " : "", open_, ol ? " (" : "", ol ? open_why : "", ol ? ")" : "");
}

/* ---- linux.dmesg -------------------------------------------------------- */

struct verdicts {
	int agree;
	char fail[MC_RESULT_DETAIL_MAX];
};

/* One kernel line against the registers: count it, or keep the first
 * disagreement for the FAIL line. */
static void agree_if(struct verdicts *v, bool agrees, const char *line, const char *regs)
{
	if (agrees)
		v->agree++;
	else if (!v->fail[0])
		mc_snprintf(v->fail, sizeof(v->fail), "kernel: '%.90s'; registers: %s", line, regs);
}

static void dmesg_intel(const struct mc_facts *f, const struct mc_os_view *os, struct verdicts *v)
{
	const struct mc_tme_activate *a = &f->tme.act;
	const char *l, *at;
	char regs[96];
	u64 x, y;

	if (f->tme.read) {
		mc_snprintf(regs, sizeof(regs), "IA32_TME_ACTIVATE=0x%016llx %s", (unsigned long long)a->raw,
			    f->tme.active ? "lock+enable" : "not lock+enable");
		if ((l = kmsg_find(os, "x86/tme: not enabled by BIOS", NULL)))
			agree_if(v, !f->tme.active, l, regs);
		if ((l = kmsg_find(os, "x86/tme: enabled by BIOS", NULL)))
			agree_if(v, f->tme.active, l, regs);
		mc_snprintf(regs, sizeof(regs), "MK_TME_KEYID_BITS %u (IA32_TME_ACTIVATE=0x%016llx)", a->keyid_bits,
			    (unsigned long long)a->raw);
		/* detect_tme_early: c->x86_phys_bits -= keyid_bits. */
		if ((l = kmsg_find(os, "x86/mktme: BIOS enabled: x86_phys_bits reduced by", &at)) && num(&at, &x))
			agree_if(v, x == a->keyid_bits, l, regs);
		/* Kernels before 2024: "x86/mktme: %d KeyIDs available" with
		 * nr_keyids = (1 << keyid_bits) - 1. */
		if ((l = kmsg_find(os, "KeyIDs available", NULL)) && (at = find(l, "x86/mktme: ")) &&
		    (at += mc_strlen("x86/mktme: "), num(&at, &x)))
			agree_if(v, x == (1ULL << a->keyid_bits) - 1, l, regs);
	}
	/* arch/x86/virt/vmx/tdx: tdx_keyid_start = nr_mktme + 1, range
	 * [start, start + nr_tdx). */
	if ((l = kmsg_find(os, "virt/tdx: BIOS enabled: private KeyID range", &at)) && range(at, &x, &y)) {
		if (f->tme.partition_read) {
			mc_snprintf(regs, sizeof(regs), "MSR 0x87=0x%016llx: private KeyIDs [%u, %u)",
				    (unsigned long long)f->tme.partition, f->tme.tdx_keyid_start,
				    f->tme.tdx_keyid_start + f->tme.tdx_keyids);
			agree_if(v, f->tme.tdx_keyids && x == f->tme.tdx_keyid_start &&
				 y == (u64)f->tme.tdx_keyid_start + f->tme.tdx_keyids, l, regs);
		} else if (f->tme.partition_fault) {
			agree_if(v, false, l, "MSR 0x87 IA32_MKTME_KEYID_PARTITIONING #GP: no TDX KeyIDs");
		}
	}
}

static void dmesg_amd(const struct mc_facts *f, const struct mc_os_view *os, struct verdicts *v)
{
	const struct mc_amd_mem_encrypt *e = &f->sme.enc;
	const char *l, *at;
	char regs[120];
	u64 x, y;

	/* arch/x86/mm/mem_encrypt.c print_mem_encrypt_feature_info:
	 * "Memory Encryption Features active: AMD SME" on a host, "AMD SEV
	 * SEV-ES SEV-SNP" in a guest (older: "AMD Memory Encryption Features
	 * active: SME"). */
	if ((l = kmsg_find(os, "Memory Encryption Features active:", &at)) && find(at, "SME") && syscfg_known(f)) {
		mc_snprintf(regs, sizeof(regs), "SYSCFG[23] %s (SYSCFG=0x%016llx)", f->sme.enabled ? "set" : "clear",
			    (unsigned long long)f->sme.syscfg);
		agree_if(v, f->sme.enabled, l, regs);
	}
	if (l && find(at, "SEV") && f->sme.sev_status_read) {
		u8 says = find(at, "SEV-SNP") ? MC_GUEST_SEV_SNP : find(at, "SEV-ES") ? MC_GUEST_SEV_ES : MC_GUEST_SEV;
		mc_snprintf(regs, sizeof(regs), "SEV_STATUS=0x%016llx (%s)", (unsigned long long)f->sme.sev_status,
			    f->sme.guest ? mc_sev_guest_name(f->sme.guest) : "not a guest");
		agree_if(v, says == f->sme.guest, l, regs);
	}
	if (!f->sme.leaf || !e->sev)
		return;
	/* kvm_amd sev_hardware_setup: SEV ASIDs min_sev_asid..ECX, SEV-ES
	 * (and SNP) ASIDs 1..min_sev_asid-1. Today's and older wordings. */
	mc_snprintf(regs, sizeof(regs), "CPUID 0x8000001F ECX=%u EDX=%u: SEV ASIDs %u-%u, SEV-ES ASIDs 1-%u",
		    e->encrypted_guests, e->min_sev_asid, e->min_sev_asid, e->encrypted_guests,
		    e->min_sev_asid ? e->min_sev_asid - 1 : 0);
	if ((l = kmsg_find(os, "SEV enabled (ASIDs", &at)) && range(at, &x, &y))
		agree_if(v, x == e->min_sev_asid && y == e->encrypted_guests, l, regs);
	if ((l = kmsg_find(os, "SEV-ES enabled (ASIDs", &at)) && range(at, &x, &y))
		agree_if(v, x >= 1 && e->min_sev_asid > 1 && y == e->min_sev_asid - 1, l, regs);
	if ((l = kmsg_find(os, "SEV-SNP enabled (ASIDs", &at)) && range(at, &x, &y))
		agree_if(v, x == 1 && e->min_sev_asid > 1 && y <= e->min_sev_asid - 1, l, regs);
	if ((l = kmsg_find(os, "SEV supported:", &at)) && num(&at, &x))
		agree_if(v, x + e->min_sev_asid == (u64)e->encrypted_guests + 1, l, regs);
	if (((l = kmsg_find(os, "SEV-ES supported:", &at)) || (l = kmsg_find(os, "SEV-SNP supported:", &at))) &&
	    num(&at, &x))
		agree_if(v, e->min_sev_asid > 1 && x == e->min_sev_asid - 1, l, regs);
}

static void judge_dmesg(const struct mc_facts *f, const struct mc_os_view *os, struct mc_results *res)
{
	if (!os->kmsg_read) {
		mc_report(res, MC_SKIP, "linux.dmesg", "kernel log not read: %s", os->kmsg_why[0] ? os->kmsg_why : "this view does not say (no line for it)");
		return;
	}
	if (!os->n_kmsg) {
		mc_report(res, MC_SKIP, "linux.dmesg", "the kernel log holds no memory-encryption line (wrapped, or a kernel that printed none)");
		return;
	}
	struct verdicts v = { 0, "" };
	if (f->vendor == MC_VENDOR_INTEL)
		dmesg_intel(f, os, &v);
	else if (f->vendor == MC_VENDOR_AMD)
		dmesg_amd(f, os, &v);
	if (v.fail[0])
		mc_report(res, MC_FAIL, "linux.dmesg", "%s", v.fail);
	else if (v.agree)
		mc_report(res, MC_PASS, "linux.dmesg", "%d of %u memory-encryption lines checked against the registers, all agree (first: '%.80s')",
			  v.agree, os->n_kmsg, os->kmsg[0]);
	else
		mc_report(res, MC_INFO, "linux.dmesg", "%u memory-encryption lines, none that the registers read here decide (first: '%.80s')",
			  os->n_kmsg, os->kmsg[0]);
}

/* ---- kvm.* -------------------------------------------------------------- */

static const char *tri_yn(u8 t)
{
	return t == MC_TRI_YES ? "Y" : "N";
}

/* A KVM parameter against what the registers allow. Off while allowed is
 * off_v (WARN: the host cannot run such guests; INFO where off is KVM's
 * default), with the reasons sev_hardware_setup / tdx.c have for it. */
static void judge_kvm_param(struct mc_results *res, const char *id, const char *param, u8 kvm,
			    const struct expect *e, enum mc_verdict off_v, const char *off_reasons)
{
	if (kvm == MC_TRI_UNKNOWN) {
		mc_report(res, MC_SKIP, id, "%s absent (module not loaded, or a kernel without it)", param);
		return;
	}
	if (e->v == MC_TRI_UNKNOWN) {
		mc_report(res, MC_SKIP, id, "%s=%s; not judged: %s", param, tri_yn(kvm), e->why);
		return;
	}
	bool on = kvm == MC_TRI_YES, hw = e->v == MC_TRI_YES;
	if (on && !hw)
		mc_report(res, MC_FAIL, id, "%s=Y but the registers do not allow it: %s", param, e->why);
	else if (on)
		mc_report(res, MC_PASS, id, "%s=Y, and the registers allow it: %s", param, e->why);
	else if (hw)
		mc_report(res, off_v, id, "%s=N though the registers allow it (%s): %s", param, e->why, off_reasons);
	else
		mc_report(res, MC_PASS, id, "%s=N, as the registers require: %s", param, e->why);
}

static void judge_kvm_amd(const struct mc_facts *f, const struct mc_os_view *os, struct mc_results *res)
{
	struct expect sev, es, snp;
	expect_sev(f, &sev);
	expect_sev_es(f, &es);
	expect_sev_snp(f, &snp);
	/* sev_hardware_setup: ES needs ASIDs below min_sev_asid. */
	if (es.v != MC_TRI_NO && f->sme.leaf && f->sme.enc.min_sev_asid <= 1) {
		char why[96];
		mc_snprintf(why, sizeof(why), "min SEV ASID %u: no SEV-ES ASIDs", f->sme.enc.min_sev_asid);
		set(&es, MC_TRI_NO, true, why);
		set(&snp, MC_TRI_NO, true, why);
	}
	if (sev.v != MC_TRI_NO && f->sme.leaf && f->sme.enc.encrypted_guests == 0)
		set(&sev, MC_TRI_NO, true, "CPUID 0x8000001F ECX=0: no SEV ASIDs");
	/* A lower level KVM turned off takes the higher ones with it. */
	if (os->kvm_sev == MC_TRI_NO && os->kvm_sev_es == MC_TRI_YES)
		set(&es, MC_TRI_NO, true, "kvm_amd sev=N: SEV-ES cannot be on without SEV");
	if (os->kvm_sev_es == MC_TRI_NO && os->kvm_sev_snp == MC_TRI_YES)
		set(&snp, MC_TRI_NO, true, "kvm_amd sev_es=N: SNP cannot be on without SEV-ES");
	if (f->hypervisor) {
		set(&sev, MC_TRI_UNKNOWN, false, "under a hypervisor (nested KVM)");
		es = snp = sev;
	}
	judge_kvm_param(res, "kvm.sev", "kvm_amd sev", os->kvm_sev, &sev, MC_WARN,
			"sev=0 given, NPT or NRIPS off, or the PSP failed to initialise (sev_hardware_setup; see psp.status)");
	judge_kvm_param(res, "kvm.sev_es", "kvm_amd sev_es", os->kvm_sev_es, &es, MC_WARN,
			"sev_es=0 given, or MMIO caching / LBRV off (sev_hardware_setup)");
	judge_kvm_param(res, "kvm.sev_snp", "kvm_amd sev_snp", os->kvm_sev_snp, &snp, MC_WARN,
			"sev_snp=0 given, or the SNP firmware did not initialise (sev_hardware_setup)");
}

static void judge_kvm_tdx(const struct mc_facts *f, const struct mc_os_view *os, struct mc_results *res)
{
	struct expect e;
	char why[96];
	if (!f->tme.supported) {
		set(&e, MC_TRI_NO, true, "TME not enumerated");
	} else if (f->tme.read && !f->tme.active) {
		set(&e, MC_TRI_NO, true, "TME not lock+enable");
	} else if (f->tme.seamrr_read && !f->tme.tdx_enabled) {
		mc_snprintf(why, sizeof(why), "SEAMRR_PHYS_MASK=0x%llx bit 11 clear: TDX off in the BIOS",
			    (unsigned long long)f->tme.seamrr_mask);
		set(&e, MC_TRI_NO, true, why);
	} else if (f->tme.seamrr_fault) {   /* MTRRCAP[15] clear, or SEAMRR #GP: no SEAM range */
		set(&e, MC_TRI_NO, true, "no SEAMRR (IA32_MTRRCAP[15] clear or SEAMRR #GP)");
	} else if (f->tme.partition_fault || (f->tme.partition_read && !f->tme.tdx_keyids)) {
		set(&e, MC_TRI_NO, true, "no TDX private KeyIDs (MSR 0x87)");
	} else if (f->tme.seamrr_read && f->tme.partition_read) {
		mc_snprintf(why, sizeof(why), "SEAMRR enabled, %u private KeyIDs from %u", f->tme.tdx_keyids,
			    f->tme.tdx_keyid_start);
		set(&e, MC_TRI_YES, true, why);
	} else {
		set(&e, MC_TRI_UNKNOWN, false, "SEAMRR / MSR 0x87 not read");
	}
	judge_kvm_param(res, "kvm.tdx", "kvm_intel tdx", os->kvm_tdx, &e, MC_INFO,
			"KVM enables TDX only with tdx=1 (off by default: arch/x86/kvm/vmx/tdx.c enable_tdx)");
}

/* ---- psp.status --------------------------------------------------------- */

static const char *psp_state(u8 s)
{
	return s == 0 ? "UNINIT" : s == 1 ? "INIT" : s == 2 ? "WORKING" : "invalid";
}

static void judge_psp(const struct mc_os_view *os, struct mc_results *res)
{
	const struct mc_psp_status *s = &os->psp;
	const struct mc_psp_snp_status *n = &os->snp;
	char snp[80] = "";

	if (!os->psp_read) {
		mc_report(res, MC_SKIP, "psp.status", "SEV_PLATFORM_STATUS not read: %s", os->psp_why[0] ? os->psp_why : "this view does not say (no line for it)");
		return;
	}
	if (os->snp_read)
		mc_snprintf(snp, sizeof(snp), "; SNP API %u.%u build %u, %s, RMP %sinitialised, %u guests",
			    n->api_major, n->api_minor, n->build, n->state ? "INIT" : "UNINIT", n->rmp_init ? "" : "not ",
			    n->guests);
	/* SEV API (AMD 55766): guests exist only in WORKING; states 0..2. */
	if (s->state > 2)
		mc_report(res, MC_FAIL, "psp.status", "SEV API %u.%u build %u: state %u is none of UNINIT/INIT/WORKING",
			  s->api_major, s->api_minor, s->build, s->state);
	else if (s->guests && s->state != 2)
		mc_report(res, MC_FAIL, "psp.status", "SEV API %u.%u: %u guests in state %s (guests need WORKING)",
			  s->api_major, s->api_minor, s->guests, psp_state(s->state));
	else if (os->kvm_sev_snp == MC_TRI_YES && os->snp_read && !n->state)
		/* sev_hardware_setup keeps sev_snp only if is_sev_snp_initialized(). */
		mc_report(res, MC_FAIL, "psp.status", "kvm_amd sev_snp=Y but SNP_PLATFORM_STATUS says UNINIT%s", snp);
	else
		mc_report(res, MC_PASS, "psp.status", "SEV API %u.%u build %u, %s, %u guests, flags 0x%x (owner %s, SEV-ES config %s)%s",
			  s->api_major, s->api_minor, s->build, psp_state(s->state), s->guests, s->flags,
			  (s->flags & 1) ? "external" : "self", (s->flags & 0x100) ? "yes" : "no", snp);
}

void mc_judge_os(struct mc_facts *f, const struct mc_os_view *os, struct mc_results *res)
{
	f->psp_read = os->psp_read;
	f->psp = os->psp;
	judge_cpuinfo(f, os, res);
	judge_dmesg(f, os, res);
	if (f->vendor == MC_VENDOR_AMD) {
		judge_kvm_amd(f, os, res);
		judge_psp(os, res);
	} else if (f->vendor == MC_VENDOR_INTEL) {
		judge_kvm_tdx(f, os, res);
	}
}
