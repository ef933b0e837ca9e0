/* Paths under the root the Linux front-end reads (`--root DIR`, default
 * "/"): every file memcrypt reads on Linux is named as Linux names it
 * ("/proc/cpuinfo", "/dev/cpu/0/msr") and prefixed with the root, so a
 * tree built by the tests, or a container's view of its host, reads like
 * the machine itself (docs/report-format.md, "--root"). */
#ifndef MC_HOST_ROOT_PATH_H
#define MC_HOST_ROOT_PATH_H
#include <stdbool.h>
#include <stddef.h>

/* The root as given, or "/" for NULL / "". */
const char *host_root(const char *root);
/* Is this the running system's own root ("/")? */
bool host_root_is_system(const char *root);
/* buf = root + the Linux path printf'd from fmt. 0, or -1 if it does not
 * fit (buf then holds a cut path, never used). */
int host_root_path(char *buf, size_t size, const char *root, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
