// SPDX-License-Identifier: GPL-2.0-only
/*
 * VP contexts: the SNP VMSA page checked against what cvmm can hand KVM,
 * and the native x86-64 context (IgvmNativeVpContextX64).
 */
#include <errno.h>
#include <string.h>

#include "igvm/igvm_internal.h"
#include "measure/vmsa.h"

#define EFER_SVME	(1ULL << 12)
#define CR4_MCE		(1ULL << 6)
#define CR0_PE		(1ULL << 0)
#define CR0_NW		(1ULL << 29)
#define CR0_CD		(1ULL << 30)
#define CR0_PG		(1ULL << 31)
#define SEV_FEAT_SNP	(1ULL << 0)
#define RFLAGS_FIXED	(1ULL << 1)
#define DR7_FIXED	(1ULL << 10)

/* Named areas of struct sev_es_save_area outside struct vmsa_state. */
static const char *vmsa_field(unsigned int off)
{
	static const struct {
		unsigned int start, end;
		const char *name;
	} areas[] = {
		{ 0x0a0, 0x0c8, "the shadow-stack pointers / U_CET" },
		{ 0x0ca, 0x0cb, "VMPL" },
		{ 0x0cb, 0x0cc, "CPL" },
		{ 0x180, 0x1c0, "DR0-DR3 or their address masks" },
		{ 0x1e0, 0x1f8, "S_CET / SSP / ISST_ADDR" },
		{ 0x200, 0x240, "STAR/LSTAR/CSTAR/SFMASK/KERNEL_GS_BASE/SYSENTER" },
		{ 0x270, 0x298, "DBGCTL or the LBR registers" },
		{ 0x340, 0x380, "R8-R15" },
		{ 0x3b8, 0x3e8, "the VINTR/exit/TOM/TLB/event fields" },
		{ 0x400, 0x408, "X87_DP" },
		{ 0x40c, 0x410, "the x87 tag/status word" },
		{ 0x412, 0x420, "the x87 opcode/pointers" },
		{ 0x420, 0x1000, "the FPU/SSE/AVX register file" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(areas); i++)
		if (off >= areas[i].start && off < areas[i].end)
			return areas[i].name;
	return "a field outside cvmm's register state";
}

static void vmsa_read(const uint8_t *pg, struct vmsa_state *s)
{
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < VMSA_NR_SEGS; i++) {
		const uint8_t *p = pg + VMSA_OFF_SEG(i);

		s->seg[i].selector = get_le16(p);
		s->seg[i].attrib = get_le16(p + 2);
		s->seg[i].limit = get_le32(p + 4);
		s->seg[i].base = get_le64(p + 8);
	}
	s->efer = get_le64(pg + VMSA_OFF_EFER);
	s->xss = get_le64(pg + VMSA_OFF_XSS);
	s->cr4 = get_le64(pg + VMSA_OFF_CR4);
	s->cr3 = get_le64(pg + VMSA_OFF_CR3);
	s->cr0 = get_le64(pg + VMSA_OFF_CR0);
	s->dr7 = get_le64(pg + VMSA_OFF_DR7);
	s->dr6 = get_le64(pg + VMSA_OFF_DR6);
	s->rflags = get_le64(pg + VMSA_OFF_RFLAGS);
	s->rip = get_le64(pg + VMSA_OFF_RIP);
	s->rsp = get_le64(pg + VMSA_OFF_RSP);
	s->rax = get_le64(pg + VMSA_OFF_RAX);
	s->cr2 = get_le64(pg + VMSA_OFF_CR2);
	s->g_pat = get_le64(pg + VMSA_OFF_G_PAT);
	s->rcx = get_le64(pg + VMSA_OFF_RCX);
	s->rdx = get_le64(pg + VMSA_OFF_RDX);
	s->rbx = get_le64(pg + VMSA_OFF_RBX);
	s->rbp = get_le64(pg + VMSA_OFF_RBP);
	s->rsi = get_le64(pg + VMSA_OFF_RSI);
	s->rdi = get_le64(pg + VMSA_OFF_RDI);
	s->sev_features = get_le64(pg + VMSA_OFF_SEV_FEATURES);
	s->xcr0 = get_le64(pg + VMSA_OFF_XCR0);
	s->mxcsr = get_le32(pg + VMSA_OFF_MXCSR);
	s->x87_fcw = get_le16(pg + VMSA_OFF_X87_FCW);
}

