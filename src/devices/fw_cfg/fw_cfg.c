// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_cfg items, the file directory, the traditional (port) interface and
 * the port handlers.  DMA is in dma.c, the bzImage helper in kernel.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/layout.h"
#include "devices/fw_cfg/fw_cfg_internal.h"
#include "util/compiler.h"

static const uint8_t fw_cfg_signature[4] = { 'Q', 'E', 'M', 'U' };
static const char fw_cfg_dma_signature[] = FW_CFG_DMA_SIGNATURE;

static void item_release(struct fw_cfg_item *it)
{
	if (it->owned)
		free(it->data);
	it->data = NULL;
	it->len = 0;
}

/* Fill @it's data per @flags; TAKE hands @data over even on failure. */
static int item_init(struct fw_cfg_item *it, void *data, size_t len,
		     unsigned int flags, fw_cfg_write_cb cb, void *opaque)
{
	const unsigned int known = FW_CFG_F_BORROW | FW_CFG_F_TAKE |
				   FW_CFG_F_WRITABLE;

	if ((flags & ~known) ||
	    ((flags & FW_CFG_F_BORROW) && (flags & FW_CFG_F_TAKE)) ||
	    len > UINT32_MAX || (len && !data)) {
		if (flags & FW_CFG_F_TAKE)
			free(data);
		return -EINVAL;
	}
	if (flags & (FW_CFG_F_BORROW | FW_CFG_F_TAKE)) {
		it->data = data;
		it->owned = !!(flags & FW_CFG_F_TAKE);
	} else {
		it->data = NULL;
		if (len) {
			it->data = malloc(len);
			if (!it->data)
				return -ENOMEM;
			memcpy(it->data, data, len);
		}
		it->owned = true;
	}
	it->len = (uint32_t)len;
	it->writable = !!(flags & FW_CFG_F_WRITABLE);
	it->write_cb = cb;
	it->opaque = opaque;
	return 0;
}

static struct fw_cfg_item *legacy_find(struct fw_cfg *fc, uint16_t key)
{
	unsigned int i;

	for (i = 0; i < fc->nr_items; i++)
		if (fc->items[i].key == key)
			return &fc->items[i];
	return NULL;
}

struct fw_cfg_item *fw_cfg_lookup(struct fw_cfg *fc, uint16_t key)
{
	key &= (uint16_t)~FW_CFG_WRITE_CHANNEL;
	if (key >= FW_CFG_FILE_FIRST && !(key & FW_CFG_ARCH_LOCAL)) {
		unsigned int i = key - FW_CFG_FILE_FIRST;

		return i < fc->nr_files ? &fc->files[i] : NULL;
	}
	return legacy_find(fc, key);
}

void fw_cfg_select(struct fw_cfg *fc, uint16_t key)
{
	fc->selector = key;
	fc->offset = 0;
}

/* Insert or replace a legacy item without key checks (lock held). */
static int legacy_set(struct fw_cfg *fc, uint16_t key, void *data,
		      size_t len, unsigned int flags, fw_cfg_write_cb cb,
		      void *opaque)
{
	struct fw_cfg_item *it = legacy_find(fc, key), tmp = { .key = key };
	int ret;

	ret = item_init(&tmp, data, len, flags, cb, opaque);
	if (ret)
		return ret;
	if (it) {
		item_release(it);
		*it = tmp;
		return 0;
	}
	if (fc->nr_items == fc->cap_items) {
		unsigned int cap = fc->cap_items ? fc->cap_items * 2 : 16;
		struct fw_cfg_item *n = realloc(fc->items, cap * sizeof(*n));

		if (!n) {
			item_release(&tmp);
			return -ENOMEM;
		}
		fc->items = n;
		fc->cap_items = cap;
	}
	fc->items[fc->nr_items++] = tmp;
	return 0;
}

