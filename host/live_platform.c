/* See live_platform.h. Linux's msr driver (arch/x86/kernel/msr.c) maps a
 * faulting RDMSR to EIO, an offline CPU to ENXIO, and needs CAP_SYS_RAWIO;
 * its cpuid driver (arch/x86/kernel/cpuid.c) serves leaf | subleaf << 32. */
#include "host/live_platform.h"
#include "host/root_path.h"
#include <cpuid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A device file of a tree (--root DIR): the driver's own character
 * device, or a regular file standing for it. A file cannot hold the
 * driver's overlapping records (MSR 0x982's 8 bytes start one byte after
 * 0x981's), so a regular file holds record i at i * record size: what
 * `dd bs=8 seek=MSR` or `dd bs=16 seek=$((LEAF | SUBLEAF << 32))` writes. */
struct devfile {
	int fd;                /* -1 not yet opened, -2 failed */
	bool regular;
};

struct live_ctx {
	int ncpus;
	int *cpu;              /* logical n -> Linux CPU number */
	struct devfile *msr;   /* /dev/cpu/N/msr */
	struct devfile *cpuid; /* /dev/cpu/N/cpuid (only under a root other than /) */
	int home;              /* logical CPU the process is pinned to */
	cpu_set_t allowed;     /* the affinity we were started with */
	char root[512];
	bool system;           /* root is "/": the CPUID instruction, pinning */
	int access_errno;      /* first ENOENT/EACCES/EPERM on an msr device */
	int access_cpu;
	const char *access_dev;    /* "msr" or "cpuid" */
};

static bool cpu_online(const char *root, int n)
{
	char path[640];
	if (host_root_path(path, sizeof(path), root, "/sys/devices/system/cpu/cpu%d/online", n))
		return false;
	FILE *f = fopen(path, "r");
	if (!f)   /* cpu0 often has no "online" file: it cannot go offline */
		return true;
	int c = fgetc(f);
	fclose(f);
	return c != '0';
}

static bool pin(int linux_cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(linux_cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0;
}

static int logical(const struct live_ctx *c, int cpu)
{
	if (cpu == MC_CPU_CURRENT)
		return c->home;
	return cpu >= 0 && cpu < c->ncpus ? cpu : -1;
}

static int op_cpu_count(void *ctx)
{
	return ((struct live_ctx *)ctx)->ncpus;
}

static int op_package_of(void *ctx, int cpu)
{
	struct live_ctx *c = ctx;
	int n = logical(c, cpu), pkg = 0;
	char path[640];
	if (n < 0 || host_root_path(path, sizeof(path), c->root, "/sys/devices/system/cpu/cpu%d/topology/physical_package_id",
				    c->cpu[n]))
		return 0;
	FILE *f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%d", &pkg) != 1)
			pkg = 0;
		fclose(f);
	}
	return pkg;
}

/* CPUID on a CPU: pinned there, then back home. If the pin fails (CPU
 * went offline, or outside a cpuset), the instruction runs at home: CPUID
 * has no way to report failure, and the checks only use the home CPU. */
/* The first error that keeps a device from being read: for msr the ones
 * that mean "no driver" or "not root" (EIO is a #GP, ENXIO an offline CPU);
 * for cpuid every one, since CPUID has no way to report a failure. */
static void access_error(struct live_ctx *c, int e, int n, const char *dev)
{
	bool cpuid = strcmp(dev, "msr");
	if ((cpuid || e == ENOENT || e == EACCES || e == EPERM) && !c->access_errno) {
		c->access_errno = e;
		c->access_cpu = c->cpu[n];
		c->access_dev = dev;
	}
}

static int dev_fd(struct live_ctx *c, struct devfile *d, int n, const char *dev)
{
	if (d->fd != -1)
		return d->fd;
	char path[640];
	struct stat st;
	if (host_root_path(path, sizeof(path), c->root, "/dev/cpu/%d/%s", c->cpu[n], dev)) {
		d->fd = -2;
		access_error(c, ENOENT, n, dev);
		return d->fd;
	}
	d->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->fd < 0) {
		access_error(c, errno, n, dev);
		d->fd = -2;
	} else {
		d->regular = !fstat(d->fd, &st) && S_ISREG(st.st_mode);
	}
	return d->fd;
}

/* A tree's CPUID: Linux's cpuid driver answers 16 bytes eax, ebx, ecx, edx
 * at offset leaf | subleaf << 32 (a regular file: that record's slot). */
