#!/bin/bash
# `memcrypt check --root DIR` and `dump-profile --root DIR` on Linux root
# trees built here (tests/root/mktree.sh): an Intel TDX host, an AMD SNP
# host, kernels that disagree with the registers (must FAIL), a permission
# problem (SKIP with the reason), and a capture that replays whole: the
# linux.*, kvm.* and psp.* verdicts of `check --profile CAPTURE` are those
# of `check --root DIR`. The kvm.* verdicts rest on facts (JSON
# tme.tdx_keyids, sme.smm_locked) that tests/cli/check-profiles.sh's JSON
# contract requires of every build: asserted always, never turned into a
# SKIP when the facts are missing (that was an escape clause).
cd "$(dirname "$0")/../.." || exit 1
. tests/root/mktree.sh
M=build/host/memcrypt
fails=0
pass() { echo "PASS: check-root: $*"; }
fail() { echo "FAIL: check-root: $*"; fails=$((fails + 1)); }
skip() { echo "SKIP: check-root: $*"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"

# run NAME ARGS...: check --json into $tmp/NAME.json, status into rc_NAME.
run() {
	local name=$1; shift
	$M check "$@" --json > "$tmp/$name.json" 2> "$tmp/$name.err"
	eval "rc_$name=$?"
}
# v NAME ID: "VERDICT: detail" of result ID, or "none".
v() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); r=[c for c in j["checks"] if c["id"]==sys.argv[2]]; print(r[0]["verdict"]+": "+r[0]["detail"] if r else "none")' "$tmp/$1.json" "$2"
}
q() { python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$tmp/$1.json" "$2"; }
# expect NAME ID VERDICT [TEXT...]: result ID has VERDICT and mentions each TEXT.
expect() {
	local name=$1 id=$2 want=$3 got; shift 3
	got=$(v "$name" "$id")
	local ok=1 t
	[[ "$got" == "$want:"* ]] || ok=0
	for t in "$@"; do [[ "$got" == *"$t"* ]] || ok=0; done
	if ((ok)); then pass "$name: $id is $want${*:+ mentioning $*} ($got)"; else fail "$name: $id: expected $want${*:+ mentioning $*}, got '$got'"; fi
}
# status NAME: the command's status is its verdicts' (1 exactly when a
# check FAILed, counted from the checks list).
status_ok() {
	local name=$1 rc nf
	eval "rc=\$rc_$name"
	nf=$(q "$name" 'sum(1 for c in j["checks"] if c["verdict"]=="FAIL")')
	[ "$rc" = "$((nf > 0))" ]
}

# ---- an Intel TDX host ----------------------------------------------------
tree_intel_tdx "$tmp/intel"
run intel --root "$tmp/intel"
status_ok intel && pass "intel TDX tree: status $rc_intel, as its FAIL verdicts say" || fail "intel TDX tree: status $rc_intel ($(cat "$tmp/intel.err"))"
[ "$(q intel 'j["vendor"], j["phys_bits"], j["cpus"]')" = "('intel', 52, 2)" ] && pass "intel TDX tree: CPUID from dev/cpu/N/cpuid (intel, MAXPHYADDR 52, 2 CPUs)" \
	|| fail "intel TDX tree: facts $(q intel 'j["vendor"], j["phys_bits"], j["cpus"]')"
[ "$(q intel 'j["tme"]["enabled"] and j["tme"]["locked"] and j["tme"]["keyid_bits"]')" = 6 ] && pass "intel TDX tree: MSRs from dev/cpu/N/msr (TME locked, 6 KeyID bits)" \
	|| fail "intel TDX tree: TME facts $(q intel 'j["tme"]')"
expect intel linux.cpuinfo PASS "tme=1"
expect intel linux.dmesg PASS "all agree"
expect intel kvm.tdx PASS "32 private KeyIDs"
[ "$(q intel 'j["psp"]')" = None ] && pass "intel TDX tree: JSON psp is null (no PSP on Intel)" || fail "intel: psp $(q intel 'j["psp"]')"

# ---- an AMD SNP host ------------------------------------------------------
tree_amd_snp "$tmp/amd"
run amd --root "$tmp/amd"
status_ok amd && pass "AMD SNP tree: status $rc_amd, as its FAIL verdicts say" || fail "AMD SNP tree: status $rc_amd ($(cat "$tmp/amd.err"))"
expect amd linux.cpuinfo PASS "sme=0"
expect amd linux.dmesg PASS "all agree"
expect amd kvm.sev PASS "sev=Y"
expect amd kvm.sev_es PASS "sev_es=Y"
expect amd kvm.sev_snp PASS "sev_snp=Y"
expect amd psp.status SKIP "/dev/sev"
# The RAM the RMP must cover comes from the firmware map Linux booted with.
tree_ram "$tmp/amd" 0xfffffff                    # 256 MiB: a 2 MiB RMP covers it
run amdram --root "$tmp/amd"
expect amdram snp.rmp PASS "RAM up to 0x10000000"
tree_ram "$tmp/amd" 0x1ffffffff                  # 8 GiB: it does not
run amdram2 --root "$tmp/amd"
expect amdram2 snp.rmp FAIL "smaller than the"
rm -rf "$tmp/amd/sys/firmware"
[ "$(q amd 'j["psp"]')" = None ] && pass "AMD SNP tree: JSON psp is null when /dev/sev was not read" || fail "amd: psp $(q amd 'j["psp"]')"

# ---- kernels that disagree with the registers -----------------------------
# Intel: ACTIVATE reads lock+enable, the kernel says not enabled and has
# cleared the tme flag.
tree_intel_tdx "$tmp/liar"
tree_file "$tmp/liar" /proc/cpuinfo "$(printf 'processor\t: 0\nflags\t\t: fpu vme pae pconfig\n')"
tree_kmsg "$tmp/liar" "x86/tme: not enabled by BIOS"
run liar --root "$tmp/liar"
[ "$rc_liar" = 1 ] && pass "disagreeing Intel kernel: status 1" || fail "disagreeing Intel kernel: status $rc_liar"
expect liar linux.cpuinfo FAIL "lacks 'tme'" "lock+enable"
expect liar linux.dmesg FAIL "x86/tme: not enabled by BIOS" "IA32_TME_ACTIVATE=0x0001000600000003 lock+enable"
# Intel: MK_TME_KEYID_BITS is 6, the kernel says it reduced by 4.
tree_kmsg "$tmp/liar" "x86/tme: enabled by BIOS" "x86/mktme: BIOS enabled: x86_phys_bits reduced by 4"
run liar2 --root "$tmp/liar"
expect liar2 linux.dmesg FAIL "reduced by 4" "MK_TME_KEYID_BITS 6"
# AMD: KVM claims SEV-ES with min SEV ASID 1 (no SEV-ES ASIDs), and ASIDs
# that are not CPUID's.
tree_amd_snp "$tmp/amdliar"
tree_cpuid "$tmp/amdliar" 0x8000001f 0 0x0001043f $(( 51 | (1 << 6) | (4 << 12) )) 1006 1
tree_kmsg "$tmp/amdliar" "kvm_amd: SEV enabled (ASIDs 100 - 509)"
run amdliar --root "$tmp/amdliar"
[ "$rc_amdliar" = 1 ] && pass "disagreeing AMD kernel: status 1" || fail "disagreeing AMD kernel: status $rc_amdliar"
expect amdliar kvm.sev_es FAIL "sev_es=Y" "min SEV ASID 1"
expect amdliar kvm.sev_snp FAIL "sev_snp=Y"
expect amdliar linux.dmesg FAIL "ASIDs 100 - 509" "ECX=1006 EDX=1"
# AMD: SYSCFG[23] clear, yet the kernel shows sme.
tree_amd_snp "$tmp/smeliar"
tree_msr "$tmp/smeliar" 0xc0010010 0
tree_file "$tmp/smeliar" /proc/cpuinfo "$(printf 'flags\t\t: fpu sme\n')"
run smeliar --root "$tmp/smeliar"
expect smeliar linux.cpuinfo FAIL "shows 'sme'" "SYSCFG[23] clear"
expect smeliar kvm.sev FAIL "sev=Y" "SYSCFG[23] clear"

# ---- a permission problem: SKIP with the reason, never a verdict ----------
tree_amd_snp "$tmp/perm"
chmod -R a+rX "$tmp/perm"
chmod 000 "$tmp/perm/proc/cpuinfo" "$tmp/perm/dev/kmsg"
if ((EUID == 0)); then
	if command -v setpriv > /dev/null; then
		asuser=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	else
		asuser=()
	fi
else
	asuser=(env)
fi
if ((${#asuser[@]})); then
	"${asuser[@]}" $M check --root "$tmp/perm" --json > "$tmp/perm.json" 2> "$tmp/perm.err"; rc_perm=$?
	[ "$rc_perm" = 0 ] && pass "unreadable cpuinfo and kmsg: status 0 (nothing failed)" || fail "permission tree: status $rc_perm ($(cat "$tmp/perm.err"))"
	expect perm linux.cpuinfo SKIP "/proc/cpuinfo: Permission denied"
	expect perm linux.dmesg SKIP "/dev/kmsg: Permission denied"
	chmod 000 "$tmp/perm/dev/cpu/0/msr"
	"${asuser[@]}" $M check --root "$tmp/perm" > "$tmp/perm.out" 2> "$tmp/perm.err"; rc=$?
	[ $rc = 2 ] && grep -q "cannot read MSRs: .*dev/cpu/0/msr: Permission denied" "$tmp/perm.err" && [ ! -s "$tmp/perm.out" ] \
		&& pass "unreadable msr node: status 2, '$(head -c 140 "$tmp/perm.err")', no verdicts" \
		|| fail "unreadable msr node: status $rc ($(cat "$tmp/perm.err"))"
else
	skip "running as root without setpriv: no way to be refused a file"
fi

# ---- a capture replays whole ----------------------------------------------
SAME='import json,sys
a,b=(json.load(open(f)) for f in sys.argv[1:3])
k=lambda j: sorted((c["id"],c["verdict"]) for c in j["checks"] if c["id"].split(".")[0] in ("linux","kvm","psp"))
print(k(a)==k(b) and a["psp"]==b["psp"], k(a), k(b))'
for t in intel amd liar amdliar; do
	$M dump-profile --root "$tmp/$t" "$tmp/$t.prof" 2> "$tmp/dump.err" || { fail "$t: dump-profile --root failed ($(cat "$tmp/dump.err"))"; continue; }
	run "${t}_replay" --profile "$tmp/$t.prof"
	run "${t}_again" --root "$tmp/$t"
	same=$(python3 -c "$SAME" "$tmp/${t}_again.json" "$tmp/${t}_replay.json" 2>&1)
	[[ "$same" == True* ]] && pass "$t: check --profile CAPTURE gives the linux/kvm/psp verdicts of check --root ($(grep -c '^os ' "$tmp/$t.prof") os lines)" \
		|| fail "$t: replay differs: $same"
done
# A capture whose PSP answered (os psp): psp.status and the JSON psp member.
sed -e 's/^os unread psp .*/os psp api 1.55 build 21 state 2 guests 3 flags 0x100/' \
    -e 's/^os unread snp .*/os snp api 1.55 build 21 state 1 guests 3 rmp-init 1 tcb 0x0/' "$tmp/amd.prof" > "$tmp/amdpsp.prof"
run amdpsp --profile "$tmp/amdpsp.prof"
expect amdpsp psp.status PASS "SEV API 1.55 build 21, WORKING, 3 guests" "SNP API 1.55"
[ "$(q amdpsp 'j["psp"]')" = "{'api': '1.55', 'build': 21, 'state': 2, 'guests': 3}" ] \
	&& pass "JSON psp: $(q amdpsp 'j["psp"]')" || fail "JSON psp: $(q amdpsp 'j["psp"]')"
sed -e 's/^os psp .*/os psp api 1.55 build 21 state 1 guests 3 flags 0x100/' "$tmp/amdpsp.prof" > "$tmp/amdpsp2.prof"
run amdpsp2 --profile "$tmp/amdpsp2.prof"
expect amdpsp2 psp.status FAIL "3 guests in state INIT"
printf 'cpus 1\nos kvm sev maybe\n' > "$tmp/bad.prof"
$M check --profile "$tmp/bad.prof" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "bad.prof:2: os kvm needs" "$tmp/err" && pass "a bad os line: status 2, '$(cat "$tmp/err")'" || fail "bad os line: status $rc ($(cat "$tmp/err"))"
grep -q '^os kmsg x86/mktme: BIOS enabled: x86_phys_bits reduced by 4$' "$tmp/liar.prof" && pass "dump-profile writes kernel-log lines verbatim" || fail "kmsg line not in the capture"

# ---- contracts: arguments and trees that cannot be read -------------------
$M check --root "$tmp/nonexistent" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "no CPUs under /dev/cpu" "$tmp/err" && [ ! -s "$tmp/out" ] && pass "--root without CPUs: status 2, '$(cat "$tmp/err")'" \
	|| fail "--root nonexistent: status $rc ($(cat "$tmp/err"))"
mkdir -p "$tmp/nomsr/dev/cpu/0"
tree_cpuid "$tmp/nomsr" 0 0 0x10 0x68747541 0x444d4163 0x69746e65
tree_cpuid "$tmp/nomsr" 0x80000000 0 0x8000001f 0 0 0
tree_cpuid "$tmp/nomsr" 0x8000001f 0 1 $(( 47 | (5 << 6) )) 0 0
$M check --root "$tmp/nomsr" > "$tmp/out" 2> "$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "dev/cpu/0/msr does not exist" "$tmp/err" && pass "--root without msr nodes: status 2, '$(head -c 140 "$tmp/err")'" \
	|| fail "--root without msr: status $rc ($(cat "$tmp/err"))"
$M check --root > /dev/null 2> "$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q -- "--root needs a DIR" "$tmp/err" && pass "--root without DIR: status 2" || fail "--root without DIR: status $rc"
$M check --profile profiles/icelake-sp.prof --root "$tmp/intel" > /dev/null 2> "$tmp/err"; rc=$?
[ $rc = 2 ] && grep -q "exclude each other" "$tmp/err" && pass "--profile with --root: status 2" || fail "--profile with --root: status $rc"
$M dump-profile --root "$tmp/intel" a b > /dev/null 2>&1; [ $? = 2 ] && pass "dump-profile --root DIR with two files: status 2" || fail "dump-profile two files not refused"
$M check --root "$tmp/intel" > "$tmp/out.txt"
grep -q '^PASS: linux: cpuinfo: ' "$tmp/out.txt" && ! grep -qv '^\(PASS\|FAIL\|WARN\|SKIP\|INFO\|SUMMARY\): ' "$tmp/out.txt" \
	&& pass "text output under --root: one result a line" || fail "text output ($(head -c 300 "$tmp/out.txt"))"

exit $((fails > 0))
