/* memcrypt results [--junit FILE] [--tap FILE] [--name NAME] [--time S] LOG...:
 * convert logs of report lines (a serial console, a test script's output)
 * to JUnit XML and TAP (host/testresults.h). Each LOG ("-" for stdin) is
 * one testsuite, named by the --name before it or by the file's name
 * without its extension; --time gives that suite's duration in seconds.
 * Exit: 0 written, 2 bad arguments or a file that cannot be read or
 * written. The status does not depend on FAIL lines: the converter reports,
 * the caller judges. */
#include "host/command.h"
#include "host/testresults.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define USAGE "usage: memcrypt results [--junit FILE] [--tap FILE] [--name NAME] [--time SECONDS] LOG...\n"

static char *suite_name(const char *path)
{
	if (!strcmp(path, "-"))
		return strdup("stdin");
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
	return strndup(base, n);
}

static int cmd_results(int argc, char **argv)
{
	const char *junit = NULL, *tap = NULL, *name = NULL;
	double time = -1;
	struct tr_set set = { 0 };
	int rc = 0, nlogs = 0;

	for (int i = 1; i < argc && !rc; i++) {
		const char *a = argv[i];
		bool has_val = i + 1 < argc;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf(USAGE);
			tr_free(&set);
			return 0;
		} else if ((!strcmp(a, "--junit") || !strcmp(a, "--tap") || !strcmp(a, "--name") || !strcmp(a, "--time")) &&
			   !has_val) {
			fprintf(stderr, "memcrypt results: %s needs a value\n" USAGE, a);
			rc = 2;
		} else if (!strcmp(a, "--junit")) {
			junit = argv[++i];
		} else if (!strcmp(a, "--tap")) {
			tap = argv[++i];
		} else if (!strcmp(a, "--name")) {
			name = argv[++i];
		} else if (!strcmp(a, "--time")) {
			char *end;
			errno = 0;
			time = strtod(argv[++i], &end);
			if (errno || *end || end == argv[i] || time < 0) {
				fprintf(stderr, "memcrypt results: --time %s: expected seconds (a number >= 0)\n", argv[i]);
				rc = 2;
			}
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "memcrypt results: unknown argument '%s'\n" USAGE, a);
			rc = 2;
		} else {
			size_t len;
			char *text = host_read_file(a, &len);
			if (!text) {
				fprintf(stderr, "memcrypt results: %s: %s\n", a, strerror(errno));
				rc = 2;
				break;
			}
			char *auto_name = name ? NULL : suite_name(a);
			struct tr_suite *s = tr_suite_add(&set, name ? name : auto_name, time);
			if (!s || !tr_add_text(s, text)) {
				fprintf(stderr, "memcrypt results: out of memory\n");
				rc = 2;
			}
			free(auto_name);
			free(text);
			name = NULL;
			time = -1;
			nlogs++;
		}
	}
	if (!rc && !nlogs) {
		fprintf(stderr, "memcrypt results: no LOG given\n" USAGE);
		rc = 2;
	}
	if (!rc && !junit && !tap) {
		fprintf(stderr, "memcrypt results: nothing to write: give --junit FILE and/or --tap FILE\n");
		rc = 2;
	}
	if (!rc) {
		tr_stamp(&set);
		rc = tr_write_files(&set, junit, tap, "memcrypt results");
	}
	tr_free(&set);
	return rc;
}

HOST_COMMAND(results, "results [--junit FILE] [--tap FILE] [--name NAME] [--time S] LOG...",
	     "convert logs of PASS/FAIL/SKIP lines to JUnit XML and TAP (CI dashboards, prove)", cmd_results)
