/* memcrypt report --html OUT.html (INPUT.json | --profile FILE): the audit
 * report (host/report_html.h) from report.json or last-run.json (the ESP
 * files the UEFI stage writes), from `memcrypt check --json` output, or
 * from a profile run on the model here, which also gives the per-CPU
 * values. Exit: 0 written, 2 bad arguments or input (the file and, for
 * JSON, the line and column). The report's verdicts never change the
 * status: `memcrypt check` judges, this command documents. */
#include "host/command.h"
#include "host/jsonread.h"
#include "host/model_load.h"
#include "host/report_html.h"
#include "lib/checks/checks.h"
#include "lib/model/model.h"
#include "arch/x86/msr-index.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define USAGE "usage: memcrypt report --html OUT.html (INPUT.json | --profile FILE)\n"
#define JSON_MAX (1u << 20)

/* Per-CPU values of the registers the facts say were read. */
static void read_percpu(const struct mc_platform *p, const struct mc_facts *f, struct rh_percpu *pc)
{
	static const struct { const char *name; u32 msr; int when; } cand[] = {
		{ "IA32_TME_CAPABILITY", MSR_IA32_TME_CAPABILITY, 1 }, { "IA32_TME_ACTIVATE", MSR_IA32_TME_ACTIVATE, 1 },
		{ "IA32_TME_EXCLUDE_MASK", MSR_IA32_TME_EXCLUDE_MASK, 1 }, { "IA32_TME_EXCLUDE_BASE", MSR_IA32_TME_EXCLUDE_BASE, 1 },
		{ "MK_TME_CORE_ACTIVATE", MSR_IA32_MKTME_CORE_ACTIVATE, 2 },
		{ "SYSCFG", MSR_AMD64_SYSCFG, 3 }, { "HWCR", MSR_K7_HWCR, 4 },
	};
	memset(pc, 0, sizeof(*pc));
	pc->cpus = f->cpus < RH_MAX_CPUS ? f->cpus : RH_MAX_CPUS;
	for (size_t i = 0; i < ARRAY_SIZE(cand) && pc->nregs < RH_MAX_REGS; i++) {
		bool want = (cand[i].when == 1 && f->tme.read) || (cand[i].when == 2 && f->tme.read && f->tme.cap.max_keyid_bits) ||
			    (cand[i].when == 3 && f->sme.syscfg_read) || (cand[i].when == 4 && f->sme.hwcr_read);
		if (!want)
			continue;
		int r = pc->nregs++;
		pc->reg[r] = cand[i].name;
		pc->msr[r] = cand[i].msr;
		for (int c = 0; c < pc->cpus; c++) {
			int rc = mc_rdmsr(p, c, cand[i].msr, &pc->val[r][c]);
			pc->fault[r][c] = rc == MC_PLAT_ENOSYS || rc == MC_PLAT_EINVAL ? -1 : rc;
		}
	}
}

/* The profile run on the model: its JSON, as a check --json would print. */
static char *profile_json(const char *path, struct rh_percpu *pc)
{
	static struct host_model model;
	static struct mc_results res;
	static struct mc_facts facts;
	if (host_model_load("report", path, 1, &model))
		return NULL;
	mc_report_set_sink(NULL, NULL);
	mc_results_init(&res, MC_STAGE_HOST);
	struct mc_check_input in = { 0 };
	struct mc_model_info info;
	if (!mc_model_info(model.state, &info))
		in.ram_top = info.dram_size;
	in.os = mc_model_os_view(model.state);
	mc_checks_run(&model.plat, &in, &facts, &res);
	read_percpu(&model.plat, &facts, pc);
	char *buf = malloc(JSON_MAX);
	if (buf && mc_checks_json(&facts, &res, buf, JSON_MAX) < 0) {
		fprintf(stderr, "memcrypt report: %s: JSON larger than %u bytes\n", path, JSON_MAX);
		free(buf);
		buf = NULL;
	}
	host_model_free(&model);
	return buf;
}

static int cmd_report(int argc, char **argv)
{
	const char *out = NULL, *profile = NULL, *input = NULL;
	for (int i = 1; i < argc; i++) {
		if ((!strcmp(argv[i], "--html") || !strcmp(argv[i], "--profile")) && i + 1 >= argc) {
			fprintf(stderr, "memcrypt report: %s needs a FILE\n" USAGE, argv[i]);
			return 2;
		} else if (!strcmp(argv[i], "--html")) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--profile")) {
			profile = argv[++i];
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf(USAGE);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "memcrypt report: unknown argument '%s'\n" USAGE, argv[i]);
			return 2;
		} else if (input) {
			fprintf(stderr, "memcrypt report: one INPUT only ('%s' and '%s')\n" USAGE, input, argv[i]);
			return 2;
		} else {
			input = argv[i];
		}
	}
	if (!out || !!profile == !!input) {
		fprintf(stderr, "memcrypt report: %s\n" USAGE,
			!out ? "--html OUT.html is required" : "give one INPUT.json or --profile FILE");
		return 2;
	}

	static struct rh_percpu pc;
	char source[600], date[64] = "", err[200];
	const char *src_date = NULL;
	char *text;
	if (profile) {
		text = profile_json(profile, &pc);
		if (!text)
			return 2;
		snprintf(source, sizeof(source), "profile %s, run on the model by this command", profile);
	} else {
		text = host_read_file(input, NULL);
		if (!text) {
			fprintf(stderr, "memcrypt report: %s: %s\n", input, strerror(errno));
			return 2;
		}
		struct stat st;
		struct tm tm;
		if (strcmp(input, "-") && !stat(input, &st) && gmtime_r(&st.st_mtime, &tm) &&
		    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ (input file modified)", &tm))
			src_date = date;
		snprintf(source, sizeof(source), "%s", input);
	}
	struct jv *root = jv_parse(text, err, sizeof(err));
	free(text);
	if (!root) {
		fprintf(stderr, "memcrypt report: %s: not JSON: %s\n", profile ? profile : input, err);
		return 2;
	}
	const struct jv *checks = jv_get(root, "checks");
	if (!checks || checks->type != JV_ARR) {
		fprintf(stderr, "memcrypt report: %s: not a memcrypt report (no \"checks\" array: expected report.json, "
			"last-run.json or memcrypt check --json output)\n", input);
		jv_free(root);
		return 2;
	}
	if (jv_get(root, "raw"))
		strncat(source, jv_get(root, "provenance") ? " (report.json from the UEFI stage)" : "",
			sizeof(source) - strlen(source) - 1);
	else
		strncat(source, " (last-run record: FAIL/WARN results and counts only)", sizeof(source) - strlen(source) - 1);

	FILE *f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "memcrypt report: %s: %s\n", out, strerror(errno));
		jv_free(root);
		return 2;
	}
	struct rh_input in = { root, source, src_date, profile ? &pc : NULL };
	int rc = rh_write(f, &in);
	if (fclose(f) || rc) {
		fprintf(stderr, "memcrypt report: %s: write failed\n", out);
		rc = 2;
	}
	jv_free(root);
	if (!rc)
		printf("memcrypt report: wrote %s\n", out);
	return rc ? 2 : 0;
}

HOST_COMMAND(report, "report --html OUT.html (INPUT.json | --profile FILE)",
	     "the audit report as one self-contained HTML file (verdicts, register diagrams, per-CPU grid, KeyID layout)",
	     cmd_report)
