/* Profile text (lib/model/profile.c): what \memcrypt\profile on an ESP or
 * `--profile FILE` hands the model. Contract (profile.h): 0 and a profile
 * within every limit, or -1, "name:LINE: why" and a cleared struct. */
#include "tests/fuzz/fuzz.h"
#include "lib/model/profile.h"
#include "lib/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mc_profile p;
	char err[160];
	char *text = fuzz_text(data, size);

	memset(err, 0x55, sizeof(err));
	int rc = mc_profile_parse(&p, text, size, "fuzz.prof", err, sizeof(err));
	free(text);
	if (rc) {
		FUZZ_CHECK(rc == -1, "rc %d", rc);
		fuzz_check_err(err, sizeof(err));
		FUZZ_CHECK(!strncmp(err, "fuzz.prof:", 10), "error does not name the file: %s", err);
		FUZZ_CHECK(mc_is_zero(&p, sizeof(p)), "struct not cleared after: %s", err);
		return 0;
	}
	FUZZ_CHECK(p.version == MC_PROFILE_VERSION, "version %u", p.version);
	FUZZ_CHECK(p.n_cpuid <= MC_PROFILE_MAX_CPUID && p.n_msr <= MC_PROFILE_MAX_MSR, "%u/%u", p.n_cpuid, p.n_msr);
	FUZZ_CHECK(p.cpus >= 1 && p.cpus <= MC_PROFILE_MAX_CPUS, "cpus %u", p.cpus);
	FUZZ_CHECK(p.packages >= 1 && p.packages <= MC_PROFILE_MAX_PACKAGES, "packages %u", p.packages);
	FUZZ_CHECK(p.cpus % p.packages == 0, "cpus %u packages %u", p.cpus, p.packages);
	FUZZ_CHECK(p.memory >= MC_PROFILE_MIN_MEMORY && p.memory <= MC_PROFILE_MAX_MEMORY &&
		   !(p.memory & 0xfff) && !((p.memory / p.packages) & 0xfff), "memory 0x%llx",
		   (unsigned long long)p.memory);
	FUZZ_CHECK(!(p.faults & MC_FAULT_CORE_MISMATCH) || p.core_mismatch_cpu < p.cpus, "core-mismatch cpu %u",
		   p.core_mismatch_cpu);
	for (unsigned i = 0; i < p.n_msr; i++)
		FUZZ_CHECK(mc_profile_find_msr(&p, p.msr[i].addr) == &p.msr[i], "msr 0x%x twice", p.msr[i].addr);
	for (unsigned i = 0; i < p.n_cpuid; i++)
		FUZZ_CHECK(mc_profile_find_cpuid(&p, p.cpuid[i].leaf, p.cpuid[i].subleaf) == &p.cpuid[i],
			   "cpuid 0x%x.%u twice", p.cpuid[i].leaf, p.cpuid[i].subleaf);
	return 0;
}
