#!/bin/bash
# host/os_psp.c (memcrypt's PSP reader) against a /dev/sev that Debian's
# umockdev serves: tests/umockdev/psp.c answers SEV_ISSUE_CMD for
# SEV_PLATFORM_STATUS and SNP_PLATFORM_STATUS as drivers/crypto/ccp does,
# and fails it with errno and firmware codes; then `memcrypt check --json`
# runs under the same testbed (psp.status and JSON psp from the answer). Without umockdev installed
# (scripts/setup installs it) this is one SKIP line, never a pass.
cd "$(dirname "$0")/../.." || exit 1
T=build/host/test-psp-umockdev
if ! command -v umockdev-wrapper > /dev/null || ! pkg-config --exists umockdev-1.0 2> /dev/null; then
	echo "SKIP: psp-umockdev: umockdev / libumockdev-dev not installed (scripts/setup)"
	exit 0
fi
make -s "$T" > /dev/null 2>&1 || { echo "FAIL: psp-umockdev: make $T failed"; exit 1; }
timeout 120 umockdev-wrapper "$T" build/host/memcrypt
