/* host/os_psp.c against a /dev/sev served by umockdev (Debian's umockdev,
 * the way fwupd tests its firmware plugins): a testbed holds a misc device
 * "sev", and a UMockdevIoctlBase answers SEV_ISSUE_CMD as the kernel's
 * drivers/crypto/ccp/sev-dev.c does: it reads struct sev_issue_cmd from the
 * caller, follows its data pointer and fills struct sev_user_data_status
 * (SEV_PLATFORM_STATUS) or struct sev_user_data_snp_status
 * (SNP_PLATFORM_STATUS), or fails with an errno and a firmware code. Run
 * under umockdev-wrapper (LD_PRELOAD redirects /dev/sev to the testbed);
 * with the memcrypt binary as argument, also runs `memcrypt check --json`
 * under the testbed. Prints "PASS: psp-umockdev: ..." lines; exit 1 on any
 * FAIL. */
#include "host/os_view.h"
#include <errno.h>
#include <linux/psp-sev.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <string.h>
#include <sys/ioctl.h>
#include <umockdev.h>

static int fails;

static void expect(int ok, const char *what, const char *got)
{
	printf("%s: psp-umockdev: %s%s%s%s\n", ok ? "PASS" : "FAIL", what, got ? " (" : "", got ? got : "", got ? ")" : "");
	fails += !ok;
}

/* What the fake PSP answers. */
static struct {
	int sev_errno, snp_errno;     /* 0: answer; else fail with it */
	unsigned fw_error;
	unsigned cmds;                /* SEV_ISSUE_CMDs seen */
} psp;

static gboolean on_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client, gpointer unused)
{
	if (umockdev_ioctl_client_get_request(client) != SEV_ISSUE_CMD)
		return FALSE;
	GError *err = NULL;
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	UMockdevIoctlData *cmd = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct sev_issue_cmd), &err);
	if (!cmd) {
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		g_clear_error(&err);
		return TRUE;
	}
	struct sev_issue_cmd c;
	memcpy(&c, cmd->data, sizeof(c));
	psp.cmds++;
	int e = c.cmd == SEV_PLATFORM_STATUS ? psp.sev_errno : c.cmd == SEV_GET_ID2 + 1 ? psp.snp_errno : EINVAL;
	size_t len = c.cmd == SEV_PLATFORM_STATUS ? sizeof(struct sev_user_data_status) : 32;
	UMockdevIoctlData *data = e ? NULL : umockdev_ioctl_data_resolve(cmd, 4, len, &err);   /* the data pointer */
	if (!e && !data)
		e = EFAULT;
	if (e) {
		c.error = psp.fw_error;
		memcpy(cmd->data, &c, sizeof(c));
		umockdev_ioctl_client_complete(client, -1, e);
		g_clear_error(&err);
		return TRUE;
	}
	if (c.cmd == SEV_PLATFORM_STATUS) {
		struct sev_user_data_status st = {
			.api_major = 1, .api_minor = 55, .state = 2, .flags = SEV_STATUS_FLAGS_CONFIG_ES, .build = 21,
			.guest_count = 3,
		};
		memcpy(data->data, &st, sizeof(st));
	} else {
		/* struct sev_user_data_snp_status: api 1.57, INIT, RMP initialised,
		 * build 9, 1 guest, current TCB. */
		unsigned char s[32] = { 1, 57, 1, 1, 9, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
					4, 0, 0, 0, 0, 0, 0, 0xd0 };
		memcpy(data->data, s, sizeof(s));
	}
	umockdev_ioctl_client_complete(client, 0, 0);
	return TRUE;
}

/* The whole command: `memcrypt check --json` (root "/") in a child under
 * the same testbed, so the answer travels /dev/sev -> os view -> psp.status
 * and the JSON psp member. Judged only on an AMD CPU (psp.* is AMD's). */
static void whole_command(const char *memcrypt)
{
	char *out = NULL, *errs = NULL;
	gint status = 0;
	gchar *argv[] = { (gchar *)memcrypt, "check", "--json", NULL };
	GError *err = NULL;
	if (!g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, &out, &errs, &status, &err)) {
		expect(0, "memcrypt check runs under the testbed", err->message);
		g_clear_error(&err);
		return;
	}
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (rc == 2) {
		printf("SKIP: psp-umockdev: memcrypt check: status 2 here (%.150s)\n", errs ? errs : "");
	} else if (!out || !strstr(out, "\"vendor\":\"amd\"")) {
		printf("SKIP: psp-umockdev: not an AMD CPU: memcrypt reports psp.* only on AMD\n");
	} else {
		expect(strstr(out, "\"psp\":{\"api\":\"1.55\",\"build\":21,\"state\":2,\"guests\":3}") != NULL,
		       "memcrypt check --json: the PSP's answer is JSON's psp member", NULL);
		expect(strstr(out, "\"id\":\"psp.status\",\"verdict\":\"PASS\"") != NULL,
		       "memcrypt check --json: psp.status PASS from the served status", NULL);
	}
	g_free(out);
	g_free(errs);
}

