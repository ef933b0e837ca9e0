/* The profile parser (docs/profile-format.md): every error names
 * file:line and leaves nothing usable; accepted forms. */
#include "tests/unit/harness.h"
#include "lib/model/model.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct mc_profile prof;

static bool rejects(const char *text, const char *want)
{
	char err[256] = "";
	int rc = mc_profile_parse(&prof, text, strlen(text), "t.prof", err, sizeof(err));
	bool ok = rc == -1 && strstr(err, want) && prof.version == 0;
	if (!ok)
		printf("note: model: got rc %d err \"%s\"\n", rc, err);
	return ok;
}

TEST(model, profile_errors)
{
	EXPECT(rejects("cpus 2\n# c\nfrobnicate 1\n", "t.prof:3: unknown directive"), "profile: unknown directive -> t.prof:3");
	EXPECT(rejects("cpuid 7 0 0 0 zz 0\n", "t.prof:1: cpuid: malformed hex"), "profile: malformed CPUID hex -> t.prof:1");
	EXPECT(rejects("cpuid 7 0 0 0 0\n", "t.prof:1: cpuid needs"), "profile: CPUID with 5 fields -> error");
	EXPECT(rejects("cpuid 7 0 0 0 0 100000000\n", "t.prof:1: cpuid: malformed"), "profile: CPUID value over 32 bits -> error");
	EXPECT(rejects("\n\nmsr 982 0x12g\n", "t.prof:3: msr: malformed value"), "profile: malformed MSR value -> t.prof:3");
	EXPECT(rejects("msr 982 0\nmsr 0x982 1\n", "t.prof:2: msr: address listed twice"), "profile: MSR listed twice -> error");
	EXPECT(rejects("cpuid 1 0 0 0 0 0\ncpuid 1 0 0 0 0 0\n", "t.prof:2: cpuid: leaf/subleaf listed twice"),
	       "profile: CPUID leaf listed twice -> error");
	EXPECT(rejects("cpus 0\n", "t.prof:1: cpus"), "profile: cpus 0 -> error");
	EXPECT(rejects("cpus 513\n", "t.prof:1: cpus: expected 1..512"), "profile: cpus 513 -> 'cpus: expected 1..512' (MC_PROFILE_MAX_CPUS)");
	EXPECT(rejects("packages 9\n", "t.prof:1: packages: expected 1..8"), "profile: packages 9 -> 'packages: expected 1..8'");
	EXPECT(rejects("memory 16Q\n", "t.prof:1: memory: malformed"), "profile: memory 16Q -> error");
	EXPECT(rejects("memory 100000\n", "t.prof:1: memory: must be a multiple of 4K"), "profile: memory not 4K-aligned -> error");
	EXPECT(rejects("memory 17T\n", "t.prof:1: memory: must be a multiple of 4K between 64K and 16T"),
	       "profile: memory above 16T -> error naming the limits");
	EXPECT(rejects("fault meltdown\n", "t.prof:1: fault: unknown"), "profile: unknown fault -> error");
	EXPECT(rejects("fault pconfig-busy\n", "t.prof:1: fault pconfig-busy needs"), "profile: pconfig-busy without N -> error");
	EXPECT(rejects("fault rng-fail 3\n", "t.prof:1: fault: this fault takes no argument"), "profile: rng-fail with an argument -> error");
	EXPECT(rejects("cpus 2\nfault core-mismatch 5\n", "core-mismatch: cpu 5 but only 2 cpus"),
	       "profile: core-mismatch CPU beyond cpus -> error");
	EXPECT(rejects("cpus 3\npackages 2\n", "cpus (3) must be a multiple of packages (2)"), "profile: cpus not a multiple of packages -> error");
	EXPECT(rejects("msr 982\n", "t.prof:1: msr needs"), "profile: msr without value -> error");
}

TEST(model, profile_accepts)
{
	char err[256];
	const char *forms[] = { "memory 16M\n", "memory 0x1000000\n", "memory 16777216\n", "memory 16384K\n" };
	{
		int rc = mc_profile_parse(&prof, "memory 1T\ncpus 512\n", 19, "t", err, sizeof(err));
		EXPECT(rc == 0 && prof.memory == 1ULL << 40 && prof.cpus == 512,
		       "profile: 'memory 1T' is 2^40 bytes and 'cpus 512' (the limit) parses");
	}
	for (size_t i = 0; i < ARRAY_SIZE(forms); i++) {
		int rc = mc_profile_parse(&prof, forms[i], strlen(forms[i]), "t", err, sizeof(err));
		EXPECT(rc == 0 && prof.memory == 16ULL << 20, "profile: '%.*s' is 16 MiB", (int)strlen(forms[i]) - 1, forms[i]);
	}
	const char *t = "# comment\r\n\n  cpus 4 # trailing\r\npackages 2\nmsr C0010010 gp\nmsr 981 0x3f680000005\n"
			"fault pconfig-busy 0x10\nfault core-mismatch 3\n";
	int rc = mc_profile_parse(&prof, t, strlen(t), "t", err, sizeof(err));
	EXPECT(rc == 0 && prof.cpus == 4 && prof.packages == 2 && prof.n_msr == 2 &&
	       (prof.msr[0].flags & MC_PROFILE_MSR_GP) && prof.msr[1].value == 0x3f680000005ULL &&
	       prof.pconfig_busy == 16 && prof.core_mismatch_cpu == 3,
	       "profile: comments, CRLF, 'gp', 0x numbers and faults parse");
	rc = mc_profile_parse(&prof, "", 0, "t", err, sizeof(err));
	EXPECT(rc == 0 && prof.cpus == 1 && prof.packages == 1 && prof.memory == 16ULL << 20 && !prof.seed_set,
	       "profile: defaults are 1 CPU, 1 package, 16 MiB, no seed");
	rc = mc_profile_parse(&prof, "seed 0xfedcba9876543210\n", 24, "t", err, sizeof(err));
	EXPECT(rc == 0 && prof.seed_set && prof.seed == 0xfedcba9876543210ULL,
	       "profile: 'seed 0x...' pins the model's 64-bit DRBG seed (key-hygiene test)");
	EXPECT(rejects("seed\n", "t.prof:1: seed needs N") && rejects("seed 12x\n", "t.prof:1: seed needs N"),
	       "profile: seed without a number, or a malformed one -> error");
}

TEST(model, shipped_profiles)
{
	static const char *names[] = { "icelake-sp", "sapphire-rapids-locked", "epyc-milan-sme", "epyc-sme-off",
				       "sev-snp-guest", "no-memory-encryption", "icelake-rng-fail",
				       "icelake-restore-fail", "icelake-core-mismatch", "icelake-pconfig-busy",
				       "icelake-entropy-error", "sapphire-rapids-2s-256", "scale-2s-256-15bit",
				       "scale-2s-256-1t" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char path[128], err[256];
		snprintf(path, sizeof(path), "profiles/%s.prof", names[i]);
		FILE *f = fopen(path, "rb");
		if (!f) {
			EXPECT(false, "setup: %s not found (run from the repository root): it was not parsed", path);
			continue;
		}
		static char text[16384];
		size_t n = fread(text, 1, sizeof(text), f);
		fclose(f);
		int rc = mc_profile_parse(&prof, text, n, path, err, sizeof(err));
		size_t size = rc ? 0 : mc_model_state_size(&prof);
		void *st = size ? malloc(size) : NULL;
		bool ok = st && mc_model_init(st, size, &prof, 1, err, sizeof(err)) == 0;
		EXPECT(ok, "profile: %s parses and boots a model (%s)", path, ok ? "ok" : err);
		free(st);
	}
}
