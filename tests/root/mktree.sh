# Sourced by tests that build a Linux root tree for `memcrypt check --root
# DIR` (docs/report-format.md, "--root"): the files stand for the drivers'
# nodes as host/live_platform.c reads them. A regular file cannot hold the
# drivers' overlapping records, so record i sits at i * record size: that is
# what `dd bs=8 seek=MSR` and `dd bs=16 seek=$((LEAF | SUBLEAF << 32))`
# write. The files are sparse: the holes read as zero, an MSR past the end
# of its file #GPs.

le32() { printf '%08x' $(( $1 & 0xffffffff )) | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/'; }
le64() { printf '%s%s' "$(le32 $(( $1 & 0xffffffff )))" "$(le32 $(( ($1 >> 32) & 0xffffffff )))"; }

# tree_cpus DIR N: N online CPUs in package 0.
tree_cpus() {
	local d=$1 n
	for ((n = 0; n < $2; n++)); do
		mkdir -p "$d/dev/cpu/$n" "$d/sys/devices/system/cpu/cpu$n/topology"
		echo 0 > "$d/sys/devices/system/cpu/cpu$n/topology/physical_package_id"
		: >> "$d/dev/cpu/$n/msr"; : >> "$d/dev/cpu/$n/cpuid"
	done
}

# tree_cpuid DIR LEAF SUBLEAF EAX EBX ECX EDX: on every CPU of the tree.
tree_cpuid() {
	local d=$1 leaf=$2 sub=$3 c
	for c in "$d"/dev/cpu/[0-9]*; do
		printf '%s%s%s%s' "$(le32 "$4")" "$(le32 "$5")" "$(le32 "$6")" "$(le32 "$7")" | xxd -r -p |
			dd of="$c/cpuid" bs=16 seek=$(( leaf | sub << 32 )) conv=notrunc status=none
	done
}

# tree_msr DIR MSR VALUE [CPU]: on every CPU, or on CPU only.
tree_msr() {
	local d=$1 msr=$2 v=$3 c
	for c in "$d"/dev/cpu/${4:-[0-9]*}; do
		le64 "$v" | xxd -r -p | dd of="$c/msr" bs=8 seek=$(( msr )) conv=notrunc status=none
	done
}

# tree_file DIR LINUX-PATH TEXT
tree_file() {
	mkdir -p "$(dirname "$1$2")"
	printf '%s\n' "$3" > "$1$2"
}

# tree_kmsg DIR LINE...: /dev/kmsg records "prio,seq,usec,flags;text", one
# continuation line (" SUBSYSTEM=...") after each, as the device gives them.
tree_kmsg() {
	local d=$1 seq=0 l
	shift
	mkdir -p "$d/dev"
	: > "$d/dev/kmsg"
	for l in "$@"; do
		printf '6,%d,%d,-;%s\n SUBSYSTEM=test\n' $seq $((seq * 1000)) "$l" >> "$d/dev/kmsg"
		seq=$((seq + 1))
	done
}

# tree_ram DIR END: one "System RAM" range 0x100000..END in the firmware map.
tree_ram() {
	tree_file "$1" /sys/firmware/memmap/0/start 0x100000
	tree_file "$1" /sys/firmware/memmap/0/end "$2"
	tree_file "$1" /sys/firmware/memmap/0/type "System RAM"
}

# tree_kvm DIR MODULE PARAM Y|N
tree_kvm() {
	tree_file "$1" "/sys/module/$2/parameters/$3" "$4"
}

# The Intel TDX host of the tests: Sapphire Rapids class, MAXPHYADDR 52,
# TME+MKTME locked with 6 KeyID bits (63 KeyIDs), 31 MKTME + 32 TDX
# KeyIDs (MSR 0x87), SEAMRR (IA32_MTRRCAP[15]) enabled; Linux agrees (the kernel lines of
# intel.c and arch/x86/virt/vmx/tdx), KVM TDX on.
tree_intel_tdx() {
	local d=$1
	tree_cpus "$d" 2
	tree_cpuid "$d" 0 0 0x20 0x756e6547 0x6c65746e 0x49656e69
	tree_cpuid "$d" 1 0 0x806f8 0 0 0
	tree_cpuid "$d" 7 0 0 0 $((1 << 13)) $((1 << 18))
	tree_cpuid "$d" 0x1b 0 1 1 0 0
	tree_cpuid "$d" 0x80000000 0 0x80000008 0 0 0
	tree_cpuid "$d" 0x80000008 0 0x3034 0 0 0
	tree_msr "$d" 0x981 0x000003f680000005          # XTS-128/256, bypass cap, 6 bits, 63 keys
	tree_msr "$d" 0x982 0x0001000600000003          # lock, enable, 6 KeyID bits, XTS-128
	tree_msr "$d" 0x983 0
	tree_msr "$d" 0x984 0
	tree_msr "$d" 0x9ff 0x0000000600000000
	tree_msr "$d" 0x87 $(( (32 << 32) | 31 ))       # 31 MKTME, 32 TDX private KeyIDs
	tree_msr "$d" 0xfe 0x8d0a                       # IA32_MTRRCAP: bit 15 SEAMRR
	tree_msr "$d" 0x1400 0x7f000000
	tree_msr "$d" 0x1401 $(( 0xfff000000 | (1 << 11) ))
	tree_file "$d" /proc/cpuinfo "$(printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vme pae tme pconfig\n')"
	tree_kmsg "$d" "Linux version 6.16.0" "x86/tme: enabled by BIOS" \
		"x86/mktme: BIOS enabled: x86_phys_bits reduced by 6" \
		"virt/tdx: BIOS enabled: private KeyID range [32, 64)" "virt/tdx: module initialized"
	tree_kvm "$d" kvm_intel tdx Y
}

# The AMD SNP host of the tests: EPYC Genoa class, SME SEV SEV-ES SNP VMPL,
# C-bit 51, 1006 ASIDs from 100 (99 SEV-ES/SNP ASIDs); SYSCFG[23..25] set,
# SMM locked, RMP reserved; the kernel did not activate SME (mem_encrypt
# off), kvm_amd has SEV, SEV-ES and SNP.
tree_amd_snp() {
	local d=$1
	tree_cpus "$d" 2
	tree_cpuid "$d" 0 0 0x10 0x68747541 0x444d4163 0x69746e65
	tree_cpuid "$d" 1 0 0xa10f11 0 0 0
	tree_cpuid "$d" 0x80000000 0 0x80000021 0 0 0
	tree_cpuid "$d" 0x80000008 0 0x3034 0 0 0
	tree_cpuid "$d" 0x8000001f 0 0x0001043f $(( 51 | (1 << 6) | (4 << 12) )) 1006 100
	tree_msr "$d" 0xc0010010 $(( (1 << 23) | (1 << 24) | (1 << 25) | (1 << 18) ))
	tree_msr "$d" 0xc0010015 0x9000011
	tree_msr "$d" 0xc0010132 0x7ff00000
	tree_msr "$d" 0xc0010133 0x800fffff
	tree_file "$d" /proc/cpuinfo "$(printf 'processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu svm sev sev_es sev_snp\n')"
	tree_kmsg "$d" "SEV-SNP: RMP table physical range [0x000000007ff00000 - 0x00000000800fffff]" \
		"kvm_amd: SEV enabled (ASIDs 100 - 1006)" "kvm_amd: SEV-ES enabled (ASIDs 1 - 99)" \
		"kvm_amd: SEV-SNP enabled (ASIDs 1 - 99)" "ccp 0000:01:00.5: SEV API:1.55 build:21"
	tree_kvm "$d" kvm_amd sev Y
	tree_kvm "$d" kvm_amd sev_es Y
	tree_kvm "$d" kvm_amd sev_snp Y
}
