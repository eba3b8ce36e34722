// SPDX-License-Identifier: GPL-2.0-only
/* igvm_print(): every record of a parsed file, one line each. */
#include <inttypes.h>

#include "igvm/igvm.h"

static void print_init(const struct igvm_init *n, FILE *out)
{
	fprintf(out, "  0x%06x %-22s mask 0x%x", n->off, igvm_vht_name(n->type), n->mask);
	switch (n->type) {
	case IGVM_VHT_GUEST_POLICY:
		fprintf(out, " policy 0x%" PRIx64, n->u.policy);
		break;
	case IGVM_VHT_RELOCATABLE_REGION:
		fprintf(out, " gpa 0x%" PRIx64 " size 0x%" PRIx64 " align 0x%" PRIx64
			" (not relocated)", n->u.reloc.gpa, n->u.reloc.size, n->u.reloc.align);
		break;
	case IGVM_VHT_PAGE_TABLE_RELOCATION:
		fprintf(out, " gpa 0x%" PRIx64 " size 0x%" PRIx64, n->u.pt_reloc.gpa,
			n->u.pt_reloc.size);
		break;
	case IGVM_VHT_CORIM_DOCUMENT:
	case IGVM_VHT_CORIM_SIGNATURE:
		fprintf(out, " %u bytes", n->u.corim.len);
		break;
	}
	fputc('\n', out);
}

static const char *page_type_name(uint16_t t)
{
	static const char *const names[] = { "normal", "secrets", "cpuid", "cpuid-xf" };

	return t < 4 ? names[t] : "?";
}

static void print_dir(const struct igvm_dir *d, FILE *out)
{
	fprintf(out, "  0x%06x %-22s", d->off, igvm_vht_name(d->type));
	if (d->mask != IGVM_MASK_ALL)
		fprintf(out, " mask 0x%x", d->mask);
	switch (d->type) {
	case IGVM_VHT_PAGE_DATA:
		fprintf(out, " gpa 0x%" PRIx64 " %s%s%s%s%s", d->u.page.gpa,
			page_type_name(d->u.page.data_type),
			d->u.page.data ? " data" : " zero",
			d->u.page.flags & IGVM_PAGE_2MB ? " 2M" : "",
			d->u.page.flags & IGVM_PAGE_UNMEASURED ? " unmeasured" : "",
			d->u.page.flags & IGVM_PAGE_SHARED ? " shared" : "");
		break;
	case IGVM_VHT_PARAMETER_AREA:
		fprintf(out, " area %u size 0x%" PRIx64 "%s", d->u.area.index, d->u.area.size,
			d->u.area.data ? " initial data" : "");
		break;
	case IGVM_VHT_PARAMETER_INSERT:
		fprintf(out, " area %u at gpa 0x%" PRIx64 " (0x%" PRIx64 " bytes)",
			d->u.insert.index, d->u.insert.gpa, d->u.insert.size);
		break;
	case IGVM_VHT_VP_CONTEXT:
		fprintf(out, " vcpu %u %s gpa 0x%" PRIx64, d->u.vp.vp_index,
			igvm_platform_name(d->u.vp.platform), d->u.vp.gpa);
		break;
	case IGVM_VHT_REQUIRED_MEMORY:
	case IGVM_VHT_ERROR_RANGE:
		fprintf(out, " gpa 0x%" PRIx64 " size 0x%x", d->u.range.gpa, d->u.range.size);
		break;
	case IGVM_VHT_SNP_ID_BLOCK:
	case IGVM_VHT_VBS_MEASUREMENT:
		break;
	default:
		fprintf(out, " area %u offset 0x%x", d->u.param.index, d->u.param.offset);
	}
	fputc('\n', out);
}

void igvm_print(const struct igvm_file *f, FILE *out)
{
	unsigned int i;

	fprintf(out, "IGVM version %u, %zu bytes, data at 0x%x, %u platforms, %u "
		"initialization and %u directive headers, %u optional headers skipped\n",
		f->version, f->len, f->data_off, f->nr_platforms, f->nr_inits, f->nr_dirs,
		f->nr_skipped);
	for (i = 0; i < f->nr_platforms; i++) {
		const struct igvm_platform *p = &f->platforms[i];

		fprintf(out, "  platform %-6s mask 0x%x vtl %u version %u shared-gpa 0x%" PRIx64
			"\n", igvm_platform_name(p->type), p->mask, p->highest_vtl, p->version,
			p->shared_gpa_boundary);
	}
	for (i = 0; i < f->nr_inits; i++)
		print_init(&f->inits[i], out);
	for (i = 0; i < f->nr_dirs; i++)
		print_dir(&f->dirs[i], out);
}
