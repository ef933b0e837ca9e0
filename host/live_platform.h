/* The live Linux machine as a struct mc_platform (lib/platform.h), for
 * `memcrypt check` and `memcrypt dump-profile`:
 *   cpuid  the CPUID instruction, pinned with sched_setaffinity for cpu N;
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
void live_platform_close(struct live_ctx *ctx);

/* After reads: 0 if every MSR read could be attempted, else the errno that
 * stopped one (ENOENT: no msr driver; EACCES/EPERM: not root), with a
 * message for people in msg. A run with such an error must not be judged. */
int  live_platform_access_error(const struct live_ctx *ctx, char *msg, size_t len);

/* The Linux CPU number of logical CPU n (for messages). */
int  live_platform_linux_cpu(const struct live_ctx *ctx, int n);

#endif
