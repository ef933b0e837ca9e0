/* A profile's `os` lines (lib/model/profile_os.c): each line, kernel-log
 * text kept verbatim ('#' and all), errors naming FILE:LINE, and the round
 * trip through host_os_view_write (what dump-profile writes parses back to
 * the same view). */
#include "tests/unit/harness.h"
#include "host/os_view.h"
#include "lib/model/profile.h"
#include <stdlib.h>
#include <string.h>

static struct mc_profile P, Q;

static bool parse(struct mc_profile *p, const char *text, char *err, size_t errlen)
{
	return !mc_profile_parse(p, text, strlen(text), "t.prof", err, errlen);
}

TEST(profile_os, lines)
{
	char err[200] = "";
	const char *text =
		"cpus 1\n"
		"os cpuinfo tme sev_snp   # a comment\n"
		"os kmsg x86/tme: enabled by BIOS\n"
		"os kmsg weird # text, kept whole   \r\n"
		"os kvm tdx Y\n"
		"os kvm sev N\n"
		"os tsme on\n"
		"os psp api 1.55 build 21 state 2 guests 3 flags 0x101\n"
		"os snp api 1.57 build 9 state 1 guests 0 rmp-init 1 tcb 0xd000000000000004\n";
	bool ok = parse(&P, text, err, sizeof(err));
	EXPECT(ok, "os lines parse (%s)", err);
	const struct mc_os_view *o = &P.os;
	EXPECT(o->present && o->cpuinfo_read && o->cpuinfo_flags == (MC_OS_FLAG_TME | MC_OS_FLAG_SEV_SNP),
	       "os cpuinfo: flags 0x%x", o->cpuinfo_flags);
	EXPECT(o->kmsg_read && o->n_kmsg == 2 && !strcmp(o->kmsg[0], "x86/tme: enabled by BIOS") &&
	       !strcmp(o->kmsg[1], "weird # text, kept whole   "), "os kmsg: text verbatim, '#' and trailing blanks kept, CR dropped ('%s')",
	       o->kmsg[1]);
	EXPECT(o->kvm_tdx == MC_TRI_YES && o->kvm_sev == MC_TRI_NO && o->kvm_sev_es == MC_TRI_UNKNOWN,
	       "os kvm: Y, N, and unknown where absent");
	EXPECT(o->tsme == MC_TRI_YES, "os tsme on");
	EXPECT(o->psp_read && o->psp.api_major == 1 && o->psp.api_minor == 55 && o->psp.build == 21 && o->psp.state == 2 &&
	       o->psp.guests == 3 && o->psp.flags == 0x101, "os psp: api 1.55 build 21 state 2 guests 3 flags 0x101");
	EXPECT(o->snp_read && o->snp.api_minor == 57 && o->snp.rmp_init == 1 && o->snp.tcb == 0xd000000000000004ULL,
	       "os snp: api, rmp-init, tcb");
	EXPECT(parse(&P, "cpus 1\n", err, sizeof(err)) && !P.os.present, "a profile without os lines has no OS view");
	EXPECT(parse(&P, "os kmsg\nos unread cpuinfo /proc/cpuinfo: Permission denied (run as root)\n", err, sizeof(err)) &&
	       P.os.present && P.os.kmsg_read && !P.os.n_kmsg && !P.os.cpuinfo_read &&
	       !strcmp(P.os.cpuinfo_why, "/proc/cpuinfo: Permission denied (run as root)"),
	       "bare os kmsg: read, nothing kept; os unread keeps its reason verbatim");
}

