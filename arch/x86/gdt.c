#include "arch/x86/gdt.h"
#include "lib/mem.h"

struct tss64 {
	u32 rsv0;
	u64 rsp[3];
	u64 rsv1;
	u64 ist[7];
	u64 rsv2;
	u16 rsv3;
	u16 iomap_base;
} __attribute__((packed));

static struct tss64 tss __attribute__((aligned(16)));
static u64 gdt[5] __attribute__((aligned(16)));

struct gdt_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));


void x86_gdt_install(u64 ist1_stack_top)
{
	u64 base = (u64)(uintptr_t)&tss, limit = sizeof(tss) - 1;

	mc_memset(&tss, 0, sizeof(tss));
	tss.ist[0] = ist1_stack_top;
	tss.iomap_base = sizeof(tss);

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffULL;   /* 64-bit code, DPL 0 */
	gdt[2] = 0x00cf92000000ffffULL;   /* data, DPL 0 */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;

	struct gdt_ptr p = { sizeof(gdt) - 1, (u64)(uintptr_t)gdt };
	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"mov %2, %%ax\n\t"
		"mov %%ax, %%ds\n\t"
		"mov %%ax, %%es\n\t"
		"mov %%ax, %%ss\n\t"
		"xor %%eax, %%eax\n\t"
		"mov %%ax, %%fs\n\t"
		"mov %%ax, %%gs\n\t"
		"mov %3, %%ax\n\t"
		"ltr %%ax"
		:
		: "m"(p), "i"((u64)GDT_KERNEL_CS), "i"(GDT_KERNEL_DS), "i"(GDT_TSS)
		: "rax", "memory");
}
