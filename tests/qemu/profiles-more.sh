#!/usr/bin/env bash
# The shipped profiles no other QEMU test boots, each through the default
# policy: an SEV-SNP guest, the two PCONFIG fault profiles as shipped
# (kernel-suites.sh uses pre-activated variants of the latter), and today's
# boxes: a TDX-partitioned Sapphire Rapids, an SNP Genoa host, a client
# part with TME bypass and no MKTME; and the two scale profiles (2 x 128
# CPUs, 15 KeyID bits; 32767 KeyIDs at 128 GiB, or a 1 TiB memory map).
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

boot sapphire-rapids-tdx --profile "$P/sapphire-rapids-tdx.prof" --policy "$P/default.conf"
check "status 0: TME bypass on a TDX host is a WARN" status_is 0
check "stage and kernel report Linux's private KeyID range [32, 64)" \
	bash -c "[ \$(grep -c '^PASS: tdx: partition: .*MKTME KeyIDs 1..31, TDX private KeyID range \[32, 64)' '$LOG') = 2 ]"
check "PCONFIG programs MKTME KeyIDs only: the matrix covers 1..31, never 32" \
	bash -c "grep -q '^PASS: pconfig: random_xts128: .* on all 31 KeyIDs (1..31)' '$LOG' && ! grep -qE '^PASS: pconfig: .* on all (6[0-9]|3[2-9]) KeyIDs' '$LOG'"
check "a private KeyID outside SEAM gets INVALID_KEYID on the model" \
	has '^PASS: pconfig: tdx_private: first TDX private KeyID outside SEAM .*: INVALID_KEYID, ZF=1'
check "bypass: KeyID 0 counted as not encrypted" has '^WARN: tme: bypass: .*only memory mapped with MKTME KeyIDs 1..31'

boot epyc-genoa-snp --profile "$P/epyc-genoa-snp.prof" --policy "$P/default.conf"
check "status 0" status_is 0
check "Linux would keep SEV: SYSCFG[23] and SMMLOCK" has '^PASS: sev: usable: SYSCFG\[23\] set and SMM locked'
check "SNP and VMPLs enabled on every CPU" has '^PASS: snp: enabled: SYSCFG\[24\] SecureNestedPagingEn and \[25\] VMPLEn set on all 4 CPUs'
check "the RMP covers the model's RAM" has '^PASS: snp: rmp: RMP 0x35600000-0x75bfffff: .* covers the 80 KiB for RAM up to 0x1000000'
check "99 ASIDs for SEV-ES/SNP" has '^PASS: sev: asids: 1006 encrypted guests, ASIDs 100..1006 for SEV, 99 for SEV-ES'

# No policy file: the defaults validate, so SYSCFG[23] stays as TSME left it.
boot epyc-milan-tsme --profile "$P/epyc-milan-tsme.prof"
check "status 1: Linux disables SEV without SYSCFG[23] (sev.usable FAIL)" status_is 1
check "stage and kernel: TSME box judged encrypted, never 'BIOS did not enable SME'" \
	bash -c "[ \$(grep -c '^PASS: sme: enabled: memory encrypted transparently: TSME on' '$LOG') = 2 ] && ! grep -q 'did not enable SME' '$LOG'"
check "the only FAIL is sev.usable" bash -c "[ \"\$(grep '^FAIL:' '$LOG' | cut -d: -f2-3 | sort -u)\" = ' sev: usable' ]"

boot tigerlake-tme-bypass --profile "$P/tigerlake-tme-bypass.prof" --policy "$P/default.conf"
check "status 1: TME with bypass and no MKTME encrypts nothing" status_is 1
check "tme.bypass FAIL names it" has '^FAIL: tme: bypass: encryption bypass on and no KeyID besides 0 activated: no memory is encrypted'

boot scale-15bit --profile "$P/scale-2s-256-15bit.prof" --policy "$P/default.conf"
check "status 0" status_is 0
check "the stage programmed 15 KeyID bits on both packages and every one of 256 cores" \
	bash -c "[ \$(grep -cE '^PASS: bios: activate: package [01]: IA32_TME_ACTIVATE=0x5000f00000023' '$LOG') = 2 ] && grep -q '^PASS: bios: core_activate: .* on CPUs 0-255' '$LOG'"
check "all 8 PCONFIG matrix lines say they sampled, and which 64 of 32767 KeyIDs" \
	bash -c "[ \$(grep -cE '^PASS: pconfig: [a-z_]+_xts(128|256): .* on 64 of 32767 KeyIDs \(sampled: 1\.\.16, 32752\.\.32767, 32 spread between\), each on 2 package' '$LOG') = 8 ]"
check "KeyID in PA bits 51:37" has '^PASS: paging: tag_position: KeyID in PA bits 51:37'
check "the 128 GiB map is modelled sparse: a few pages stored" \
	has '^INFO: kernel: model_dram: memory map 128 GiB in 2 package\(s\), modelled sparse: [1-9][0-9]? pages'

boot scale-1t --profile "$P/scale-2s-256-1t.prof" --policy "$P/default.conf"
check "status 0" status_is 0
check "the stage says the 1 TiB map is modelled sparse" \
	has '^INFO: uefi: platform: model from .*256 CPUs, [0-9]+ KiB state; memory map 1024 GiB modelled sparse'
check "12 of 15 KeyID bits locked by the BIOS: 4095 KeyIDs, PA bits 51:40" \
	bash -c "grep -q '^PASS: mktme: keyids: 4095 KeyIDs usable' '$LOG' && grep -q '^PASS: paging: tag_position: KeyID in PA bits 51:40' '$LOG'"
check "PCONFIG lines name the sample of 64 of 4095 KeyIDs" \
	bash -c "[ \$(grep -cE '^PASS: pconfig: [a-z_]+_xts(128|256): .* on 64 of 4095 KeyIDs \(sampled: 1\.\.16, 4080\.\.4095, 32 spread between\)' '$LOG') = 8 ]"
check "the page homed on package 1 (at 512 GiB and up) is rekeyed too" has '^PASS: pconfig: per_package: .* on mask 0x3 of 0x3'
check "the kernel wrote fewer than 100 pages of the 1 TiB map, and says so" \
	has '^INFO: kernel: model_dram: memory map 1024 GiB in 2 package\(s\), modelled sparse: [1-9][0-9]? pages'
check "every suite's time is listed" has '^INFO: kernel: suite_times: ms per suite: boot [0-9.]+, checks [0-9.]+, percpu [0-9.]+, pconfig [0-9.]+, paging'

finish
