#!/usr/bin/env bash
# The UEFI stage as the BIOS stage (docs/bios-stage.md): an unlocked model
# programmed, locked and every core activated (-smp 1 and -smp 4); the
# report files on the ESP; a locked profile validated, not written; the
# hw path on QEMU (no TME, no SME) programs nothing.
SUITE=bios
source "$(dirname "$0")/lib.sh"
POL=$ROOT/profiles/default.conf
ICE=$ROOT/profiles/icelake-sp.prof
# Stage and kernel each judge IA32_TME_ACTIVATE: two tme.locked PASS lines
# with the value the stage programmed.
kernel_sees_locked() { handed_off && [ "$(grep -c '^PASS: tme: locked: .*IA32_TME_ACTIVATE=0x0005000600000023' "$LOG")" = 2 ]; }

for smp in 1 4; do
	boot "program-smp$smp" --img --smp "$smp" --profile "$ICE" --policy "$POL" --esp-out "$TMPDIR_QEMU/esp$smp"
	check "status 0" status_is 0
	check "QEMU's $smp CPUs through MP services" has "^INFO: uefi: mp: $smp CPUs through EFI_MP_SERVICES_PROTOCOL"
	check "model CPUs 0-$((smp - 1)) take their MSR writes on their own CPU through MP services" \
		has "^INFO: uefi: mp_model: model CPUs 0-$((smp - 1)): MSR accesses run on their own CPU through MP services"
	check "exclusion MSRs written before ACTIVATE" has '^PASS: bios: exclusion: .*written before IA32_TME_ACTIVATE and read back'
	check "IA32_TME_ACTIVATE programmed and locked (xx011b)" has '^PASS: bios: activate: IA32_TME_ACTIVATE=0x5000600000023: TME enabled with a new key and locked, xx011b'
	check "MK_TME_CORE_ACTIVATE on the model's CPUs 0-3" has '^PASS: bios: core_activate: MK_TME_CORE_ACTIVATE written and read back on CPUs 0-3'
	check "the check library then judges it locked with the programmed value" has '^PASS: tme: locked: .*IA32_TME_ACTIVATE=0x0005000600000023'
	check "the kernel adopted the stage's results and judges the programmed value locked itself" kernel_sees_locked
	check "no crash" bash -c "! grep -q 'unexpected exception' '$LOG'"
done
esp=$TMPDIR_QEMU/esp4/memcrypt
check "report.txt on the ESP holds the BIOS results and a SUMMARY" \
	bash -c "grep -q '^PASS: bios: activate: ' '$esp/report.txt' && grep -q '^SUMMARY: ' '$esp/report.txt'"
check "report.json on the ESP parses and holds the check library's facts and bios results" \
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); ids=[c["id"] for c in j["checks"]]; sys.exit(0 if j["tme"]["locked"] and "bios.activate" in ids and "bios.core_activate" in ids else 1)' "$esp/report.json"

boot locked --profile "$ROOT/profiles/sapphire-rapids-locked.prof" --policy "$POL"
check "status 0" status_is 0
check "says the BIOS locked it and validates" has '^PASS: bios: locked: package 0: IA32_TME_ACTIVATE locked by BIOS \(=0x5000600000023\); validating, not writing'
check "mode=program on a locked platform: no write, said so" has '^INFO: bios: mode: package 1: mode=program, but .* no write attempted'
check "zero WRMSRs" has '^INFO: bios: outcome: validating what the BIOS locked \(0 WRMSRs'
check "the check library validates what the BIOS did on the profile's 4 CPUs" has '^PASS: mktme: core_activate: MK_TME_CORE_ACTIVATE=0x0000000600000000 \(keyid bits 6\) on all 4 CPUs'

boot hw-path --smp 2 --policy "$POL"
check "status 0" status_is 0
check "QEMU enumerates neither TME nor SME: nothing programmed" has '^SKIP: bios: platform: nothing to program'
check "zero WRMSRs" has '^INFO: bios: outcome: nothing to do \(0 WRMSRs on the hw platform\)'
finish
