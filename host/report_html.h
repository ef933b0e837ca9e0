/* The audit report as one self-contained HTML file (no script, no network,
 * styles inline): `memcrypt report --html`. What it shows, in order:
 * provenance (machine, firmware, date, version, input), the verdict table
 * with FAIL then WARN first, each memory-encryption register the input
 * holds as a bit-field diagram with every field named, its value decoded
 * and the seed's table cited, the per-CPU consistency grid (CPU x
 * register, values that differ from CPU 0 marked), and the KeyID (or
 * C-bit) layout of a physical address.
 *
 * The input is memcrypt's own JSON (docs/report-format.md: report.json and
 * `check --json` carry facts, raw registers and checks; last-run.json only
 * the FAIL/WARN results and counts, and the report says what is missing).
 * Per-CPU values are not in any JSON: they come from the platform when the
 * report is made from a profile (rh_percpu), else the per-CPU checks'
 * verdicts stand in. */
#ifndef MC_HOST_REPORT_HTML_H
#define MC_HOST_REPORT_HTML_H
#include "host/jsonread.h"
#include "lib/types.h"
#include <stdio.h>

#define RH_MAX_CPUS 256
#define RH_MAX_REGS 8

struct rh_percpu {
	int cpus, nregs;
	const char *reg[RH_MAX_REGS];
	u32 msr[RH_MAX_REGS];
	u64 val[RH_MAX_REGS][RH_MAX_CPUS];
	int fault[RH_MAX_REGS][RH_MAX_CPUS];   /* 0 read, > 0 the vector, < 0 unreachable */
};

struct rh_input {
	const struct jv *root;           /* the JSON object */
	const char *source;              /* what was read, for the provenance */
	const char *source_date;         /* the input's modification time, or NULL */
	const struct rh_percpu *percpu;  /* or NULL */
};

/* 0, or -1 on a write error. */
int rh_write(FILE *f, const struct rh_input *in);

#endif
