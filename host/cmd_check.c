/* memcrypt check [--profile FILE | --root DIR] [--json] [--junit FILE]: validate
 * memory-encryption enablement with lib/checks, on the model driven by a
 * profile or on this machine (host/live_platform.c), with what Linux says
 * beside the registers (host/os_view.h; a profile's `os` lines). --root
 * reads every Linux path under DIR. Exit: 0 no FAIL, 1 any FAIL, 2 bad
 * input or the registers cannot be read (docs/report-format.md). */
#include "host/command.h"
#include "host/live_platform.h"
#include "host/model_load.h"
#include "host/os_view.h"
#include "host/ram_top.h"
#include "host/testresults.h"
#include "lib/checks/checks.h"
#include "lib/model/model.h"
#include "lib/model/profile.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX (1u << 20)

static int usage(void)
{
	fprintf(stderr, "usage: memcrypt check [--profile FILE | --root DIR] [--json] [--junit FILE]\n");
	return 2;
}

static int print_results(const struct mc_facts *f, const struct mc_results *res, bool json)
{
	if (json) {
		char *buf = malloc(JSON_MAX);
		int n = buf ? mc_checks_json(f, res, buf, JSON_MAX) : -1;
		if (n < 0) {
			fprintf(stderr, "memcrypt check: JSON output does not fit in %u bytes\n", JSON_MAX);
			free(buf);
			return 2;
		}
		printf("%s\n", buf);
		free(buf);
		return 0;
	}
	host_print_results(res);
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	const char *profile = NULL, *root = NULL;
	const char *junit = NULL;
	bool json = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--profile") && i + 1 < argc)
			profile = argv[++i];
		else if (!strcmp(argv[i], "--junit") && i + 1 < argc)
			junit = argv[++i];
		else if (!strcmp(argv[i], "--profile") || !strcmp(argv[i], "--junit")) {
			fprintf(stderr, "memcrypt check: %s needs a FILE\n", argv[i]);
			return usage();
		}
		else if (!strcmp(argv[i], "--root") && i + 1 < argc)
			root = argv[++i];
		else if (!strcmp(argv[i], "--root")) {
			fprintf(stderr, "memcrypt check: --root needs a DIR\n");
			return usage();
		}
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: memcrypt check [--profile FILE | --root DIR] [--json] [--junit FILE]\n");
			return 0;
		} else {
			fprintf(stderr, "memcrypt check: unknown argument '%s'\n", argv[i]);
			return usage();
		}
	}

	if (profile && root) {
		fprintf(stderr, "memcrypt check: --profile and --root exclude each other\n");
		return usage();
	}

	struct mc_platform plat;
	struct live_ctx *live = NULL;
	static struct host_model model;
	static struct mc_os_view view;
	struct mc_check_input in = { 0 };
	if (profile) {
		int rc = host_model_load("check", profile, 1, &model);
		if (rc)
			return rc;
		plat = model.plat;
		in.os = &model.profile.os;   /* present only with `os` lines */
	} else {
		char err[700];
		if (live_platform_open_root(&plat, &live, root, err, sizeof(err))) {
			fprintf(stderr, "memcrypt check: %s\n", err);
			return 2;
		}
		host_os_view_read(root, &view);
		in.os = &view;
		in.ram_top = host_ram_top(root);
	}

	/* Results are printed after the run, so a run that could not read its
	 * registers prints no verdicts at all. */
	static struct mc_results res;
	static struct mc_facts facts;
	mc_report_set_sink(NULL, NULL);
	mc_results_init(&res, MC_STAGE_HOST);
	/* On the model, the RAM an SNP RMP must cover is the simulated DRAM. */
	struct mc_model_info info;
	if (profile && !mc_model_info(model.state, &info))
		in.ram_top = info.dram_size;
	mc_checks_run(&plat, &in, &facts, &res);

	int status;
	char msg[800];
	if (live && live_platform_access_error(live, msg, sizeof(msg))) {
		fprintf(stderr, "memcrypt check: %s\n", msg);
		status = 2;
	} else {
		status = print_results(&facts, &res, json);
		if (!status && junit)
			status = tr_write_run(&res, profile ? profile : "check", junit, NULL, "memcrypt check");
		if (!status)
			status = mc_results_status(&res);
	}
	live_platform_close(live);
	host_model_free(&model);
	return status;
}

HOST_COMMAND(check, "check [--profile FILE | --root DIR] [--json] [--junit FILE]",
	     "validate TME/MKTME or SME/SEV enablement (this machine, or a profile on the model)", cmd_check)
