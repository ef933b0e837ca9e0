/* The run's policy: \memcrypt\policy.conf on the ESP, overridden by the
 * UEFI shell arguments in the same key=value form (lib/kv.h). Every error
 * names its line or argument; a policy with an error programs nothing. */
#ifndef MC_POLICY_H
#define MC_POLICY_H
#include "lib/handoff.h"

struct mc_policy {
	/* How the run ends and where it reports. */
	u8   exit_mode;             /* enum mc_exit_mode: exit=auto|reset|halt */
	u16  serial_port;           /* serial=0x3f8|0x2f8|none (default COM1) */
	char kernel_test[8];        /* kernel-test=pf|gp|ud: fault on purpose */
};

void mc_policy_defaults(struct mc_policy *p);
/* Apply a file's text; name is used in errors ("policy.conf:3: ..."). */
bool mc_policy_parse_file(struct mc_policy *p, const char *text, size_t len, const char *name,
			  char *err, size_t errlen);
/* Apply shell arguments (words); errors name "argument N". */
bool mc_policy_parse_args(struct mc_policy *p, const char *args, char *err, size_t errlen);
/* The kernel's share, as "key=value ..." for the handoff's options. */
void mc_policy_kernel_options(const struct mc_policy *p, char *out, size_t outlen);

#endif
