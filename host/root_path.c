#include "host/root_path.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *host_root(const char *root)
{
	return root && root[0] ? root : "/";
}

bool host_root_is_system(const char *root)
{
	const char *r = host_root(root);
	return r[strspn(r, "/")] == 0;   /* "/", "//": the running system */
}

int host_root_path(char *buf, size_t size, const char *root, const char *fmt, ...)
{
	const char *r = host_root(root);
	size_t rl = strlen(r);
	while (rl && r[rl - 1] == '/')   /* "/" and "DIR/" add no second slash */
		rl--;
	int n = snprintf(buf, size, "%.*s", (int)rl, r);
	if (n < 0 || (size_t)n >= size)
		return -1;
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(buf + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	return m < 0 || (size_t)m >= size - (size_t)n ? -1 : 0;
}
