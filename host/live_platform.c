/* See live_platform.h. Linux's msr driver (arch/x86/kernel/msr.c) maps a
 * faulting RDMSR to EIO, an offline CPU to ENXIO, and needs CAP_SYS_RAWIO. */
#include "host/live_platform.h"
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct live_ctx {
	int ncpus;
	int *cpu;              /* logical n -> Linux CPU number */
	int *fd;               /* /dev/cpu/N/msr, -1 not yet opened, -2 failed */
	int home;              /* logical CPU the process is pinned to */
	cpu_set_t allowed;     /* the affinity we were started with */
	int access_errno;      /* first ENOENT/EACCES/EPERM on an msr device */
	int access_cpu;
};

static bool cpu_online(int n)
{
	char path[96];
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", n);
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
	char path[128];
	if (n < 0)
		return 0;
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/topology/physical_package_id", c->cpu[n]);
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
static void op_cpuid(void *ctx, int cpu, u32 leaf, u32 subleaf, struct cpuid_regs *out)
{
	struct live_ctx *c = ctx;
	int n = logical(c, cpu);
	bool moved = n >= 0 && n != c->home && pin(c->cpu[n]);
	__cpuid_count(leaf, subleaf, out->eax, out->ebx, out->ecx, out->edx);
	if (moved)
		pin(c->cpu[c->home]);
}

static int msr_fd(struct live_ctx *c, int n)
{
	if (c->fd[n] != -1)
		return c->fd[n];
	char path[64];
	snprintf(path, sizeof(path), "/dev/cpu/%d/msr", c->cpu[n]);
	c->fd[n] = open(path, O_RDONLY | O_CLOEXEC);
	if (c->fd[n] < 0) {
		int e = errno;
		c->fd[n] = -2;
		if ((e == ENOENT || e == EACCES || e == EPERM) && !c->access_errno) {
			c->access_errno = e;
			c->access_cpu = c->cpu[n];
		}
	}
	return c->fd[n];
}

static int op_rdmsr(void *ctx, int cpu, u32 msr, u64 *val)
{
	struct live_ctx *c = ctx;
	int n = logical(c, cpu);
	if (n < 0)
		return MC_PLAT_ENOSYS;
	int fd = msr_fd(c, n);
	if (fd < 0)
		return MC_PLAT_ENOSYS;
	u64 v;
	ssize_t got = pread(fd, &v, sizeof(v), msr);
	if (got == (ssize_t)sizeof(v)) {
		*val = v;
		return 0;
	}
	if (got < 0 && errno == EIO)
		return X86_TRAP_GP;
	if (got < 0 && (errno == EACCES || errno == EPERM) && !c->access_errno) {
		c->access_errno = errno;     /* lockdown can refuse reads too */
		c->access_cpu = c->cpu[n];
	}
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
	if (n < 0 || !pin(c->cpu[n]))
		return MC_PLAT_ENOSYS;
	fn(arg);
	pin(c->cpu[c->home]);
	return 0;
}

int live_platform_open(struct mc_platform *p, struct live_ctx **out, char *err, size_t errlen)
{
	struct live_ctx *c = calloc(1, sizeof(*c));
	long conf = sysconf(_SC_NPROCESSORS_CONF);
	if (conf < 1)
		conf = 1;
	if (c) {
		c->cpu = calloc((size_t)conf, sizeof(int));
		c->fd = calloc((size_t)conf, sizeof(int));
	}
	if (!c || !c->cpu || !c->fd) {
		snprintf(err, errlen, "out of memory");
		live_platform_close(c);
		return -1;
	}
	if (sched_getaffinity(0, sizeof(c->allowed), &c->allowed) != 0)
		CPU_ZERO(&c->allowed);
	c->home = -1;
	for (int i = 0; i < conf; i++) {
		if (!cpu_online(i))
			continue;
		if (c->home < 0 && CPU_ISSET(i, &c->allowed))
			c->home = c->ncpus;
		c->fd[c->ncpus] = -1;
		c->cpu[c->ncpus++] = i;
	}
	if (!c->ncpus || c->home < 0 || !pin(c->cpu[c->home])) {
		snprintf(err, errlen, "cannot find or pin an online CPU (sched_setaffinity: %s)", strerror(errno));
		live_platform_close(c);
		return -1;
	}
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

void live_platform_close(struct live_ctx *c)
{
	if (!c)
		return;
	for (int i = 0; c->fd && i < c->ncpus; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
	if (CPU_COUNT(&c->allowed))
		sched_setaffinity(0, sizeof(c->allowed), &c->allowed);
	free(c->cpu);
	free(c->fd);
	free(c);
}

int live_platform_access_error(const struct live_ctx *c, char *msg, size_t len)
{
	switch (c->access_errno) {
	case 0:
		return 0;
	case ENOENT:
		snprintf(msg, len, "cannot read MSRs: /dev/cpu/%d/msr does not exist (load the msr driver: modprobe msr)",
			 c->access_cpu);
		break;
	default:
		snprintf(msg, len, "cannot read MSRs: /dev/cpu/%d/msr: %s (run as root: reading MSRs needs CAP_SYS_RAWIO)",
			 c->access_cpu, strerror(c->access_errno));
		break;
	}
	return c->access_errno;
}

int live_platform_linux_cpu(const struct live_ctx *c, int n)
{
	return n >= 0 && n < c->ncpus ? c->cpu[n] : -1;
}
