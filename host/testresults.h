/* Test results for CI dashboards and TAP harnesses: the one converter from
 * memcrypt's report lines (lib/report.h: "PASS: suite: what was shown",
 * FAIL, SKIP, WARN, INFO, SUMMARY) to JUnit XML and TAP. Used by
 * `memcrypt results` (tests/run-all, scripts/qemu-run --junit/--tap),
 * `memcrypt check --junit` and `memcrypt show-last --junit`.
 *
 * One input (a log, or the lines of one run) is one testsuite. Every
 * PASS/FAIL/SKIP/WARN line is one testcase: classname = the line's first
 * prefix ("qemu", "tme"), name = the rest of the line after it. FAIL gets a
 * <failure> whose message is the whole line, followed in its body by the
 * indented "    | ..." lines that came after it (the tests' log tails);
 * SKIP gets <skipped message="the line">; WARN passes, with the line in
 * the testcase's <system-out>. INFO, SUMMARY and every other line go to the
 * testsuite's <system-out> only. TAP: one plan over all suites, "ok",
 * "not ok", "ok ... # SKIP"; a WARN is "ok" with a "# WARN" diagnostic.
 *
 * Text that is not valid UTF-8 or holds control characters XML forbids
 * (serial consoles emit both) is written with U+FFFD / dropped, so the XML
 * is always well-formed. */
#ifndef MC_HOST_TESTRESULTS_H
#define MC_HOST_TESTRESULTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum tr_kind { TR_PASS, TR_FAIL, TR_SKIP, TR_WARN };

struct tr_case {
	enum tr_kind kind;
	char *classname, *name, *line;
	char *body;                 /* FAIL: the "    |" lines after it, or NULL */
};

struct tr_suite {
	char  *name;
	double time;                /* seconds, < 0 unknown */
	struct tr_case *cases;
	size_t ncases, cap;
	char  *out;                 /* every line, for <system-out> */
	size_t outlen, outcap;
	size_t count[4];            /* per tr_kind */
};

struct tr_set {
	struct tr_suite *suites;
	size_t nsuites, cap;
	char  *timestamp;           /* ISO 8601, or NULL */
	char  *hostname;            /* or NULL */
};

/* A new, empty suite (time < 0: unknown); NULL when out of memory. */
struct tr_suite *tr_suite_add(struct tr_set *set, const char *name, double time);
/* One line (no newline), classified as above. false when out of memory. */
bool tr_add_line(struct tr_suite *s, const char *line);
/* Many lines separated by '\n' (a log file's contents). */
bool tr_add_text(struct tr_suite *s, const char *text);

int  tr_write_junit(const struct tr_set *set, FILE *f);
int  tr_write_tap(const struct tr_set *set, FILE *f);
/* Write JUnit to junit_path and TAP to tap_path (either may be NULL).
 * 0, or 2 after a message on stderr naming cmd and the file. */
int  tr_write_files(const struct tr_set *set, const char *junit_path, const char *tap_path, const char *cmd);
/* The testsuites' timestamp (now, UTC) and hostname (this machine). */
void tr_stamp(struct tr_set *set);
void tr_free(struct tr_set *set);

/* One run's results as one suite (each result as its report line, then the
 * SUMMARY line), stamped and written as tr_write_files does. */
struct mc_results;
int  tr_write_run(const struct mc_results *res, const char *suite, const char *junit_path, const char *tap_path,
		  const char *cmd);

#endif
