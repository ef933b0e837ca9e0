/* The live Linux machine as a struct mc_platform (lib/platform.h), for
 * `memcrypt check` and `memcrypt dump-profile`:
 *   cpuid  the CPUID instruction, pinned with sched_setaffinity for cpu N
 *          (under another --root: DIR/dev/cpu/N/cpuid);
 *   rdmsr  pread(/dev/cpu/N/msr, offset = MSR); EIO is the kernel's report
 *          of a #GP, so it returns X86_TRAP_GP;
 *   wrmsr, pconfig, memory port: MC_PLAT_ENOSYS (read-only by design: the
 *          command validates a running system, it never reprograms it).
 * "The current CPU" is fixed at open: the process is pinned to the first
 * CPU it may run on, so several reads of MC_CPU_CURRENT see one CPU.
 * Logical CPU n of the platform is the n-th online Linux CPU. */
#ifndef MC_HOST_LIVE_PLATFORM_H
#define MC_HOST_LIVE_PLATFORM_H
#include "lib/platform.h"

struct live_ctx;

/* 0, or -1 with err set (no online CPU, out of memory). */
int  live_platform_open(struct mc_platform *p, struct live_ctx **ctx, char *err, size_t errlen);
/* The same with every path under root (`--root DIR`; "/" or NULL is
 * live_platform_open). Under another root CPUs are DIR/dev/cpu/N (or
 * DIR/sys/devices/system/cpu/cpuN), CPUID comes from DIR/dev/cpu/N/cpuid,
 * packages from .../cpuN/topology/physical_package_id, nothing is pinned
 * and on_cpu is MC_PLAT_ENOSYS. A regular file standing for a driver's
 * node holds record i at i * 8 (msr) or i * 16 (cpuid); past its end an
 * MSR #GPs and a CPUID leaf reads zeros (docs/report-format.md). */
int  live_platform_open_root(struct mc_platform *p, struct live_ctx **ctx, const char *root,
			     char *err, size_t errlen);
void live_platform_close(struct live_ctx *ctx);

/* After reads: 0 if every MSR read could be attempted, else the errno that
 * stopped one (ENOENT: no msr driver; EACCES/EPERM: not root), with a
 * message for people in msg. A run with such an error must not be judged. */
int  live_platform_access_error(const struct live_ctx *ctx, char *msg, size_t len);

/* The Linux CPU number of logical CPU n (for messages). */
int  live_platform_linux_cpu(const struct live_ctx *ctx, int n);

#endif
