/* host/os_view.c and host/live_platform.c under a root tree built here:
 * what is read (cpuinfo flags, kmsg records, KVM parameters, TSME, CPUID
 * and MSR records), and what is left as a reason when a file is absent.
 * Error paths run under LeakSanitizer with the rest of the unit tests. */
#include "tests/unit/harness.h"
#include "host/live_platform.h"
#include "host/os_view.h"
#include "host/ram_top.h"
#include "lib/platform.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void put(const char *rel, const char *text)
{
	char path[256], cmd[300];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\"", path);
	if (system(cmd) != 0)
		return;
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void record(const char *rel, u64 idx, const void *data, size_t size)
{
	char path[256];
	snprintf(path, sizeof(path), "%s%s", root, rel);
	int fd = open(path, O_WRONLY | O_CREAT, 0644);
	if (fd >= 0) {
		if (pwrite(fd, data, size, (off_t)(idx * size)) != (ssize_t)size)
			EXPECT(false, "write %s record %llu", rel, (unsigned long long)idx);
		close(fd);
	}
}

static bool mktree(void)
{
	strcpy(root, "/tmp/memcrypt-osview.XXXXXX");
	return mkdtemp(root) != NULL;
}

static void rmtree(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		EXPECT(false, "remove %s", root);
}

TEST(os_view, gather)
{
	if (!mktree()) {
		EXPECT(false, "setup: the test's Linux root tree under /tmp could not be made (mkdtemp): its assertions did not run");
		return;
	}
	static struct mc_os_view v;
	host_os_view_read(root, &v);
	EXPECT(v.present && !v.cpuinfo_read && strstr(v.cpuinfo_why, "/proc/cpuinfo: No such file"),
	       "no cpuinfo: a reason naming Linux's path ('%s')", v.cpuinfo_why);
	EXPECT(!v.kmsg_read && strstr(v.kmsg_why, "/dev/kmsg: No such file"), "no kmsg: a reason ('%s')", v.kmsg_why);
	EXPECT(v.kvm_sev == MC_TRI_UNKNOWN && v.kvm_tdx == MC_TRI_UNKNOWN && v.tsme == MC_TRI_UNKNOWN,
	       "no module parameters, no TSME attribute: unknown, not N");
	EXPECT(!v.psp_read && strstr(v.psp_why, "/dev/sev: absent") && !v.snp_read && v.snp_why[0],
	       "no /dev/sev: a reason for both PSP commands ('%s')", v.psp_why);

	put("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu sme sev_es smep\nprocessor\t: 1\nflags\t\t: fpu sev\n");
	char kmsg[2048];
	snprintf(kmsg, sizeof(kmsg),
		 "6,1,100,-;Linux version 6.16\n SUBSYSTEM=cpu\n"
		 "6,2,200,-;x86/tme: enabled by BIOS\n"
		 "6,3,300,c;ccp 0000:01:00.5: sev enabled\n DEVICE=+pci:0000:01:00.5\n"
		 "4,4,400,-;random driver: SEVERE is not SEV\n"
		 "6,5,500,-;ccp 0000:01:00.5: psp: TSME enabled\n"
		 "6,6,600,-;%0200d SEV long line\n"
		 "6,7,700,-;no semicolon here is a record too\n"
		 "garbage without a header\n"
		 "6,8,800,-;virt/tdx: BIOS enabled: private KeyID range [32, 64)", 7);
	put("/dev/kmsg", kmsg);
	put("/sys/module/kvm_amd/parameters/sev", "Y\n");
	put("/sys/module/kvm_amd/parameters/sev_es", "N\n");
	put("/sys/module/kvm_amd/parameters/sev_snp", "1\n");
	put("/sys/module/kvm_intel/parameters/tdx", "0\n");
	host_os_view_read(root, &v);
	EXPECT(v.cpuinfo_read && v.cpuinfo_flags == (MC_OS_FLAG_SME | MC_OS_FLAG_SEV_ES),
	       "cpuinfo: the first CPU's flags, sme and sev_es only (0x%x)", v.cpuinfo_flags);
	EXPECT(v.kmsg_read && v.n_kmsg == 6, "kmsg: 6 memory-encryption records kept of 9 lines (%u)", v.n_kmsg);
	EXPECT(v.n_kmsg >= 6 && !strcmp(v.kmsg[0], "x86/tme: enabled by BIOS") &&
	       !strcmp(v.kmsg[1], "ccp 0000:01:00.5: sev enabled") && strstr(v.kmsg[2], "SEVERE") &&
	       strlen(v.kmsg[4]) == MC_OS_KMSG_LEN - 1 && !strcmp(v.kmsg[5], "virt/tdx: BIOS enabled: private KeyID range [32, 64)"),
	       "kmsg: text after ';', continuation lines skipped, long text cut to %d, last record without newline", MC_OS_KMSG_LEN - 1);
	char *many = malloc(1 << 16);
	size_t n = 0;
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(many + n, (1 << 16) - n, "6,%d,0,-;ccp 0000:01:00.5: SEV informative %d\n", i, i);
	n += (size_t)snprintf(many + n, (1 << 16) - n, "6,99,0,-;kvm_amd: SEV enabled (ASIDs 100 - 1006)\n");
	put("/dev/kmsg", many);
	free(many);
	static struct mc_os_view w;
	host_os_view_read(root, &w);
	EXPECT(w.n_kmsg == MC_OS_KMSG_LINES && !strcmp(w.kmsg[MC_OS_KMSG_LINES - 1], "kvm_amd: SEV enabled (ASIDs 100 - 1006)") &&
	       !strcmp(w.kmsg[0], "ccp 0000:01:00.5: SEV informative 1"),
	       "a full view makes room for a line the judgments use: the oldest informative line goes, order kept ('%s' ... '%s')",
	       w.kmsg[0], w.kmsg[MC_OS_KMSG_LINES - 1]);
	put("/dev/kmsg", kmsg);
	EXPECT(v.kvm_sev == MC_TRI_YES && v.kvm_sev_es == MC_TRI_NO && v.kvm_sev_snp == MC_TRI_YES && v.kvm_tdx == MC_TRI_NO,
	       "KVM parameters: Y/N/1/0");
	EXPECT(v.tsme == MC_TRI_YES, "TSME from the ccp driver's 'psp: TSME enabled' line");
	put("/sys/bus/pci/devices/0000:01:00.5/tsme_status", "0\n");
	host_os_view_read(root, &v);
	EXPECT(v.tsme == MC_TRI_NO, "TSME from the PSP's tsme_status attribute first (0)");
	put("/dev/sev", "");
	host_os_view_read(root, &v);
	EXPECT(!v.psp_read && strstr(v.psp_why, "SEV_PLATFORM_STATUS:") && strstr(v.psp_why, "not the PSP's device"),
	       "a /dev/sev that is a plain file: the ioctl's refusal is the reason ('%s')", v.psp_why);
	rmtree();
}

