/* An exception frame in words, one format for the kernel (kernel/panic.c)
 * and the UEFI stage (efi/fault.c): the headline a FAIL line carries and the
 * register dump printed under it. */
#ifndef MC_X86_FRAME_DUMP_H
#define MC_X86_FRAME_DUMP_H
#include "arch/x86/cpu.h"

/* "#GP (vector 13) error=0x0 at RIP=0x..."; error=none where a vector with
 * an error code was entered by INT n (X86_ERROR_NONE). */
void x86_frame_headline(const struct x86_frame *f, char *out, size_t outlen);

/* The registers, a line at a time ("  RIP=... CS=..."), with CR0/2/3/4 read
 * now (CR2 still holds a #PF's address). */
void x86_frame_dump(const struct x86_frame *f, void (*line)(const char *text, void *arg), void *arg);

#endif