/* Rebuild FW_CFG_FILE_DIR from the sorted file list (lock held). */
static int dir_rebuild(struct fw_cfg *fc)
{
	size_t len = 4 + (size_t)fc->nr_files * FW_CFG_DIR_ENTRY_SIZE;
	uint8_t *dir = calloc(1, len), *e;
	unsigned int i;

	if (!dir)
		return -ENOMEM;
	put_be32(dir, fc->nr_files);
	for (i = 0, e = dir + 4; i < fc->nr_files;
	     i++, e += FW_CFG_DIR_ENTRY_SIZE) {
		put_be32(e, fc->files[i].len);
		put_be16(e + 4, (uint16_t)(FW_CFG_FILE_FIRST + i));
		memcpy(e + 8, fc->files[i].name, FW_CFG_NAME_SIZE);
	}
	return legacy_set(fc, FW_CFG_FILE_DIR, dir, len, FW_CFG_F_TAKE,
			  NULL, NULL);
}

int fw_cfg_new(const struct guest_mem *mem, struct fw_cfg **out)
{
	struct fw_cfg *fc = calloc(1, sizeof(*fc));
	uint8_t id[4] = { FW_CFG_VERSION, 0, 0, 0 };
	int ret;

	if (!fc)
		return -ENOMEM;
	ret = pthread_mutex_init(&fc->lock, NULL);
	if (ret) {
		free(fc);
		return -ret;
	}
	fc->mem = mem;
	if (mem)
		id[0] |= FW_CFG_VERSION_DMA;
	ret = legacy_set(fc, FW_CFG_SIGNATURE, (void *)fw_cfg_signature,
			 sizeof(fw_cfg_signature), FW_CFG_F_BORROW, NULL, NULL);
	if (!ret)
		ret = legacy_set(fc, FW_CFG_ID, id, sizeof(id), 0, NULL, NULL);
	if (!ret)
		ret = dir_rebuild(fc);
	if (ret) {
		fw_cfg_free(fc);
		return ret;
	}
	*out = fc;
	return 0;
}

void fw_cfg_free(struct fw_cfg *fc)
{
	unsigned int i;

	if (!fc)
		return;
	for (i = 0; i < fc->nr_items; i++)
		item_release(&fc->items[i]);
	for (i = 0; i < fc->nr_files; i++)
		item_release(&fc->files[i]);
	free(fc->items);
	free(fc->files);
	pthread_mutex_destroy(&fc->lock);
	free(fc);
}

static bool legacy_key_ok(uint16_t key)
{
	if (key & FW_CFG_WRITE_CHANNEL)
		return false;
	if (key == FW_CFG_SIGNATURE || key == FW_CFG_ID ||
	    key == FW_CFG_FILE_DIR)
		return false;
	return key < FW_CFG_FILE_FIRST || (key & FW_CFG_ARCH_LOCAL);
}

int fw_cfg_add_item_ex(struct fw_cfg *fc, uint16_t key, void *data,
		       size_t len, unsigned int flags, fw_cfg_write_cb cb,
		       void *opaque)
{
	int ret;

	if (!legacy_key_ok(key)) {
		if (flags & FW_CFG_F_TAKE)
			free(data);
		return -EINVAL;
	}
	pthread_mutex_lock(&fc->lock);
	if (legacy_find(fc, key)) {
		if (flags & FW_CFG_F_TAKE)
			free(data);
		ret = -EEXIST;
	} else {
		ret = legacy_set(fc, key, data, len, flags, cb, opaque);
	}
	pthread_mutex_unlock(&fc->lock);
	return ret;
}

int fw_cfg_add_item(struct fw_cfg *fc, uint16_t key, const void *data,
		    size_t len)
{
	/* Copied, so the const is never written through. */
	return fw_cfg_add_item_ex(fc, key, (void *)data, len, 0, NULL, NULL);
}

static int add_le(struct fw_cfg *fc, uint16_t key, uint64_t v, size_t n)
{
	uint8_t b[8];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	return fw_cfg_add_item(fc, key, b, n);
}

