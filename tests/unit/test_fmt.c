/* lib/fmt.c and lib/report.c: the formatter every front-end prints with. */
#include "tests/unit/harness.h"
#include "lib/fmt.h"
#include "lib/report.h"
#include <string.h>

TEST(fmt, formats)
{
	char b[128];
	mc_snprintf(b, sizeof(b), "%d|%u|%x|%016llx|%s|%c|%5s|%-3d|", -42, 7u, 0xabu,
		    0x4000400000023ULL, "tme", 'x', "ab", 5);
	EXPECT(!strcmp(b, "-42|7|ab|0004000400000023|tme|x|   ab|5  |"), "printf subset matches C99 (got \"%s\")", b);
	int n = mc_snprintf(b, 4, "%s", "truncated");
	EXPECT(n == 9 && !strcmp(b, "tru"), "truncation keeps NUL and returns the would-be length (%d)", n);
}

TEST(report, lines_and_summary)
{
	static struct mc_results res;
	char line[300];
	mc_results_init(&res, MC_STAGE_HOST);
	mc_report(&res, MC_PASS, "tme.locked", "IA32_TME_ACTIVATE=0x%016llx", 0x4000400000023ULL);
	mc_report(&res, MC_FAIL, "tme.core_activate", "cpu 3");
	mc_report(&res, MC_SKIP, "pconfig.enum", "not enumerated");
	mc_report(&res, MC_INFO, "tme.width", "46 bits");
	mc_result_format(&res.r[0], line, sizeof(line));
	EXPECT(!strcmp(line, "PASS: tme: locked: IA32_TME_ACTIVATE=0x0004000400000023"),
	       "result line reads as kvm-unit-tests (got \"%s\")", line);
	mc_summary_format(&res, line, sizeof(line));
	EXPECT(!strcmp(line, "SUMMARY: 3 tests, 1 failures, 1 skipped"),
	       "INFO is not a test, SKIP is counted apart (got \"%s\")", line);
	EXPECT(mc_results_status(&res) == 1, "a FAIL makes the status 1");
}
