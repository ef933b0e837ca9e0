/* NIST CAVP XTSGenAES response files (.rsp): parse and run every vector.
 * Shared by `memcrypt xts-cavp` and the unit tests. */
#ifndef MC_HOST_CMD_XTS_CAVP_H
#define MC_HOST_CMD_XTS_CAVP_H
#include "lib/crypto/xts.h"
#include <stdio.h>

struct xts_cavp_stats {
	unsigned passed, failed, skipped;   /* skipped: data unit not whole bytes */
};

/* Runs the vectors in text (the contents of path, used in messages). Each
 * failing vector is reported on log (if not NULL) as "path:line: COUNT n
 * (ENCRYPT): ..." without key bytes. Returns 0, or -1 for a malformed file,
 * with "path:line: why" in err. */
int xts_cavp_run(const char *path, const char *text, enum xts_backend be,
		 struct xts_cavp_stats *st, FILE *log, char *err, size_t errlen);

#endif
