/* The run's policy (lib/policy.c, lib/kv.c): \memcrypt\policy.conf text,
 * or - input starting with 'U' - the UEFI shell's LoadOptions bytes
 * (UCS-2) through the stage's conversion and the argument parser.
 * Contract (policy.h): a policy that parses holds only values the syntax
 * checks allow; every message is a terminated line. */
#include "tests/fuzz/fuzz.h"
#include "lib/policy.h"
#include "arch/x86/msr-index.h"

static void check_policy(const struct mc_policy *p)
{
	FUZZ_CHECK(p->keyid_bits <= 15, "keyid-bits %u", p->keyid_bits);
	FUZZ_CHECK(p->algorithm == TME_ACTIVATE_POLICY_AES_XTS_128 || p->algorithm == TME_ACTIVATE_POLICY_AES_XTS_256,
		   "algorithm %u", p->algorithm);
	FUZZ_CHECK(!(p->mktme_algs & ~(1u << TME_ACTIVATE_POLICY_AES_XTS_128 | 1u << TME_ACTIVATE_POLICY_AES_XTS_256)),
		   "mktme algorithms 0x%x", p->mktme_algs);
	if (p->exclude_set && p->exclude_size) {
		FUZZ_CHECK(p->exclude_size >= 4096 && !(p->exclude_size & (p->exclude_size - 1)), "exclude size 0x%llx",
			   (unsigned long long)p->exclude_size);
		FUZZ_CHECK(!(p->exclude_base & (p->exclude_size - 1)) && p->exclude_base + p->exclude_size > p->exclude_base,
			   "exclude 0x%llx:0x%llx", (unsigned long long)p->exclude_base, (unsigned long long)p->exclude_size);
	}
	FUZZ_CHECK(p->serial_port < 0xfff8, "serial 0x%x", p->serial_port);
	FUZZ_CHECK(!p->kernel_test[0] || !strcmp(p->kernel_test, "pf") || !strcmp(p->kernel_test, "gp") ||
		   !strcmp(p->kernel_test, "ud"), "kernel-test");
	const struct mc_policy_origin *o[] = { &p->o_tme, &p->o_algorithm, &p->o_keyid_bits, &p->o_mktme_algs,
					       &p->o_exclude, &p->o_bypass, &p->o_key, &p->o_save_key, &p->o_sme };
	for (size_t i = 0; i < sizeof(o) / sizeof(o[0]); i++)
		fuzz_check_err(o[i]->where, sizeof(o[i]->where));
	char small[24], line[400];
	mc_policy_describe(p, small, sizeof(small));
	fuzz_check_err(small, sizeof(small));
	mc_policy_describe(p, line, sizeof(line));
	mc_policy_kernel_options(p, small, sizeof(small));
	fuzz_check_err(small, sizeof(small));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_policy p;
	char err[200];
	bool ok;

	mc_policy_defaults(&p);
	memset(err, 0x55, sizeof(err));
	if (size && data[0] == 'U') {
		/* An odd address and no terminator, as a boot manager may pass. */
		uint8_t *opts = malloc(size);
		char args[256];
		if (!opts)
			abort();
		memcpy(opts, data + 1, size - 1);
		mc_policy_load_options_ascii(opts, size - 1, args, sizeof(args));
		free(opts);
		fuzz_check_err(args, sizeof(args));
		for (const char *c = args; *c; c++)
			FUZZ_CHECK(*c >= 0x20 && *c <= 0x7e, "non-printable 0x%02x in arguments", (unsigned char)*c);
		ok = mc_policy_parse_args(&p, args, err, sizeof(err));
	} else {
		char *text = fuzz_text(data, size);
		ok = mc_policy_parse_file(&p, text, size, "policy.conf", err, sizeof(err));
		free(text);
	}
	if (!ok)
		fuzz_check_err(err, sizeof(err));
	else
		check_policy(&p);
	return 0;
}