TEST(profile_os, errors)
{
	static const struct { const char *text, *err; } rows[] = {
		{ "cpus 1\nos kvm sev maybe\n", "t.prof:2: os kvm needs" },
		{ "os kvm vmx Y\n", "t.prof:1: os kvm: unknown parameter" },
		{ "os kvm sev Y\nos kvm sev N\n", "t.prof:2: os kvm: parameter given twice" },
		{ "os cpuinfo tme avx\n", "t.prof:1: os cpuinfo: unknown flag" },
		{ "os cpuinfo\nos cpuinfo sme\n", "t.prof:2: os cpuinfo: given twice" },
		{ "os cpuinfo\nos unread cpuinfo denied\n", "t.prof:2: os unread: source given twice" },
		{ "os tsme maybe\n", "t.prof:1: os tsme needs on|off" },
		{ "os psp api 1.55 build 21 state 2 guests 3\n", "t.prof:1: os psp needs" },
		{ "os psp api 155 build 21 state 2 guests 3 flags 0\n", "t.prof:1: os psp: malformed value" },
		{ "os psp api 1.55 build 21 state 2 guests 3 owner 0\n", "t.prof:1: os psp: unknown key" },
		{ "os psp api 1.55 api 1.55 state 2 guests 3 flags 0\n", "t.prof:1: os psp: key given twice" },
		{ "os unread dmesg no\n", "t.prof:1: os unread: unknown source" },
		{ "os frobnicate\n", "t.prof:1: os: unknown line" },
		{ "os\n", "t.prof:1: os needs" },
	};
	char err[200];
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool ok = parse(&P, rows[i].text, err, sizeof(err));
		EXPECT(!ok && !strncmp(err, rows[i].err, strlen(rows[i].err)) && !P.os.present,
		       "row %zu refused with '%s' (got '%s')", i, rows[i].err, ok ? "accepted" : err);
	}
	char big[400] = "os kmsg ";
	memset(big + 8, 'x', 200);
	EXPECT(!parse(&P, big, err, sizeof(err)) && strstr(err, "t.prof:1: os kmsg: text longer than 159"),
	       "a kmsg text too long is refused (%s)", err);
	char many[17 * 16 + 1] = "";
	for (int i = 0; i < 17; i++)
		strcat(many, "os kmsg SEV l\n");
	EXPECT(!parse(&P, many, err, sizeof(err)) && strstr(err, "t.prof:17: os kmsg: more than 16 lines"),
	       "a 17th kmsg line is refused (%s)", err);
}

/* What dump-profile writes (host_os_view_write) parses back to the view. */
TEST(profile_os, round_trip)
{
	static struct mc_os_view v;
	memset(&v, 0, sizeof(v));
	v.present = v.cpuinfo_read = v.kmsg_read = v.psp_read = true;
	v.cpuinfo_flags = MC_OS_FLAG_SME | MC_OS_FLAG_SEV | MC_OS_FLAG_SEV_ES;
	strcpy(v.kmsg[v.n_kmsg++], "kvm_amd: SEV enabled (ASIDs 100 - 1006)");
	strcpy(v.kmsg[v.n_kmsg++], "ccp 0000:01:00.5: psp: TSME enabled # really");
	v.kvm_sev = MC_TRI_YES;
	v.kvm_sev_es = MC_TRI_NO;
	v.tsme = MC_TRI_NO;
	v.psp = (struct mc_psp_status){ .api_major = 1, .api_minor = 49, .state = 1, .flags = 1, .build = 6, .guests = 0 };
	strcpy(v.snp_why, "SNP_PLATFORM_STATUS: Invalid argument");

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	host_os_view_write(f, &v);
	fclose(f);
	char err[200] = "";
	bool ok = !mc_profile_parse(&Q, text, len, "dump", err, sizeof(err));
	EXPECT(ok, "the written os lines parse (%s)", err);
	EXPECT(ok && !memcmp(&Q.os, &v, sizeof(v)), "parsed back to the same view, byte for byte");
	v.kmsg_read = false;
	v.n_kmsg = 0;
	memset(v.kmsg, 0, sizeof(v.kmsg));
	strcpy(v.kmsg_why, "/dev/kmsg: Operation not permitted (dmesg_restrict)");
	v.cpuinfo_read = false;
	v.cpuinfo_flags = 0;
	strcpy(v.cpuinfo_why, "/proc/cpuinfo: No such file or directory");
	free(text);
	f = open_memstream(&text, &len);
	host_os_view_write(f, &v);
	fclose(f);
	ok = !mc_profile_parse(&Q, text, len, "dump", err, sizeof(err));
	EXPECT(ok && !memcmp(&Q.os, &v, sizeof(v)), "unread sources and their reasons round-trip too (%s)", ok ? "ok" : err);
	free(text);
}
