/* lib/checks/os.c: every linux.*, kvm.* and psp.* judgment in both
 * directions (the kernel agrees / disagrees with the registers), SKIP with
 * the reason where a side was not read. Facts are built directly, as the
 * readers of lib/checks fill them (TDX partition, SEAMRR, HWCR, RMP). */
#include "tests/unit/harness.h"
#include "lib/checks/internal.h"
#include <string.h>

static struct mc_facts F;
static struct mc_os_view OS;
static struct mc_results R;

/* Intel: TME locked+enabled, 6 KeyID bits, 31 MKTME + 32 TDX KeyIDs, SEAMRR on. */
static void intel_tdx(void)
{
	memset(&F, 0, sizeof(F));
	F.vendor = MC_VENDOR_INTEL;
	strcpy(F.vendor_id, "GenuineIntel");
	F.sme.syscfg_first_clear = -1;
	F.tme.supported = F.tme.read = F.tme.active = F.tme.mktme = true;
	mc_decode_tme_activate(0x0001000600000003ULL, &F.tme.act);
	F.tme.keyid_bits = 6;
	F.tme.keyids = 63;
	F.tme.partition_read = true;
	F.tme.partition = (32ULL << 32) | 31;
	F.tme.mktme_keyids = 31;
	F.tme.tdx_keyids = 32;
	F.tme.tdx_keyid_start = 32;
	F.tme.seamrr_read = true;
	F.tme.seamrr_mask = 0xfff000800ULL;
	F.tme.tdx_enabled = true;
}

/* AMD: SME SEV SEV-ES SNP, 1006 ASIDs from 100; SYSCFG[23] on both CPUs,
 * SMM locked, RMP reserved. */
static void amd_snp(void)
{
	memset(&F, 0, sizeof(F));
	F.vendor = MC_VENDOR_AMD;
	strcpy(F.vendor_id, "AuthenticAMD");
	F.cpus = 2;
	F.sme.leaf = F.sme.supported = true;
	struct cpuid_regs r = { 0x1043f, 51 | (1 << 6) | (4 << 12), 1006, 100 };
	F.sme.raw = r;
	mc_decode_amd_mem_encrypt(&r, &F.sme.enc);
	F.sme.syscfg = (1 << 23) | (1 << 24) | (1 << 25);
	F.sme.syscfg_read = true;
	F.sme.syscfg_cpus_read = F.sme.syscfg_cpus_set = 2;
	F.sme.syscfg_first_clear = -1;
	F.sme.enabled = F.sme.snp_enabled = true;
	F.sme.hwcr_read = F.sme.smm_locked = true;
	F.sme.hwcr_first_unlocked = -1;
	F.sme.rmp_read = true;
	F.sme.rmp_base = 0x7ff00000;
	F.sme.rmp_end = 0x800fffff;
	F.sme.es_asids = 99;
	F.sme.sev_usable = true;
}

static void os_clear(void)
{
	memset(&OS, 0, sizeof(OS));
	OS.present = OS.cpuinfo_read = OS.kmsg_read = true;
	strcpy(OS.psp_why, "/dev/sev: absent");
	strcpy(OS.snp_why, "/dev/sev: absent");
}

static void kmsg(const char *line)
{
	strcpy(OS.kmsg[OS.n_kmsg++], line);
}

static const struct mc_result *judge(const char *id)
{
	mc_report_set_sink(NULL, NULL);
	mc_results_init(&R, MC_STAGE_HOST);
	mc_judge_os(&F, &OS, &R);
	for (u32 i = 0; i < R.count; i++)
		if (!strcmp(R.r[i].id, id))
			return &R.r[i];
	return NULL;
}

static void expect(const char *why, const char *id, enum mc_verdict v, const char *has)
{
	const struct mc_result *r = judge(id);
	EXPECT(r && r->verdict == v && (!has || strstr(r->detail, has)), "%s: %s is %s%s%s (got %s: %s)", why, id,
	       mc_verdict_name(v), has ? " mentioning " : "", has ? has : "",
	       r ? mc_verdict_name((enum mc_verdict)r->verdict) : "no result", r ? r->detail : "-");
}