/*
 * Segment fields KVM cannot carry (coco/kvm/kvm_vmsa.c): KVM_SET_SREGS
 * takes GDTR and IDTR as a base and a 16-bit limit, a segment's attributes
 * as the 12 VMCB bits, and svm_set_segment() makes SS.DPL the CPL (which
 * cvmm's VMSA keeps 0).
 */
static const char *vmsa_seg_rule(const struct vmsa_state *s)
{
	unsigned int i;

	for (i = 0; i < VMSA_NR_SEGS; i++) {
		const struct vmsa_seg *g = &s->seg[i];

		if (i == VMSA_GDTR || i == VMSA_IDTR) {
			if (g->selector || g->attrib || g->limit > 0xffff)
				return "GDTR or IDTR has a selector, attributes or a limit "
				       "above 0xffff (KVM takes a base and a 16-bit limit)";
		} else if (g->attrib & 0xf000) {
			return "a segment has attribute bits 12-15 set (KVM keeps 12 bits)";
		}
	}
	if (s->seg[VMSA_SS].attrib & 0x60)
		return "SS.DPL is not 0 (KVM makes it the CPL, which must be 0)";
	return NULL;
}

static const char *vmsa_reg_rule(const struct vmsa_state *s)
{
	if (!(s->sev_features & SEV_FEAT_SNP))
		return "SEV_FEATURES lacks SNPActive (bit 0)";
	if (!(s->efer & EFER_SVME))
		return "EFER.SVME is clear (KVM sets it)";
	if (!(s->cr4 & CR4_MCE))
		return "CR4.MCE is clear (KVM sets the host's)";
	if (s->cr0 & (CR0_CD | CR0_NW))
		return "CR0.CD or CR0.NW is set (KVM clears them)";
	if ((s->cr0 & CR0_PG) && !(s->cr0 & CR0_PE))
		return "CR0.PG is set without CR0.PE (KVM refuses it)";
	if (!(s->rflags & RFLAGS_FIXED))
		return "RFLAGS bit 1 is clear (KVM sets it)";
	if ((s->dr7 & ~DR7_FIXED) || (s->dr6 >> 32))
		return "DR7 has breakpoints or DR6 upper bits (KVM refuses them)";
	return NULL;
}

static int vmsa_kvm_rules(const struct vmsa_state *s, struct err_msg *err)
{
	const char *why = vmsa_reg_rule(s);

	if (!why)
		why = vmsa_seg_rule(s);
	if (!why)
		return 0;
	err_set(err, "VMSA: %s, so KVM's VMSA would not be the file's", why);
	return -EINVAL;
}

int igvm_vmsa_decode(const uint8_t page[4096], struct vmsa_state *out,
		     struct err_msg *err)
{
	uint8_t rebuilt[VMSA_PAGE_SIZE];
	unsigned int i;

	vmsa_read(page, out);
	vmsa_build(out, rebuilt);
	for (i = 0; i < VMSA_PAGE_SIZE; i++) {
		if (page[i] != rebuilt[i]) {
			err_set(err, "VMSA byte 0x%03x (%s) is set; cvmm cannot give "
				     "KVM that field", i, vmsa_field(i));
			return -EINVAL;
		}
	}
	return vmsa_kvm_rules(out, err);
}

uint64_t igvm_vmsa_sev_features(const uint8_t page[4096])
{
	return get_le64(page + VMSA_OFF_SEV_FEATURES);
}

