#include "lib/policy.h"
#include "lib/kv.h"
#include "lib/fmt.h"
#include "lib/mem.h"

void mc_policy_defaults(struct mc_policy *p)
{
	mc_memset(p, 0, sizeof(*p));
	p->exit_mode = MC_EXIT_AUTO;
	p->serial_port = 0x3f8;
}

struct apply_ctx {
	struct mc_policy *p;
	char *err;
	size_t errlen;
	const char *where;     /* "policy.conf:" or "argument " */
};

static bool bad(struct apply_ctx *c, unsigned int n, const char *key, const char *value, const char *why)
{
	mc_snprintf(c->err, c->errlen, "%s%u: %s=%s: %s", c->where, n, key, value, why);
	return false;
}

static bool apply(void *arg, const char *key, const char *value, unsigned int n)
{
	struct apply_ctx *c = arg;
	struct mc_policy *p = c->p;

	if (!mc_strcmp(key, "exit")) {
		if (!mc_strcmp(value, "auto"))
			p->exit_mode = MC_EXIT_AUTO;
		else if (!mc_strcmp(value, "reset"))
			p->exit_mode = MC_EXIT_RESET;
		else if (!mc_strcmp(value, "halt"))
			p->exit_mode = MC_EXIT_HALT;
		else
			return bad(c, n, key, value, "expected auto, reset or halt");
		return true;
	}
	if (!mc_strcmp(key, "serial")) {
		u64 port;
		if (!mc_strcmp(value, "none"))
			p->serial_port = 0;
		else if (mc_parse_u64(value, mc_strlen(value), 0, &port) && port && port < 0xfff8)
			p->serial_port = (u16)port;
		else
			return bad(c, n, key, value, "expected an I/O port such as 0x3f8, or none");
		return true;
	}
	if (!mc_strcmp(key, "kernel-test")) {
		if (mc_strcmp(value, "pf") && mc_strcmp(value, "gp") && mc_strcmp(value, "ud"))
			return bad(c, n, key, value, "expected pf, gp or ud");
		mc_strlcpy(p->kernel_test, value, sizeof(p->kernel_test));
		return true;
	}
	return bad(c, n, key, value, "unknown key");
}

bool mc_policy_parse_file(struct mc_policy *p, const char *text, size_t len, const char *name,
			  char *err, size_t errlen)
{
	char where[64], inner[200] = "";
	mc_snprintf(where, sizeof(where), "%s:", name);
	struct apply_ctx c = { p, err, errlen, where };
	if (mc_kv_parse_lines(text, len, apply, &c, inner, sizeof(inner)))
		return true;
	/* kv's own syntax errors say "line N: ..."; ours already name the file. */
	if (!mc_strncmp(inner, "line ", 5))
		mc_snprintf(err, errlen, "%s:%s", name, inner + 5);
	else if (inner[0])
		mc_snprintf(err, errlen, "%s", inner);
	return false;
}

bool mc_policy_parse_args(struct mc_policy *p, const char *args, char *err, size_t errlen)
{
	char inner[200];
	struct apply_ctx c = { p, err, errlen, "argument " };
	inner[0] = 0;
	if (mc_kv_parse_words(args, apply, &c, inner, sizeof(inner)))
		return true;
	if (inner[0])
		mc_snprintf(err, errlen, "%s", inner);
	return false;
}

void mc_policy_kernel_options(const struct mc_policy *p, char *out, size_t outlen)
{
	size_t n = 0;
	out[0] = 0;
	if (p->kernel_test[0])
		n += (size_t)mc_snprintf(out + n, outlen - n, "kernel-test=%s ", p->kernel_test);
	if (n && n <= outlen)
		out[n - 1] = 0;
}
