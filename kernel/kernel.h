/* What every kernel suite gets: the handoff, the platform (hw, or the model
 * the UEFI stage programmed), the results, and a page allocator. */
#ifndef MC_KERNEL_H
#define MC_KERNEL_H
#include "lib/handoff.h"
#include "lib/platform.h"
#include "lib/report.h"

struct kernel_paging;

struct kernel_ctx {
	struct mc_handoff *handoff;
	struct kernel_paging *paging;   /* the identity map in use (kernel/paging_setup.h) */
	struct mc_platform plat;
	bool on_model;
	struct mc_results *res;
};

/* kernel/platform.c: attach the stage's model, or the hardware. */
bool kernel_platform_init(struct kernel_ctx *k);
/* The facts of the kernel's check run (kernel/suite_checks.c), for suites
 * that need KeyID positions, MAX_PA and the like. */
struct mc_facts;
const struct mc_facts *kernel_facts(void);

/* Pages from the scratch area the stage reserved (identity-mapped, zeroed);
 * NULL when exhausted. */
void *kalloc_pages(u64 count);
u64   kalloc_free_bytes(void);
/* Give one page from kalloc_pages(1) back for reuse. */
void  kfree_page(void *page);

/* One kernel suite: reports its own results under its prefix. */
struct kernel_suite {
	const char *name;
	void (*run)(struct kernel_ctx *k);
};
extern const struct kernel_suite kernel_suites[];
/* The TSC cycles one suite took (kernel/main.c around each run): the
 * elapsed suite lists them (kernel.suite_times). */
void suite_clock_lap(const char *name, u64 cycles);

#endif
