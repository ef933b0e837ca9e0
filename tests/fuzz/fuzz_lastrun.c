/* The last-run record (lib/bios/lastrun.c): MemcryptLastRun as the next
 * stage and `memcrypt show-last` read it back from a variable store or a
 * file. Contract (lastrun.h): a record that decodes renders as a summary,
 * report lines and JSON in bounded buffers; and what the encoder writes
 * from those results decodes again. */
#include "tests/fuzz/fuzz.h"
#include "lib/bios/lastrun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mc_lastrun lr, again;
	static struct mc_results res;
	static uint8_t rec[MC_LASTRUN_MAX];
	static char json[64 << 10];
	char err[200], line[400], tiny[8];
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf)
		abort();
	memcpy(buf, data, size);
	memset(err, 0x55, sizeof(err));
	bool ok = mc_lastrun_decode(buf, size, &lr, err, sizeof(err));
	free(buf);
	if (!ok) {
		fuzz_check_err(err, sizeof(err));
		return 0;
	}
	FUZZ_CHECK(lr.stored <= MC_LASTRUN_MAX_ENTRIES, "stored %u", lr.stored);
	mc_lastrun_summary(&lr, line, sizeof(line));
	fuzz_check_err(line, sizeof(line));
	mc_lastrun_summary(&lr, tiny, sizeof(tiny));
	fuzz_check_err(tiny, sizeof(tiny));
	for (uint32_t i = 0; i < lr.stored; i++) {
		mc_result_format(&lr.entry[i], line, sizeof(line));
		fuzz_check_err(line, sizeof(line));
	}
	int n = mc_lastrun_json(&lr, json, sizeof(json));
	FUZZ_CHECK(n > 0 && (size_t)n < sizeof(json) && json[n] == 0, "JSON length %d", n);
	FUZZ_CHECK(mc_lastrun_json(&lr, tiny, sizeof(tiny)) < 0 && tiny[0] == 0, "JSON into 8 bytes");

	mc_results_init(&res, MC_STAGE_KERNEL);
	for (uint32_t i = 0; i < lr.stored; i++)
		res.r[res.count++] = lr.entry[i];
	for (int v = 0; v < MC_VERDICTS; v++)
		res.n[v] = lr.count[v];
	size_t len = mc_lastrun_encode(&res, lr.version, lr.platform, lr.flags, rec, sizeof(rec));
	FUZZ_CHECK(mc_lastrun_decode(rec, len, &again, err, sizeof(err)), "re-encoded record refused: %s", err);
	return 0;
}
