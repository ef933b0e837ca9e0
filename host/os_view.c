/* See os_view.h. Paths are Linux's, under the root; reasons name the
 * Linux path (not the root), so a capture's reasons read the same as the
 * tree's. */
#include "host/os_view.h"
#include "host/root_path.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KMSG_MAX_BYTES (64u << 20)   /* bound for a regular file standing for /dev/kmsg */

static void reason(char *why, const char *linux_path, int e)
{
	const char *hint = e == EACCES || e == EPERM ? " (run as root)" : "";
	snprintf(why, MC_OS_REASON_LEN, "%s: %s%s", linux_path, strerror(e), hint);
}

/* A whole small file (sysfs, procfs) into buf; bytes, or -1 with errno. */
static ssize_t slurp(const char *root, const char *linux_path, char *buf, size_t size)
{
	char path[640];
	if (host_root_path(path, sizeof(path), root, "%s", linux_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = 0;
	while (n + 1 < size) {
		ssize_t got = read(fd, buf + n, size - 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	close(fd);
	buf[n] = 0;
	return (ssize_t)n;
}

/* ---- /proc/cpuinfo: the first CPU's "flags" line -------------------------- */

static void read_cpuinfo(const char *root, struct mc_os_view *v)
{
	static const struct { const char *name; u32 bit; } flags[] = {
		{ "tme", MC_OS_FLAG_TME }, { "sme", MC_OS_FLAG_SME }, { "sev", MC_OS_FLAG_SEV },
		{ "sev_es", MC_OS_FLAG_SEV_ES }, { "sev_snp", MC_OS_FLAG_SEV_SNP },
	};
	size_t size = 1 << 20;
	char *buf = malloc(size);
	if (!buf) {
		snprintf(v->cpuinfo_why, MC_OS_REASON_LEN, "/proc/cpuinfo: out of memory");
		return;
	}
	if (slurp(root, "/proc/cpuinfo", buf, size) < 0) {
		reason(v->cpuinfo_why, "/proc/cpuinfo", errno);
		free(buf);
		return;
	}
	for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		char *colon = strchr(line, ':'), *nl = strchr(line, '\n');
		if (strncmp(line, "flags", 5) || !colon || (nl && colon > nl))
			continue;
		if (nl)
			*nl = 0;
		for (char *w = strtok(colon + 1, " \t"); w; w = strtok(NULL, " \t"))
			for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
				if (!strcmp(w, flags[i].name))
					v->cpuinfo_flags |= flags[i].bit;
		v->cpuinfo_read = true;
		break;
	}
	if (!v->cpuinfo_read)
		snprintf(v->cpuinfo_why, MC_OS_REASON_LEN, "/proc/cpuinfo: no 'flags' line (not an x86 kernel?)");
	free(buf);
}

/* ---- the kernel log -------------------------------------------------------- */

bool host_kmsg_relevant(const char *t)
{
	/* The lines of arch/x86/kernel/cpu/intel.c (x86/tme, x86/mktme),
	 * arch/x86/mm/mem_encrypt.c ("Memory Encryption Features active"),
	 * arch/x86/virt/vmx/tdx (virt/tdx), kvm_amd and the ccp driver (SEV,
	 * psp, TSME). */
	static const char *const keys[] = {
		"x86/tme", "x86/mktme", "Memory Encryption Features active", "virt/tdx", "tdx:",
		"TDX", "SEV", "TSME",
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strstr(t, keys[i]))
			return true;
	return !strncmp(t, "ccp ", 4) && (strstr(t, "sev") || strstr(t, "psp"));
}

/* The lines lib/checks/os.c judges: when the view is full, one of these
 * takes the place of the oldest line that is only informative. */
static bool kmsg_decisive(const char *t)
{
	static const char *const keys[] = {
		"x86/tme: ", "x86/mktme: ", "virt/tdx: BIOS enabled", "Memory Encryption Features active",
		"ASIDs", "TSME",
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strstr(t, keys[i]))
			return true;
	return false;
}

/* One /dev/kmsg record ("prio,seq,ts,flags[,...];text"); continuation
 * lines (" KEY=value") are not records. */
static void kmsg_record(struct mc_os_view *v, const char *rec, size_t len)
{
	const char *semi = memchr(rec, ';', len);
	if (!len || rec[0] == ' ' || !semi)
		return;
	char text[1024] = { 0 };   /* the kernel's records are at most 1024 bytes of text */
	size_t tl = len - (size_t)(semi + 1 - rec);
	if (tl >= sizeof(text))
		tl = sizeof(text) - 1;
	memcpy(text, semi + 1, tl);
	text[tl] = 0;
	for (size_t i = 0; i < tl; i++)   /* /dev/kmsg escapes these as \xNN; a file might not */
		if ((unsigned char)text[i] < 0x20)
			text[i] = ' ';
	if (!host_kmsg_relevant(text))   /* judged whole, then kept cut to the view's length */
		return;
	if (v->n_kmsg == MC_OS_KMSG_LINES) {   /* full: make room only for a decisive line */
		u32 i = 0;
		while (i < v->n_kmsg && kmsg_decisive(v->kmsg[i]))
			i++;
		if (i == v->n_kmsg || !kmsg_decisive(text))
			return;
		memmove(v->kmsg[i], v->kmsg[i + 1], (size_t)(v->n_kmsg - i - 1) * MC_OS_KMSG_LEN);
		v->n_kmsg--;
	}
	text[MC_OS_KMSG_LEN - 1] = 0;
	memcpy(v->kmsg[v->n_kmsg++], text, MC_OS_KMSG_LEN);
}

/* /dev/kmsg read non-blocking from the oldest record until EAGAIN: the
 * device gives one record per read() (EPIPE when one was overwritten); a
 * regular file standing for it gives them in chunks until EOF. Needs
 * CAP_SYSLOG when kernel.dmesg_restrict=1. */
static void read_kmsg(const char *root, struct mc_os_view *v)
{
	char path[640];
	if (host_root_path(path, sizeof(path), root, "/dev/kmsg")) {
		reason(v->kmsg_why, "/dev/kmsg", ENAMETOOLONG);
		return;
	}
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		if (e == EPERM || e == EACCES)
			snprintf(v->kmsg_why, MC_OS_REASON_LEN, "/dev/kmsg: %s (dmesg_restrict: needs CAP_SYSLOG, run as root)",
				 strerror(e));
		else
			reason(v->kmsg_why, "/dev/kmsg", e);
		return;
	}
	enum { BUF = 16384 };
	char *buf = malloc(BUF);
	size_t have = 0, total = 0;
	int err = 0;
	while (buf && total < KMSG_MAX_BYTES) {
		ssize_t got = read(fd, buf + have, BUF - have);
		if (got < 0 && (errno == EINTR || errno == EPIPE))
			continue;
		if (got < 0) {
			if (errno != EAGAIN)
				err = errno;
			break;
		}
		if (!got)
			break;
		total += (size_t)got;
		have += (size_t)got;
		size_t start = 0;
		for (size_t i = 0; i < have; i++)
			if (buf[i] == '\n') {
				kmsg_record(v, buf + start, i - start);
				start = i + 1;
			}
		if (start == 0 && have == BUF)   /* a record longer than the buffer: drop it */
			start = have;
		memmove(buf, buf + start, have - start);
		have -= start;
	}
	if (buf && have)
		kmsg_record(v, buf, have);
	close(fd);
	free(buf);
	if (!buf)
		snprintf(v->kmsg_why, MC_OS_REASON_LEN, "/dev/kmsg: out of memory");
	else if (err && !total)
		reason(v->kmsg_why, "/dev/kmsg", err);
	else
		v->kmsg_read = true;
}

/* ---- KVM's module parameters ---------------------------------------------- */

static u8 kvm_param(const char *root, const char *linux_path)
{
	char b[8];
	if (slurp(root, linux_path, b, sizeof(b)) < 1)
		return MC_TRI_UNKNOWN;   /* module not loaded, or a kernel without the parameter */
	return b[0] == 'Y' || b[0] == '1' ? MC_TRI_YES : b[0] == 'N' || b[0] == '0' ? MC_TRI_NO : MC_TRI_UNKNOWN;
}

/* ---- TSME: the PSP's sysfs attribute, else the ccp driver's line --------- */

static void read_tsme(const char *root, struct mc_os_view *v)
{
	char path[640], file[900], b[8];
	if (!host_root_path(path, sizeof(path), root, "/sys/bus/pci/devices")) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			/* drivers/crypto/ccp/sp-pci.c: tsme_status reads "0\n" or "1\n". */
			snprintf(file, sizeof(file), "/sys/bus/pci/devices/%s/tsme_status", e->d_name);
			if (slurp(root, file, b, sizeof(b)) >= 1 && (b[0] == '0' || b[0] == '1'))
				if (v->tsme != MC_TRI_YES)
					v->tsme = b[0] == '1' ? MC_TRI_YES : MC_TRI_NO;
		}
		if (d)
			closedir(d);
	}
	/* drivers/crypto/ccp (psp_init_hsti): "psp: TSME enabled", or "psp:
	 * Both TSME and SME are active". */
	for (u32 i = 0; v->tsme == MC_TRI_UNKNOWN && i < v->n_kmsg; i++)
		if (strstr(v->kmsg[i], "psp: TSME enabled") || strstr(v->kmsg[i], "Both TSME and SME are active"))
			v->tsme = MC_TRI_YES;
}

void host_os_view_read(const char *root, struct mc_os_view *v)
{
	memset(v, 0, sizeof(*v));
	v->present = true;
	read_cpuinfo(root, v);
	read_kmsg(root, v);
	v->kvm_sev = kvm_param(root, "/sys/module/kvm_amd/parameters/sev");
	v->kvm_sev_es = kvm_param(root, "/sys/module/kvm_amd/parameters/sev_es");
	v->kvm_sev_snp = kvm_param(root, "/sys/module/kvm_amd/parameters/sev_snp");
	v->kvm_tdx = kvm_param(root, "/sys/module/kvm_intel/parameters/tdx");
	read_tsme(root, v);
	host_psp_read(root, v);
}
