#!/usr/bin/env bash
# The kernel's memory-encryption suites (paging, pconfig, encrypt,
# lifecycle, sme) on the profiles that exercise them, and their SKIPs where
# nothing is enumerated. 7 boots.
SUITE=kernel-suites
source "$(dirname "$0")/lib.sh"
P=$ROOT/profiles
K=$ROOT/tests/profiles/kernel

no_line() { ! grep -qE -- "$1" "$LOG"; }

# QEMU alone: no TME, MKTME, PCONFIG or SME. SKIP with the CPUID reason, never PASS.
boot no-profile
check "run passes" status_is 0
check "pconfig SKIPs: CPUID.7.0:EDX[18]=0" has '^SKIP: pconfig: program: PCONFIG not enumerated \(CPUID.7.0:EDX\[18\]=0'
check "PCONFIG really raises #UD" has '^PASS: pconfig: ud: PCONFIG raised #UD \(vector 6\) as CPUID.7.0:EDX\[18\]=0 says'
check "paging, encrypt, lifecycle, sme SKIP" bash -c "grep -q '^SKIP: paging: tagged:' '$LOG' && grep -q '^SKIP: encrypt: mktme:' '$LOG' && grep -q '^SKIP: lifecycle: move:' '$LOG' && grep -q '^SKIP: sme: cbit:' '$LOG'"
check "no suite line PASSes on encryption here (the untagged CR3 mechanics aside)" \
	bash -c "! grep -E '^PASS: (paging|encrypt|lifecycle|sme): ' '$LOG' | grep -qv '^PASS: paging: cr3_switch: '"
check "tagged CR3 switch is a SKIP with the reason" has '^SKIP: paging: hw_switch: no KeyID or C-bit on this platform'
check "CR3 switch mechanics run untagged: rebuilt map, copied and audited through the memory port, used" \
	has '^PASS: paging: cr3_switch: ran on a rebuilt 4-level identity map, untagged \(mechanics only\)'
