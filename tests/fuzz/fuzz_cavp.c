/* NIST CAVP XTSGenAES .rsp text (host/cmd_xts_cavp.c), as `memcrypt
 * xts-cavp FILE` reads it: the command refuses text with a NUL, so the
 * reader sees the input up to its first NUL. Contract (cmd_xts_cavp.h):
 * 0 with counts, or -1 with "path:line: why". Vectors run on the portable
 * backend, so a run is the same on every machine. */
#include "tests/fuzz/fuzz.h"
#include "host/cmd_xts_cavp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xts_cavp_stats st;
	char err[256];
	char *text = fuzz_text(data, size);

	memset(err, 0x55, sizeof(err));
	int rc = xts_cavp_run("fuzz.rsp", text, XTS_BACKEND_CT64, &st, NULL, err, sizeof(err));
	free(text);
	FUZZ_CHECK(rc == 0 || rc == -1, "rc %d", rc);
	if (rc) {
		fuzz_check_err(err, sizeof(err));
		FUZZ_CHECK(!strncmp(err, "fuzz.rsp:", 9), "error does not name the file: %s", err);
	}
	return 0;
}
