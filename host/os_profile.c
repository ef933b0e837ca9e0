/* The OS view as a profile's `os` lines (docs/profile-format.md), written
 * so that lib/model/profile_os.c reads back the same view: a capture
 * replays whole. */
#include "host/os_view.h"
#include <stddef.h>

static const char *kvm_yn(u8 t)
{
	return t == MC_TRI_YES ? "Y" : "N";
}

/* A reason is never empty on its line (the parser needs one). */
static const char *why(const char *w)
{
	return w[0] ? w : "not read";
}

void host_os_view_write(FILE *out, const struct mc_os_view *v)
{
	static const struct { const char *name; u32 bit; } flags[] = {
		{ "tme", MC_OS_FLAG_TME }, { "sme", MC_OS_FLAG_SME }, { "sev", MC_OS_FLAG_SEV },
		{ "sev_es", MC_OS_FLAG_SEV_ES }, { "sev_snp", MC_OS_FLAG_SEV_SNP },
	};
	static const struct { const char *name; size_t off; } kvm[] = {
		{ "sev", offsetof(struct mc_os_view, kvm_sev) }, { "sev_es", offsetof(struct mc_os_view, kvm_sev_es) },
		{ "sev_snp", offsetof(struct mc_os_view, kvm_sev_snp) }, { "tdx", offsetof(struct mc_os_view, kvm_tdx) },
	};

	fprintf(out, "# What Linux said (os lines: docs/profile-format.md)\n");
	if (v->cpuinfo_read) {
		fprintf(out, "os cpuinfo");
		for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (v->cpuinfo_flags & flags[i].bit)
				fprintf(out, " %s", flags[i].name);
		fprintf(out, "\n");
	} else {
		fprintf(out, "os unread cpuinfo %s\n", why(v->cpuinfo_why));
	}
	if (v->kmsg_read && !v->n_kmsg)
		fprintf(out, "os kmsg\n");
	else if (!v->kmsg_read)
		fprintf(out, "os unread kmsg %s\n", why(v->kmsg_why));
	for (u32 i = 0; i < v->n_kmsg && i < MC_OS_KMSG_LINES; i++)
		fprintf(out, "os kmsg %s\n", v->kmsg[i]);
	for (size_t i = 0; i < sizeof(kvm) / sizeof(kvm[0]); i++) {
		u8 t = *((const u8 *)v + kvm[i].off);
		if (t != MC_TRI_UNKNOWN)
			fprintf(out, "os kvm %s %s\n", kvm[i].name, kvm_yn(t));
	}
	if (v->tsme != MC_TRI_UNKNOWN)
		fprintf(out, "os tsme %s\n", v->tsme == MC_TRI_YES ? "on" : "off");
	if (v->psp_read)
		fprintf(out, "os psp api %u.%u build %u state %u guests %u flags 0x%x\n", v->psp.api_major,
			v->psp.api_minor, v->psp.build, v->psp.state, v->psp.guests, v->psp.flags);
	else
		fprintf(out, "os unread psp %s\n", why(v->psp_why));
	if (v->snp_read)
		fprintf(out, "os snp api %u.%u build %u state %u guests %u rmp-init %u tcb 0x%llx\n", v->snp.api_major,
			v->snp.api_minor, v->snp.build, v->snp.state, v->snp.guests, v->snp.rmp_init,
			(unsigned long long)v->snp.tcb);
	else
		fprintf(out, "os unread snp %s\n", why(v->snp_why));
}