# The elapsed line is printed on every run (a grep for it shows nothing);
# what can fail is the PIT calibration behind it: a TSC rate between 100 MHz
# and 10 GHz, and the ms it reports are its cycles over that rate.
elapsed_calibrated() {
	local e
	e=$(sed -n 's/^INFO: kernel: elapsed: kernel suites took \([0-9]*\) ms (\([0-9]*\) TSC cycles, \([0-9]*\) cycles\/ms by the PIT)$/\1 \2 \3/p' "$LOG")
	set -- $e
	(($# == 3 && $3 >= 100000 && $3 <= 10000000 && $1 == $2 / $3))
}
check "elapsed time from a PIT-calibrated TSC (100 MHz..10 GHz), ms = cycles / cycles-per-ms" elapsed_calibrated

# Activated and locked by the BIOS, 2 packages, MAX_PA 52.
boot sapphire-rapids --profile "$P/sapphire-rapids-locked.prof"
check "run passes" status_is 0
check "KeyID position from MAX_PA and activated bits" has '^PASS: paging: tag_position: KeyID in PA bits 51:46: MAX_PA 52'
check "4-level and 5-level KeyID tables walk exactly" bash -c "grep -q '^PASS: paging: level4: 4-level: KeyID 5 in CR3' '$LOG' && grep -q '^PASS: paging: level5: 5-level: KeyID 5 in CR3' '$LOG'"
check "audit can fail" has '^PASS: paging: audit_negative: .*leaf carries the wrong KeyID'
check "tables in model DRAM walked through the engine" has '^PASS: paging: model_walk: .*ciphertext: yes.*hit the intended PA and KeyID'
check "no CR3 switch onto model tables: a SKIP that says why" has '^SKIP: paging: hw_switch: the model.s tables live in simulated DRAM'
check "every command x algorithm on all 63 KeyIDs, 2 packages" bash -c "[ \$(grep -cE '^PASS: pconfig: (direct|random|clear|no_encrypt)_xts(128|256): .* on all 63 KeyIDs \(1..63\), each on 2 package' '$LOG') = 8 ]"
check "every PCONFIG error path" bash -c "[ \$(grep -cE '^PASS: pconfig: err_' '$LOG') = 12 ]"
check "software XTS self-test names its backend" has '^PASS: encrypt: xts_backend: software AES-XTS backend [a-z0-9]+ passes'
check "DRAM bytes equal software AES-XTS (128 and 256)" bash -c "[ \$(grep -cE '^PASS: encrypt: xts_xts(128|256): the model.s DRAM bytes equal software AES-XTS' '$LOG') = 2 ]"
check "KeyIDs, addresses, wrong KeyID, CLEAR_KEY, NO_ENCRYPT" bash -c "for c in keyids_differ address_tweak wrong_keyid clear_key no_encrypt keyid0; do grep -q \"^PASS: encrypt: \$c:\" '$LOG' || exit 1; done"
check "bypass and exclusion SKIP with the register" bash -c "grep -q '^SKIP: encrypt: bypass: TME bypass not on' '$LOG' && grep -q '^SKIP: encrypt: exclusion: no exclusion range' '$LOG'"
check "life cycle: swap, move, no leak" bash -c "for c in swap move no_leak; do grep -q \"^PASS: lifecycle: \$c:\" '$LOG' || exit 1; done"
check "negative control: skipping the flush is caught" has '^PASS: lifecycle: negative_control: a test that the check can fail: .* finds [1-9][0-9]* of 64 lines'
check "sme SKIPs on Intel" has '^SKIP: sme: cbit: not an AMD CPU'

boot busy --profile "$K/icelake-busy-activated.prof"
check "run passes" status_is 0
check "DEVICE_BUSY retried within the bound" has '^PASS: pconfig: busy: DEVICE_BUSY answered 3 time\(s\); each call retried'
check "exclusion range leaves only KeyID 0 plaintext" has '^PASS: encrypt: exclusion: exclusion range 0x400000\+0x100000'

boot entropy --profile "$K/icelake-entropy-activated.prof"
check "ENTROPY_ERROR reported, not a FAIL" bash -c "grep -qE '^WARN: pconfig: entropy: KEYID_SET_KEY_RANDOM with AES-XTS-(128|256) on KeyID 1: ENTROPY_ERROR' '$LOG' && [ $STATUS = 0 ]"
check "bypass leaves KeyID 0 in plaintext" has '^PASS: encrypt: bypass: TME bypass on'
check "CLEAR_KEY gives TME (bypass) behaviour" has '^PASS: encrypt: clear_key: .*TME bypass'

boot epyc-milan-sme --profile "$P/epyc-milan-sme.prof"
check "run passes" status_is 0
check "C-bit position from CPUID 0x8000001F" has '^PASS: paging: tag_position: C-bit 51 from CPUID 0x8000001F'
check "C-bit tables walk exactly, in kernel memory and model DRAM" bash -c "grep -q '^PASS: paging: level4: 4-level: C-bit 1' '$LOG' && grep -q '^PASS: paging: model_walk: .*C-bit' '$LOG'"
check "C=1 write, C=0 read differs" has '^PASS: sme: cbit: .*read with C=0 it is not the plaintext'
check "encryption in place through C=0/C=1 aliases" has '^PASS: sme: in_place: '
check "Intel suites SKIP on AMD" bash -c "grep -q '^SKIP: encrypt: mktme: not an Intel CPU' '$LOG' && grep -q '^SKIP: pconfig: program: PCONFIG not enumerated' '$LOG'"

boot epyc-sme-off --profile "$P/epyc-sme-off.prof"
check "sme SKIPs naming SYSCFG[23]" has '^SKIP: sme: cbit: SME not enabled by the BIOS \(SYSCFG=0x[0-9a-f]+, bit 23'
check "no C-bit tables" has '^SKIP: paging: tagged: SME not enabled \(SYSCFG\[23\]'

boot no-memory-encryption --profile "$P/no-memory-encryption.prof"
check "model PCONFIG #UDs as CPUID says" has '^PASS: pconfig: ud: PCONFIG raised #UD'
check "encrypt SKIPs with the CPUID bit" has '^SKIP: encrypt: mktme: TME not enumerated \(CPUID.7.0:ECX\[13\]=0\)'
check "no suite line PASSes on encryption here" no_line '^PASS: (paging|encrypt|lifecycle|sme): '

finish
