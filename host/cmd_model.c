/* memcrypt model --profile FILE [--seed N] [OP...]
 * Runs operations on a fresh model, in order, one output line each. Each
 * OP is one argument; with none, one per line from stdin ('#' comments and
 * blank lines skipped). Every operation is parsed before any runs, so bad
 * input (exit 2, naming the operation) leaves nothing half-done.
 *   cpuid LEAF [SUBLEAF] [cpu=N]   -> eax=0x........ ebx=... ecx=... edx=...
 *   rdmsr ADDR [cpu=N]             -> 0x................ | #GP
 *   wrmsr ADDR VALUE [cpu=N]       -> ok | #GP
 *   smi                            -> ok
 *   pconfig keyid=N cmd=direct|random|clear|no-encrypt|NUMBER
 *           alg=aes-xts-128|aes-xts-256|NUMBER [key1=HEX] [key2=HEX]
 *           [rsvd=1] [ctrl_rsvd=1] [align=N] [leaf=N] [cpu=N]
 *                                  -> status=N | #GP | #UD
 *   write PA HEX | read PA LEN | raw PA LEN | clflush PA | wbinvd | rng
 * LEAF SUBLEAF ADDR VALUE PA are hex (0x optional); N and LEN decimal or 0x. */
#include "host/command.h"
#include "host/model_load.h"
#include "host/cmd_model.h"
#include "lib/model/model.h"
#include "lib/mem.h"
#include "lib/fmt.h"
#include "arch/x86/msr-index.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SEED 0x6d656d6372797074ULL   /* "memcrypt": reproducible runs */
#define MAX_DATA 4096

enum op_kind { OP_CPUID, OP_RDMSR, OP_WRMSR, OP_SMI, OP_PCONFIG, OP_WRITE, OP_READ, OP_RAW,
	       OP_CLFLUSH, OP_WBINVD, OP_RNG };

struct op {
	enum op_kind kind;
	const char *text;
	int cpu;
	u64 a, b;                   /* leaf/subleaf, addr/value, pa/len */
	u32 leaf, align;
	struct mktme_key_program kp;
	size_t len;
	u8 data[MAX_DATA];
};

static bool num(const char *s, int base, u64 *v)
{
	return mc_parse_u64(s, strlen(s), base, v);
}

static const char *opt(const char *w, const char *name)
{
	size_t n = strlen(name);
	return !strncmp(w, name, n) && w[n] == '=' ? w + n + 1 : NULL;
}

static const char *parse_pconfig(struct op *o, char **w, int n)
{
	bool have_keyid = false, have_cmd = false, have_alg = false;
	u32 cmd = 0, alg = 0;
	u64 v;
	const char *x;

	for (int i = 1; i < n; i++) {
		if ((x = opt(w[i], "keyid"))) {
			if (!num(x, 0, &v) || v > 0xffff)
				return "keyid= wants 0..65535";
			o->kp.keyid = (u16)v;
			have_keyid = true;
		} else if ((x = opt(w[i], "cmd"))) {
			if (!strcmp(x, "direct")) cmd = MKTME_KEYID_SET_KEY_DIRECT;
			else if (!strcmp(x, "random")) cmd = MKTME_KEYID_SET_KEY_RANDOM;
			else if (!strcmp(x, "clear")) cmd = MKTME_KEYID_CLEAR_KEY;
			else if (!strcmp(x, "no-encrypt")) cmd = MKTME_KEYID_NO_ENCRYPT;
			else if (num(x, 0, &v) && v <= 0xff) cmd = (u32)v;
			else return "cmd= wants direct|random|clear|no-encrypt|0..255";
			have_cmd = true;
		} else if ((x = opt(w[i], "alg"))) {
			if (!strcmp(x, "aes-xts-128")) alg = MKTME_AES_XTS_128;
			else if (!strcmp(x, "aes-xts-256")) alg = MKTME_AES_XTS_256;
			else if (num(x, 0, &v) && v <= 0xffff) alg = (u32)v;
			else return "alg= wants aes-xts-128|aes-xts-256|0..65535";
			have_alg = true;
		} else if ((x = opt(w[i], "key1")) || (x = opt(w[i], "key2"))) {
			u8 *field = w[i][3] == '1' ? o->kp.key_field_1 : o->kp.key_field_2;
			if (mc_hex_decode(x, strlen(x), field, 64) < 0)
				return "key1=/key2= want up to 64 bytes of hex";
		} else if ((x = opt(w[i], "rsvd"))) {
			if (strcmp(x, "1"))
				return "rsvd= wants 1";
			o->kp.rsvd[0] = 1;
		} else if ((x = opt(w[i], "ctrl_rsvd"))) {
			if (strcmp(x, "1"))
				return "ctrl_rsvd= wants 1";
			o->kp.keyid_ctrl |= 1u << 24;
		} else if ((x = opt(w[i], "align"))) {
			if (!num(x, 0, &v) || v > 255)
				return "align= wants 0..255";
			o->align = (u32)v;
		} else if ((x = opt(w[i], "leaf"))) {
			if (!num(x, 0, &v) || v > 0xffffffffULL)
				return "leaf= wants a 32-bit number";
			o->leaf = (u32)v;
		} else if ((x = opt(w[i], "cpu"))) {
			if (!num(x, 0, &v) || v > 1023)
				return "cpu= wants a CPU number";
			o->cpu = (int)v;
		} else {
			return "unknown pconfig argument";
		}
	}
	if (!have_keyid || !have_cmd || !have_alg)
		return "pconfig needs keyid=, cmd= and alg=";
	o->kp.keyid_ctrl |= MKTME_KEYID_CTRL(cmd, alg);
	return NULL;
}

