/* mc_memset and mc_memcpy (lib/mem.c): byte moves at the unaligned ends,
 * 64-bit words between. Every destination offset 0..7, source offset 0..7
 * (mc_memcpy) and length 0..40 writes exactly its span: each byte inside
 * holds the fill byte or the source byte, each byte either side keeps its
 * value; the return value is the destination. */
#include "tests/unit/harness.h"
#include "lib/mem.h"
#include "lib/types.h"

static u8 before(size_t i)
{
	return (u8)(0xA5 ^ i);
}

TEST(mem, memset_exact_span)
{
	_Alignas(8) u8 buf[64];
	int bad_inside = 0, bad_outside = 0, bad_ret = 0, cases = 0;
	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; len <= 40; len++) {
			for (size_t i = 0; i < sizeof(buf); i++)
				buf[i] = before(i);
			/* 0x1C3: only its low byte, 0xC3, is the fill (as memset) */
			if (mc_memset(buf + 8 + off, 0x1C3, len) != buf + 8 + off)
				bad_ret++;
			for (size_t i = 0; i < sizeof(buf); i++) {
				bool in = i >= 8 + off && i < 8 + off + len;
				if (in && buf[i] != 0xC3)
					bad_inside++;
				if (!in && buf[i] != before(i))
					bad_outside++;
			}
			cases++;
		}
	}
	EXPECT(bad_inside == 0, "every byte of %d spans (offsets 0..7, lengths 0..40) holds the fill's low byte 0xC3 after mc_memset (%d did not)",
	       cases, bad_inside);
	EXPECT(bad_outside == 0, "no byte next to a span changes (%d did)", bad_outside);
	EXPECT(bad_ret == 0, "mc_memset returns its destination (%d calls did not)", bad_ret);
}

TEST(mem, memcpy_exact_span)
{
	_Alignas(8) u8 buf[64], src[64];
	int bad_inside = 0, bad_outside = 0, bad_ret = 0, cases = 0;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (u8)(i * 37 + 11);
	for (size_t off = 0; off < 8; off++) {
		for (size_t soff = 0; soff < 8; soff++) {
			for (size_t len = 0; len <= 40; len++) {
				for (size_t i = 0; i < sizeof(buf); i++)
					buf[i] = before(i);
				if (mc_memcpy(buf + 8 + off, src + 8 + soff, len) != buf + 8 + off)
					bad_ret++;
				for (size_t i = 0; i < sizeof(buf); i++) {
					bool in = i >= 8 + off && i < 8 + off + len;
					if (in && buf[i] != src[i - off + soff])
						bad_inside++;
					if (!in && buf[i] != before(i))
						bad_outside++;
				}
				cases++;
			}
		}
	}
	EXPECT(bad_inside == 0, "every byte of %d copies (destination and source offsets 0..7, lengths 0..40) equals its source byte (%d did not)",
	       cases, bad_inside);
	EXPECT(bad_outside == 0, "no byte next to a copy changes (%d did)", bad_outside);
	EXPECT(bad_ret == 0, "mc_memcpy returns its destination (%d calls did not)", bad_ret);
}

TEST(mem, memcpy_onto_itself)
{
	_Alignas(8) u8 buf[48], want[48];
	for (size_t i = 0; i < sizeof(buf); i++)
		want[i] = buf[i] = (u8)(i * 13 + 5);
	mc_memcpy(buf + 3, buf + 3, 40);
	EXPECT(mc_memcmp(buf, want, sizeof(buf)) == 0, "mc_memcpy with source = destination (40 bytes at offset 3) leaves them unchanged");
}