void igvm_native_decode(const uint8_t d[IGVM_NATIVE_CTX_LEN], struct igvm_native_ctx *c)
{
	uint64_t *gpr[] = {
		&c->rax, &c->rcx, &c->rdx, &c->rbx, &c->rsp, &c->rbp, &c->rsi, &c->rdi,
		&c->r8, &c->r9, &c->r10, &c->r11, &c->r12, &c->r13, &c->r14, &c->r15,
		&c->rip, &c->rflags, &c->idtr_base,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(gpr); i++)
		*gpr[i] = get_le64(d + 8 * i);
	c->idtr_limit = get_le16(d + 0x98);
	c->gdtr_limit = get_le16(d + 0x9e);
	c->gdtr_base = get_le64(d + 0xa0);
	c->code_selector = get_le16(d + 0xa8);
	c->code_attributes = get_le16(d + 0xaa);
	c->code_base = get_le32(d + 0xac);
	c->code_limit = get_le32(d + 0xb0);
	c->data_selector = get_le16(d + 0xb4);
	c->data_attributes = get_le16(d + 0xb6);
	c->data_base = get_le32(d + 0xb8);
	c->data_limit = get_le32(d + 0xbc);
	c->gs_base = get_le64(d + 0xc0);
	c->cr0 = get_le64(d + 0xc8);
	c->cr3 = get_le64(d + 0xd0);
	c->cr4 = get_le64(d + 0xd8);
	c->efer = get_le64(d + 0xe0);
}

/* Descriptor attribute bits 0-7 and 12-15 (G, D/B, L, AVL) -> VMCB's 12-bit form. */
static uint16_t vmcb_attr(uint16_t a)
{
	return (uint16_t)((a & 0xff) | ((a >> 4) & 0xf00));
}

static void seg_set(struct vmsa_seg *s, uint16_t sel, uint16_t attr, uint32_t limit,
		    uint64_t base)
{
	s->selector = sel;
	s->attrib = attr;
	s->limit = limit;
	s->base = base;
}

int igvm_native_to_state(const struct igvm_native_ctx *c, struct vmsa_state *s,
			 struct err_msg *err)
{
	static const enum vmsa_seg_idx data_segs[] = { VMSA_DS, VMSA_ES, VMSA_FS, VMSA_SS };
	uint16_t da = vmcb_attr(c->data_attributes);
	unsigned int i;

	if (c->r8 | c->r9 | c->r10 | c->r11 | c->r12 | c->r13 | c->r14 | c->r15) {
		err_set(err, "native VP context: R8-R15 are set; cvmm cannot give "
			     "them to vCPU 0 yet");
		return -EINVAL;
	}
	memset(s, 0, sizeof(*s));
	seg_set(&s->seg[VMSA_CS], c->code_selector, vmcb_attr(c->code_attributes),
		c->code_limit, c->code_base);
	for (i = 0; i < ARRAY_SIZE(data_segs); i++)
		seg_set(&s->seg[data_segs[i]], c->data_selector, da, c->data_limit,
			c->data_base);
	seg_set(&s->seg[VMSA_GS], c->data_selector, da, c->data_limit, c->gs_base);
	seg_set(&s->seg[VMSA_GDTR], 0, 0, c->gdtr_limit, c->gdtr_base);
	seg_set(&s->seg[VMSA_IDTR], 0, 0, c->idtr_limit, c->idtr_base);
	seg_set(&s->seg[VMSA_LDTR], 0, 0x82, 0xffff, 0);
	seg_set(&s->seg[VMSA_TR], 0, 0x8b, 0xffff, 0);
	s->rax = c->rax;
	s->rcx = c->rcx;
	s->rdx = c->rdx;
	s->rbx = c->rbx;
	s->rsp = c->rsp;
	s->rbp = c->rbp;
	s->rsi = c->rsi;
	s->rdi = c->rdi;
	s->rip = c->rip;
	s->rflags = c->rflags;
	s->cr0 = c->cr0;
	s->cr3 = c->cr3;
	s->cr4 = c->cr4;
	s->efer = c->efer;
	s->dr6 = 0xffff0ff0;
	s->dr7 = 0x400;
	s->g_pat = 0x0007040600070406ULL;
	s->xcr0 = 1;
	s->mxcsr = 0x1f80;
	s->x87_fcw = 0x37f;
	return 0;
}
