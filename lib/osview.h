/* What the operating system says about memory encryption, beside what the
 * registers say: the Linux kernel's /proc/cpuinfo flags, its memory-
 * encryption log lines, KVM's module parameters, the PSP's platform status
 * (/dev/sev) and TSME. Gathered live by `memcrypt check` (host/), or
 * replayed from a profile's `os` lines (docs/profile-format.md), and judged
 * by lib/checks against the registers' verdicts (linux.*, kvm.*, psp.*).
 *
 * Plain, fixed-size, pointer-free data: it lives inside struct mc_profile
 * and so inside the model's state blob. */
#ifndef MC_OSVIEW_H
#define MC_OSVIEW_H
#include "lib/types.h"

/* A yes/no fact that may not be known (file absent, no permission). */
enum mc_tri { MC_TRI_UNKNOWN = 0, MC_TRI_NO = 1, MC_TRI_YES = 2 };

/* /proc/cpuinfo "flags" words memcrypt reads (Linux's spelling). */
#define MC_OS_FLAG_TME      BIT(0)   /* "tme" */
#define MC_OS_FLAG_SME      BIT(1)   /* "sme" */
#define MC_OS_FLAG_SEV      BIT(2)   /* "sev" */
#define MC_OS_FLAG_SEV_ES   BIT(3)   /* "sev_es" */
#define MC_OS_FLAG_SEV_SNP  BIT(4)   /* "sev_snp" */

#define MC_OS_KMSG_LINES    16
#define MC_OS_KMSG_LEN      160
#define MC_OS_REASON_LEN    96

/* PSP SEV_PLATFORM_STATUS (<linux/psp-sev.h> struct sev_user_data_status). */
struct mc_psp_status {
	u8  api_major, api_minor;
	u8  state;                   /* 0 UNINIT, 1 INIT, 2 WORKING */
	u8  pad;
	u32 flags;                   /* bit 0 owner, bit 8 SEV-ES configured */
	u32 build;
	u32 guests;                  /* guest_count */
};

/* PSP SNP_PLATFORM_STATUS (kernel uapi <linux/psp-sev.h> struct
 * sev_user_data_snp_status, Linux 6.11+; the SEV-SNP firmware ABI's
 * SNP_PLATFORM_STATUS). */
struct mc_psp_snp_status {
	u8  api_major, api_minor;
	u8  state;                   /* 0 UNINIT, 1 INIT */
	u8  rmp_init;                /* is_rmp_initialized */
	u32 build;                   /* build_id */
	u32 guests;                  /* guest_count */
	u32 pad;
	u64 tcb;                     /* current_tcb_version */
};

struct mc_os_view {
	bool present;                /* gathered from a Linux box (live or a capture) */

	bool cpuinfo_read;           /* /proc/cpuinfo was read */
	u32  cpuinfo_flags;          /* MC_OS_FLAG_* present on the first CPU */
	char cpuinfo_why[MC_OS_REASON_LEN];   /* why not read ("" if read) */

	bool kmsg_read;              /* the kernel log was read */
	u32  n_kmsg;                 /* memory-encryption lines kept, in log order */
	char kmsg[MC_OS_KMSG_LINES][MC_OS_KMSG_LEN];
	char kmsg_why[MC_OS_REASON_LEN];

	/* /sys/module/kvm_amd/parameters/{sev,sev_es,sev_snp},
	 * /sys/module/kvm_intel/parameters/tdx: MC_TRI_* (UNKNOWN: absent). */
	u8   kvm_sev, kvm_sev_es, kvm_sev_snp, kvm_tdx;

	/* TSME (AMD): the PSP's tsme_status in sysfs, or the ccp driver's
	 * "psp: TSME enabled" line. MC_TRI_UNKNOWN where nothing tells. */
	u8   tsme;

	bool psp_read;               /* SEV_PLATFORM_STATUS answered */
	struct mc_psp_status psp;
	char psp_why[MC_OS_REASON_LEN];

	bool snp_read;               /* SNP_PLATFORM_STATUS answered */
	struct mc_psp_snp_status snp;
	char snp_why[MC_OS_REASON_LEN];
};

#endif
