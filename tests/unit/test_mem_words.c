/* mc_wipe, mc_memset and mc_memcpy (lib/mem.c): byte moves at the
 * unaligned ends, 64-bit words between. Every destination offset 0..7,
 * source offset 0..7 (mc_memcpy) and length 0..40 writes exactly its span:
 * each byte inside holds zero, the fill byte or the source byte, each byte
 * either side keeps its value; mc_memset and mc_memcpy return the
 * destination. */
#include "tests/unit/harness.h"
#include "lib/mem.h"
#include "lib/types.h"

#define SPAN_BUF 64
#define SPAN_AT 8   /* spans start at SPAN_AT + offset: bytes before them too */

static u8 before(size_t i)
{
	return (u8)(0xA5 ^ i);
}

static void fill_before(u8 buf[SPAN_BUF])
{
	for (size_t i = 0; i < SPAN_BUF; i++)
		buf[i] = before(i);
}

/* Counts the bytes of buf[start, start + len) that differ from want[] and
 * the bytes outside it that no longer hold before(i). */
static void check_span(const u8 buf[SPAN_BUF], size_t start, size_t len, const u8 *want, int *bad_inside,
		       int *bad_outside)
{
	for (size_t i = 0; i < SPAN_BUF; i++) {
		bool in = i >= start && i < start + len;
		if (in && buf[i] != want[i - start])
			(*bad_inside)++;
		if (!in && buf[i] != before(i))
			(*bad_outside)++;
	}
}

TEST(mem, wipe_exact_span)
{
	_Alignas(8) u8 buf[SPAN_BUF];
	static const u8 zeros[SPAN_BUF];
	int bad_inside = 0, bad_outside = 0, cases = 0;
	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; len <= 40; len++, cases++) {
			fill_before(buf);
			mc_wipe(buf + SPAN_AT + off, len);
			check_span(buf, SPAN_AT + off, len, zeros, &bad_inside, &bad_outside);
		}
	}
	EXPECT(bad_inside == 0, "every byte of %d spans (offsets 0..7, lengths 0..40) is zero after mc_wipe (%d were not)",
	       cases, bad_inside);
	EXPECT(bad_outside == 0, "no byte next to a span changes (%d did)", bad_outside);
}

TEST(mem, memset_exact_span)
{
	_Alignas(8) u8 buf[SPAN_BUF];
	u8 fill[SPAN_BUF];
	int bad_inside = 0, bad_outside = 0, bad_ret = 0, cases = 0;
	for (size_t i = 0; i < SPAN_BUF; i++)
		fill[i] = 0xC3;
	for (size_t off = 0; off < 8; off++) {
		for (size_t len = 0; len <= 40; len++, cases++) {
			fill_before(buf);
			/* 0x1C3: only its low byte, 0xC3, is the fill (as memset) */
			if (mc_memset(buf + SPAN_AT + off, 0x1C3, len) != buf + SPAN_AT + off)
				bad_ret++;
			check_span(buf, SPAN_AT + off, len, fill, &bad_inside, &bad_outside);
		}
	}
	EXPECT(bad_inside == 0, "every byte of %d spans (offsets 0..7, lengths 0..40) holds the fill's low byte 0xC3 after mc_memset (%d did not)",
	       cases, bad_inside);
	EXPECT(bad_outside == 0, "no byte next to a span changes (%d did)", bad_outside);
	EXPECT(bad_ret == 0, "mc_memset returns its destination (%d calls did not)", bad_ret);
}

TEST(mem, memcpy_exact_span)
{
	_Alignas(8) u8 buf[SPAN_BUF], src[SPAN_BUF];
	int bad_inside = 0, bad_outside = 0, bad_ret = 0, cases = 0;
	for (size_t i = 0; i < SPAN_BUF; i++)
		src[i] = (u8)(i * 37 + 11);
	for (size_t off = 0; off < 8; off++) {
		for (size_t soff = 0; soff < 8; soff++) {
			for (size_t len = 0; len <= 40; len++, cases++) {
				fill_before(buf);
				if (mc_memcpy(buf + SPAN_AT + off, src + SPAN_AT + soff, len) != buf + SPAN_AT + off)
					bad_ret++;
				check_span(buf, SPAN_AT + off, len, src + SPAN_AT + soff, &bad_inside, &bad_outside);
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
