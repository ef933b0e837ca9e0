#!/usr/bin/env bash
# Every CPU, every socket (issue 11): AP bring-up from the MADT, topology,
# per-CPU reads on each CPU itself, PCONFIG on a CPU of every package, the
# seed's concurrency (6.2.4) and shootdown (7.5 1b) rules, the watchdog, and
# a mutation that skips a package being caught. 9 boots.
SUITE=smp
source "$(dirname "$0")/lib.sh"
P=$ROOT/profiles/sapphire-rapids-locked.prof   # 4 CPUs in 2 packages

boot smp1 --smp 1
check "run passes" status_is 0
check "1 of 1 CPUs up" has '^PASS: smp: bringup: 1 of 1 CPUs up \(APIC IDs 0\)'
check "one package" has '^PASS: smp: topology: 1 package\(s\)'
check "shootdown SKIPs: no other TLB" has '^SKIP: lifecycle: shootdown: one CPU'

# The hardware path (no profile): the kernel starts the AP itself.
boot smp2-hw --smp 2
check "run passes" status_is 0
check "2 of 2 CPUs up, from the MADT" has '^PASS: smp: bringup: 2 of 2 CPUs up \(APIC IDs 0,1\) .*processors from the MADT'
check "hw platform reaches both CPUs" has '^INFO: kernel: platform: hardware: 2 CPU\(s\) in 1 package'
check "guarded faults are results on every CPU" has '^PASS: smp: fixups: a guarded UD2 returned #UD and a guarded non-canonical load #GP on each of the 2 CPU'
check "each CPU read its CPUID itself" has '^PASS: smp: percpu: .* equal on all 2 CPUs, 2 of them read by their own real CPU'
check "shootdown by IPI: the AP sees the new mapping" has '^PASS: lifecycle: shootdown: cpu 1 read .* acknowledged by 2 of 2 CPUs'
check "without the IPI the AP's TLB is stale (TCG keeps one per vCPU)" has '^PASS: lifecycle: shootdown_negative: a test that the check can fail'

boot smp4 --smp 4 --profile "$P"
check "run passes" status_is 0
check "4 of 4 CPUs up" has '^PASS: smp: bringup: 4 of 4 CPUs up \(APIC IDs 0,1,2,3\)'
check "one real socket: the profile's 2 packages are said to differ" has '^INFO: smp: model_map: profile: 4 CPUs in 2 package\(s\); machine: 4 CPUs in 1 package'

boot smp4s2 --smp 4 --sockets 2 --profile "$P"
check "run passes" status_is 0
check "topology: 2 packages of 2 CPUs from CPUID" has '^PASS: smp: topology: 2 package\(s\): package 0 \(id 0\): CPUs 0,1; package 1 \(id 1\): CPUs 2,3'
check "the profile's package map equals the machine's" has '^PASS: smp: model_map: model CPUs 0-3 in 2 package\(s\) run on real CPUs 0-3'
check "tme.consistent and core_activate over all 4 CPUs" bash -c "grep -q '^PASS: tme: consistent: .* on all 4 CPUs' '$LOG' && grep -q '^PASS: mktme: core_activate: .* on all 4 CPUs' '$LOG'"
check "every command on both packages, by CPU 0 and CPU 2 (real CPUs 0 and 2)" \
	bash -c "[ \$(grep -cE '^PASS: pconfig: (direct|random|clear|no_encrypt)_xts(128|256): .* each on 2 package\(s\) \(package:CPU\(real CPU\) 0:0\(0\) 1:2\(2\)\)' '$LOG') = 8 ]"
check "each package's memory under the new key" has '^PASS: pconfig: per_package: .* under the new key on mask 0x3 of 0x3'
check "package 0 only is caught" has '^PASS: pconfig: package_negative: a test that the check can fail'
check "concurrency on both packages with DEVICE_BUSY seen, no mix" \
	bash -c "[ \$(grep -cE '^PASS: pconfig: concurrency: package [01] \(CPUs [0-9,]+\): .* [1-9][0-9]* DEVICE_BUSY retried .*one caller.s whole key' '$LOG') = 2 ]"
check "a torn entry is caught by the same ciphertext check" has '^PASS: pconfig: concurrency_negative: a test that the check can fail: .* matches 0 of 2'
check "WBINVD on both packages" has '^PASS: lifecycle: wbinvd: WBINVD executed on 2 of 2 package'
check "shootdown across 4 CPUs" has '^PASS: lifecycle: shootdown: .* acknowledged by 4 of 4 CPUs'

printf 'kernel-test=pkg0-only\n' >"$TMPDIR_QEMU/pkg0.conf"
boot pkg0-only --smp 4 --sockets 2 --profile "$P" --policy "$TMPDIR_QEMU/pkg0.conf"
check "the mutation fails the run (status 1)" status_is 1
check "the per-package lines catch it" bash -c "grep -q '^FAIL: pconfig: direct_xts128: .* only packages 0x1 of 2 executed it' '$LOG' && grep -q '^FAIL: pconfig: per_package: ' '$LOG'"

printf 'kernel-test=ap-hang\n' >"$TMPDIR_QEMU/aphang.conf"
boot ap-hang --smp 2 --policy "$TMPDIR_QEMU/aphang.conf"
check "a hung AP is a FAIL naming it, the run goes on to its SUMMARY" \
	bash -c "grep -q '^FAIL: smp: cpu: cpu 1 (APIC ID 1) did not finish its work within [0-9]* ms (running past its bound); stopped by an NMI' '$LOG' && grep -q '^SUMMARY: ' '$LOG' && [ $STATUS = 1 ]"

printf 'kernel-test=ap-fault\n' >"$TMPDIR_QEMU/apfault.conf"
boot ap-fault --smp 2 --policy "$TMPDIR_QEMU/apfault.conf"
check "an unexpected exception on an AP is a FAIL naming it, the run goes on" \
	bash -c "grep -q '^FAIL: smp: cpu: cpu 1 (APIC ID 1): unexpected exception #GP (vector 13)' '$LOG' && grep -q '^SUMMARY: ' '$LOG' && [ $STATUS = 1 ]"

printf 'kernel-test=ap-nosipi\n' >"$TMPDIR_QEMU/nosipi.conf"
boot ap-nosipi --smp 4 --sockets 2 --profile "$P" --policy "$TMPDIR_QEMU/nosipi.conf"
check "an AP that never starts is a FAIL naming it; the run goes on with the others" \
	bash -c "grep -q '^FAIL: smp: bringup: cpu 1 (APIC ID 1) did not answer within 2000 ms of INIT-SIPI-SIPI (never ran the trampoline); 3 of 4 CPUs up' '$LOG' && grep -q '^PASS: lifecycle: shootdown: .* acknowledged by 3 of 3 CPUs' '$LOG' && grep -q '^SUMMARY: ' '$LOG' && [ $STATUS = 1 ]"

printf 'kernel-test=hang\n' >"$TMPDIR_QEMU/hang.conf"
boot hang --policy "$TMPDIR_QEMU/hang.conf"
check "a hung suite is ended by the LAPIC-timer watchdog with the crash status" \
	bash -c "grep -q '^FAIL: kernel: watchdog: suite kernel-test-hang ran past its bound of 1000 ms' '$LOG' && [ $STATUS = 2 ]"

finish
