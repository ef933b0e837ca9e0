/* "Every register the same on every CPU" (CHIPSEC-style, and Linux's
 * "configuration is inconsistent between CPUs"): read one MSR per CPU via
 * the platform and compare. A CPU the platform cannot reach is counted as
 * unreachable, so a judgment over it can say SKIP instead of PASS. */
#include "lib/checks/internal.h"
#include "lib/mem.h"

void mc_percpu_compare(const struct mc_platform *p, int cpus, u32 msr, u64 expect,
		       u64 cmp_mask, struct mc_percpu *out)
{
	mc_memset(out, 0, sizeof(*out));
	out->cpus = cpus;
	out->expect = expect;
	out->first_unreachable = out->first_fault = out->first_differ = -1;
	for (int c = 0; c < cpus; c++) {
		u64 v = 0;
		int rc = mc_rdmsr(p, c, msr, &v);
		if (rc == MC_PLAT_ENOSYS || rc == MC_PLAT_EINVAL) {
			if (out->first_unreachable < 0)
				out->first_unreachable = c;
			out->unreachable++;
			continue;
		}
		if (rc) {
			if (out->first_fault < 0) {
				out->first_fault = c;
				out->fault = rc;
			}
			out->faulted++;
			continue;
		}
		out->read++;
		if ((v & cmp_mask) != (expect & cmp_mask)) {
			if (out->first_differ < 0) {
				out->first_differ = c;
				out->differ_val = v;
			}
			out->differ++;
		}
	}
}
