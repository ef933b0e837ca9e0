/* The host unit-test harness: every EXPECT is one reported property, in the
 * lab-report style "PASS: suite: what was shown". Register a test with
 *   TEST(xts, ieee1619_vectors) { EXPECT(ok, "vector %d encrypts", n); }
 * Tests are collected by constructors, so a new tests/unit/test_*.c file needs
 * no edit anywhere else. Run one suite: build/host/unit-tests SUITE... */
#ifndef MC_UNIT_HARNESS_H
#define MC_UNIT_HARNESS_H
#include <stdbool.h>
#include <stdio.h>

typedef void (*unit_fn)(void);
void unit_register(const char *suite, const char *name, unit_fn fn);
bool unit_expect(bool cond, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void unit_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Name of the suite now running (for messages built by helpers). */
const char *unit_suite(void);

#define TEST(suite, name)                                                     \
	static void unit_test_##suite##_##name(void);                         \
	__attribute__((constructor)) static void unit_reg_##suite##_##name(void) \
	{ unit_register(#suite, #name, unit_test_##suite##_##name); }         \
	static void unit_test_##suite##_##name(void)

#define EXPECT(cond, ...) unit_expect((cond), __FILE__, __LINE__, __VA_ARGS__)
#define SKIP(...) unit_skip(__VA_ARGS__)

#endif
