; Kernel entry: called by the UEFI stage as void kernel_entry(struct
; mc_handoff *) (System V ABI, RDI = handoff), interrupts off, on the
; firmware's page tables. We switch to our own stack at once: the firmware's
; stack belongs to boot-services memory we no longer trust.
bits 64
default rel

section .text.entry
global kernel_entry
extern kmain

kernel_entry:
	cli
	lea rsp, [kernel_stack_top]
	xor ebp, ebp
	call kmain wrt ..plt
.hang:	cli
	hlt
	jmp .hang

; The stack sits on a page boundary with a guard page below it, which the
; kernel's identity map leaves out (kernel/paging_setup.c): an overflow is a
; #PF that cannot be delivered, hence a #DF on IST1, reported (kernel/panic.c).
section .bss nobits alloc noexec write align=4096
global kernel_stack_guard, kernel_stack_bottom
kernel_stack_guard:
	resb 4096
kernel_stack_bottom:
	resb 65536
kernel_stack_top:
global kernel_ist_stack_top
	resb 16384
kernel_ist_stack_top:

section .note.GNU-stack noalloc noexec nowrite progbits
