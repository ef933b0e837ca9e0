#include "lib/report.h"
#include "lib/fmt.h"
#include "lib/mem.h"

static mc_line_sink report_sink;
static void *report_sink_arg;

void mc_report_set_sink(mc_line_sink sink, void *arg)
{
	report_sink = sink;
	report_sink_arg = arg;
}

static void emit(const char *line)
{
	if (report_sink)
		report_sink(line, report_sink_arg);
}

void mc_line_vprintf(void (*out)(const char *line), const char *fmt, va_list ap)
{
	char line[MC_LINE_MAX];
	mc_vsnprintf(line, sizeof(line), fmt, ap);
	out(line);
}

void mc_results_init(struct mc_results *res, u8 stage)
{
	mc_memset(res, 0, sizeof(*res));
	res->stage = stage;
}

const char *mc_verdict_name(enum mc_verdict v)
{
	static const char *const names[MC_VERDICTS] = { "PASS", "FAIL", "WARN", "SKIP", "INFO" };
	return (unsigned)v < MC_VERDICTS ? names[v] : "????";
}

int mc_result_format(const struct mc_result *r, char *buf, size_t size)
{
	/* The id's dots become ": " so ids read as kvm-unit-tests prefixes. */
	char id[MC_RESULT_ID_MAX * 2];
	size_t j = 0;
	for (size_t i = 0; r->id[i] && j + 3 < sizeof(id); i++) {
		if (r->id[i] == '.') {
			id[j++] = ':';
			id[j++] = ' ';
		} else {
			id[j++] = r->id[i];
		}
	}
	id[j] = 0;
	return mc_snprintf(buf, size, "%s: %s: %s", mc_verdict_name((enum mc_verdict)r->verdict), id, r->detail);
}

static enum mc_verdict record(struct mc_results *res, enum mc_verdict v, const char *id,
			      const char *fmt, va_list ap)
{
	struct mc_result tmp, *r = &tmp;

	if ((unsigned)v >= MC_VERDICTS)
		v = MC_FAIL;
	if (res && res->count < MC_MAX_RESULTS)
		r = &res->r[res->count++];
	else if (res)
		res->dropped++;
	mc_memset(r, 0, sizeof(*r));
	mc_strlcpy(r->id, id, sizeof(r->id));
	mc_vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	r->verdict = (u8)v;
	r->stage = res ? res->stage : MC_STAGE_HOST;
	if (res)
		res->n[v]++;

	char line[MC_RESULT_ID_MAX * 2 + MC_RESULT_DETAIL_MAX + 16];
	mc_result_format(r, line, sizeof(line));
	emit(line);
	return v;
}

enum mc_verdict mc_report(struct mc_results *res, enum mc_verdict v, const char *id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	v = record(res, v, id, fmt, ap);
	va_end(ap);
	return v;
}

bool mc_report_check(struct mc_results *res, bool cond, const char *id, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	record(res, cond ? MC_PASS : MC_FAIL, id, fmt, ap);
	va_end(ap);
	return cond;
}

int mc_summary_format(const struct mc_results *res, char *buf, size_t size)
{
	u32 tests = res->n[MC_PASS] + res->n[MC_FAIL] + res->n[MC_WARN] + res->n[MC_SKIP];
	int n = mc_snprintf(buf, size, "SUMMARY: %u tests, %u failures, %u skipped",
			    tests, res->n[MC_FAIL], res->n[MC_SKIP]);
	if (res->n[MC_WARN] && n >= 0 && (size_t)n < size)
		n += mc_snprintf(buf + n, size - (size_t)n, ", %u warnings", res->n[MC_WARN]);
	if (res->dropped && n >= 0 && (size_t)n < size)
		n += mc_snprintf(buf + n, size - (size_t)n, " (%u results not stored)", res->dropped);
	return n;
}

void mc_report_summary(const struct mc_results *res)
{
	char line[160];
	mc_summary_format(res, line, sizeof(line));
	emit(line);
}

void mc_results_merge(struct mc_results *dst, const struct mc_results *src)
{
	for (u32 i = 0; i < src->count; i++) {
		if (dst->count < MC_MAX_RESULTS)
			dst->r[dst->count++] = src->r[i];
		else
			dst->dropped++;
	}
	dst->dropped += src->dropped;
	for (int v = 0; v < MC_VERDICTS; v++)
		dst->n[v] += src->n[v];
}