TEST(checks_os, cpuinfo_intel)
{
	intel_tdx(); os_clear(); OS.cpuinfo_flags = MC_OS_FLAG_TME;
	expect("detect_tme_early keeps tme with lock+enable", "linux.cpuinfo", MC_PASS, "tme=1");
	OS.cpuinfo_flags = 0;
	expect("kernel without tme while ACTIVATE is lock+enable", "linux.cpuinfo", MC_FAIL, "lacks 'tme'");
	F.tme.active = false; mc_decode_tme_activate(0x1, &F.tme.act);
	expect("tme cleared, ACTIVATE not lock+enable", "linux.cpuinfo", MC_PASS, "tme=0");
	OS.cpuinfo_flags = MC_OS_FLAG_TME;
	expect("an older kernel keeps the CPUID flag", "linux.cpuinfo", MC_PASS, "older kernel");
	F.tme.supported = F.tme.read = false;
	expect("tme shown, CPUID.7.0:ECX[13]=0", "linux.cpuinfo", MC_FAIL, "ECX[13]=0");
	F.tme.supported = true;
	expect("ACTIVATE not read: not judged", "linux.cpuinfo", MC_SKIP, "not read");
	OS.cpuinfo_read = false; strcpy(OS.cpuinfo_why, "/proc/cpuinfo: Permission denied");
	expect("cpuinfo unreadable: SKIP with the reason", "linux.cpuinfo", MC_SKIP, "Permission denied");
}

TEST(checks_os, cpuinfo_amd)
{
	amd_snp(); os_clear(); OS.cpuinfo_flags = MC_OS_FLAG_SEV | MC_OS_FLAG_SEV_ES | MC_OS_FLAG_SEV_SNP;
	expect("SEV flags kept: SYSCFG[23], SMM locked, RMP", "linux.cpuinfo", MC_PASS, "sev=1 sev_es=1 sev_snp=1");
	F.sme.smm_locked = F.sme.sev_usable = false;
	expect("sev shown with HWCR.SMMLOCK clear", "linux.cpuinfo", MC_FAIL, "HWCR.SMMLOCK clear");
	OS.cpuinfo_flags = 0;
	expect("sev cleared with HWCR.SMMLOCK clear", "linux.cpuinfo", MC_PASS, "sev=0");
	amd_snp();
	expect("sev cleared although the kernel keeps it here", "linux.cpuinfo", MC_FAIL, "lacks 'sev'");
	F.sme.enabled = false; F.sme.syscfg_first_clear = 1; F.sme.sev_usable = false;
	OS.cpuinfo_flags = MC_OS_FLAG_SME;
	expect("sme shown with SYSCFG[23] clear", "linux.cpuinfo", MC_FAIL, "shows 'sme'");
	amd_snp(); OS.cpuinfo_flags = MC_OS_FLAG_SME | MC_OS_FLAG_SEV | MC_OS_FLAG_SEV_ES;
	expect("sev_snp absent: a kernel without host SNP", "linux.cpuinfo", MC_PASS, "kernel without host SNP");
	F.sme.rmp_base = F.sme.rmp_end = 0;
	OS.cpuinfo_flags |= MC_OS_FLAG_SEV_SNP;
	expect("sev_snp shown without an RMP", "linux.cpuinfo", MC_FAIL, "no RMP reserved");
	amd_snp(); F.sme.hwcr_read = false; F.sme.sev_usable = false;
	OS.cpuinfo_flags = MC_OS_FLAG_SEV;
	expect("HWCR not read: sev not judged", "linux.cpuinfo", MC_PASS, "not judged: sev=1");
	amd_snp(); F.hypervisor = true;
	expect("in a guest SYSCFG/HWCR are emulated", "linux.cpuinfo", MC_SKIP, "under a hypervisor");
}

