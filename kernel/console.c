#include "kernel/console.h"
#include "kernel/smp.h"
#include "arch/x86/serial.h"
#include "lib/report.h"
#include "lib/mem.h"

extern const u8 console_font8x16[256][16];

static u16 serial_port;
static struct mc_framebuffer fb;
static u32 cols, rows, cur_row;

#define FG 0x00d0d0d0u
#define BG 0x00000000u

static void fb_glyph(u32 col, u32 row, u8 c)
{
	volatile u32 *base = (volatile u32 *)(uintptr_t)fb.base;
	for (u32 y = 0; y < 16; y++) {
		u8 bits = console_font8x16[c][y];
		volatile u32 *px = base + (u64)(row * 16 + y) * fb.stride + col * 8;
		for (u32 x = 0; x < 8; x++)
			px[x] = (bits & (0x80 >> x)) ? FG : BG;
	}
}

static void fb_clear_rows(u32 from, u32 count)
{
	volatile u32 *base = (volatile u32 *)(uintptr_t)fb.base;
	for (u64 i = (u64)from * 16 * fb.stride; i < (u64)(from + count) * 16 * fb.stride; i++)
		base[i] = BG;
}

/* Scroll by half a screen at a time: one large move instead of one per line
 * keeps the console cheap under emulation. */
static void fb_scroll(void)
{
	u32 keep = rows / 2;
	u8 *base = (u8 *)(uintptr_t)fb.base;
	u64 row_bytes = (u64)16 * fb.stride * 4;
	mc_memmove(base, base + (rows - keep) * row_bytes, keep * row_bytes);
	fb_clear_rows(keep, rows - keep);
	cur_row = keep;
}

static void fb_line(const char *s)
{
	size_t n = mc_strlen(s);
	do {
		if (cur_row >= rows)
			fb_scroll();
		for (u32 c = 0; c < cols; c++)
			fb_glyph(c, cur_row, c < n ? (u8)s[c] : ' ');
		cur_row++;
		s += n < cols ? n : cols;
		n -= n < cols ? n : cols;
	} while (n);
}

void console_init(const struct mc_handoff *h)
{
	serial_port = h->serial_port;
	if (serial_port && !serial_init(serial_port))
		serial_port = 0;
	if (h->fb.format == MC_FB_RGBX || h->fb.format == MC_FB_BGRX) {
		fb = h->fb;
		cols = fb.width / 8;
		rows = fb.height / 16;
		cur_row = 0;
		fb_clear_rows(0, rows);
	}
}

/* One line at a time from any CPU; a holder that died (a fault while
 * printing) costs a bounded wait, never a hang. */
static kspin_t lock;

void console_write(const char *line)
{
	bool got = false;
	for (u32 spin = 0; spin < 50000000u && !(got = kspin_trylock(&lock)); spin++)
		__asm__ __volatile__("pause");
	if (serial_port) {
		serial_puts(serial_port, line);
		serial_puts(serial_port, "\n");
	}
	if (rows)
		fb_line(line);
	if (got)
		kspin_unlock(&lock);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	mc_line_vprintf(console_write, fmt, ap);
	va_end(ap);
}
