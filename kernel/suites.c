/* The kernel's suites, in the order they run. checks comes first: its facts
 * (kernel_facts) tell the memory-encryption suites what is active. pconfig
 * runs first of those, so the fault profiles' DEVICE_BUSY budget meets its
 * retry check; paging, encrypt and lifecycle then program their own keys; every
 * suite leaves the KeyIDs it used with TME behaviour (KEYID_CLEAR_KEY). */
#include "kernel/kernel.h"

void suite_clock_start(struct kernel_ctx *k);
void suite_boot(struct kernel_ctx *k);
void suite_checks(struct kernel_ctx *k);
void suite_percpu(struct kernel_ctx *k);
void suite_paging(struct kernel_ctx *k);
void suite_pconfig(struct kernel_ctx *k);
void suite_encrypt(struct kernel_ctx *k);
void suite_lifecycle(struct kernel_ctx *k);
void suite_sme(struct kernel_ctx *k);
void suite_clock_end(struct kernel_ctx *k);

const struct kernel_suite kernel_suites[] = {
	{ "clock", suite_clock_start },
	{ "boot", suite_boot },
	{ "checks", suite_checks },
	{ "percpu", suite_percpu },
	{ "pconfig", suite_pconfig },
	{ "paging", suite_paging },
	{ "encrypt", suite_encrypt },
	{ "lifecycle", suite_lifecycle },
	{ "sme", suite_sme },
	{ "elapsed", suite_clock_end },
	{ 0, 0 },
};