static void tree_cpuid(struct live_ctx *c, int n, u32 leaf, u32 subleaf, struct cpuid_regs *out)
{
	u32 r[4] = { 0, 0, 0, 0 };
	u64 idx = leaf | (u64)subleaf << 32;
	int fd = n >= 0 ? dev_fd(c, &c->cpuid[n], n, "cpuid") : -1;
	if (fd >= 0) {
		ssize_t got = pread(fd, r, sizeof(r), (off_t)(c->cpuid[n].regular ? idx * sizeof(r) : idx));
		if (got < 0) {
			access_error(c, errno, n, "cpuid");
			memset(r, 0, sizeof(r));
		} else if (got < (ssize_t)sizeof(r)) {   /* a file ends: zeros, as for a leaf not listed */
			memset((char *)r + got, 0, sizeof(r) - (size_t)got);
		}
	}
	*out = (struct cpuid_regs){ r[0], r[1], r[2], r[3] };
}

static void op_cpuid(void *ctx, int cpu, u32 leaf, u32 subleaf, struct cpuid_regs *out)
{
	struct live_ctx *c = ctx;
	int n = logical(c, cpu);
	if (!c->system) {
		tree_cpuid(c, n, leaf, subleaf, out);
		return;
	}
	bool moved = n >= 0 && n != c->home && pin(c->cpu[n]);
	__cpuid_count(leaf, subleaf, out->eax, out->ebx, out->ecx, out->edx);
	if (moved)
		pin(c->cpu[c->home]);
}

static int op_rdmsr(void *ctx, int cpu, u32 msr, u64 *val)
{
	struct live_ctx *c = ctx;
	int n = logical(c, cpu);
	if (n < 0)
		return MC_PLAT_ENOSYS;
	int fd = dev_fd(c, &c->msr[n], n, "msr");
	if (fd < 0)
		return MC_PLAT_ENOSYS;
	u64 v;
	bool regular = c->msr[n].regular;
	ssize_t got = pread(fd, &v, sizeof(v), (off_t)(regular ? (u64)msr * sizeof(v) : msr));
	if (got == (ssize_t)sizeof(v)) {
		*val = v;
		return 0;
	}
	if ((got < 0 && errno == EIO) || (got >= 0 && regular))
		return X86_TRAP_GP;          /* EIO: the driver's #GP; a file that ends before the MSR: none */
	if (got < 0)
		access_error(c, errno, n, "msr");   /* lockdown can refuse reads too */
	return MC_PLAT_ENOSYS;           /* ENXIO: the CPU went offline */
}

static int op_wrmsr(void *ctx, int cpu, u32 msr, u64 val)
{
	return MC_PLAT_ENOSYS;
}

static int op_pconfig(void *ctx, int cpu, u32 leaf, const void *s, u64 *rax, bool *zf)
{
	return MC_PLAT_ENOSYS;
}

static int op_mem(void *ctx, u64 pa, void *buf, size_t len)
{
	return MC_PLAT_ENOSYS;
}

static int op_mem_write(void *ctx, u64 pa, const void *buf, size_t len)
{
	return MC_PLAT_ENOSYS;
}

static void op_clflush(void *ctx, u64 pa)
{
}

static void op_wbinvd(void *ctx)
{
}

static int op_rng(void *ctx, u64 *val)
{
	return MC_PLAT_ENOSYS;
}

