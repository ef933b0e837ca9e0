/* The report-line to JUnit/TAP converter; the contract is in the header.
 * JUnit here is the de-facto schema Jenkins, GitLab and GitHub read
 * (testsuites > testsuite > testcase with failure / skipped / system-out);
 * TAP is version 13 as `prove` reads it. */
#include "host/testresults.h"
#include "lib/report.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = 0;
	}
	return d;
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static bool append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (!grow((void **)buf, cap, *len + n + 1, 1))
		return false;
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = 0;
	return true;
}

struct tr_suite *tr_suite_add(struct tr_set *set, const char *name, double time)
{
	if (!grow((void **)&set->suites, &set->cap, set->nsuites + 1, sizeof(*set->suites)))
		return NULL;
	struct tr_suite *s = &set->suites[set->nsuites];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	s->time = time;
	if (!s->name)
		return NULL;
	set->nsuites++;
	return s;
}

static const struct { const char *prefix; enum tr_kind kind; } kinds[] = {
	{ "PASS: ", TR_PASS }, { "FAIL: ", TR_FAIL }, { "SKIP: ", TR_SKIP }, { "WARN: ", TR_WARN },
};

bool tr_add_line(struct tr_suite *s, const char *line)
{
	size_t len = strlen(line);
	if (!append(&s->out, &s->outlen, &s->outcap, line, len) || !append(&s->out, &s->outlen, &s->outcap, "\n", 1))
		return false;

	/* "    | ..." after a FAIL: the log tail a test printed with it. */
	if (!strncmp(line, "    |", 5) && s->ncases && s->cases[s->ncases - 1].kind == TR_FAIL) {
		struct tr_case *c = &s->cases[s->ncases - 1];
		size_t blen = c->body ? strlen(c->body) : 0, bcap = c->body ? blen + 1 : 0;
		return append(&c->body, &blen, &bcap, line, len) && append(&c->body, &blen, &bcap, "\n", 1);
	}
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (strncmp(line, kinds[k].prefix, 6))
			continue;
		if (!grow((void **)&s->cases, &s->cap, s->ncases + 1, sizeof(*s->cases)))
			return false;
		const char *rest = line + 6, *colon = strstr(rest, ": ");
		struct tr_case *c = &s->cases[s->ncases];
		memset(c, 0, sizeof(*c));
		c->kind = kinds[k].kind;
		c->line = strdup(line);
		if (colon && colon > rest) {
			c->classname = dup_n(rest, (size_t)(colon - rest));
			c->name = strdup(colon + 2);
		} else {
			c->classname = strdup("memcrypt");
			c->name = strdup(rest);
		}
		if (!c->line || !c->classname || !c->name)
			return false;
		s->ncases++;
		s->count[c->kind]++;
		return true;
	}
	return true;
}

bool tr_add_text(struct tr_suite *s, const char *text)
{
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);
		if (n && text[n - 1] == '\r')
			n--;
		char *line = dup_n(text, n);
		bool ok = line && tr_add_line(s, line);
		free(line);
		if (!ok)
			return false;
		text += nl ? (size_t)(nl - text) + 1 : n;
	}
	return true;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	size_t n = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (!n || (n == 2 && s[0] < 0xc2) || (n == 4 && s[0] > 0xf4))
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;   /* overlong, surrogate or beyond U+10FFFF */
	return n;
}

/* s as XML character data or attribute value (XML 1.0 section 2.2, 2.4). */
static void xml_text(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		size_t n = utf8_len(s);
		if (!n) {
			fputs("\xef\xbf\xbd", f);   /* U+FFFD for a byte that is not UTF-8 */
			s++;
			continue;
		}
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\n': fputs("&#10;", f); break;   /* kept inside attributes too */
		case '\t': fputs("&#9;", f); break;
		default:
			if (*s >= 0x20 || n > 1)
				fwrite(s, 1, n, f);   /* other C0 controls are not XML characters */
		}
		s += n;
	}
}

static void xml_attr(FILE *f, const char *name, const char *val)
{
	fprintf(f, " %s=\"", name);
	xml_text(f, val);
	fputc('"', f);
}

static void counts(const struct tr_suite *s, size_t *tests, size_t *fail, size_t *skip)
{
	*tests += s->ncases;
	*fail += s->count[TR_FAIL];
	*skip += s->count[TR_SKIP];
}

int tr_write_junit(const struct tr_set *set, FILE *f)
{
	size_t tests = 0, fail = 0, skip = 0;
	double time = 0;
	bool timed = false;
	for (size_t i = 0; i < set->nsuites; i++) {
		counts(&set->suites[i], &tests, &fail, &skip);
		if (set->suites[i].time >= 0)
			time += set->suites[i].time, timed = true;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"memcrypt\"", f);
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\"", tests, fail, skip);
	if (timed)
		fprintf(f, " time=\"%.3f\"", time);
	fputs(">\n", f);
	for (size_t i = 0; i < set->nsuites; i++) {
		const struct tr_suite *s = &set->suites[i];
		fputs("  <testsuite", f);
		xml_attr(f, "name", s->name);
		fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\"", s->ncases,
			s->count[TR_FAIL], s->count[TR_SKIP]);
		if (s->time >= 0)
			fprintf(f, " time=\"%.3f\"", s->time);
		if (set->timestamp)
			xml_attr(f, "timestamp", set->timestamp);
		if (set->hostname)
			xml_attr(f, "hostname", set->hostname);
		fputs(">\n", f);
		for (size_t j = 0; j < s->ncases; j++) {
			const struct tr_case *c = &s->cases[j];
			fputs("    <testcase", f);
			xml_attr(f, "classname", c->classname);
			xml_attr(f, "name", c->name);
			if (c->kind == TR_PASS) {
				fputs("/>\n", f);
				continue;
			}
			fputs(">\n      ", f);
			if (c->kind == TR_FAIL) {
				fputs("<failure", f);
				xml_attr(f, "message", c->line);
				fputs(" type=\"FAIL\">", f);
				xml_text(f, c->line);
				if (c->body) {
					xml_text(f, "\n");
					xml_text(f, c->body);
				}
				fputs("</failure>\n", f);
			} else if (c->kind == TR_SKIP) {
				fputs("<skipped", f);
				xml_attr(f, "message", c->line);
				fputs("/>\n", f);
			} else {
				fputs("<system-out>", f);
				xml_text(f, c->line);
				fputs("</system-out>\n", f);
			}
			fputs("    </testcase>\n", f);
		}
		fputs("    <system-out>", f);
		if (s->out)
			xml_text(f, s->out);
		fputs("</system-out>\n  </testsuite>\n", f);
	}
	fputs("</testsuites>\n", f);
	return ferror(f) ? -1 : 0;
}

