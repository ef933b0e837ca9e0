/* Results and their reporting, in the style of kvm-unit-tests:
 *   PASS: tme: locked: IA32_TME_ACTIVATE=0x... (one line of why)
 *   SUMMARY: 42 tests, 1 failures, 3 skipped
 *
 * A result has a stable id ("tme.locked": dots become ": " when printed),
 * a verdict and one line of detail that carries the raw values. The results
 * live in a fixed-size, pointer-free struct so they can travel in the
 * handoff: the kernel's SUMMARY covers the UEFI stage's results and its own.
 * Never put key bytes in a detail line. */
#ifndef MC_REPORT_H
#define MC_REPORT_H
#include "lib/types.h"

enum mc_verdict { MC_PASS = 0, MC_FAIL, MC_WARN, MC_SKIP, MC_INFO, MC_VERDICTS };

#define MC_RESULT_ID_MAX      48
#define MC_RESULT_DETAIL_MAX  200
#define MC_MAX_RESULTS        384

struct mc_result {
	char id[MC_RESULT_ID_MAX];
	char detail[MC_RESULT_DETAIL_MAX];
	u8   verdict;
	u8   stage;      /* MC_STAGE_* where it was produced */
	u8   pad[6];
};

enum { MC_STAGE_HOST = 0, MC_STAGE_UEFI = 1, MC_STAGE_KERNEL = 2 };

struct mc_results {
	u32 count;
	u32 dropped;                  /* results beyond MC_MAX_RESULTS */
	u32 n[MC_VERDICTS];           /* per-verdict counts, dropped included */
	u8  stage;                    /* stage stamped on new results */
	u8  pad[7];
	struct mc_result r[MC_MAX_RESULTS];
};

/* Where lines go: the front-end sets a sink (serial + console, stdout ...).
 * A NULL sink records silently. */
typedef void (*mc_line_sink)(const char *line, void *arg);
void mc_report_set_sink(mc_line_sink sink, void *arg);

/* Format one line and hand it straight to out (a line longer than
 * MC_LINE_MAX - 1 characters is cut). The one formatter behind every
 * printf-like printer: the front-ends' own consoles (stage_print, kprintf),
 * which print before any sink is set. */
#define MC_LINE_MAX 512
void mc_line_vprintf(void (*out)(const char *line), const char *fmt, va_list ap);

void mc_results_init(struct mc_results *res, u8 stage);

/* Record one result and print it. Returns the verdict for chaining. */
enum mc_verdict mc_report(struct mc_results *res, enum mc_verdict v, const char *id,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* PASS if cond, else FAIL; the message says what was expected. */
bool mc_report_check(struct mc_results *res, bool cond, const char *id,
		     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

const char *mc_verdict_name(enum mc_verdict v);   /* "PASS" ... */
/* Format one result as a report line: "PASS: tme: locked: detail". */
int  mc_result_format(const struct mc_result *r, char *buf, size_t size);
/* "SUMMARY: N tests, F failures, S skipped" (+ ", W warnings" when any);
 * INFO lines are not tests. */
int  mc_summary_format(const struct mc_results *res, char *buf, size_t size);
void mc_report_summary(const struct mc_results *res);
/* Append every result of src to dst (the kernel adopts the UEFI stage's). */
void mc_results_merge(struct mc_results *dst, const struct mc_results *src);

/* Exit status every front-end uses: 0 all pass, 1 any FAIL. */
static inline int mc_results_status(const struct mc_results *res)
{
	return res->n[MC_FAIL] ? 1 : 0;
}

#endif
