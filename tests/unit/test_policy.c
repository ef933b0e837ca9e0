/* The policy parser (lib/policy.c): every key with its values, defaults,
 * arguments overriding the file, and every syntax error naming its line
 * or argument. */
#include "tests/unit/harness.h"
#include "lib/policy.h"
#include "arch/x86/msr-index.h"
#include <string.h>

static bool file(struct mc_policy *p, const char *text, char *err)
{
	mc_policy_defaults(p);
	err[0] = 0;
	return mc_policy_parse_file(p, text, strlen(text), "policy.conf", err, 200);
}

static bool args(struct mc_policy *p, const char *words, char *err)
{
	err[0] = 0;
	return mc_policy_parse_args(p, words, err, 200);
}

TEST(policy, defaults)
{
	struct mc_policy p;
	mc_policy_defaults(&p);
	EXPECT(p.mode == MC_POLICY_VALIDATE, "default mode=validate");
	EXPECT(p.tme && p.sme && p.core_activate, "default tme=on sme=on core-activate=on");
	EXPECT(!p.bypass && !p.key_restore && !p.save_key, "default bypass=off key=new save-key=off");
	EXPECT(!p.algorithm_set && !p.keyid_bits_set && !p.mktme_algs_set && !p.exclude_set,
	       "algorithm, keyid-bits, mktme-algorithms, exclude unset: the platform decides (strongest, max, all, left alone)");
	EXPECT(!p.after_reset_run, "default after-reset=stop");
	EXPECT(!strcmp(mc_policy_where(&p.o_keyid_bits), "policy default"), "an unset key's origin reads \"policy default\"");
}

TEST(policy, every_key)
{
	struct mc_policy p;
	char err[200];
	bool ok = file(&p,
		       "# comment\n"
		       "mode=program\n"
		       "tme=off\n"
		       "algorithm=aes-xts-256\n"
		       "keyid-bits=6   # trailing comment\n"
		       "mktme-algorithms=aes-xts-128,aes-xts-256\n"
		       "exclude=0x80000000:256M\n"
		       "bypass=on\n"
		       "key=restore\n"
		       "save-key=on\n"
		       "sme=off\n"
		       "core-activate=off\n"
		       "after-reset=run\n"
		       "exit=halt\n"
		       "serial=0x2f8\n"
		       "kernel-test=gp\n", err);
	EXPECT(ok, "a file with every key parses (%s)", err);
	EXPECT(p.mode == MC_POLICY_PROGRAM, "mode=program");
	EXPECT(!p.tme, "tme=off");
	EXPECT(p.algorithm_set && p.algorithm == TME_ACTIVATE_POLICY_AES_XTS_256, "algorithm=aes-xts-256 -> policy 2 (Table 4-2)");
	EXPECT(p.keyid_bits_set && p.keyid_bits == 6, "keyid-bits=6");
	EXPECT(p.mktme_algs_set && p.mktme_algs == 0x5, "mktme-algorithms=aes-xts-128,aes-xts-256 -> MK_TME_CRYPTO_ALGS 0x5 (bits 48, 50)");
	EXPECT(p.exclude_set && p.exclude_base == 0x80000000ULL && p.exclude_size == (256ULL << 20),
	       "exclude=0x80000000:256M -> base 0x80000000 size 0x10000000");
	EXPECT(p.bypass && p.key_restore && p.save_key, "bypass=on key=restore save-key=on");
	EXPECT(!p.sme && !p.core_activate && p.after_reset_run, "sme=off core-activate=off after-reset=run");
	EXPECT(p.exit_mode == MC_EXIT_HALT && p.serial_port == 0x2f8 && !strcmp(p.kernel_test, "gp"),
	       "exit=halt serial=0x2f8 kernel-test=gp still parse");
	EXPECT(!strcmp(p.o_keyid_bits.where, "policy.conf:5"), "keyid-bits remembers policy.conf:5 (got %s)", p.o_keyid_bits.where);
	EXPECT(!strcmp(p.o_exclude.where, "policy.conf:7"), "exclude remembers policy.conf:7 (got %s)", p.o_exclude.where);
}

TEST(policy, other_values)
{
	struct mc_policy p;
	char err[200];
	EXPECT(file(&p, "mode=validate\ntme=on\nalgorithm=aes-xts-128\nkey=new\nexclude=none\nafter-reset=stop\n", err) &&
	       p.mode == MC_POLICY_VALIDATE && p.tme && p.algorithm == TME_ACTIVATE_POLICY_AES_XTS_128 && !p.key_restore &&
	       p.exclude_set && p.exclude_size == 0 && !p.after_reset_run,
	       "mode=validate tme=on algorithm=aes-xts-128 key=new exclude=none after-reset=stop (%s)", err);
	EXPECT(file(&p, "mktme-algorithms=aes-xts-256\nexclude=4096:4K\nkeyid-bits=0\n", err) && p.mktme_algs == 0x4 &&
	       p.exclude_base == 4096 && p.exclude_size == 4096 && p.keyid_bits == 0,
	       "mktme-algorithms=aes-xts-256 -> 0x4; exclude=4096:4K; keyid-bits=0 (%s)", err);
	EXPECT(file(&p, "keyid-bits=15\nexclude=0x100000000:4G\n", err) && p.keyid_bits == 15 && p.exclude_size == (4ULL << 30),
	       "keyid-bits=15 (field maximum) and a 4G range at 4G parse (%s)", err);
}

