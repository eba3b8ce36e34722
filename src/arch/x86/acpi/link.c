// SPDX-License-Identifier: GPL-2.0-only
/*
 * The link list (pointers and checksums to fix up), and its two consumers:
 * direct install into guest RAM and QEMU's table-loader command stream.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/acpi/build.h"
#include "util/compiler.h"

int acpi_builder_err(const struct acpi_builder *bld)
{
	unsigned int i;

	if (bld->err)
		return bld->err;
	for (i = 0; i < ACPI_NR_FILES; i++)
		if (bld->files[i].err)
			return bld->files[i].err;
	return 0;
}

static struct acpi_link *link_new(struct acpi_builder *bld)
{
	struct acpi_link *l;

	if (bld->err)
		return NULL;
	if (bld->nr_links == bld->cap_links) {
		unsigned int cap = bld->cap_links ? bld->cap_links * 2 : 32;

		l = realloc(bld->links, cap * sizeof(*l));
		if (!l) {
			bld->err = -ENOMEM;
			return NULL;
		}
		bld->links = l;
		bld->cap_links = cap;
	}
	l = &bld->links[bld->nr_links++];
	memset(l, 0, sizeof(*l));
	return l;
}

void acpi_add_pointer(struct acpi_builder *bld, enum acpi_file_id file,
		      uint32_t offset, enum acpi_file_id target, uint8_t size)
{
	struct acpi_link *l = link_new(bld);

	if (!l)
		return;
	l->kind = ACPI_LINK_POINTER;
	l->file = file;
	l->offset = offset;
	l->target = target;
	l->size = size;
}

void acpi_add_checksum(struct acpi_builder *bld, enum acpi_file_id file,
		       uint32_t offset, uint32_t start, uint32_t length)
{
	struct acpi_link *l = link_new(bld);

	if (!l)
		return;
	l->kind = ACPI_LINK_CHECKSUM;
	l->file = file;
	l->offset = offset;
	l->start = start;
	l->length = length;
}

/* Apply one link to @bufs (files placed at @addrs); 0 or -EINVAL. */
static int link_apply(const struct acpi_tables *t, const struct acpi_link *l,
		      const uint64_t *addrs, uint8_t **bufs)
{
	size_t len;
	uint8_t *p;
	uint64_t v;

	if (l->file >= ACPI_NR_FILES)
		return -EINVAL;
	p = bufs[l->file];
	len = t->files[l->file].len;
	if (l->kind == ACPI_LINK_POINTER) {
		if (l->target >= ACPI_NR_FILES)
			return -EINVAL;
		if (l->size != 1 && l->size != 2 && l->size != 4 && l->size != 8)
			return -EINVAL;
		if (l->offset > len || len - l->offset < l->size)
			return -EINVAL;
		v = acpi_get_le(p + l->offset, l->size);
		/* Like firmware: the field must point inside its target. */
		if (v >= t->files[l->target].len)
			return -EINVAL;
		v += addrs[l->target];
		if (l->size < 8 && (v >> (8 * l->size)))
			return -EINVAL;
		acpi_put_le(p + l->offset, v, l->size);
		return 0;
	}
	if (l->kind == ACPI_LINK_CHECKSUM) {
		if (l->offset >= len || l->start > len ||
		    len - l->start < l->length)
			return -EINVAL;
		p[l->offset] -= acpi_sum8(p + l->start, l->length);
		return 0;
	}
	return -EINVAL;
}

int acpi_link_files(const struct acpi_tables *t,
		    const uint64_t addrs[ACPI_NR_FILES],
		    uint8_t *out[ACPI_NR_FILES])
{
	unsigned int i;
	int ret = 0;

	memset(out, 0, ACPI_NR_FILES * sizeof(out[0]));
	for (i = 0; i < ACPI_NR_FILES; i++) {
		out[i] = malloc(t->files[i].len ? t->files[i].len : 1);
		if (!out[i]) {
			ret = -ENOMEM;
			goto err;
		}
		if (t->files[i].len)
			memcpy(out[i], t->files[i].data, t->files[i].len);
	}
	for (i = 0; i < t->nr_links; i++) {
		ret = link_apply(t, &t->links[i], addrs, out);
		if (ret)
			goto err;
	}
	return 0;
err:
	for (i = 0; i < ACPI_NR_FILES; i++) {
		free(out[i]);
		out[i] = NULL;
	}
	return ret;
}