TEST(checks_os, dmesg_intel)
{
	intel_tdx(); os_clear();
	kmsg("x86/tme: enabled by BIOS");
	kmsg("x86/mktme: BIOS enabled: x86_phys_bits reduced by 6");
	kmsg("virt/tdx: BIOS enabled: private KeyID range [32, 64)");
	expect("tme, mktme and the TDX range agree", "linux.dmesg", MC_PASS, "3 of 3");
	strcpy(OS.kmsg[2], "virt/tdx: BIOS enabled: private KeyID range [16, 64)");
	expect("TDX range not the partition's", "linux.dmesg", MC_FAIL, "private KeyIDs [32, 64)");
	strcpy(OS.kmsg[1], "x86/mktme: BIOS enabled: x86_phys_bits reduced by 4");
	expect("phys_bits reduction not MK_TME_KEYID_BITS", "linux.dmesg", MC_FAIL, "MK_TME_KEYID_BITS 6");
	os_clear(); kmsg("x86/tme: not enabled by BIOS");
	expect("kernel says not enabled, ACTIVATE lock+enable: both sides named", "linux.dmesg", MC_FAIL,
	       "'x86/tme: not enabled by BIOS'; registers: IA32_TME_ACTIVATE=0x0001000600000003 lock+enable");
	F.tme.active = false;
	expect("not enabled, and ACTIVATE says so", "linux.dmesg", MC_PASS, "all agree");
	intel_tdx(); os_clear(); kmsg("x86/mktme: enabled by BIOS"); kmsg("x86/mktme: 63 KeyIDs available");
	expect("older kernels: KeyIDs available = 2^bits - 1", "linux.dmesg", MC_PASS, "1 of 2");
	strcpy(OS.kmsg[1], "x86/mktme: 15 KeyIDs available");
	expect("older kernels: wrong KeyID count", "linux.dmesg", MC_FAIL, "15 KeyIDs");
	os_clear(); kmsg("virt/tdx: module initialized");
	expect("lines the registers do not decide", "linux.dmesg", MC_INFO, "none that");
	os_clear();
	expect("no memory-encryption line at all", "linux.dmesg", MC_SKIP, "no memory-encryption line");
	OS.kmsg_read = false; strcpy(OS.kmsg_why, "/dev/kmsg: Operation not permitted");
	expect("kmsg unreadable: SKIP with the reason", "linux.dmesg", MC_SKIP, "Operation not permitted");
}

TEST(checks_os, dmesg_amd)
{
	amd_snp(); os_clear();
	kmsg("kvm_amd: SEV enabled (ASIDs 100 - 1006)");
	kmsg("kvm_amd: SEV-ES enabled (ASIDs 1 - 99)");
	kmsg("kvm_amd: SEV-SNP enabled (ASIDs 1 - 99)");
	kmsg("Memory Encryption Features active: AMD SME");
	expect("KVM's ASID ranges are CPUID's, SME active with SYSCFG[23]", "linux.dmesg", MC_PASS, "4 of 4");
	F.sme.enabled = false;
	expect("SME active while SYSCFG[23] clear", "linux.dmesg", MC_FAIL, "SYSCFG[23] clear");
	amd_snp(); strcpy(OS.kmsg[0], "kvm_amd: SEV enabled (ASIDs 100 - 509)");
	expect("SEV ASIDs not CPUID's", "linux.dmesg", MC_FAIL, "ECX=1006 EDX=100");
	os_clear(); kmsg("kvm_amd: SEV supported: 907 ASIDs"); kmsg("kvm_amd: SEV-ES supported: 99 ASIDs");
	expect("older wording: counts", "linux.dmesg", MC_PASS, "2 of 2");
	strcpy(OS.kmsg[1], "kvm_amd: SEV-ES supported: 50 ASIDs");
	expect("older wording: wrong SEV-ES count", "linux.dmesg", MC_FAIL, "50 ASIDs");
	amd_snp(); F.hypervisor = true; F.sme.sev_status_read = true; F.sme.sev_status = 7; F.sme.guest = MC_GUEST_SEV_SNP;
	os_clear(); kmsg("Memory Encryption Features active: AMD SEV SEV-ES SEV-SNP");
	expect("SNP guest says so", "linux.dmesg", MC_PASS, "1 of 1");
	F.sme.guest = MC_GUEST_SEV; F.sme.sev_status = 1;
	expect("kernel says SNP, SEV_STATUS says SEV", "linux.dmesg", MC_FAIL, "SEV_STATUS=0x0000000000000001");
}

