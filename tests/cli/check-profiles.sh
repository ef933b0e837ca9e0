#!/bin/bash
# `memcrypt check --profile`: statuses and the JSON contract
# (docs/report-format.md) on the shipped profiles and on this area's own.
cd "$(dirname "$0")/../.." || exit 1
M=build/host/memcrypt
fails=0
pass() { echo "PASS: check-profiles: $*"; }
fail() { echo "FAIL: check-profiles: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# case PROFILE STATUS PYTHON-ASSERTIONS...: run with --json, expect STATUS,
# then each assertion is a Python expression over j (the parsed object).
# A profile's status and the raw-register decodes are asserted the first
# time it is run; later cases on the same profile add only their own
# assertions (the same property twice is one property). "$CONTRACT", the
# field list, is a format: it is a gate on every case (a FAIL where it does
# not hold) and counted once, at the end, over all the profiles it held on.
declare -A seen=()
contract_ok=0 contract_bad=0
case_() {
	local prof=$1 want=$2 first=1; shift 2
	if [ ! -f "$prof" ]; then fail "$prof: the profile this case needs is missing"; return; fi
	[ -n "${seen[$prof]:-}" ] && first=0
	seen[$prof]=1
	$M check --profile "$prof" --json > "$tmp/out.json" 2> "$tmp/err"; local rc=$?
	if ((first)); then
		[ "$rc" = "$want" ] && pass "$prof: status $rc" || fail "$prof: status (expected $want, got $rc: $(head -c 200 "$tmp/err"))"
	elif [ "$rc" != "$want" ]; then
		fail "$prof: status (expected $want, got $rc)"
	fi
	if ! python3 -m json.tool "$tmp/out.json" > /dev/null 2>&1; then
		fail "$prof: output is not valid JSON"; return
	fi
	local a asserts=("$@")
	((first)) && asserts=("$DECODE_TME" "$DECODE_SME" "$@")
	for a in "${asserts[@]}"; do
		if python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$tmp/out.json" "$a" 2> "$tmp/perr"; then
			if [ "$a" = "$CONTRACT" ]; then
				contract_ok=$((contract_ok + 1))
			else
				pass "$prof: $a"
			fi
		else
			[ "$a" = "$CONTRACT" ] && contract_bad=$((contract_bad + 1))
			fail "$prof: $a (JSON: $(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print({k: j[k] for k in ("tme","sme","usable_phys_bits")})' "$tmp/out.json" | head -c 400))"
		fi
	done
}

# Every case: the tme/sme fields against an independent decode of the raw
# registers in the same object (Intel seed Table 4-2 bit positions; AMD
# SYSCFG[23]; Linux's rule: active = lock && enable).
DECODE_TME='(lambda a: a is None and not j["tme"]["enabled"] and not j["tme"]["locked"] or a is not None and j["tme"]["locked"] == bool(a & 1) and j["tme"]["enabled"] == bool(a >> 1 & 1) and j["tme"]["bypass"] == bool(a >> 1 & 1 and a >> 31 & 1) and j["tme"]["keyid_bits"] == ((a >> 32 & 15) if a & 3 == 3 else 0) and j["tme"]["policy"] == ({0: "aes-xts-128", 2: "aes-xts-256"}.get(a >> 4 & 15) if a >> 1 & 1 else None))(None if j["raw"]["IA32_TME_ACTIVATE"] is None else int(j["raw"]["IA32_TME_ACTIVATE"], 16))'
DECODE_SME='(lambda s: not j["sme"]["enabled"] if s is None else (j["sme"]["enabled"] <= bool(s >> 23 & 1) and j["sme"]["snp_enabled"] <= bool(s >> 24 & 1)))(None if j["raw"]["SYSCFG"] is None else int(j["raw"]["SYSCFG"], 16))'

# The JSON contract: both objects always, with every field.
CONTRACT='set(j) >= {"vendor","phys_bits","usable_phys_bits","tme","sme","checks","summary"} and set(j["tme"]) >= {"supported","enabled","locked","bypass","policy","keyid_bits","keyids","max_keyid_bits","max_keys","algorithms","exclusion"} and set(j["tme"]["exclusion"]) == {"enabled","base","size"} and set(j["sme"]) >= {"supported","enabled","c_bit","reduced_phys_bits","sev","sev_es","sev_snp","encrypted_guests","min_sev_asid","guest","smm_locked","tsme","sme_coherent","es_asids","sev_usable","snp_enabled","vmpl_enabled","rmp"} and {"mktme_keyids","tdx_keyids","tdx_keyid_start"} <= set(j["tme"]) and set(j["summary"]) == {"pass","fail","warn","skip","info"} and all(set(c) == {"id","verdict","detail"} for c in j["checks"])'
COUNTS='sum(1 for c in j["checks"] if c["verdict"]=="FAIL") == j["summary"]["fail"] and sum(1 for c in j["checks"] if c["verdict"]=="PASS") == j["summary"]["pass"]'
NOPASS_TME='not any(c["verdict"]=="PASS" and c["id"].split(".")[0] in ("tme","mktme","pconfig") for c in j["checks"])'
NOPASS_SME='not any(c["verdict"]=="PASS" and c["id"].split(".")[0] in ("sme","sev") for c in j["checks"])'

case_ profiles/sapphire-rapids-locked.prof 0 "$CONTRACT" "$COUNTS" \
	'j["vendor"]=="intel" and j["phys_bits"]==52 and j["usable_phys_bits"]==46' \
	'j["tme"]["supported"] and j["tme"]["enabled"] and j["tme"]["locked"] and not j["tme"]["bypass"]' \
	'j["tme"]["keyid_bits"]==6 and j["tme"]["keyids"]==63 and j["tme"]["max_keyid_bits"]==6 and j["tme"]["max_keys"]==63' \
	'j["tme"]["policy"] in ("aes-xts-128","aes-xts-256") and j["tme"]["algorithms"]==["aes-xts-128","aes-xts-256"]' \
	'j["sme"]["supported"] is False and j["sme"]["guest"] is None'
case_ profiles/icelake-sp.prof 1 "$CONTRACT" "$COUNTS" \
	'j["tme"]["supported"] and not j["tme"]["enabled"] and j["tme"]["policy"] is None and j["phys_bits"]==52 and j["usable_phys_bits"]==52' \
	'any(c["id"]=="tme.enabled" and c["verdict"]=="FAIL" for c in j["checks"])'
case_ profiles/no-memory-encryption.prof 0 "$CONTRACT" "$NOPASS_TME" "$NOPASS_SME" \
	'not j["tme"]["supported"] and not j["sme"]["supported"]' \
	'any(c["id"]=="tme.supported" and c["verdict"]=="SKIP" and "ECX[13]=0" in c["detail"] for c in j["checks"])'
case_ profiles/epyc-milan-sme.prof 0 "$CONTRACT" "$COUNTS" \
	'j["vendor"]=="amd" and j["sme"]["supported"] and j["sme"]["enabled"] and j["sme"]["c_bit"]==51' \
	'j["usable_phys_bits"]==j["phys_bits"]-j["sme"]["reduced_phys_bits"]' \
	'j["sme"]["sev"] and j["sme"]["encrypted_guests"]>0 and j["sme"]["min_sev_asid"]>=1 and j["sme"]["guest"] is None' \
	'not j["tme"]["supported"] and j["tme"]["exclusion"]["enabled"] is False'
case_ profiles/epyc-sme-off.prof 1 "$CONTRACT" \
	'j["sme"]["supported"] and not j["sme"]["enabled"] and j["usable_phys_bits"]==j["phys_bits"]' \
	'any(c["id"]=="sme.enabled" and c["verdict"]=="FAIL" for c in j["checks"])'
case_ profiles/sev-snp-guest.prof 0 "$CONTRACT" \
	'j["sme"]["guest"]=="sev-snp" and j["sme"]["sev_snp"] and j["sme"]["sev_es"]' \
	'not j["sme"]["supported"] and not any(c["id"] in ("sme.enabled","sev.usable","snp.enabled") for c in j["checks"])'
case_ tests/profiles/checks/qemu-epyc-milan-trap.prof 0 "$CONTRACT" "$NOPASS_SME" \
	'not j["sme"]["supported"] and not j["sme"]["sev"] and j["sme"]["c_bit"]==0' \
	'any(c["id"]=="sme.supported" and c["verdict"]=="SKIP" and "max extended leaf 0x8000001e" in c["detail"] for c in j["checks"])'
case_ tests/profiles/checks/amd-guest-syscfg-gp.prof 0 "$CONTRACT" \
	'j["sme"]["supported"] and not j["sme"]["enabled"]' \
	'any(c["id"]=="sme.enabled" and c["verdict"]=="SKIP" and "#GP" in c["detail"] for c in j["checks"])'
case_ tests/profiles/checks/intel-bypass-exclusion.prof 0 "$CONTRACT" "$COUNTS" \
	'j["tme"]["bypass"] and j["summary"]["warn"]==1 and j["tme"]["policy"]=="aes-xts-256"' \
	'j["tme"]["exclusion"]=={"enabled":True,"base":"0x100000","size":"0x100000"}'

# Today's boxes: each JSON field against an independent decode of the raw
# registers in the same object (FACTS.md bit positions).
H='(lambda k: int(j["raw"][k], 16))'
V='(lambda i: [c["verdict"] for c in j["checks"] if c["id"]==i])'
case_ profiles/sapphire-rapids-tdx.prof 0 "$CONTRACT" "$COUNTS" \
	"j['tme']['mktme_keyids'] == $H('IA32_MKTME_KEYID_PARTITIONING') & 0xffffffff == 31" \
	"j['tme']['tdx_keyids'] == $H('IA32_MKTME_KEYID_PARTITIONING') >> 32 == 32 and j['tme']['tdx_keyid_start'] == 32" \
	"j['tme']['keyids'] == 63 and j['tme']['bypass'] == bool($H('IA32_TME_ACTIVATE') >> 31 & 1) == True" \
	"j['tme']['tdx_enabled'] == bool($H('IA32_SEAMRR_PHYS_MASK') >> 11 & 1) == True" \
	"$V('tdx.partition') == ['PASS'] and $V('tdx.seamrr') == ['PASS'] and $V('tme.bypass') == ['WARN']" \
	"any(c['id']=='tdx.partition' and 'private KeyID range [32, 64)' in c['detail'] for c in j['checks'])"
case_ profiles/sapphire-rapids-locked.prof 0 "$CONTRACT" \
	"j['tme']['mktme_keyids'] == j['tme']['keyids'] == $H('IA32_MKTME_KEYID_PARTITIONING') & 0xffffffff == 63" \
	"j['tme']['tdx_keyids'] == 0 and j['tme']['tdx_keyid_start'] is None and not j['tme']['tdx_enabled']" \
	"$V('tdx.seamrr') == ['INFO'] and $V('tdx.partition') == ['PASS']"
case_ profiles/epyc-genoa-snp.prof 0 "$CONTRACT" "$COUNTS" \
	"j['sme']['enabled'] == bool($H('SYSCFG') >> 23 & 1) and j['sme']['snp_enabled'] == bool($H('SYSCFG') >> 24 & 1) == True" \
	"j['sme']['vmpl_enabled'] == bool($H('SYSCFG') >> 25 & 1) == True and j['sme']['smm_locked'] == bool($H('HWCR') & 1) == True" \
	"j['sme']['sme_coherent'] == bool(int(j['raw']['cpuid_8000001f'][0], 16) >> 10 & 1) == True and j['sme']['vmpls'] == int(j['raw']['cpuid_8000001f'][1], 16) >> 12 & 15 == 4" \
	"j['sme']['es_asids'] == int(j['raw']['cpuid_8000001f'][3], 16) - 1 == 99 and j['sme']['sev_usable']" \
	"j['sme']['rmp'] == {'base': j['raw']['RMP_BASE'], 'end': j['raw']['RMP_END']} == {'base': '0x35600000', 'end': '0x75bfffff'}" \
	"j['sme']['tsme'] is None and $V('sme.tsme') == ['SKIP']" \
	"$V('sev.usable') == ['PASS'] and $V('snp.enabled') == ['PASS'] and $V('snp.rmp') == ['PASS'] and $V('sev.asids') == ['PASS']"
case_ profiles/epyc-milan-sme.prof 0 "$CONTRACT" \
	"j['sme']['es_asids'] == 0 and $V('sev.asids') == ['WARN'] and j['sme']['rmp'] is None and not j['sme']['snp_enabled']"
case_ profiles/tigerlake-tme-bypass.prof 1 "$CONTRACT" "$COUNTS" \
	"j['tme']['bypass'] and j['tme']['mktme_keyids'] == 0 and j['tme']['keyids'] == 0 and $V('tme.bypass') == ['FAIL']" \
	"j['phys_bits'] == 39 and j['usable_phys_bits'] == 39 and j['raw']['IA32_MKTME_KEYID_PARTITIONING'] is None"

case_ profiles/epyc-milan-tsme.prof 1 "$CONTRACT" "$COUNTS" \
	"j['sme']['tsme'] is True and not bool($H('SYSCFG') >> 23 & 1) and not j['sme']['enabled']" \
	"$V('sme.tsme') == ['PASS'] and $V('sme.enabled') == ['PASS'] and $V('sev.usable') == ['FAIL']" \
	"any(c['id']=='sme.enabled' and 'encrypted transparently' in c['detail'] for c in j['checks']) and not any('did not enable SME' in c['detail'] for c in j['checks'])"

# lock != enable (Table 4-2 bits 0 and 1): each read from its own bit.
case_ tests/profiles/checks/intel-locked-off.prof 1 "$CONTRACT" \
	"j['tme']['locked'] and not j['tme']['enabled'] and $V('tme.locked') == ['PASS'] and $V('tme.enabled') == ['FAIL']"
case_ tests/profiles/checks/intel-enabled-unlocked.prof 1 "$CONTRACT" \
	"j['tme']['enabled'] and not j['tme']['locked'] and $V('tme.locked') == ['FAIL'] and $V('tme.enabled') == ['PASS']"

((contract_bad == 0 && contract_ok > 0)) && pass "the JSON contract (every documented field) held on all $contract_ok cases" ||
	fail "the JSON contract held on $contract_ok cases and failed on $contract_bad"

# People's output: result lines and one SUMMARY line.
$M check --profile profiles/sapphire-rapids-locked.prof > "$tmp/out.txt" 2>&1
if grep -q '^PASS: tme: locked: ' "$tmp/out.txt" && [ "$(grep -c '^SUMMARY: ' "$tmp/out.txt")" = 1 ] \
	&& ! grep -qv '^\(PASS\|FAIL\|WARN\|SKIP\|INFO\|SUMMARY\): ' "$tmp/out.txt"; then
	pass "text output: one result a line and a SUMMARY line"
else
	fail "text output ($(head -c 300 "$tmp/out.txt"))"
fi

# Bad input: status 2 and a message naming file:line or the argument.
err2() {  # what, expected message part, args...
	local what=$1 want=$2; shift 2
	$M check "$@" > "$tmp/out" 2> "$tmp/err"; local rc=$?
	if [ $rc = 2 ] && grep -qF -- "$want" "$tmp/err" && [ ! -s "$tmp/out" ]; then
		pass "$what: status 2, '$(head -c 120 "$tmp/err" | tr -d '\n')'"
	else
		fail "$what (expected status 2 and '$want', got $rc: $(cat "$tmp/err"))"
	fi
}
err2 "bad profile" "tests/profiles/checks/bad-line.prof:3:" --profile tests/profiles/checks/bad-line.prof
err2 "missing profile" "$tmp/nope.prof" --profile "$tmp/nope.prof"
err2 "unknown argument" "--frobnicate" --frobnicate
err2 "--profile without a file" "--profile needs a FILE" --profile

exit $((fails > 0))
