/* How a run ends. On QEMU (a hypervisor is present and the mode is auto),
 * isa-debug-exit at port 0xf4 turns the status into QEMU's exit status
 * (value v exits with (v << 1) | 1): 1 all pass, 3 failures, 5 crash; then,
 * or on hardware, a visible pause and ResetSystem, or a halt by option. */
#ifndef MC_KERNEL_EXIT_H
#define MC_KERNEL_EXIT_H
#include "lib/handoff.h"

enum kernel_status { KERNEL_PASS = 0, KERNEL_FAIL = 1, KERNEL_CRASH = 2 };

#define QEMU_DEBUG_EXIT_PORT 0xf4

void kernel_exit_init(const struct mc_handoff *h);
/* Whether the run will end with a platform reset (what the last-run record
 * tells the next UEFI stage, for its reboot-loop rule). */
bool kernel_exit_resets(void);
__attribute__((noreturn)) void kernel_exit(enum kernel_status status);

#endif
