/* Helpers shared by the model's unit tests (tests/unit/test_model*.c):
 * boot a model from profile text, and short wrappers for its operations. */
#ifndef MC_TEST_MODEL_UTIL_H
#define MC_TEST_MODEL_UTIL_H
#include "lib/model/model.h"
#include "arch/x86/msr-index.h"

/* Ice Lake-SP as in profiles/icelake-sp.prof, without the 982H-9FFH lines
 * (so a test can add its own reset values): MAXPHYADDR 46, 6 KeyID bits,
 * 63 keys, AES-XTS-128/256, bypass supported, 4 CPUs. */
extern const char tm_icelake[];
/* The same with 2 packages of 2 CPUs. */
extern const char tm_icelake_2pkg[];

struct tm {
	void *state;
	size_t size;
	struct mc_platform p;
};

/* Profile text = base + extra; false (and a printed reason) on error. */
bool tm_boot(struct tm *m, const char *base, const char *extra, u64 seed);
void tm_free(struct tm *m);

int  tm_rd(struct tm *m, int cpu, u32 msr, u64 *v);
int  tm_wr(struct tm *m, int cpu, u32 msr, u64 v);

/* ACTIVATE with enable, KeyID bits 6, AES-XTS-128 + 256 for MKTME. */
#define TM_ACTIVATE_MKTME 0x0005000600000003ULL

/* PCONFIG with a struct at a 256-byte boundary + misalign. */
struct tm_pc {
	u16 keyid;
	u32 ctrl;                  /* raw KEYID_CTRL */
	u8 key1[64], key2[64];
	u8 rsvd_byte;              /* value for RSVD[0] */
	u32 misalign;
	u32 leaf;
	int cpu;
};
int  tm_pconfig(struct tm *m, const struct tm_pc *pc, u64 *rax, bool *zf);
/* DIRECT AES-XTS-128 key with data key bytes k1.. and tweak key k2.. */
void tm_pc_direct(struct tm_pc *pc, u16 keyid, u8 k1, u8 k2);

#endif
