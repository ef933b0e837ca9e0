/* The last-run record (lib/bios/lastrun.c): what the kernel encodes the
 * stage and show-last decode; FAILs first, the size bound, and every kind
 * of damaged record refused with a reason. */
#include "tests/unit/harness.h"
#include "lib/bios/lastrun.h"
#include "lib/report.h"
#include <stdio.h>
#include <string.h>

static struct mc_results res;
static struct mc_lastrun lr;
static u8 buf[MC_LASTRUN_MAX];

static size_t sample(void)
{
	mc_report_set_sink(NULL, NULL);
	mc_results_init(&res, MC_STAGE_KERNEL);
	mc_report(&res, MC_PASS, "tme.enabled", "fine");
	mc_report(&res, MC_WARN, "memmap.cpu_crypto", "only some memory");
	mc_report(&res, MC_FAIL, "mktme.core_activate", "cpu 2 keyid bits 0, package 6 \"quoted\"");
	mc_report(&res, MC_SKIP, "sme.supported", "not AMD");
	return mc_lastrun_encode(&res, "0.1.0", "model:profile", MC_LASTRUN_RESET, buf, sizeof(buf));
}

TEST(lastrun, round_trip)
{
	char err[160], line[300];
	size_t n = sample();
	EXPECT(n > MC_LASTRUN_HDR && !memcmp(buf, "MCLR", 4), "encoded: magic MCLR, %zu bytes", n);
	EXPECT(mc_lastrun_decode(buf, n, &lr, err, sizeof(err)), "decodes (%s)", err);
	EXPECT(lr.stored == 2 && lr.entry[0].verdict == MC_FAIL && lr.entry[1].verdict == MC_WARN,
	       "stores the FAIL first, then the WARN, not PASS/SKIP (stored %u)", lr.stored);
	EXPECT(!strcmp(lr.entry[0].id, "mktme.core_activate") && strstr(lr.entry[0].detail, "cpu 2") &&
	       lr.entry[0].stage == MC_STAGE_KERNEL, "entry keeps id, detail and stage");
	EXPECT(lr.count[MC_PASS] == 1 && lr.count[MC_FAIL] == 1 && lr.count[MC_WARN] == 1 && lr.count[MC_SKIP] == 1 &&
	       lr.total == 4, "counts per verdict and the total survive");
	EXPECT(!strcmp(lr.version, "0.1.0") && !strcmp(lr.platform, "model:profile") && (lr.flags & MC_LASTRUN_RESET),
	       "version, platform and the reset flag survive");
	mc_lastrun_summary(&lr, line, sizeof(line));
	EXPECT(!strcmp(line, "memcrypt 0.1.0 on model:profile: 4 tests, 1 failures, 1 skipped, 1 warnings; ended with a reset"),
	       "summary line (got %s)", line);
	EXPECT(mc_lastrun_set_flags(buf, n, MC_LASTRUN_RESET | MC_LASTRUN_SHOWN) && mc_lastrun_decode(buf, n, &lr, err, sizeof(err)) &&
	       (lr.flags & MC_LASTRUN_SHOWN), "marking it shown keeps it decodable with the shown flag");
	char json[4096];
	int jn = mc_lastrun_json(&lr, json, sizeof(json));
	EXPECT(jn > 0 && strstr(json, "\"shown\":true") && strstr(json, "\"fail\":1") && strstr(json, "\\\"quoted\\\"") &&
	       strstr(json, "\"stage\":\"kernel\""), "JSON carries flags, counts, escaped details (%s)", json);
	EXPECT(mc_lastrun_json(&lr, json, 40) == -1, "JSON into a too-small buffer: -1, not a truncated object");
}

TEST(lastrun, size_bound)
{
	char err[160];
	mc_report_set_sink(NULL, NULL);
	mc_results_init(&res, MC_STAGE_KERNEL);
	for (int i = 0; i < 100; i++)
		mc_report(&res, MC_FAIL, "bulk.fail", "failure number %d with a detail long enough to fill the record quickly "
			  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", i);
	size_t n = mc_lastrun_encode(&res, "0.1.0", "hw", 0, buf, sizeof(buf));
	EXPECT(n <= MC_LASTRUN_MAX, "100 long FAILs encode within %d bytes (%zu)", MC_LASTRUN_MAX, n);
	EXPECT(mc_lastrun_decode(buf, n, &lr, err, sizeof(err)) && lr.stored + lr.omitted == 100 && lr.omitted > 0,
	       "what does not fit is counted as omitted (stored %u, omitted %u)", lr.stored, lr.omitted);
}

TEST(lastrun, damaged_records_are_refused)
{
	char err[160];
	size_t n = sample();
	static u8 bad[MC_LASTRUN_MAX];

	EXPECT(!mc_lastrun_decode(buf, 10, &lr, err, sizeof(err)) && strstr(err, "truncated"), "10 bytes: truncated (%s)", err);
	memcpy(bad, buf, n);
	bad[0] = 'X';
	EXPECT(!mc_lastrun_decode(bad, n, &lr, err, sizeof(err)) && strstr(err, "not a memcrypt last-run record"), "bad magic (%s)", err);
	memcpy(bad, buf, n);
	bad[4] = 9;
	EXPECT(!mc_lastrun_decode(bad, n, &lr, err, sizeof(err)) && strstr(err, "format 9"), "unknown format (%s)", err);
	EXPECT(!mc_lastrun_decode(buf, n - 1, &lr, err, sizeof(err)) && strstr(err, "record says"), "size mismatch (%s)", err);
	memcpy(bad, buf, n);
	bad[MC_LASTRUN_HDR + 3] = 250;   /* first entry's detail length runs past the end */
	EXPECT(!mc_lastrun_decode(bad, n, &lr, err, sizeof(err)) && strstr(err, "entry 0"), "entry overrun (%s)", err);
	memcpy(bad, buf, n);
	bad[MC_LASTRUN_HDR + 4] = 0x01;  /* control character in an id */
	EXPECT(!mc_lastrun_decode(bad, n, &lr, err, sizeof(err)) && strstr(err, "non-printable"), "binary junk in text (%s)", err);
	memcpy(bad, buf, n);
	bad[36] = 200;                   /* stored count beyond the limit */
	EXPECT(!mc_lastrun_decode(bad, n, &lr, err, sizeof(err)) && strstr(err, "entries"), "entry count too large (%s)", err);
	memcpy(bad, buf, n);
	bad[36] = 1;                     /* one entry claimed, two present */
	EXPECT(!mc_lastrun_decode(bad, n, &lr, err, sizeof(err)) && strstr(err, "stray bytes"), "stray bytes (%s)", err);
}
