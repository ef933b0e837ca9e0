#!/usr/bin/env bash
# The skeleton end to end: the stage boots in OVMF, loads the kernel, hands
# off; the kernel reports and ends through isa-debug-exit. On the hardware
# path (no profile) under QEMU, with several CPU models, CPU counts, and
# from the directory and the USB-stick image.
SUITE=boot
source "$(dirname "$0")/lib.sh"
took_over() { handed_off && has "^PASS: smp: bringup: $1 of $1 CPUs up"; }

for cpu in max Icelake-Server EPYC-Milan; do
	for smp in 1 4; do
		boot "hw-$cpu-smp$smp" --cpu "$cpu" --smp "$smp"
		check "all-pass exit status 0" status_is 0
		check "the kernel adopted exactly the stage's results and brought up $smp of $smp CPUs" \
			took_over "$smp"
		check "the kernel's SUMMARY counts every result line of the log, 0 failures" summary_matches 0
		check "stage saw $smp CPUs through MP services" has "^INFO: uefi: mp: $smp CPUs"
		check "stage ran code on every CPU (distinct APIC IDs)" has "^PASS: uefi: mp_reach: ran on CPUs 0-$((smp - 1)) "
		check "guarded RDMSR works on the APs (BSP flag on CPU 0 only)" has '^PASS: uefi: mp_msr: .*BSP flag \(bit 8\) on 1 CPU\(s\), CPU 0'
		# CPUID is the CPU model's, not the CPU count's: once per model.
		((smp == 1)) && check "no memory encryption on QEMU's $cpu is a SKIP, never a PASS" \
			bash -c "! grep -qE '^PASS: (tme|sme): supported' '$LOG' && grep -qE '^SKIP: (tme|sme): supported' '$LOG'"
	done
done

# RAM far above 4 GiB (real boxes have it): the kernel's own identity map
# must cover it, built from the memory map, audited before CR3 is loaded.
boot "ram-above-4g" --mem 6144
check "all-pass exit status 0" status_is 0
check "memory map reaches past 4 GiB" has '^INFO: boot: memory: 6[0-9]{3} MiB usable, top of map 0x(1[0-9a-f]{8}|[2-9a-f][0-9a-f]{8})\b'
check "identity map covers it with 1 GiB pages, audited" has '^PASS: boot: paging: own 4-level identity map in use .*: [1-9][0-9]* x 1G, .* audited'

boot "img-usb-stick" --img
check "the FAT image boots to a passing SUMMARY" status_is 0
check "the kernel ran from the image and adopted exactly the stage's results" handed_off

finish