/* Split on blanks in place; returns the word count. */
static int split(char *s, char **w, int max)
{
	int n = 0;
	for (char *p = strtok(s, " \t\r\n"); p && n < max; p = strtok(NULL, " \t\r\n"))
		w[n++] = p;
	return n;
}

static const char *parse_op(struct op *o, const char *text)
{
	char buf[1024], *w[16];
	int n;
	u64 v;

	memset(o, 0, sizeof(*o));
	o->text = text;
	o->cpu = MC_CPU_CURRENT;
	if (strlen(text) >= sizeof(buf))
		return "operation too long";
	strcpy(buf, text);
	n = split(buf, w, 16);
	if (n == 0)
		return "empty operation";
	/* A trailing cpu=N applies to cpuid/rdmsr/wrmsr. */
	if (strcmp(w[0], "pconfig") && n > 1 && opt(w[n - 1], "cpu")) {
		if (!num(opt(w[n - 1], "cpu"), 0, &v) || v > 1023)
			return "cpu= wants a CPU number";
		o->cpu = (int)v;
		n--;
		if (strcmp(w[0], "cpuid") && strcmp(w[0], "rdmsr") && strcmp(w[0], "wrmsr"))
			return "cpu= applies to cpuid, rdmsr, wrmsr and pconfig only";
	}
	if (!strcmp(w[0], "cpuid")) {
		o->kind = OP_CPUID;
		if (n < 2 || n > 3 || !num(w[1], 16, &o->a) || o->a > 0xffffffffULL ||
		    (n == 3 && (!num(w[2], 16, &o->b) || o->b > 0xffffffffULL)))
			return "usage: cpuid LEAF [SUBLEAF] (hex)";
	} else if (!strcmp(w[0], "rdmsr")) {
		o->kind = OP_RDMSR;
		if (n != 2 || !num(w[1], 16, &o->a) || o->a > 0xffffffffULL)
			return "usage: rdmsr ADDR [cpu=N] (hex)";
	} else if (!strcmp(w[0], "wrmsr")) {
		o->kind = OP_WRMSR;
		if (n != 3 || !num(w[1], 16, &o->a) || o->a > 0xffffffffULL || !num(w[2], 16, &o->b))
			return "usage: wrmsr ADDR VALUE [cpu=N] (hex)";
	} else if (!strcmp(w[0], "smi") || !strcmp(w[0], "wbinvd") || !strcmp(w[0], "rng")) {
		o->kind = w[0][0] == 's' ? OP_SMI : w[0][0] == 'w' ? OP_WBINVD : OP_RNG;
		if (n != 1)
			return "takes no arguments";
	} else if (!strcmp(w[0], "pconfig")) {
		o->kind = OP_PCONFIG;
		return parse_pconfig(o, w, n);
	} else if (!strcmp(w[0], "write")) {
		o->kind = OP_WRITE;
		int got = n == 3 ? mc_hex_decode(w[2], strlen(w[2]), o->data, MAX_DATA) : -1;
		if (n != 3 || !num(w[1], 16, &o->a) || got <= 0)
			return "usage: write PA HEX (PA hex, 1..4096 bytes of hex)";
		o->len = (size_t)got;
	} else if (!strcmp(w[0], "read") || !strcmp(w[0], "raw")) {
		o->kind = w[0][1] == 'e' ? OP_READ : OP_RAW;
		if (n != 3 || !num(w[1], 16, &o->a) || !num(w[2], 0, &v) || !v || v > MAX_DATA)
			return "usage: read|raw PA LEN (PA hex, LEN 1..4096)";
		o->len = (size_t)v;
	} else if (!strcmp(w[0], "clflush")) {
		o->kind = OP_CLFLUSH;
		if (n != 2 || !num(w[1], 16, &o->a))
			return "usage: clflush PA (hex)";
	} else {
		return "unknown operation";
	}
	return NULL;
}

