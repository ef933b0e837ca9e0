/* The stage-to-kernel handoff (lib/handoff.c): the kernel's first act is
 * to validate what it was given. The input is the struct's bytes (short
 * input zero-filled); when its first byte is odd, magic, version and size
 * are set right so the fuzzer spends its time on the later checks.
 * Contract (handoff.h): a handoff that validates has a memory map the
 * kernel can walk, a framebuffer inside its size, results within
 * bounds, terminated strings; mc_option_get then reads only options. */
#include "tests/fuzz/fuzz.h"
#include "lib/handoff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_handoff *h = calloc(1, sizeof(*h));
	char err[200], val[300];

	if (!h)
		abort();
	memcpy(h, data, size < sizeof(*h) ? size : sizeof(*h));
	if (size && (data[0] & 1)) {
		h->magic = MC_HANDOFF_MAGIC;
		h->version = MC_HANDOFF_VERSION;
		h->size = sizeof(*h);
	}
	memset(err, 0x55, sizeof(err));
	if (!mc_handoff_validate(h, err, sizeof(err))) {
		fuzz_check_err(err, sizeof(err));
		free(h);
		return 0;
	}
	FUZZ_CHECK(h->memmap && h->memmap_count >= 1 && h->memmap_count <= MC_MEMMAP_MAX &&
		   h->memmap_entry_size == sizeof(struct mc_mem_range), "memory map");
	if (h->fb.format != MC_FB_NONE)
		FUZZ_CHECK(h->fb.base && h->fb.stride >= h->fb.width &&
			   (unsigned __int128)h->fb.stride * h->fb.height * 4 <= h->fb.size,
			   "framebuffer %ux%u stride %u in 0x%llx bytes", h->fb.width, h->fb.height, h->fb.stride,
			   (unsigned long long)h->fb.size);
	FUZZ_CHECK(h->results.count <= MC_MAX_RESULTS, "results %u", h->results.count);
	FUZZ_CHECK(memchr(h->options, 0, sizeof(h->options)) && memchr(h->platform_name, 0, sizeof(h->platform_name)),
		   "strings");
	static const char *keys[] = { "kernel-test", "suites", "k", "" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (mc_option_get(h->options, keys[i], val, sizeof(val)))
			FUZZ_CHECK(strlen(val) < sizeof(h->options), "option value");
		if (mc_option_get(h->options, keys[i], val, 4))
			FUZZ_CHECK(strlen(val) < 4, "option value cut to its buffer");
	}
	free(h);
	return 0;
}
