/* 16550 UART, polled: usable before and after ExitBootServices. */
#ifndef MC_X86_SERIAL_H
#define MC_X86_SERIAL_H
#include "lib/types.h"

#define SERIAL_COM1 0x3f8

bool serial_init(u16 port);   /* false when no UART answers at port */
void serial_write(u16 port, const char *s, size_t n);
void serial_puts(u16 port, const char *s);   /* adds CR before LF */

#endif