int acpi_install(const struct acpi_tables *t, const struct guest_mem *mem,
		 uint64_t base, uint64_t max, uint64_t *rsdp_gpa)
{
	uint64_t addrs[ACPI_NR_FILES], end;
	uint8_t *bufs[ACPI_NR_FILES];
	unsigned int i;
	int ret;

	if (!t->files[ACPI_FILE_RSDP].align ||
	    !t->files[ACPI_FILE_TABLES].align ||
	    !IS_ALIGNED(base, t->files[ACPI_FILE_RSDP].align) ||
	    range_overflows(base, max))
		return -EINVAL;
	addrs[ACPI_FILE_RSDP] = base;
	addrs[ACPI_FILE_TABLES] = ALIGN_UP(base + t->files[ACPI_FILE_RSDP].len,
					   (uint64_t)t->files[ACPI_FILE_TABLES].align);
	end = addrs[ACPI_FILE_TABLES] + t->files[ACPI_FILE_TABLES].len;
	if (addrs[ACPI_FILE_TABLES] < base || end < addrs[ACPI_FILE_TABLES] ||
	    end > base + max)
		return -ENOSPC;

	ret = acpi_link_files(t, addrs, bufs);
	if (ret)
		return ret;
	for (i = 0; i < ACPI_NR_FILES && !ret; i++)
		ret = guest_mem_write(mem, addrs[i], bufs[i], t->files[i].len);
	for (i = 0; i < ACPI_NR_FILES; i++)
		free(bufs[i]);
	if (ret)
		return ret;
	if (rsdp_gpa)
		*rsdp_gpa = base;
	return 0;
}

static void put_fname(uint8_t *p, const char *name)
{
	/* NUL-terminated inside the 56-byte field (it is zeroed). */
	memcpy(p, name, strnlen(name, ACPI_LOADER_FNAME_SIZE - 1));
}

int acpi_table_loader(const struct acpi_tables *t, uint8_t **out,
		      size_t *out_len)
{
	size_t nr = ACPI_NR_FILES + t->nr_links;
	uint8_t *buf, *cmd;
	unsigned int i;

	buf = calloc(nr, ACPI_LOADER_CMD_SIZE);
	if (!buf)
		return -ENOMEM;
	cmd = buf;
	for (i = 0; i < ACPI_NR_FILES; i++, cmd += ACPI_LOADER_CMD_SIZE) {
		const struct acpi_file *f = &t->files[i];

		/* u32 command; char file[56]; u32 align; u8 zone */
		acpi_put_le(cmd, ACPI_LOADER_ALLOCATE, 4);
		put_fname(cmd + 4, f->name);
		acpi_put_le(cmd + 4 + ACPI_LOADER_FNAME_SIZE, f->align, 4);
		cmd[4 + ACPI_LOADER_FNAME_SIZE + 4] = f->zone;
	}
	for (i = 0; i < t->nr_links; i++, cmd += ACPI_LOADER_CMD_SIZE) {
		const struct acpi_link *l = &t->links[i];
		uint8_t *body = cmd + 4;

		if (l->file >= ACPI_NR_FILES ||
		    (l->kind == ACPI_LINK_POINTER &&
		     l->target >= ACPI_NR_FILES)) {
			free(buf);
			return -EINVAL;
		}
		if (l->kind == ACPI_LINK_POINTER) {
			/* dest_file[56]; src_file[56]; u32 offset; u8 size */
			acpi_put_le(cmd, ACPI_LOADER_ADD_POINTER, 4);
			put_fname(body, t->files[l->file].name);
			put_fname(body + ACPI_LOADER_FNAME_SIZE,
				  t->files[l->target].name);
			acpi_put_le(body + 2 * ACPI_LOADER_FNAME_SIZE,
				    l->offset, 4);
			body[2 * ACPI_LOADER_FNAME_SIZE + 4] = l->size;
		} else if (l->kind == ACPI_LINK_CHECKSUM) {
			/* file[56]; u32 offset; u32 start; u32 length */
			acpi_put_le(cmd, ACPI_LOADER_ADD_CHECKSUM, 4);
			put_fname(body, t->files[l->file].name);
			acpi_put_le(body + ACPI_LOADER_FNAME_SIZE, l->offset, 4);
			acpi_put_le(body + ACPI_LOADER_FNAME_SIZE + 4,
				    l->start, 4);
			acpi_put_le(body + ACPI_LOADER_FNAME_SIZE + 8,
				    l->length, 4);
		} else {
			free(buf);
			return -EINVAL;
		}
	}
	*out = buf;
	*out_len = nr * ACPI_LOADER_CMD_SIZE;
	return 0;
}