static int op_on_cpu(void *ctx, int cpu, void (*fn)(void *arg), void *arg)
{
	struct live_ctx *c = ctx;
	int n = logical(c, cpu);
	if (!c->system || n < 0 || !pin(c->cpu[n]))   /* code cannot run on a tree's CPUs */
		return MC_PLAT_ENOSYS;
	fn(arg);
	pin(c->cpu[c->home]);
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* A tree's CPUs: the numbered directories of /dev/cpu (the msr and cpuid
 * drivers' nodes), else of /sys/devices/system/cpu; online ones only. */
static int tree_cpus(struct live_ctx *c, char *err, size_t errlen)
{
	static const char *const dirs[] = { "/dev/cpu", "/sys/devices/system/cpu" };
	char path[640];
	for (int d = 0; d < 2 && !c->ncpus; d++) {
		if (host_root_path(path, sizeof(path), c->root, "%s", dirs[d]))
			break;
		DIR *dir = opendir(path);
		if (!dir)
			continue;
		struct dirent *e;
		int cap = 0;
		while ((e = readdir(dir))) {
			const char *s = e->d_name + (d ? 3 : 0);
			char *end;
			if ((d && strncmp(e->d_name, "cpu", 3)) || *s < '0' || *s > '9')
				continue;
			long n = strtol(s, &end, 10);
			if (*end || n < 0 || n > 1 << 20 || !cpu_online(c->root, (int)n))
				continue;
			if (c->ncpus == cap) {
				int *bigger = realloc(c->cpu, sizeof(int) * (size_t)(cap = cap ? 2 * cap : 16));
				if (!bigger) {
					closedir(dir);
					snprintf(err, errlen, "out of memory");
					return -1;
				}
				c->cpu = bigger;
			}
			c->cpu[c->ncpus++] = (int)n;
		}
		closedir(dir);
	}
	if (!c->ncpus) {
		snprintf(err, errlen, "%s: no CPUs under /dev/cpu or /sys/devices/system/cpu", c->root);
		return -1;
	}
	qsort(c->cpu, (size_t)c->ncpus, sizeof(int), cmp_int);
	return 0;
}

/* This machine's CPUs: the online ones, pinned to the first allowed. */
static int system_cpus(struct live_ctx *c, char *err, size_t errlen)
{
	long conf = sysconf(_SC_NPROCESSORS_CONF);
	if (conf < 1)
		conf = 1;
	c->cpu = calloc((size_t)conf, sizeof(int));
	if (!c->cpu) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (sched_getaffinity(0, sizeof(c->allowed), &c->allowed) != 0)
		CPU_ZERO(&c->allowed);
	c->home = -1;
	for (int i = 0; i < conf; i++) {
		if (!cpu_online("/", i))
			continue;
		if (c->home < 0 && CPU_ISSET(i, &c->allowed))
			c->home = c->ncpus;
		c->cpu[c->ncpus++] = i;
	}
	if (!c->ncpus || c->home < 0 || !pin(c->cpu[c->home])) {
		snprintf(err, errlen, "cannot find or pin an online CPU (sched_setaffinity: %s)", strerror(errno));
		return -1;
	}
	return 0;
}

int live_platform_open_root(struct mc_platform *p, struct live_ctx **out, const char *root, char *err, size_t errlen)
{
	struct live_ctx *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (snprintf(c->root, sizeof(c->root), "%s", host_root(root)) >= (int)sizeof(c->root)) {
		snprintf(err, errlen, "--root: path too long");
		live_platform_close(c);
		return -1;
	}
	c->system = host_root_is_system(c->root);
	if (c->system ? system_cpus(c, err, errlen) : tree_cpus(c, err, errlen)) {
		live_platform_close(c);
		return -1;
	}
	c->msr = calloc((size_t)c->ncpus, sizeof(*c->msr));
	c->cpuid = calloc((size_t)c->ncpus, sizeof(*c->cpuid));
	if (!c->msr || !c->cpuid) {
		snprintf(err, errlen, "out of memory");
		live_platform_close(c);
		return -1;
	}
	for (int i = 0; i < c->ncpus; i++)
		c->msr[i].fd = c->cpuid[i].fd = -1;
	*p = (struct mc_platform){
		.name = "live", .ctx = c,
		.cpu_count = op_cpu_count, .package_of = op_package_of, .cpuid = op_cpuid,
		.rdmsr = op_rdmsr, .wrmsr = op_wrmsr, .pconfig = op_pconfig,
		.mem_write = op_mem_write, .mem_read = op_mem, .mem_raw_read = op_mem,
		.clflush = op_clflush, .wbinvd = op_wbinvd, .rng = op_rng, .on_cpu = op_on_cpu,
	};
	*out = c;
	return 0;
}

int live_platform_open(struct mc_platform *p, struct live_ctx **out, char *err, size_t errlen)
{
	return live_platform_open_root(p, out, "/", err, errlen);
}

void live_platform_close(struct live_ctx *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->ncpus; i++) {
		if (c->msr && c->msr[i].fd >= 0)
			close(c->msr[i].fd);
		if (c->cpuid && c->cpuid[i].fd >= 0)
			close(c->cpuid[i].fd);
	}
	if (c->system && CPU_COUNT(&c->allowed))
		sched_setaffinity(0, sizeof(c->allowed), &c->allowed);
	free(c->cpu);
	free(c->msr);
	free(c->cpuid);
	free(c);
}

int live_platform_access_error(const struct live_ctx *c, char *msg, size_t len)
{
	switch (c->access_errno) {
	case 0:
		return 0;
	case ENOENT:
		snprintf(msg, len, "cannot read %s: %s/dev/cpu/%d/%s does not exist (load the %s driver: modprobe %s)",
			 strcmp(c->access_dev, "msr") ? "CPUID" : "MSRs", c->system ? "" : c->root, c->access_cpu,
			 c->access_dev, c->access_dev, c->access_dev);
		break;
	default:
		snprintf(msg, len, "cannot read %s: %s/dev/cpu/%d/%s: %s (run as root: reading MSRs needs CAP_SYS_RAWIO)",
			 strcmp(c->access_dev, "msr") ? "CPUID" : "MSRs", c->system ? "" : c->root, c->access_cpu,
			 c->access_dev, strerror(c->access_errno));
		break;
	}
	return c->access_errno;
}

int live_platform_linux_cpu(const struct live_ctx *c, int n)
{
	return n >= 0 && n < c->ncpus ? c->cpu[n] : -1;
}
