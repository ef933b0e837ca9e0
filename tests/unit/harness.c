#include "tests/unit/harness.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct unit_test {
	const char *suite, *name;
	unit_fn fn;
};

static struct unit_test tests[1024];
static int ntests;
static int passed, failed, skipped;
static const char *current_suite = "";

void unit_register(const char *suite, const char *name, unit_fn fn)
{
	if (ntests == (int)(sizeof(tests) / sizeof(tests[0]))) {
		fprintf(stderr, "harness: too many tests (raise the table size)\n");
		abort();
	}
	tests[ntests++] = (struct unit_test){ suite, name, fn };
}

const char *unit_suite(void)
{
	return current_suite;
}

bool unit_expect(bool cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s: %s: ", cond ? "PASS" : "FAIL", current_suite);
	vprintf(fmt, ap);
	if (!cond)
		printf(" [%s:%d]", file, line);
	printf("\n");
	va_end(ap);
	if (cond)
		passed++;
	else
		failed++;
	return cond;
}

void unit_skip(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("SKIP: %s: ", current_suite);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	skipped++;
}

static int by_suite(const void *a, const void *b)
{
	const struct unit_test *x = a, *y = b;
	int c = strcmp(x->suite, y->suite);
	return c ? c : strcmp(x->name, y->name);
}

int main(int argc, char **argv)
{
	qsort(tests, (size_t)ntests, sizeof(tests[0]), by_suite);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < ntests; i++) {
		bool wanted = argc < 2;
		for (int a = 1; a < argc; a++)
			if (!strcmp(argv[a], tests[i].suite))
				wanted = true;
		if (!wanted)
			continue;
		current_suite = tests[i].suite;
		tests[i].fn();
	}
	printf("SUMMARY: %d tests, %d failures, %d skipped\n", passed + failed + skipped, failed, skipped);
	return failed ? 1 : 0;
}