int fw_cfg_add_u16(struct fw_cfg *fc, uint16_t key, uint16_t v)
{
	return add_le(fc, key, v, 2);
}

int fw_cfg_add_u32(struct fw_cfg *fc, uint16_t key, uint32_t v)
{
	return add_le(fc, key, v, 4);
}

int fw_cfg_add_u64(struct fw_cfg *fc, uint16_t key, uint64_t v)
{
	return add_le(fc, key, v, 8);
}

static int file_pos(struct fw_cfg *fc, const char *name, bool *found)
{
	unsigned int lo = 0, hi = fc->nr_files;

	*found = false;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		int c = strcmp(name, fc->files[mid].name);

		if (c == 0) {
			*found = true;
			return (int)mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (int)lo;
}

int fw_cfg_add_file_ex(struct fw_cfg *fc, const char *name, void *data,
		       size_t len, unsigned int flags, fw_cfg_write_cb cb,
		       void *opaque)
{
	struct fw_cfg_item it = { 0 };
	size_t nlen = name ? strnlen(name, FW_CFG_NAME_SIZE) : 0;
	bool found;
	int ret, pos;

	if (nlen == 0 || nlen >= FW_CFG_NAME_SIZE) {
		if (flags & FW_CFG_F_TAKE)
			free(data);
		return -EINVAL;
	}
	memcpy(it.name, name, nlen);
	pthread_mutex_lock(&fc->lock);
	pos = file_pos(fc, name, &found);
	if (fc->reserved[0] && !strncmp(name, fc->reserved, strlen(fc->reserved))) {
		if (flags & FW_CFG_F_TAKE)
			free(data);
		ret = -EPERM;
		goto out;
	}
	if (found || fc->nr_files >= FW_CFG_MAX_FILES) {
		if (flags & FW_CFG_F_TAKE)
			free(data);
		ret = found ? -EEXIST : -ENOSPC;
		goto out;
	}
	ret = item_init(&it, data, len, flags, cb, opaque);
	if (ret)
		goto out;
	if (fc->nr_files == fc->cap_files) {
		unsigned int cap = fc->cap_files ? fc->cap_files * 2 : 16;
		struct fw_cfg_item *n = realloc(fc->files, cap * sizeof(*n));

		if (!n) {
			item_release(&it);
			ret = -ENOMEM;
			goto out;
		}
		fc->files = n;
		fc->cap_files = cap;
	}
	memmove(&fc->files[pos + 1], &fc->files[pos],
		(fc->nr_files - (unsigned int)pos) * sizeof(it));
	fc->files[pos] = it;
	fc->nr_files++;
	ret = dir_rebuild(fc);
	if (ret) {
		item_release(&fc->files[pos]);
		fc->nr_files--;
		memmove(&fc->files[pos], &fc->files[pos + 1],
			(fc->nr_files - (unsigned int)pos) * sizeof(it));
	}
out:
	pthread_mutex_unlock(&fc->lock);
	return ret;
}

int fw_cfg_add_file(struct fw_cfg *fc, const char *name, const void *data,
		    size_t len)
{
	return fw_cfg_add_file_ex(fc, name, (void *)data, len, 0, NULL, NULL);
}

int fw_cfg_file_key(struct fw_cfg *fc, const char *name, uint16_t *key)
{
	bool found;
	int pos;

	if (!name)
		return -ENOENT;
	pthread_mutex_lock(&fc->lock);
	pos = file_pos(fc, name, &found);
	pthread_mutex_unlock(&fc->lock);
	if (!found)
		return -ENOENT;
	*key = (uint16_t)(FW_CFG_FILE_FIRST + pos);
	return 0;
}

int fw_cfg_update_file(struct fw_cfg *fc, const char *name, const void *data, size_t len)
{
	struct fw_cfg_item tmp = { 0 };
	bool found;
	int ret, pos;

	if (!name)
		return -ENOENT;
	pthread_mutex_lock(&fc->lock);
	pos = file_pos(fc, name, &found);
	ret = found ? 0 : -ENOENT;
	if (!ret) {
		struct fw_cfg_item *it = &fc->files[pos];

		ret = item_init(&tmp, (void *)data, len, 0, NULL, NULL);
		if (!ret) {
			memcpy(tmp.name, it->name, sizeof(tmp.name));
			item_release(it);
			*it = tmp;
			ret = dir_rebuild(fc);
		}
	}
	pthread_mutex_unlock(&fc->lock);
	return ret;
}

int fw_cfg_reserve_prefix(struct fw_cfg *fc, const char *prefix)
{
	size_t n = prefix ? strnlen(prefix, FW_CFG_NAME_SIZE) : 0;

	if (n >= FW_CFG_NAME_SIZE)
		return -EINVAL;
	pthread_mutex_lock(&fc->lock);
	memset(fc->reserved, 0, sizeof(fc->reserved));
	memcpy(fc->reserved, prefix ? prefix : "", n);
	pthread_mutex_unlock(&fc->lock);
	return 0;
}

static uint8_t data_read(struct fw_cfg *fc)
{
	struct fw_cfg_item *it = fw_cfg_lookup(fc, fc->selector);

	if (!it || !it->data || fc->offset >= it->len)
		return 0;
	return it->data[fc->offset++];
}

int fw_cfg_io(void *opaque, uint64_t offset, uint8_t *data, uint32_t len,
	      bool is_write)
{
	struct fw_cfg *fc = opaque;

	pthread_mutex_lock(&fc->lock);
	if (is_write) {
		/* Selector: 16-bit writes at +0.  Data writes are ignored. */
		if (offset == 0 && len == 2)
			fw_cfg_select(fc, (uint16_t)(data[0] | data[1] << 8));
	} else {
		memset(data, 0, len);
		/* Byte reads return the next data byte (as QEMU's port). */
		if (len == 1)
			data[0] = data_read(fc);
	}
	pthread_mutex_unlock(&fc->lock);
	return 0;
}

int fw_cfg_dma_io(void *opaque, uint64_t offset, uint8_t *data,
		  uint32_t len, bool is_write)
{
	struct fw_cfg *fc = opaque;
	uint64_t gpa;

	if (!is_write) {
		/* The big-endian register reads back "QEMU CFG". */
		memset(data, 0, len);
		if (offset < FW_CFG_DMA_IO_LEN && len <= FW_CFG_DMA_IO_LEN &&
		    offset + len <= FW_CFG_DMA_IO_LEN)
			memcpy(data, &fw_cfg_dma_signature[offset], len);
		return 0;
	}
	if (!fc->mem)
		return 0;
	pthread_mutex_lock(&fc->lock);
	if (offset == 0 && len == 4) {
		fc->dma_addr = (uint64_t)get_be32(data) << 32;
	} else if ((offset == 4 && len == 4) || (offset == 0 && len == 8)) {
		if (len == 4)
			gpa = fc->dma_addr | get_be32(data);
		else
			gpa = get_be64(data);
		/* The address register resets for the next request. */
		fc->dma_addr = 0;
		fw_cfg_dma_transfer(fc, gpa);
	}
	pthread_mutex_unlock(&fc->lock);
	return 0;
}

int fw_cfg_register(struct fw_cfg *fc, struct io_bus *pio)
{
	int ret;

	ret = io_bus_register(pio, PORT_FW_CFG, FW_CFG_IO_LEN, fw_cfg_io, fc,
			      "fw_cfg");
	if (ret || !fc->mem)
		return ret;
	return io_bus_register(pio, PORT_FW_CFG_DMA, FW_CFG_DMA_IO_LEN,
			       fw_cfg_dma_io, fc, "fw_cfg-dma");
}