/* A TAP description: one line, '#' escaped (TAP 13: "\#"). */
static void tap_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '#' || *s == '\\')
			fputc('\\', f);
		fputc(*s == '\n' ? ' ' : *s, f);
	}
}

int tr_write_tap(const struct tr_set *set, FILE *f)
{
	size_t tests = 0, fail = 0, skip = 0, n = 0;
	for (size_t i = 0; i < set->nsuites; i++)
		counts(&set->suites[i], &tests, &fail, &skip);
	fprintf(f, "TAP version 13\n1..%zu\n", tests);
	for (size_t i = 0; i < set->nsuites; i++) {
		const struct tr_suite *s = &set->suites[i];
		fprintf(f, "# %s: %zu tests, %zu failures, %zu skipped\n", s->name, s->ncases, s->count[TR_FAIL],
			s->count[TR_SKIP]);
		for (size_t j = 0; j < s->ncases; j++) {
			const struct tr_case *c = &s->cases[j];
			n++;
			if (c->kind == TR_SKIP) {
				fprintf(f, "ok %zu # SKIP ", n);
				tap_text(f, c->line + 6);
				fputc('\n', f);
				continue;
			}
			fprintf(f, "%s %zu - ", c->kind == TR_FAIL ? "not ok" : "ok", n);
			tap_text(f, c->classname);
			fputs(": ", f);
			tap_text(f, c->name);
			fputc('\n', f);
			if (c->kind == TR_WARN)
				fputs("# WARN: the property holds but weakens protection\n", f);
			if (c->kind == TR_FAIL && c->body) {
				for (const char *p = c->body; *p;) {
					const char *nl = strchr(p, '\n');
					size_t len = nl ? (size_t)(nl - p) : strlen(p);
					fprintf(f, "# %.*s\n", (int)len, p);
					p += len + (nl ? 1 : 0);
				}
			}
		}
	}
	return ferror(f) ? -1 : 0;
}

static int write_one(const struct tr_set *set, const char *path, int (*fn)(const struct tr_set *, FILE *),
		     const char *cmd)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", cmd, path, strerror(errno));
		return 2;
	}
	int rc = fn(set, f);
	if (fclose(f) || rc) {
		fprintf(stderr, "%s: %s: write failed: %s\n", cmd, path, strerror(errno));
		return 2;
	}
	return 0;
}

int tr_write_files(const struct tr_set *set, const char *junit_path, const char *tap_path, const char *cmd)
{
	if (junit_path && write_one(set, junit_path, tr_write_junit, cmd))
		return 2;
	if (tap_path && write_one(set, tap_path, tr_write_tap, cmd))
		return 2;
	return 0;
}

void tr_stamp(struct tr_set *set)
{
	char buf[256];
	time_t now = time(NULL);
	struct tm tm;
	if (gmtime_r(&now, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm))
		set->timestamp = strdup(buf);
	if (!gethostname(buf, sizeof(buf) - 1)) {
		buf[sizeof(buf) - 1] = 0;
		set->hostname = strdup(buf);
	}
}

void tr_free(struct tr_set *set)
{
	for (size_t i = 0; i < set->nsuites; i++) {
		struct tr_suite *s = &set->suites[i];
		for (size_t j = 0; j < s->ncases; j++) {
			free(s->cases[j].classname);
			free(s->cases[j].name);
			free(s->cases[j].line);
			free(s->cases[j].body);
		}
		free(s->cases);
		free(s->out);
		free(s->name);
	}
	free(set->suites);
	free(set->timestamp);
	free(set->hostname);
	memset(set, 0, sizeof(*set));
}

int tr_write_run(const struct mc_results *res, const char *suite, const char *junit_path, const char *tap_path,
		 const char *cmd)
{
	struct tr_set set = { 0 };
	char line[MC_RESULT_ID_MAX * 2 + MC_RESULT_DETAIL_MAX + 16];
	struct tr_suite *s = tr_suite_add(&set, suite, -1);
	bool ok = s != NULL;
	for (u32 i = 0; ok && i < res->count; i++) {
		mc_result_format(&res->r[i], line, sizeof(line));
		ok = tr_add_line(s, line);
	}
	if (ok) {
		mc_summary_format(res, line, sizeof(line));
		ok = tr_add_line(s, line);
	}
	int rc = 2;
	if (!ok)
		fprintf(stderr, "%s: out of memory\n", cmd);
	else {
		tr_stamp(&set);
		rc = tr_write_files(&set, junit_path, tap_path, cmd);
	}
	tr_free(&set);
	return rc;
}
