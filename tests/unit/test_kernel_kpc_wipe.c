/* kernel/ksuite.c kpc_program: the MKTME_KEY_PROGRAM struct carries the
 * key into PCONFIG (it must be there during every call, on every package
 * and every DEVICE_BUSY retry) and is wiped after, on success and on every
 * early stop (issue 13, key hygiene). The kernel's own file is compiled
 * here against a fake platform; the four kernel services it needs are
 * stubbed below, so nothing in the kernel changes for the test. */
#include "tests/unit/harness.h"
#include "kernel/ksuite.c"
#include <string.h>

/* ---- stubs for what ksuite.c takes from the rest of the kernel ---------- */
static u8 kpc_test_page[4096] __attribute__((aligned(4096)));
void *kalloc_pages(u64 count) { return count == 1 ? kpc_test_page : NULL; }
const struct mc_facts *kernel_facts(void) { return NULL; }
u32 hw_mem_raw_keyid(const struct mc_facts *f) { return 0; }
u64 x86_simd_enable(void) { return 0; }

/* ---- a fake platform: 4 CPUs in 2 packages, scripted PCONFIG answers ---- */
struct fake {
	int calls, with_key, busy_first, fault_on_pkg;
	const u8 *k1, *k2;
	size_t half;
};
static struct fake fk;

/* The CPU the fake on_cpu "runs" fn on: what the executing CPU reports. */
static int fake_current;
int smp_this_cpu(void) { return fake_current; }
bool smp_cpu_up(int cpu) { return true; }
void *kmodel_state(void) { return NULL; }
static int fake_package_of(void *ctx, int cpu) { return (cpu == MC_CPU_CURRENT ? fake_current : cpu) / 2; }
static int fake_cpu_count(void *ctx) { return 4; }
static int fake_on_cpu(void *ctx, int cpu, void (*fn)(void *), void *arg)
{
	int was = fake_current;
	fake_current = cpu;
	fn(arg);
	fake_current = was;
	return 0;
}

static int fake_pconfig(void *ctx, int cpu, u32 leaf, const void *s, u64 *rax, bool *zf)
{
	const struct mktme_key_program *p = s;
	int pkg = fake_package_of(ctx, cpu);   /* MC_CPU_CURRENT: where on_cpu put us */
	fk.calls++;
	if (fk.k1 && !memcmp(p->key_field_1, fk.k1, fk.half) && !memcmp(p->key_field_2, fk.k2, fk.half))
		fk.with_key++;
	if (pkg == fk.fault_on_pkg)
		return X86_TRAP_GP;
	*zf = false;
	*rax = fk.busy_first-- > 0 ? MKTME_DEVICE_BUSY : MKTME_PROG_SUCCESS;
	return 0;
}

static void run(struct kpc_result *r, u32 cmd, int busy, int fault_pkg)
{
	static struct mc_platform plat;
	static struct mc_facts f;
	static struct kmk m;
	static struct kernel_ctx k;   /* hardware path: packages counted from the executing CPU */
	static const u8 k1[32] = { 0xc3, 0xa1, 0xf0, 0x0d, 0xba, 0xbe, 0x5e, 0xed, 1, 2, 3, 4, 5, 6, 7, 8,
				   9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24 };
	static const u8 k2[32] = { 0x9e, 0x37, 0x79, 0xb9, 0x7f, 0x4a, 0x7c, 0x15, 0xf3, 0x9c, 0xc0, 0x60, 0x5c,
				   0xed, 0xc8, 0x34, 99, 98, 97, 96, 95, 94, 93, 92, 91, 90, 89, 88, 87, 86, 85, 84 };

	memset(&fk, 0, sizeof(fk));
	fk.k1 = k1, fk.k2 = k2, fk.half = 32, fk.busy_first = busy, fk.fault_on_pkg = fault_pkg;
	plat.package_of = fake_package_of;
	plat.cpu_count = fake_cpu_count;
	plat.on_cpu = fake_on_cpu;
	plat.pconfig = fake_pconfig;
	f.cpus = 4;
	f.packages = 2;
	k.on_model = false;
	m.k = &k;
	m.p = &plat;
	m.f = &f;
	memset(kpc_test_page, 0x5a, sizeof(kpc_test_page));   /* so "zero" cannot be the page's first state */
	kpc_program(&m, 5, cmd, MKTME_AES_XTS_256, k1, k2, r);
}

TEST(kernel_pconfig, kpc_program_wipes_the_struct)
{
	struct kpc_result r;

	run(&r, MKTME_KEYID_SET_KEY_DIRECT, 0, -1);
	EXPECT(kpc_ok(&r) && r.packages == 2 && fk.calls == 2 && fk.with_key == 2,
	       "DIRECT on 2 packages: each PCONFIG saw both 32-byte key halves (calls %d, with the key %d)",
	       fk.calls, fk.with_key);
	EXPECT(ksuite_all_zero(kpc_test_page, sizeof(struct mktme_key_program)),
	       "after success the struct's 192 bytes in the PCONFIG page are zero (key wiped)");

	run(&r, MKTME_KEYID_SET_KEY_DIRECT, 3, -1);
	EXPECT(kpc_ok(&r) && r.busy == 3 && fk.calls == 5 && fk.with_key == 5,
	       "3 DEVICE_BUSY retries: the struct is rebuilt with the key for each (calls %d, with the key %d)",
	       fk.calls, fk.with_key);
	EXPECT(ksuite_all_zero(kpc_test_page, sizeof(struct mktme_key_program)), "and wiped after the retries");

	run(&r, MKTME_KEYID_SET_KEY_RANDOM, 0, 1);
	EXPECT(!kpc_ok(&r) && r.fault == X86_TRAP_GP && r.packages == 1,
	       "a #GP on package 1 stops the loop (fault %d, packages %u)", r.fault, r.packages);
	EXPECT(ksuite_all_zero(kpc_test_page, sizeof(struct mktme_key_program)),
	       "the struct (RANDOM entropy fields) is wiped on that early stop too");

	run(&r, MKTME_KEYID_SET_KEY_DIRECT, KPC_BUSY_TRIES + 2, -1);
	EXPECT(!kpc_ok(&r) && r.status == MKTME_DEVICE_BUSY && r.busy == KPC_BUSY_TRIES,
	       "DEVICE_BUSY beyond %d tries gives up (busy %u)", KPC_BUSY_TRIES, r.busy);
	EXPECT(ksuite_all_zero(kpc_test_page, sizeof(struct mktme_key_program)), "and the struct is wiped when it gives up");
}
