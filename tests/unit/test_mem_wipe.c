/* mc_wipe (lib/mem.c): byte stores at the unaligned ends, 64-bit stores
 * between. Every start offset 0..7 and length 0..40 is wiped exactly: each
 * byte inside is zero and each byte either side keeps its value. */
#include "tests/unit/harness.h"
#include "lib/mem.h"
#include "lib/types.h"

TEST(mem, wipe_exact_span)
{
	_Alignas(8) u8 buf[64];
	int bad_inside = 0, bad_outside = 0, cases = 0;
	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; len <= 40; len++) {
			for (size_t i = 0; i < sizeof(buf); i++)
				buf[i] = (u8)(0xA5 ^ i);
			mc_wipe(buf + 8 + off, len);
			for (size_t i = 0; i < sizeof(buf); i++) {
				bool in = i >= 8 + off && i < 8 + off + len;
				if (in && buf[i] != 0)
					bad_inside++;
				if (!in && buf[i] != (u8)(0xA5 ^ i))
					bad_outside++;
			}
			cases++;
		}
	}
	EXPECT(bad_inside == 0, "every byte of %d spans (offsets 0..7, lengths 0..40) is zero after mc_wipe (%d were not)",
	       cases, bad_inside);
	EXPECT(bad_outside == 0, "no byte next to a span changes (%d did)", bad_outside);
}
