/* What both halves of the BIOS-stage sequence (tme.c, sme.c) share: the
 * one counted WRMSR, and the CPU-list formatter their report lines use. */
#include "lib/bios/program.h"
#include "lib/bios/internal.h"
#include "lib/fmt.h"
#include "lib/mem.h"

void mc_bios_cpu_list(const bool *set, int n, char *out, size_t outlen)
{
	size_t len = 0;
	out[0] = 0;
	for (int c = 0; c < n; c++) {
		if (!set[c])
			continue;
		int e = c;
		while (e + 1 < n && set[e + 1])
			e++;
		int w = e > c ? mc_snprintf(out + len, outlen - len, "%s%d-%d", len ? "," : "", c, e)
			      : mc_snprintf(out + len, outlen - len, "%s%d", len ? "," : "", c);
		if (w < 0 || (size_t)w >= outlen - len)
			return;
		len += (size_t)w;
		c = e;
	}
	if (!len)
		mc_strlcpy(out, "none", outlen);
}

int bios_wrmsr(struct bios_run *r, int cpu, u32 msr, u64 v)
{
	r->out->writes++;
	return mc_wrmsr(r->p, cpu, msr, v);
}