int main(int argc, char **argv)
{
	const char *pre = getenv("LD_PRELOAD");
	if (!pre || !strstr(pre, "umockdev-preload")) {
		printf("SKIP: psp-umockdev: not under umockdev-wrapper (LD_PRELOAD lacks libumockdev-preload)\n");
		return 0;
	}
	GError *err = NULL;
	UMockdevTestbed *tb = umockdev_testbed_new();
	gboolean ok = umockdev_testbed_add_from_string(tb,
		"P: /devices/virtual/misc/sev\nN: sev\nE: SUBSYSTEM=misc\nE: DEVNAME=/dev/sev\nE: MAJOR=10\nE: MINOR=124\n",
		&err);
	UMockdevIoctlBase *h = umockdev_ioctl_base_new();
	g_signal_connect(h, "handle-ioctl", G_CALLBACK(on_ioctl), NULL);
	ok = ok && umockdev_testbed_attach_ioctl(tb, "/dev/sev", h, &err);
	expect(ok, "a testbed with /dev/sev and an SEV_ISSUE_CMD handler", err ? err->message : NULL);
	if (!ok)
		return 1;

	static struct mc_os_view v;
	char got[200];
	host_psp_read("/", &v);
	snprintf(got, sizeof(got), "api %u.%u build %u state %u guests %u flags 0x%x", v.psp.api_major, v.psp.api_minor,
		 v.psp.build, v.psp.state, v.psp.guests, v.psp.flags);
	expect(v.psp_read && v.psp.api_major == 1 && v.psp.api_minor == 55 && v.psp.build == 21 && v.psp.state == 2 &&
	       v.psp.guests == 3 && v.psp.flags == 0x100, "SEV_PLATFORM_STATUS through the ioctl: API 1.55, build 21, WORKING, 3 guests, SEV-ES config", got);
	snprintf(got, sizeof(got), "api %u.%u build %u state %u rmp %u guests %u tcb 0x%llx", v.snp.api_major,
		 v.snp.api_minor, v.snp.build, v.snp.state, v.snp.rmp_init, v.snp.guests, (unsigned long long)v.snp.tcb);
	expect(v.snp_read && v.snp.api_minor == 57 && v.snp.state == 1 && v.snp.rmp_init == 1 && v.snp.build == 9 &&
	       v.snp.guests == 1 && v.snp.tcb == 0xd000000000000004ULL,
	       "SNP_PLATFORM_STATUS (SEV_GET_ID2 + 1) through the ioctl, kernel uapi layout", got);

	/* A kernel without SNP_PLATFORM_STATUS (before 6.11) answers EINVAL. */
	memset(&v, 0, sizeof(v));
	psp.snp_errno = EINVAL;
	host_psp_read("/", &v);
	expect(v.psp_read && !v.snp_read && strstr(v.snp_why, "SNP_PLATFORM_STATUS: Invalid argument"),
	       "a kernel without SNP_PLATFORM_STATUS: SEV status kept, SNP left with the reason", v.snp_why);

	/* The firmware refuses: errno and its code are the reason, no values. */
	memset(&v, 0, sizeof(v));
	psp.sev_errno = EIO;
	psp.fw_error = 0x13;
	host_psp_read("/", &v);
	expect(!v.psp_read && !v.psp.api_major && strstr(v.psp_why, "SEV_PLATFORM_STATUS: Input/output error, firmware error 0x13"),
	       "a firmware error: no status, the reason names errno and the firmware code", v.psp_why);
	memset(&v, 0, sizeof(v));
	psp.sev_errno = EPERM;
	psp.fw_error = 0;
	host_psp_read("/", &v);
	expect(!v.psp_read && strstr(v.psp_why, "Operation not permitted (run as root)"),
	       "EPERM: the reason says to run as root", v.psp_why);
	snprintf(got, sizeof(got), "%u commands", psp.cmds);
	expect(psp.cmds == 8, "each read issues SEV_PLATFORM_STATUS and SNP_PLATFORM_STATUS once", got);

	psp.sev_errno = psp.snp_errno = 0;
	if (argc > 1)
		whole_command(argv[1]);

	umockdev_testbed_detach_ioctl(tb, "/dev/sev", NULL);
	g_object_unref(h);
	g_object_unref(tb);
	return fails ? 1 : 0;
}
