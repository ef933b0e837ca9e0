#include "lib/platform.h"

const char *mc_fault_name(int fault)
{
	switch (fault) {
	case 0:              return "ok";
	case X86_TRAP_UD:    return "#UD";
	case X86_TRAP_GP:    return "#GP";
	case X86_TRAP_PF:    return "#PF";
	case MC_PLAT_ENOSYS: return "unavailable";
	case MC_PLAT_EINVAL: return "invalid argument";
	default:             return "fault";
	}
}