TEST(checks_os, kvm_amd)
{
	amd_snp(); os_clear(); OS.kvm_sev = OS.kvm_sev_es = OS.kvm_sev_snp = MC_TRI_YES;
	expect("SEV on, registers allow", "kvm.sev", MC_PASS, "sev=Y");
	expect("SEV-ES on, 99 ASIDs", "kvm.sev_es", MC_PASS, "sev_es=Y");
	expect("SNP on, RMP reserved", "kvm.sev_snp", MC_PASS, "sev_snp=Y");
	F.sme.raw.edx = 1; mc_decode_amd_mem_encrypt(&F.sme.raw, &F.sme.enc); F.sme.es_asids = 0;
	expect("sev_es=Y with min SEV ASID 1", "kvm.sev_es", MC_FAIL, "min SEV ASID 1");
	expect("sev_snp=Y with min SEV ASID 1", "kvm.sev_snp", MC_FAIL, "no SEV-ES ASIDs");
	OS.kvm_sev_es = OS.kvm_sev_snp = MC_TRI_NO;
	expect("sev_es=N with no SEV-ES ASIDs: as KVM does", "kvm.sev_es", MC_PASS, "sev_es=N");
	amd_snp(); OS.kvm_sev = MC_TRI_NO; OS.kvm_sev_es = MC_TRI_NO; OS.kvm_sev_snp = MC_TRI_NO;
	expect("SEV off although the registers allow it", "kvm.sev", MC_WARN, "sev_hardware_setup");
	F.sme.smm_locked = F.sme.sev_usable = false;
	expect("SEV off with SMM unlocked: as Linux does", "kvm.sev", MC_PASS, "HWCR.SMMLOCK clear");
	OS.kvm_sev = MC_TRI_YES;
	expect("SEV on with SMM unlocked", "kvm.sev", MC_FAIL, "HWCR.SMMLOCK clear");
	amd_snp(); OS.kvm_sev_snp = MC_TRI_YES; OS.kvm_sev_es = MC_TRI_YES; F.sme.rmp_base = 0;
	expect("SNP on without an RMP", "kvm.sev_snp", MC_FAIL, "no RMP");
	amd_snp(); OS.kvm_sev = MC_TRI_NO; OS.kvm_sev_es = MC_TRI_YES;
	expect("SEV-ES on with SEV off", "kvm.sev_es", MC_FAIL, "without SEV");
	amd_snp(); F.sme.hwcr_read = false; F.sme.sev_usable = false; OS.kvm_sev = MC_TRI_YES;
	expect("HWCR not read: not judged", "kvm.sev", MC_SKIP, "not judged");
	OS.kvm_sev = MC_TRI_UNKNOWN;
	expect("kvm_amd not loaded", "kvm.sev", MC_SKIP, "absent");
	EXPECT(!judge("kvm.tdx"), "no kvm.tdx on AMD");
}

