#include "arch/x86/gdt.h"
#include "lib/mem.h"

_Static_assert(sizeof(struct x86_tss64) == 104, "64-bit TSS is 104 bytes (SDM vol. 3 7.7)");

static struct x86_gdt boot_gdt;

struct gdt_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));


void x86_gdt_install(u64 ist1_stack_top)
{
	x86_gdt_install_on(&boot_gdt, ist1_stack_top);
}

void x86_gdt_install_on(struct x86_gdt *g, u64 ist1_stack_top)
{
	struct x86_tss64 *tss = &g->tss;
	u64 *gdt = g->gdt;
	u64 base = (u64)(uintptr_t)tss, limit = sizeof(*tss) - 1;

	mc_memset(tss, 0, sizeof(*tss));
	tss->ist[0] = ist1_stack_top;
	tss->iomap_base = sizeof(*tss);

	gdt[0] = 0;
	gdt[1] = 0x00af9a000000ffffULL;   /* 64-bit code, DPL 0 */
	gdt[2] = 0x00cf92000000ffffULL;   /* data, DPL 0 */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
	gdt[GDT_NOT_PRESENT / 8] = 0x00cf12000000ffffULL;   /* data, DPL 0, P=0 */

	struct gdt_ptr p = { sizeof(g->gdt) - 1, (u64)(uintptr_t)gdt };
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
