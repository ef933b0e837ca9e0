/* Every byte-aligned vector of NIST CAVP XTSGenAES128/256, both tweak forms
 * (128-bit hex string, data-unit sequence number), read at run time from
 * Debian's python3-cryptography-vectors (installed by scripts/setup). A
 * missing file is a FAIL: the vectors are part of the definition of done. */
#include "tests/unit/harness.h"
#include "tests/unit/test_xts_util.h"
#include "host/command.h"
#include "host/cmd_xts_cavp.h"

#define CAVP_DIR "/usr/lib/python3/dist-packages/cryptography_vectors/ciphers/AES/XTS/"

TEST(xts, nist_cavp)
{
	static const char *const files[][2] = {
		{ "tweak-128hexstr/XTSGenAES128.rsp", "128hexstr" },
		{ "tweak-128hexstr/XTSGenAES256.rsp", "128hexstr" },
		{ "tweak-dataunitseqno/XTSGenAES128.rsp", "dataunitseqno" },
		{ "tweak-dataunitseqno/XTSGenAES256.rsp", "dataunitseqno" },
	};
	for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
		char path[256];
		const char *base = strchr(files[f][0], '/') + 1;
		snprintf(path, sizeof(path), "%s%s", CAVP_DIR, files[f][0]);
		size_t len;
		char *text = host_read_file(path, &len);
		if (!EXPECT(text != NULL, "%s (%s): readable at %s (python3-cryptography-vectors)",
			    base, files[f][1], path))
			continue;
		for (int be = XTS_BACKEND_CT64; be < XTS_BACKEND_COUNT; be++) {
			if (!xts_backend_supported(be)) {
				SKIP("%s: %s not run (%s)", xts_backend_name(be), base, test_backend_missing(be));
				continue;
			}
			struct xts_cavp_stats st;
			char err[300] = "";
			int rc = xts_cavp_run(path, text, be, &st, stdout, err, sizeof(err));
			unsigned total = st.passed + st.failed;
			EXPECT(rc == 0 && st.failed == 0 && total >= 500,
			       "%s: %s (%s): %u/%u byte-aligned vectors, %u skipped (not whole bytes)%s%s",
			       xts_backend_name(be), base, files[f][1], st.passed, total, st.skipped,
			       rc ? " -- " : "", err);
		}
		free(text);
	}
}