TEST(policy, arguments_override_file)
{
	struct mc_policy p;
	char err[200];
	file(&p, "mode=validate\nkeyid-bits=4\n", err);
	EXPECT(args(&p, "mode=program keyid-bits=2 tme=on", err), "shell arguments parse (%s)", err);
	EXPECT(p.mode == MC_POLICY_PROGRAM && p.keyid_bits == 2, "arguments override the file: mode=program keyid-bits=2");
	EXPECT(!strcmp(p.o_keyid_bits.where, "argument 2"), "keyid-bits now remembers argument 2 (got %s)", p.o_keyid_bits.where);
}

struct bad_case {
	const char *text;
	const char *want;     /* substring of the error */
};

TEST(policy, file_errors_name_the_line)
{
	static const struct bad_case cases[] = {
		{ "mode=program\nfrobnicate=1\n", "policy.conf:2: frobnicate=1: unknown key" },
		{ "mode=fast\n", "policy.conf:1: mode=fast: expected validate or program" },
		{ "\n\ntme=maybe\n", "policy.conf:3: tme=maybe: expected on or off" },
		{ "bypass=1\n", "policy.conf:1: bypass=1: expected on or off" },
		{ "save-key=yes\n", "policy.conf:1: save-key=yes: expected on or off" },
		{ "sme=\n", "policy.conf:1: sme=: expected on or off" },
		{ "core-activate=true\n", "policy.conf:1: core-activate=true: expected on or off" },
		{ "algorithm=aes-xts-512\n", "policy.conf:1: algorithm=aes-xts-512: expected aes-xts-128 or aes-xts-256" },
		{ "keyid-bits=six\n", "policy.conf:1: keyid-bits=six: expected a decimal number" },
		{ "keyid-bits=0x6\n", "policy.conf:1: keyid-bits=0x6: expected a decimal number" },
		{ "keyid-bits=16\n", "policy.conf:1: keyid-bits=16: above 15" },
		{ "keyid-bits=99999999999999999999999\n", "policy.conf:1: keyid-bits=99999999999999999999999: expected a decimal number" },
		{ "mktme-algorithms=aes-xts-128,\n", "policy.conf:1: mktme-algorithms=aes-xts-128,: expected a comma-separated list" },
		{ "mktme-algorithms=des\n", "policy.conf:1: mktme-algorithms=des: expected a comma-separated list" },
		{ "exclude=0x1000\n", "policy.conf:1: exclude=0x1000: expected BASE:SIZE" },
		{ "exclude=zz:4K\n", "policy.conf:1: exclude=zz:4K: expected BASE:SIZE" },
		{ "exclude=0:3M\n", "policy.conf:1: exclude=0:3M: size must be a power of two" },
		{ "exclude=0:2K\n", "policy.conf:1: exclude=0:2K: size must be a power of two of at least 4K" },
		{ "exclude=0x1000:8K\n", "policy.conf:1: exclude=0x1000:8K: base must be aligned to the size" },
		{ "exclude=0xfffffffffffff000:0x2000\n", "base must be aligned" },
		{ "exclude=0xffffffffffffe000:0x2000\n", "policy.conf:1: exclude=0xffffffffffffe000:0x2000: range wraps past 2^64" },
		{ "key=old\n", "policy.conf:1: key=old: expected new or restore" },
		{ "after-reset=loop\n", "policy.conf:1: after-reset=loop: expected run or stop" },
		{ "exit=never\n", "policy.conf:1: exit=never: expected auto, reset or halt" },
		{ "serial=com9\n", "policy.conf:1: serial=com9: expected an I/O port" },
		{ "kernel-test=de\n", "policy.conf:1: kernel-test=de: expected pf, gp, ud, vector-0..vector-31, stack-overflow, nmi, hang, ap-hang, ap-fault, ap-nosipi or pkg0-only" },
		{ "kernel-test=vector-32\n", "policy.conf:1: kernel-test=vector-32: expected pf, gp, ud, vector-0..vector-31" },
		{ "kernel-test=vector-07\n", "policy.conf:1: kernel-test=vector-07: expected" },
		{ "kernel-test=vector-\n", "policy.conf:1: kernel-test=vector-: expected" },
		{ "kernel-test=vector-1x\n", "policy.conf:1: kernel-test=vector-1x: expected" },
		{ "kernel-test=vector-100\n", "policy.conf:1: kernel-test=vector-100: expected" },
		{ "stage-test=vector-20\n", "policy.conf:1: stage-test=vector-20: expected vector-0..vector-31 but vector-20 and vector-29 (#VE and #VC stay the firmware's)" },
		{ "stage-test=vector-29\n", "policy.conf:1: stage-test=vector-29: expected vector-0..vector-31 but" },
		{ "stage-test=gp\n", "policy.conf:1: stage-test=gp: expected vector-0..vector-31" },
		{ "mode program\n", "policy.conf:1: expected key=value" },
		{ "=program\n", "policy.conf:1: expected key=value" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mc_policy p;
		char err[200];
		bool ok = file(&p, cases[i].text, err);
		EXPECT(!ok && strstr(err, cases[i].want), "\"%.*s\" is refused with \"%s\" (got \"%s\")",
		       (int)strcspn(cases[i].text + strspn(cases[i].text, "\n"), "\n"), cases[i].text + strspn(cases[i].text, "\n"),
		       cases[i].want, err);
	}
}

TEST(policy, argument_errors_name_the_argument)
{
	struct mc_policy p;
	char err[200];
	mc_policy_defaults(&p);
	EXPECT(!args(&p, "mode=program keyid-bits=20", err) && strstr(err, "argument 2: keyid-bits=20: above 15"),
	       "keyid-bits=20 as the second argument is refused naming argument 2 (got \"%s\")", err);
	EXPECT(!args(&p, "exclude=0:5K", err) && strstr(err, "argument 1: exclude=0:5K: size must be a power of two"),
	       "exclude=0:5K as argument 1 is refused naming it (got \"%s\")", err);
	EXPECT(!args(&p, "tme=on bogus", err) && strstr(err, "argument 2: expected key=value"),
	       "a word without '=' is refused naming argument 2 (got \"%s\")", err);
}

TEST(policy, describe)
{
	struct mc_policy p;
	char err[200], d[300];
	file(&p, "mode=program\nkeyid-bits=3\nexclude=0x100000:1M\nmktme-algorithms=aes-xts-128\n", err);
	mc_policy_describe(&p, d, sizeof(d));
	EXPECT(strstr(d, "mode=program") && strstr(d, "keyid-bits=3") && strstr(d, "exclude=0x100000:0x100000") &&
	       strstr(d, "mktme-algorithms=aes-xts-128 "),
	       "the description names what was set (%s)", d);
}

/* kernel-test=vector-N and stage-test=vector-N (kernel/faults.c,
 * efi/fault.c): every vector 0..31 for the kernel; the stage all but #VE
 * (20) and #VC (29), which it leaves to the firmware. Only kernel-test
 * travels to the kernel. */
TEST(policy, test_vectors)
{
	char text[64], err[200], opts[128];
	int kernel_ok = 0, stage_ok = 0, stage_refused = 0;
	for (int v = 0; v < 32; v++) {
		struct mc_policy p;
		snprintf(text, sizeof(text), "kernel-test=vector-%d\n", v);
		if (file(&p, text, err) && mc_policy_test_vector(p.kernel_test) == v)
			kernel_ok++;
		snprintf(text, sizeof(text), "stage-test=vector-%d\n", v);
		bool ok = file(&p, text, err);
		if (ok && mc_policy_test_vector(p.stage_test) == v && v != 20 && v != 29)
			stage_ok++;
		if (!ok && (v == 20 || v == 29))
			stage_refused++;
	}
	EXPECT(kernel_ok == 32, "kernel-test=vector-0..31 each parse to their vector (%d of 32)", kernel_ok);
	EXPECT(stage_ok == 30 && stage_refused == 2, "stage-test takes vector-0..31 but 20 and 29 (%d taken, %d of 2 refused)",
	       stage_ok, stage_refused);
	EXPECT(mc_policy_test_vector("vector-9") == 9 && mc_policy_test_vector("vector-31") == 31 &&
	       mc_policy_test_vector("vector-0") == 0,
	       "vector-9, vector-31, vector-0 decode to 9, 31, 0");
	EXPECT(mc_policy_test_vector("vector-32") < 0 && mc_policy_test_vector("vector-01") < 0 &&
	       mc_policy_test_vector("vector--1") < 0 && mc_policy_test_vector("vector-") < 0 &&
	       mc_policy_test_vector("vectr-1") < 0 && mc_policy_test_vector("vector-0x1") < 0,
	       "vector-32, vector-01, vector--1, vector-, vectr-1, vector-0x1 are not vectors");
	struct mc_policy p;
	EXPECT(file(&p, "kernel-test=stack-overflow\nstage-test=vector-3\n", err), "stack-overflow and a stage vector together parse (%s)", err);
	mc_policy_kernel_options(&p, opts, sizeof(opts));
	EXPECT(!strcmp(opts, "kernel-test=stack-overflow"), "the kernel's options carry kernel-test only (\"%s\")", opts);
	EXPECT(file(&p, "kernel-test=nmi\n", err) && !strcmp(p.kernel_test, "nmi"), "kernel-test=nmi parses");
}
