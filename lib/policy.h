/* The run's policy: \memcrypt\policy.conf on the ESP, overridden by the
 * UEFI shell arguments in the same key=value form (lib/kv.h). Every error
 * names its line or argument; a policy with an error programs nothing.
 * The keys and their defaults: docs/bios-stage.md.
 *
 * Two kinds of checks:
 *   - syntax (here, at parse time): unknown key, bad value or number, KeyID
 *     bits above what the 4-bit field can hold, an exclusion range that is
 *     not a power-of-two size aligned to itself;
 *   - platform (lib/bios/plan.c, before any write): KeyID bits above
 *     MK_TME_MAX_KEYID_BITS, an algorithm the capability lacks, an exclusion
 *     range past MAXPHYADDR, bypass without capability bit 31.
 * So each setting remembers where it came from ("policy.conf:4",
 * "argument 2"), for the platform checks' messages. */
#ifndef MC_POLICY_H
#define MC_POLICY_H
#include "lib/handoff.h"

#define MC_POLICY_WHERE_MAX 48

enum mc_policy_mode {
	MC_POLICY_VALIDATE = 0,    /* never write: judge what the BIOS did */
	MC_POLICY_PROGRAM,         /* program an unlocked platform as a BIOS must */
};

/* Where a setting came from: "" = the default. */
struct mc_policy_origin {
	char where[MC_POLICY_WHERE_MAX];
};

struct mc_policy {
	/* How the run ends and where it reports. */
	u8   exit_mode;             /* enum mc_exit_mode: exit=auto|reset|halt */
	u16  serial_port;           /* serial=0x3f8|0x2f8|none (default COM1) */
	char kernel_test[16];       /* kernel-test=pf|gp|ud|vector-N|stack-overflow|nmi|hang|ap-hang|ap-fault|ap-nosipi|pkg0-only: fault or mutate on purpose (kernel/faults.c) */
	char stage_test[16];        /* stage-test=vector-N: raise exception N in the UEFI stage, unguarded (efi/fault.c) */
	bool after_reset_run;       /* after-reset=run|stop (default stop) */

	/* The BIOS stage (lib/bios/program.h). */
	u8   mode;                  /* enum mc_policy_mode, mode=validate|program */
	bool tme;                   /* tme=on|off: IA32_TME_ACTIVATE enable bit */
	bool algorithm_set;         /* algorithm= given; else the strongest enumerated */
	u8   algorithm;             /* TME policy, Table 4-2 bits 7:4 (TME_ACTIVATE_POLICY_*) */
	bool keyid_bits_set;        /* keyid-bits= given; else MK_TME_MAX_KEYID_BITS */
	u8   keyid_bits;
	bool mktme_algs_set;        /* mktme-algorithms= given; else all enumerated */
	u16  mktme_algs;            /* MK_TME_CRYPTO_ALGS (Table 4-2 bits 63:48, >> 48) */
	bool exclude_set;           /* exclude= given; else the exclusion MSRs are left alone */
	u64  exclude_base, exclude_size;   /* size 0 = exclude=none (disable) */
	bool bypass;                /* bypass=on|off: Table 4-2 bit 31 */
	bool key_restore;           /* key=new|restore: Table 4-2 bit 2 */
	bool save_key;              /* save-key=on|off: Table 4-2 bit 3 */
	bool sme;                   /* sme=on|off: AMD SYSCFG[23] */
	bool core_activate;         /* core-activate=on|off: MK_TME_CORE_ACTIVATE on every core */

	struct mc_policy_origin o_tme, o_algorithm, o_keyid_bits, o_mktme_algs, o_exclude, o_bypass,
				o_key, o_save_key, o_sme;
};

void mc_policy_defaults(struct mc_policy *p);
/* "vector-N", N 0..31 in decimal: N; anything else: -1. */
int mc_policy_test_vector(const char *value);
/* The stage leaves #VE (20) and #VC (29) to the firmware, which needs them in
 * a TDX or SEV-ES guest (efi/fault.c): stage-test cannot raise them. */
#define MC_POLICY_STAGE_VECTOR_OK(v) ((v) >= 0 && (v) != 20 && (v) != 29)
/* Apply a file's text; name is used in errors ("policy.conf:3: ..."). */
bool mc_policy_parse_file(struct mc_policy *p, const char *text, size_t len, const char *name,
			  char *err, size_t errlen);
/* The UEFI shell's LoadOptions (size bytes of little-endian UCS-2
 * "prog key=value ...", not necessarily terminated or 2-byte aligned) as
 * the ASCII words for mc_policy_parse_args, in out (outlen >= 1; longer
 * text is cut). Anything that is not printable ASCII (boot-manager binary
 * data) gives "", and so does a size under 2; the first word is the
 * program's own name and dropped unless it has '='. Pure, so the host can
 * fuzz what the stage runs (tests/fuzz/fuzz_policy.c). */
void mc_policy_load_options_ascii(const void *opts, size_t size, char *out, size_t outlen);
/* Apply shell arguments (words); errors name "argument N". */
bool mc_policy_parse_args(struct mc_policy *p, const char *args, char *err, size_t errlen);
/* The kernel's share, as "key=value ..." for the handoff's options. */
void mc_policy_kernel_options(const struct mc_policy *p, char *out, size_t outlen);

/* "where: " for a setting's messages, "policy default: " when unset. */
const char *mc_policy_where(const struct mc_policy_origin *o);
/* One line describing the BIOS-stage settings, for the report. */
void mc_policy_describe(const struct mc_policy *p, char *out, size_t outlen);

/* Names of MK_TME_CRYPTO_ALGS / TME policy values: "aes-xts-128"... */
const char *mc_policy_alg_name(u8 tme_policy);

#endif
