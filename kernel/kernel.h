/* What every kernel suite gets: the handoff, the platform (hw, or the model
 * the UEFI stage programmed), the results, and a page allocator. */
#ifndef MC_KERNEL_H
#define MC_KERNEL_H
#include "lib/handoff.h"
#include "lib/platform.h"
#include "lib/report.h"

struct kernel_ctx {
	struct mc_handoff *handoff;
	struct mc_platform plat;
	bool on_model;
	struct mc_results *res;
};

/* Pages from the scratch area the stage reserved (identity-mapped, zeroed);
 * NULL when exhausted. */
void *kalloc_pages(u64 count);
u64   kalloc_free_bytes(void);

/* One kernel suite: reports its own results under its prefix. */
struct kernel_suite {
	const char *name;
	void (*run)(struct kernel_ctx *k);
};
extern const struct kernel_suite kernel_suites[];

#endif