/* An operation as error messages show it: key1=/key2= values (key bytes)
 * replaced by "<N hex digits>". */
static const char *shown(const char *text, char *buf, size_t size)
{
	size_t j = 0;
	for (const char *p = text; *p && j + 1 < size;) {
		bool key = (p == text || p[-1] == ' ' || p[-1] == '\t') &&
			   (!strncmp(p, "key1=", 5) || !strncmp(p, "key2=", 5));
		if (!key) {
			buf[j++] = *p++;
			continue;
		}
		size_t n = strcspn(p + 5, " \t\r\n");
		j += (size_t)snprintf(buf + j, size - j, "%.5s<%zu hex digits>", p, n);
		if (j >= size)
			j = size - 1;
		p += 5 + n;
	}
	buf[j] = 0;
	return buf;
}

static void print_hex(const u8 *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

static void run_op(struct mc_platform *p, struct op *o)
{
	struct cpuid_regs r;
	int rc;
	u64 v;
	bool zf;

	switch (o->kind) {
	case OP_CPUID:
		p->cpuid(p->ctx, o->cpu, (u32)o->a, (u32)o->b, &r);
		printf("eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n", r.eax, r.ebx, r.ecx, r.edx);
		return;
	case OP_RDMSR:
		rc = p->rdmsr(p->ctx, o->cpu, (u32)o->a, &v);
		if (rc)
			printf("%s\n", mc_fault_name(rc));
		else
			printf("0x%016llx\n", (unsigned long long)v);
		return;
	case OP_WRMSR:
		rc = p->wrmsr(p->ctx, o->cpu, (u32)o->a, o->b);
		printf("%s\n", rc ? mc_fault_name(rc) : "ok");
		return;
	case OP_SMI:
		mc_model_smi(p->ctx);
		printf("ok\n");
		return;
	case OP_PCONFIG: {
		/* Place the struct align bytes past a 256-byte boundary. */
		static u8 area[512] __attribute__((aligned(256)));
		memcpy(area + o->align, &o->kp, sizeof(o->kp));
		rc = p->pconfig(p->ctx, o->cpu, o->leaf, area + o->align, &v, &zf);
		mc_wipe(area, sizeof(area));
		if (rc)
			printf("%s\n", mc_fault_name(rc));
		else
			printf("status=%llu\n", (unsigned long long)v);
		return;
	}
	case OP_WRITE:
		rc = p->mem_write(p->ctx, o->a, o->data, o->len);
		printf("%s\n", rc ? mc_fault_name(rc) : "ok");
		return;
	case OP_READ:
	case OP_RAW:
		rc = (o->kind == OP_READ ? p->mem_read : p->mem_raw_read)(p->ctx, o->a, o->data, o->len);
		if (rc)
			printf("%s\n", mc_fault_name(rc));
		else
			print_hex(o->data, o->len);
		return;
	case OP_CLFLUSH:
		p->clflush(p->ctx, o->a);
		printf("ok\n");
		return;
	case OP_WBINVD:
		p->wbinvd(p->ctx);
		printf("ok\n");
		return;
	case OP_RNG:
		rc = p->rng(p->ctx, &v);
		if (rc)
			printf("%s\n", mc_fault_name(rc));
		else
			printf("0x%016llx\n", (unsigned long long)v);
		return;
	}
}

const char *host_model_op(struct mc_platform *plat, const char *text)
{
	struct op *o = malloc(sizeof(*o));
	const char *why = o ? parse_op(o, text) : "out of memory";
	if (!why && plat && o->cpu != MC_CPU_CURRENT && o->cpu >= plat->cpu_count(plat->ctx))
		why = "cpu= beyond the profile's CPUs";
	if (!why && plat)
		run_op(plat, o);
	if (o)
		mc_wipe(o, sizeof(*o));   /* it may hold key1=/key2= bytes */
	free(o);
	return why;
}

static int usage(void)
{
	fprintf(stderr, "usage: memcrypt model --profile FILE [--seed N] [OP...]  (see docs/model.md)\n");
	return 2;
}

static int cmd_model(int argc, char **argv)
{
	const char *profile = NULL;
	u64 seed = DEFAULT_SEED;
	int i = 1;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--profile") && i + 1 < argc) {
			profile = argv[++i];
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			if (!num(argv[++i], 0, &seed)) {
				fprintf(stderr, "memcrypt model: --seed: malformed number '%s'\n", argv[i]);
				return 2;
			}
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (argv[i][0] == '-' && argv[i][1] == '-') {
			return usage();
		} else {
			break;
		}
	}
	if (!profile)
		return usage();

	/* Collect operation texts: arguments, or stdin lines. */
	char **texts = NULL, *input = NULL, msg[1200];
	size_t input_len = 0;
	int nops = 0;
	if (i < argc) {
		texts = argv + i;
		nops = argc - i;
	} else {
		size_t len;
		input = host_read_file("-", &len);
		input_len = len;
		if (!input) {
			fprintf(stderr, "memcrypt model: cannot read operations from stdin\n");
			return 2;
		}
		texts = calloc(len + 1, sizeof(*texts));
		for (char *line = strtok(input, "\n"); line && texts; line = strtok(NULL, "\n")) {
			char *s = line + strspn(line, " \t\r");
			if (*s && *s != '#')
				texts[nops++] = s;
		}
	}
	/* From here every exit goes through out: ops and input hold key
	 * bytes (key1=/key2=), so they are wiped, and everything is freed. */
	static struct host_model model;
	int rc = 2;
	struct op *ops = calloc(nops ? (size_t)nops : 1, sizeof(*ops));
	if (!ops || !texts) {
		fprintf(stderr, "memcrypt model: out of memory\n");
		goto out;
	}
	for (int k = 0; k < nops; k++) {
		const char *why = parse_op(&ops[k], texts[k]);
		if (why) {
			fprintf(stderr, "memcrypt model: operation %d '%s': %s\n", k + 1,
				shown(texts[k], msg, sizeof(msg)), why);
			goto out;
		}
	}
	if (host_model_load("model", profile, seed, &model))
		goto out;
	struct mc_platform plat = model.plat;
	for (int k = 0; k < nops; k++) {
		if (ops[k].cpu != MC_CPU_CURRENT && ops[k].cpu >= plat.cpu_count(plat.ctx)) {
			fprintf(stderr, "memcrypt model: operation %d '%s': cpu %d, the profile has %d\n",
				k + 1, shown(texts[k], msg, sizeof(msg)), ops[k].cpu, plat.cpu_count(plat.ctx));
			goto out;
		}
	}
	for (int k = 0; k < nops; k++)
		run_op(&plat, &ops[k]);
	fflush(stdout);
	rc = 0;
out:
	host_model_free(&model);
	if (ops)
		mc_wipe(ops, (nops ? (size_t)nops : 1) * sizeof(*ops));
	free(ops);
	if (input) {
		mc_wipe(input, input_len);   /* strtok put NULs in it: the whole buffer */
		free(input);
		free(texts);
	}
	return rc;
}

HOST_COMMAND(model, "model --profile FILE [--seed N] [OP...]",
	     "run register/PCONFIG/memory operations on the emulated platform", cmd_model)