TEST(checks_os, kvm_tdx)
{
	intel_tdx(); os_clear(); OS.kvm_tdx = MC_TRI_YES;
	expect("TDX on: SEAMRR enabled, 32 private KeyIDs", "kvm.tdx", MC_PASS, "32 private KeyIDs from 32");
	F.tme.tdx_enabled = false;
	expect("TDX on with SEAMRR off", "kvm.tdx", MC_FAIL, "bit 11 clear");
	OS.kvm_tdx = MC_TRI_NO;
	expect("TDX off, SEAMRR off", "kvm.tdx", MC_PASS, "tdx=N");
	intel_tdx(); OS.kvm_tdx = MC_TRI_NO;
	expect("TDX off by KVM's default though the BIOS enabled it", "kvm.tdx", MC_INFO, "off by default");
	intel_tdx(); F.tme.partition_read = false; F.tme.partition_fault = X86_TRAP_GP; F.tme.tdx_keyids = 0;
	OS.kvm_tdx = MC_TRI_YES;
	expect("TDX on without a KeyID partition", "kvm.tdx", MC_FAIL, "no TDX private KeyIDs");
	intel_tdx(); F.tme.seamrr_read = F.tme.tdx_enabled = false; F.tme.seamrr_fault = MC_PLAT_ENOSYS;
	expect("TDX on without SEAMRR (MTRRCAP[15] clear)", "kvm.tdx", MC_FAIL, "no SEAMRR");
	intel_tdx(); F.tme.seamrr_read = F.tme.partition_read = false;
	expect("SEAMRR not read: not judged", "kvm.tdx", MC_SKIP, "not judged");
	OS.kvm_tdx = MC_TRI_UNKNOWN;
	expect("kvm_intel without tdx", "kvm.tdx", MC_SKIP, "absent");
	EXPECT(!judge("psp.status") && !judge("kvm.sev"), "no psp.* or kvm.sev on Intel");
}

TEST(checks_os, psp)
{
	amd_snp(); os_clear();
	expect("no /dev/sev: SKIP with the reason", "psp.status", MC_SKIP, "/dev/sev: absent");
	EXPECT(!F.psp_read, "no PSP status in the facts");
	OS.psp_read = true;
	OS.psp = (struct mc_psp_status){ .api_major = 1, .api_minor = 55, .state = 1, .flags = 0x100, .build = 21 };
	expect("INIT, no guests", "psp.status", MC_PASS, "SEV API 1.55 build 21, INIT, 0 guests");
	EXPECT(F.psp_read && F.psp.api_minor == 55, "the PSP status is copied into the facts for JSON");
	OS.psp.state = 5;
	expect("state out of range", "psp.status", MC_FAIL, "state 5");
	OS.psp.state = 1; OS.psp.guests = 2;
	expect("guests outside WORKING", "psp.status", MC_FAIL, "need WORKING");
	OS.psp.state = 2;
	expect("guests in WORKING", "psp.status", MC_PASS, "WORKING, 2 guests");
	OS.snp_read = true; OS.snp = (struct mc_psp_snp_status){ .api_major = 1, .api_minor = 55, .state = 0 };
	OS.kvm_sev_snp = MC_TRI_YES;
	expect("KVM SNP on while the SNP firmware is UNINIT", "psp.status", MC_FAIL, "UNINIT");
	OS.snp.state = 1; OS.snp.rmp_init = 1;
	expect("SNP firmware INIT", "psp.status", MC_PASS, "SNP API 1.55");
}

TEST(checks_os, json_psp_member)
{
	static char buf[1 << 16];
	amd_snp(); os_clear();
	mc_results_init(&R, MC_STAGE_HOST);
	F.psp_read = false;
	EXPECT(mc_checks_json(&F, &R, buf, sizeof(buf)) > 0 && strstr(buf, "\"psp\":null"), "JSON psp is null without a PSP status");
	F.psp_read = true;
	F.psp = (struct mc_psp_status){ .api_major = 1, .api_minor = 55, .state = 2, .build = 21, .guests = 3 };
	EXPECT(mc_checks_json(&F, &R, buf, sizeof(buf)) > 0 &&
	       strstr(buf, "\"psp\":{\"api\":\"1.55\",\"build\":21,\"state\":2,\"guests\":3}"),
	       "JSON psp {api \"MAJ.MIN\", build, state, guests}");
}
