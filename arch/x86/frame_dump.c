#include "arch/x86/frame_dump.h"
#include "arch/x86/idt.h"
#include "lib/fmt.h"

typedef unsigned long long ull;

void x86_frame_headline(const struct x86_frame *f, char *out, size_t outlen)
{
	char err[40];
	if (f->error == X86_ERROR_NONE)
		mc_snprintf(err, sizeof(err), "none (raised by INT %llu)", (ull)f->vector);
	else
		mc_snprintf(err, sizeof(err), "0x%llx", (ull)f->error);
	mc_snprintf(out, outlen, "%s (vector %llu) error=%s at RIP=0x%llx", x86_vector_name(f->vector),
		    (ull)f->vector, err, (ull)f->rip);
}

void x86_frame_dump(const struct x86_frame *f, void (*line)(const char *text, void *arg), void *arg)
{
	char b[120];
	mc_snprintf(b, sizeof(b), "  RIP=0x%016llx CS=0x%llx RFLAGS=0x%016llx RSP=0x%016llx SS=0x%llx",
		    (ull)f->rip, (ull)f->cs, (ull)f->rflags, (ull)f->rsp, (ull)f->ss);
	line(b, arg);
	mc_snprintf(b, sizeof(b), "  CR2=0x%016llx CR3=0x%016llx CR0=0x%016llx CR4=0x%016llx",
		    (ull)read_cr2(), (ull)read_cr3(), (ull)read_cr0(), (ull)read_cr4());
	line(b, arg);
	mc_snprintf(b, sizeof(b), "  RAX=0x%016llx RBX=0x%016llx RCX=0x%016llx RDX=0x%016llx",
		    (ull)f->rax, (ull)f->rbx, (ull)f->rcx, (ull)f->rdx);
	line(b, arg);
	mc_snprintf(b, sizeof(b), "  RSI=0x%016llx RDI=0x%016llx RBP=0x%016llx R8 =0x%016llx",
		    (ull)f->rsi, (ull)f->rdi, (ull)f->rbp, (ull)f->r8);
	line(b, arg);
	mc_snprintf(b, sizeof(b), "  R9 =0x%016llx R10=0x%016llx R11=0x%016llx R12=0x%016llx",
		    (ull)f->r9, (ull)f->r10, (ull)f->r11, (ull)f->r12);
	line(b, arg);
	mc_snprintf(b, sizeof(b), "  R13=0x%016llx R14=0x%016llx R15=0x%016llx",
		    (ull)f->r13, (ull)f->r14, (ull)f->r15);
	line(b, arg);
}
