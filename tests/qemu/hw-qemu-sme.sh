#!/usr/bin/env bash
# The hardware path on the patched emulator (docs/qemu-tme.md), AMD side:
# CPUID 0x8000001F with SME by property, the stage's real WRMSR of SYSCFG[23]
# on every core through MP services, the kernel's C-bit tagged page tables
# and CR3, and the sme suite's C=1 write / C=0 read and in-place encryption
# against the emulator's encrypting memory path. 2 boots.
SUITE=hw-qemu-sme
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/hw-qemu.lib"
POL=$ROOT/profiles/default.conf

boot max-amd-smp2 --hw-qemu --cpu amd --smp 2 --policy "$POL"
check "status 0" status_is 0
check "CPUID 0x8000001F: SME, C-bit 47, reduction 5 (the properties)" \
	has '^INFO: sme: leaf: CPUID 0x8000001F EAX=0x1 EBX=0x16f '
check "the stage sets SYSCFG[23] on CPUs 0-1 through MP services and reads it back" \
	has '^PASS: bios: sme: SYSCFG\[23\] MemEncryptionModEn set and read back on CPUs 0-1'
check "paging.hw_switch: the kernel ran on tables with the C-bit at every level and in CR3" \
	has '^PASS: paging: hw_switch: ran on a rebuilt 4-level identity map, C-bit 1 at every level, CR3=0x8000[0-9a-f]+'
check "C=1 write, C=0 read differs, C=1 read is the plaintext" \
	has '^PASS: sme: cbit: page 0x[0-9a-f]+ written with C=1 \(bit 47\) and flushed: read with C=0 it is not the plaintext, read with C=1 it is'
check "in-place encryption: C=1 reads the original, DRAM holds ciphertext" \
	has '^PASS: sme: in_place: page 0x[0-9a-f]+ encrypted in place'
check "no unexpected exception" bash -c "! grep -q 'unexpected exception' '$LOG'"

# A named AMD model gets the same properties.
boot epyc-milan --hw-qemu --cpu EPYC-Milan --policy "$POL"
check "status 0" status_is 0
check "SME enumerated on EPYC-Milan by the property" has '^PASS: sme: supported: CPUID 0x8000001F EAX\[0\]=1'
check "C-bit tagged tables and CR3 on EPYC-Milan" has '^PASS: paging: hw_switch: ran on a rebuilt 4-level identity map, C-bit 1'
check "the sme suite on EPYC-Milan" bash -c "grep -q '^PASS: sme: cbit: ' '$LOG' && grep -q '^PASS: sme: in_place: ' '$LOG'"
finish
