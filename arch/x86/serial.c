#include "arch/x86/serial.h"
#include "arch/x86/cpu.h"
#include "lib/mem.h"

bool serial_init(u16 port)
{
	/* Scratch-register test: no UART, no output (a real box may lack COM1). */
	outb(port + 7, 0x5a);
	if (inb(port + 7) != 0x5a)
		return false;
	outb(port + 1, 0x00);  /* no interrupts */
	outb(port + 3, 0x80);  /* DLAB */
	outb(port + 0, 0x01);  /* 115200 baud */
	outb(port + 1, 0x00);
	outb(port + 3, 0x03);  /* 8N1 */
	outb(port + 2, 0xc7);  /* FIFO on, cleared */
	outb(port + 4, 0x03);  /* DTR, RTS */
	return true;
}

static void put_byte(u16 port, char c)
{
	/* Bounded wait for THR empty: a stuck UART must not hang the run. */
	for (int i = 0; i < 100000 && !(inb(port + 5) & 0x20); i++)
		cpu_relax();
	outb(port, (u8)c);
}

void serial_write(u16 port, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put_byte(port, s[i]);
}

void serial_puts(u16 port, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			put_byte(port, '\r');
		put_byte(port, *s);
	}
}
