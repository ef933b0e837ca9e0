#!/usr/bin/env bash
# The kernel's exception vectors 16-31 (tests/qemu/exceptions.lib), then a
# stack overflow into the guard page below the boot stack (#DF on IST1), and
# a real NMI injected through the QEMU monitor while the kernel waits.
SUITE=exceptions
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/exceptions.lib"

for v in $(seq 16 31); do
	vector_boot kernel "$v"
done

printf 'kernel-test=stack-overflow\n' >"$TMPDIR_QEMU/so.conf"
boot kernel-stack-overflow --policy "$TMPDIR_QEMU/so.conf"
check "crash status 2" status_is 2
# The guard page the kernel names, and CR2 from the register dump: the
# #PF that could not be delivered must lie inside it.
guard=$(sed -n 's/^INFO: kernel: kernel-test=stack-overflow: pushing from RSP down to the guard page \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\) (stack bottom \(0x[0-9a-f]*\)).*/\1 \2 \3/p' "$LOG")
cr2=$(sed -n 's/^  CR2=\(0x[0-9a-f]*\) .*/\1/p' "$LOG" | head -n 1)
[[ -n $cr2 ]] && cr2=$(printf '0x%x' "$cr2")
check "the guard page is the 4 KiB right below the stack's bottom ($guard)" bash -c "
	read -r lo hi bottom <<<'$guard'; [[ -n \$lo ]] && (( hi - lo == 0xfff && hi + 1 == bottom && (lo & 0xfff) == 0 ))"
check "one FAIL: #DF (vector 8) error=0x0 (SDM: #DF's error code is 0)" \
	has '^FAIL: kernel: exception: unexpected exception #DF \(vector 8\) error=0x0 at RIP=0x[0-9a-f]+$'
check "exactly one exception report" test "$(grep -c '^FAIL: kernel: exception: ' "$LOG")" = 1
check "CR2 ($cr2) lies in the guard page: the push that overflowed" bash -c "
	read -r lo hi bottom <<<'$guard'; [[ -n '$cr2' && -n \$lo ]] && (( $cr2 >= lo && $cr2 <= hi ))"
check "the kernel names it a stack overflow" \
	has "^INFO: kernel: exception: CR2=$cr2 lies in the guard page .* below the boot CPU's stack: a stack overflow$"
check "the #DF ran on its own stack (IST1): the report and SUMMARY got out" summary_matches 1
check "one boot, no reboot" test "$(grep -c '^memcrypt UEFI stage ' "$LOG")" = 1

printf 'kernel-test=nmi\n' >"$TMPDIR_QEMU/nmi.conf"
boot kernel-nmi --policy "$TMPDIR_QEMU/nmi.conf" --nmi-after "kernel-test=nmi: waiting"
check "crash status 2" status_is 2
check "the NMI went in through the QEMU monitor" has '^qemu-run: NMI injected through the monitor'
loop=$(sed -n 's/^INFO: kernel: kernel-test=nmi: waiting [0-9]* ms for an NMI in the loop at RIP=\(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)$/\1 \2/p' "$LOG")
rip=$(sed -n 's/^FAIL: kernel: exception: unexpected exception NMI (vector 2) error=0x0 at RIP=\(0x[0-9a-f]*\)$/\1/p' "$LOG")
check "one FAIL: NMI (vector 2) error=0x0" test -n "$rip"
check "its RIP ($rip) lies in the loop the kernel waited in ($loop): a real NMI, taken there" bash -c "
	read -r lo hi <<<'$loop'; [[ -n \$lo && -n '$rip' ]] && (( $rip >= lo && $rip < hi ))"
check "the wait did not run out" bash -c "! grep -q 'kernel-test=nmi: no NMI arrived' '$LOG'"
check "register dump" has '^  R13=0x[0-9a-f]{16} R14=0x[0-9a-f]{16} R15=0x[0-9a-f]{16}$'
check "SUMMARY counts the NMI as the one failure" summary_matches 1
finish
