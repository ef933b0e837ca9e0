/* memcrypt show-last [--file PATH] [--json] [--junit FILE]: the results the memcrypt
 * kernel stored in the MemcryptLastRun UEFI variable (lib/bios/lastrun.h),
 * read from efivarfs (4 bytes of attributes, then the data) or from a copy
 * of such a file (--file). Exit: 0 the last run had no FAIL, 1 it had FAIL
 * results, 2 no record or an unreadable one. */
#include "host/command.h"
#include "host/testresults.h"
#include "lib/bios/lastrun.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EFIVARS_PATH "/sys/firmware/efi/efivars/" MC_LASTRUN_VAR_NAME "-" MC_LASTRUN_GUID_STR
#define JSON_MAX (64u << 10)
#define USAGE "usage: memcrypt show-last [--file PATH] [--json] [--junit FILE]\n"

/* The record as one JUnit suite: its stored FAIL/WARN entries are the
 * testcases (the record keeps no PASS or SKIP lines, only their counts,
 * which the suite's output carries); FAIL results that did not fit are
 * one failing testcase, so a CI never reads a failed run as green. */
static int write_junit(const struct mc_lastrun *lr, const char *path)
{
	struct tr_set set = { 0 };
	char line[400], sum[300];
	struct tr_suite *s = tr_suite_add(&set, "last-run", -1);
	u32 stored_fail = 0;
	bool ok = s != NULL;
	mc_lastrun_summary(lr, sum, sizeof(sum));
	snprintf(line, sizeof(line), "last run: %s", sum);
	ok = ok && tr_add_line(s, line);
	for (u32 i = 0; ok && i < lr->stored; i++) {
		stored_fail += lr->entry[i].verdict == MC_FAIL;
		mc_result_format(&lr->entry[i], line, sizeof(line));
		ok = tr_add_line(s, line);
	}
	if (ok && lr->count[MC_FAIL] > stored_fail) {
		snprintf(line, sizeof(line), "FAIL: last-run: omitted: %u more FAIL results did not fit in the record",
			 lr->count[MC_FAIL] - stored_fail);
		ok = tr_add_line(s, line);
	}
	int rc = 2;
	if (!ok)
		fprintf(stderr, "memcrypt show-last: out of memory\n");
	else {
		tr_stamp(&set);
		rc = tr_write_files(&set, path, NULL, "memcrypt show-last");
	}
	tr_free(&set);
	return rc;
}

static int cmd_show_last(int argc, char **argv)
{
	const char *path = EFIVARS_PATH;
	const char *junit = NULL;
	bool json = false;
	static struct mc_lastrun lr;
	char err[200], line[400];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--file") && i + 1 < argc)
			path = argv[++i];
		else if (!strcmp(argv[i], "--json"))
			json = true;
		else if (!strcmp(argv[i], "--junit") && i + 1 < argc)
			junit = argv[++i];
		else {
			fprintf(stderr, "memcrypt show-last: unknown argument '%s'\n" USAGE, argv[i]);
			return 2;
		}
	}
	size_t len;
	char *data = host_read_file(path, &len);
	if (!data) {
		if (errno == ENOENT)
			fprintf(stderr, "memcrypt show-last: no last-run record: %s does not exist (no memcrypt kernel "
				"stored results on this machine, or efivarfs is not mounted)\n", path);
		else
			fprintf(stderr, "memcrypt show-last: %s: %s\n", path, strerror(errno));
		return 2;
	}
	/* efivarfs: a little-endian u32 of attributes precedes the data. */
	if (len < 4) {
		fprintf(stderr, "memcrypt show-last: %s: %zu bytes, too short for the attributes word\n", path, len);
		free(data);
		return 2;
	}
	if (!mc_lastrun_decode((const u8 *)data + 4, len - 4, &lr, err, sizeof(err))) {
		fprintf(stderr, "memcrypt show-last: %s: %s\n", path, err);
		free(data);
		return 2;
	}
	free(data);
	if (json) {
		static char buf[JSON_MAX];
		if (mc_lastrun_json(&lr, buf, sizeof(buf)) < 0) {
			fprintf(stderr, "memcrypt show-last: JSON larger than %u bytes\n", JSON_MAX);
			return 2;
		}
		printf("%s\n", buf);
	} else {
		mc_lastrun_summary(&lr, line, sizeof(line));
		printf("last run: %s%s\n", line, (lr.flags & MC_LASTRUN_SHOWN) ? " (shown by the UEFI stage)" : "");
		for (u32 i = 0; i < lr.stored; i++) {
			mc_result_format(&lr.entry[i], line, sizeof(line));
			printf("%s\n", line);
		}
		if (lr.omitted)
			printf("(%u more FAIL/WARN results did not fit in the record)\n", lr.omitted);
	}
	if (junit && write_junit(&lr, junit))
		return 2;
	return lr.count[MC_FAIL] ? 1 : 0;
}

/* The command name has a dash, which HOST_COMMAND's #id cannot spell, so
 * it registers itself the way the macro does. */
static const struct host_command host_cmd_show_last = {
	"show-last", "show-last [--file PATH] [--json] [--junit FILE]",
	"print the results the memcrypt kernel stored in the MemcryptLastRun UEFI variable (efivarfs)", cmd_show_last
};
__attribute__((constructor)) static void host_cmd_reg_show_last(void)
{
	host_command_register(&host_cmd_show_last);
}
