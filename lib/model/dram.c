/* The simulated DRAM's storage: flat, or sparse above
 * MC_MODEL_FLAT_DRAM_MAX (the rule is in state.h). Only the engine calls
 * this; it sees whole pages, and a 64-byte line never crosses one. */
#include "lib/model/state.h"

static u32 ix_hash(u64 page)
{
	/* Fibonacci hashing: the top bits of page * 2^64/phi. Pages the
	 * suites touch are a few runs of neighbours per package slice. */
	return (u32)((page * 0x9e3779b97f4a7c15ULL) >> (64 - MC_MODEL_SPARSE_SHIFT));
}

u8 *st_dram_page(struct mc_model_state *s, u64 dpa, bool alloc)
{
	u64 page = dpa / MC_MODEL_PAGE;

	if (!s->sparse)
		return st_dram(s) + page * MC_MODEL_PAGE;
	struct mc_model_dram_ix *ix = st_dram_index(s);
	for (u32 i = ix_hash(page), n = 0; n < MC_MODEL_SPARSE_INDEX; n++, i = (i + 1) % MC_MODEL_SPARSE_INDEX) {
		if (ix[i].page_plus1 == page + 1)
			return st_dram(s) + (u64)ix[i].slot * MC_MODEL_PAGE;
		if (ix[i].page_plus1)
			continue;
		/* An empty entry ends the probe: the page was never written. */
		if (!alloc || s->pages_used >= MC_MODEL_SPARSE_PAGES)
			return NULL;
		ix[i].page_plus1 = page + 1;
		ix[i].slot = s->pages_used++;
		return st_dram(s) + (u64)ix[i].slot * MC_MODEL_PAGE;   /* zero since init */
	}
	return NULL;   /* not reached: the index is never more than half full */
}
