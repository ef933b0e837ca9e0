#!/usr/bin/env bash
# The shipped profiles no other QEMU test boots, each through the default
# policy: an SEV-SNP guest, and the two PCONFIG fault profiles as shipped
# (kernel-suites.sh uses pre-activated variants of the latter).
SUITE=profiles
source "$(dirname "$0")/lib.sh"
P=$ROOT/profiles

boot sev-snp-guest --profile "$P/sev-snp-guest.prof" --policy "$P/default.conf"
check "status 0" status_is 0
check "the stage writes nothing on a guest" has '^INFO: bios: outcome: nothing to do \(0 WRMSRs'
check "the stage sees an SEV-SNP guest from SEV_STATUS" has '^PASS: sev: guest: running as an sev-snp guest \(SEV_STATUS=0x0000000000000007\)'
check "an SNP guest is not handed to a kernel without C-bit tables and #VC handler: SKIP with the reason" \
	has '^SKIP: uefi: handoff: sev-snp guest \(SEV_STATUS=0x7\): not handed off: the kernel.s map has no C-bit \(51\) and no #VC handler$'
check "the stage ends by design: no kernel line, no crash" bash -c "! grep -qE '^(INFO|PASS|FAIL): kernel:|memcrypt: handing off' '$LOG' && grep -q 'ends here by design' '$LOG'"

boot pconfig-busy --profile "$P/icelake-pconfig-busy.prof" --policy "$P/default.conf"
check "status 0" status_is 0
check "the stage programmed TME/MKTME first" has '^PASS: bios: activate: IA32_TME_ACTIVATE=0x5000600000023'
check "DEVICE_BUSY retried within the bound, then success" has '^PASS: pconfig: busy: DEVICE_BUSY answered [1-9][0-9]* time\(s\); each call retried'

boot entropy-error --profile "$P/icelake-entropy-error.prof" --policy "$P/default.conf"
check "status 0: ENTROPY_ERROR is a WARN, not a FAIL" status_is 0
check "ENTROPY_ERROR reported for RANDOM keys" has '^WARN: pconfig: entropy: KEYID_SET_KEY_RANDOM .*ENTROPY_ERROR \(RAX=2, ZF=1\)'

finish
