/* What Linux says about memory encryption (lib/osview.h), gathered under a
 * root (host/root_path.h): os_view.c reads /proc/cpuinfo, the kernel log
 * (/dev/kmsg), KVM's module parameters and TSME; os_psp.c asks the PSP
 * through /dev/sev; os_profile.c writes the view as a profile's `os` lines.
 * Whatever cannot be read leaves its reason in the view (the judgments
 * then SKIP with it), never a made-up value. */
#ifndef MC_HOST_OS_VIEW_H
#define MC_HOST_OS_VIEW_H
#include "lib/osview.h"
#include <stdio.h>

/* Fills v (cleared first, present = true) from the files under root. */
void host_os_view_read(const char *root, struct mc_os_view *v);
/* The PSP part: SEV_PLATFORM_STATUS and SNP_PLATFORM_STATUS. */
void host_psp_read(const char *root, struct mc_os_view *v);
/* Is this kernel-log text a memory-encryption line memcrypt keeps? */
bool host_kmsg_relevant(const char *text);
/* The view as `os` lines (docs/profile-format.md), parsed back to v. */
void host_os_view_write(FILE *out, const struct mc_os_view *v);

#endif
