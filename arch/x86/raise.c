/* What each natural raiser of arch/x86/raise_insn.asm does, in words for the
 * reports (SDM vol. 3 Table 6-1 names the vectors). */
#include "arch/x86/raise.h"
#include "arch/x86/idt.h"
#include "lib/fmt.h"

const char *x86_raise_cause(int vector)
{
	switch (vector) {
	case 0: return "DIV by zero";
	case 1: return "single-step (RFLAGS.TF) over a NOP";
	case 3: return "INT3";
	case 6: return "UD2";
	case 7: return "an SSE instruction with CR0.TS set";
	case 11: return "loading DS with a not-present descriptor (selector 0x28)";
	case 12: return "loading SS with a not-present descriptor (selector 0x28)";
	case 13: return "a non-canonical address";
	case 14: return "a read of the unmapped page 0xfffffffffffff000";
	case 16: return "an unmasked x87 zero-divide, reported at FWAIT (CR0.NE set)";
	case 19: return "an unmasked SSE zero-divide (CR4.OSXMMEXCPT set)";
	default: return 0;
	}
}

bool x86_raise_natural_needs_own_machine(int vector)
{
	return vector == 7 || vector == 11 || vector == 12 || vector == 16 || vector == 19;
}

void x86_raise_call(u64 entry)
{
	((void (*)(void))(uintptr_t)entry)();
}

void x86_raise_vector(int v, bool natural, void (*say)(const char *text, void *arg), void *arg)
{
	const struct x86_raiser *r = &x86_raise_table[v];
	const char *name = x86_vector_name((u64)v);
	char b[160];
	if (natural && r->natural) {
		mc_snprintf(b, sizeof(b), "raising %s by %s, expected RIP=0x%llx", name, x86_raise_cause(v),
			    (unsigned long long)r->natural_at);
		say(b, arg);
		x86_raise_call(r->natural);
		mc_snprintf(b, sizeof(b), "%s did not raise %s on this CPU", x86_raise_cause(v), name);
		say(b, arg);
	}
	mc_snprintf(b, sizeof(b), "raising %s by INT %d, expected RIP=0x%llx", name, v, (unsigned long long)r->int_at);
	say(b, arg);
	x86_raise_call(r->by_int);
}