TEST(os_view, tree_platform)
{
	if (!mktree()) {
		EXPECT(false, "setup: the test's Linux root tree under /tmp could not be made (mkdtemp): its assertions did not run");
		return;
	}
	struct mc_platform p;
	struct live_ctx *c = NULL;
	char err[700];
	EXPECT(live_platform_open_root(&p, &c, root, err, sizeof(err)) == -1 && strstr(err, "no CPUs"),
	       "a tree without CPUs is refused ('%s')", err);

	put("/dev/cpu/0/.keep", "");
	put("/dev/cpu/2/.keep", "");
	put("/sys/devices/system/cpu/cpu2/topology/physical_package_id", "1\n");
	put("/sys/devices/system/cpu/cpu3/online", "0\n");
	put("/dev/cpu/3/.keep", "");
	u32 leaf0[4] = { 0x10, 0x68747541, 0x444d4163, 0x69746e65 }, sub[4] = { 1, 2, 3, 4 };
	record("/dev/cpu/0/cpuid", 0, leaf0, sizeof(leaf0));
	record("/dev/cpu/0/cpuid", 0x1bULL | 1ULL << 32, sub, sizeof(sub));
	u64 syscfg = 1 << 23, hwcr = 1;
	record("/dev/cpu/0/msr", 0xc0010010, &syscfg, 8);
	record("/dev/cpu/0/msr", 0xc0010015, &hwcr, 8);
	record("/dev/cpu/2/msr", 0x10, &hwcr, 8);
	if (live_platform_open_root(&p, &c, root, err, sizeof(err))) {
		EXPECT(false, "tree opens (%s)", err);
		rmtree();
		return;
	}
	EXPECT(p.cpu_count(p.ctx) == 2 && live_platform_linux_cpu(c, 1) == 2,
	       "CPUs: dev/cpu/0 and 2; 3 is offline (%d CPUs)", p.cpu_count(p.ctx));
	EXPECT(p.package_of(p.ctx, 1) == 1 && p.package_of(p.ctx, 0) == 0, "packages from topology/physical_package_id");
	struct cpuid_regs r;
	mc_cpuid(&p, 0, 0, &r);
	EXPECT(r.eax == 0x10 && r.ebx == 0x68747541, "CPUID leaf 0 from record 0 of dev/cpu/0/cpuid");
	mc_cpuid(&p, 0, 0x1b, &r);
	EXPECT(r.eax == 0 && r.ebx == 0, "CPUID 0x1B.0 is a hole: zeros");
	p.cpuid(p.ctx, 0, 0x1b, 1, &r);
	EXPECT(r.eax == 1 && r.edx == 4, "CPUID 0x1B.1 from record 0x1b | 1 << 32");
	u64 val = 0;
	EXPECT(mc_rdmsr(&p, 0, 0xc0010010, &val) == 0 && val == syscfg, "MSR SYSCFG from record 0xC0010010");
	EXPECT(mc_rdmsr(&p, 0, 0xc0010011, &val) == 0 && val == 0, "an MSR in a hole reads zero");
	EXPECT(mc_rdmsr(&p, 0, 0xc0010131, &val) == X86_TRAP_GP, "an MSR past the end of the file #GPs");
	EXPECT(mc_rdmsr(&p, MC_CPU_CURRENT, 0xc0010015, &val) == 0 && val == 1, "the current CPU is the first");
	EXPECT(p.on_cpu(p.ctx, 1, NULL, NULL) == MC_PLAT_ENOSYS, "no code runs on a tree's CPU");
	char msg[800];
	EXPECT(live_platform_access_error(c, msg, sizeof(msg)) == 0, "no access error so far");
	p.cpuid(p.ctx, 1, 0, 0, &r);
	EXPECT(live_platform_access_error(c, msg, sizeof(msg)) && strstr(msg, "dev/cpu/2/cpuid does not exist") &&
	       strstr(msg, "modprobe cpuid"), "a CPU without a cpuid node is an access error ('%s')", msg);
	live_platform_close(c);
	rmtree();
}

TEST(os_view, ram_top)
{
	if (!mktree()) {
		EXPECT(false, "setup: the test's Linux root tree under /tmp could not be made (mkdtemp): its assertions did not run");
		return;
	}
	EXPECT(host_ram_top(root) == 0, "no /sys/firmware/memmap: RAM top unknown (0)");
	put("/sys/firmware/memmap/0/start", "0x0\n");
	put("/sys/firmware/memmap/0/end", "0x9fbff\n");
	put("/sys/firmware/memmap/0/type", "System RAM\n");
	put("/sys/firmware/memmap/1/start", "0x100000\n");
	put("/sys/firmware/memmap/1/end", "0x10fffffff\n");
	put("/sys/firmware/memmap/1/type", "System RAM\n");
	put("/sys/firmware/memmap/2/start", "0xfd00000000\n");
	put("/sys/firmware/memmap/2/end", "0xffffffffff\n");
	put("/sys/firmware/memmap/2/type", "Reserved\n");
	unsigned long long top = host_ram_top(root);
	EXPECT(top == 0x110000000ULL, "RAM top = the highest System RAM end + 1, reserved ranges ignored (0x%llx)", top);
	rmtree();
}
