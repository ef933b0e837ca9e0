/* The PSP's platform status through Linux's /dev/sev (drivers/crypto/ccp/
 * sev-dev.c sev_ioctl): ioctl SEV_ISSUE_CMD with SEV_PLATFORM_STATUS
 * (struct sev_user_data_status, <linux/psp-sev.h>) and, where the kernel
 * has it (6.11+), SNP_PLATFORM_STATUS. Debian 12's header predates the
 * latter: its command number and structure are declared here from the
 * kernel's include/uapi/linux/psp-sev.h (the enum value after SEV_GET_ID2).
 * A kernel without it answers an error, which is only a reason. */
#include "host/os_view.h"
#include "host/root_path.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/psp-sev.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MC_SNP_PLATFORM_STATUS (SEV_GET_ID2 + 1)

struct mc_uapi_snp_status {       /* struct sev_user_data_snp_status */
	__u8  api_major, api_minor, state;
	__u8  rmp_init_rsvd;          /* bit 0 is_rmp_initialized */
	__u32 build_id;
	__u32 feature_bits;           /* mask_chip_id, mask_chip_key, vlek_en, ... */
	__u32 guest_count;
	__u64 current_tcb_version;
	__u64 reported_tcb_version;
} __attribute__((packed));

_Static_assert(sizeof(struct mc_uapi_snp_status) == 32, "SNP_PLATFORM_STATUS layout (uapi psp-sev.h)");
_Static_assert(sizeof(struct sev_user_data_status) == 12, "SEV_PLATFORM_STATUS layout (uapi psp-sev.h)");

/* One command; 0, or -1 with why filled (errno and the firmware's code). */
static int issue(int fd, __u32 cmd, void *data, const char *name, char *why)
{
	struct sev_issue_cmd arg = { .cmd = cmd, .data = (__u64)(uintptr_t)data, .error = 0 };
	int rc;
	do
		rc = ioctl(fd, SEV_ISSUE_CMD, &arg);
	while (rc < 0 && errno == EINTR);
	if (rc >= 0)
		return 0;
	int e = errno;
	const char *hint = e == ENOTTY ? " (not the PSP's device)"
			 : e == EPERM || e == EACCES ? " (run as root)" : "";
	if (arg.error)
		snprintf(why, MC_OS_REASON_LEN, "%s: %s, firmware error 0x%x%s", name, strerror(e), arg.error, hint);
	else
		snprintf(why, MC_OS_REASON_LEN, "%s: %s%s", name, strerror(e), hint);
	return -1;
}

void host_psp_read(const char *root, struct mc_os_view *v)
{
	char path[640];
	int fd = -1;
	if (!host_root_path(path, sizeof(path), root, "/dev/sev"))
		fd = open(path, O_RDONLY | O_CLOEXEC);   /* PLATFORM_STATUS needs no write access */
	if (fd < 0) {
		int e = errno;
		if (e == ENOENT)
			snprintf(v->psp_why, MC_OS_REASON_LEN, "/dev/sev: absent (no PSP with SEV firmware, or ccp not loaded)");
		else
			snprintf(v->psp_why, MC_OS_REASON_LEN, "/dev/sev: %s%s", strerror(e),
				 e == EACCES || e == EPERM ? " (run as root)" : "");
		snprintf(v->snp_why, MC_OS_REASON_LEN, "%s", v->psp_why);
		return;
	}
	struct sev_user_data_status st;
	memset(&st, 0, sizeof(st));
	if (!issue(fd, SEV_PLATFORM_STATUS, &st, "SEV_PLATFORM_STATUS", v->psp_why)) {
		v->psp_read = true;
		v->psp = (struct mc_psp_status){
			.api_major = st.api_major, .api_minor = st.api_minor, .state = st.state,
			.flags = st.flags, .build = st.build, .guests = st.guest_count,
		};
	}
	struct mc_uapi_snp_status sn;
	memset(&sn, 0, sizeof(sn));
	if (!issue(fd, MC_SNP_PLATFORM_STATUS, &sn, "SNP_PLATFORM_STATUS", v->snp_why)) {
		v->snp_read = true;
		v->snp = (struct mc_psp_snp_status){
			.api_major = sn.api_major, .api_minor = sn.api_minor, .state = sn.state,
			.rmp_init = sn.rmp_init_rsvd & 1, .build = sn.build_id, .guests = sn.guest_count,
			.tcb = sn.current_tcb_version,
		};
	}
	close(fd);
}
