#!/usr/bin/env bash
# The kernel's exception vectors 0-15, one boot each (tests/qemu/exceptions.lib);
# vectors 16-31, the stack overflow and the NMI are in exceptions-kernel-b.sh.
SUITE=exceptions
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exceptions.lib"

for v in $(seq 0 15); do
	vector_boot kernel "$v"
done
finish
