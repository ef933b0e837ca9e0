/* Kernel output: COM1 (16550) and, when the stage handed over a
 * framebuffer, a text console on it (on real boxes the screen is often all
 * there is). Every report line goes to both. */
#ifndef MC_KERNEL_CONSOLE_H
#define MC_KERNEL_CONSOLE_H
#include "lib/handoff.h"

void console_init(const struct mc_handoff *h);
void console_write(const char *line);       /* one line, newline added */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
