/* A bump allocator over the scratch pages the UEFI stage reserved for us
 * (EfiLoaderData, so nothing else owns them after ExitBootServices). The
 * kernel never frees: a run is short and bounded. */
#include "kernel/kernel.h"
#include "lib/mem.h"

static u64 next, end;
/* Single pages given back (page-table pages the memory port's window
 * unlinks on every remap): reused before the bump pointer moves. */
static u64 free_list;

void kalloc_init(u64 base, u64 size);
void kalloc_init(u64 base, u64 size)
{
	next = (base + 4095) & ~4095ULL;
	end = base + size;
}

void *kalloc_pages(u64 count)
{
	if (count == 1 && free_list) {
		u64 *p = (u64 *)(uintptr_t)free_list;
		free_list = *p;
		mc_memset(p, 0, 4096);
		return p;
	}
	u64 bytes = count * 4096;
	if (!count || bytes / 4096 != count || next + bytes > end || next + bytes < next)
		return 0;
	void *p = (void *)(uintptr_t)next;
	next += bytes;
	mc_memset(p, 0, bytes);
	return p;
}

void kfree_page(void *page)
{
	*(u64 *)page = free_list;
	free_list = (u64)(uintptr_t)page;
}

u64 kalloc_free_bytes(void)
{
	return end - next;
}
