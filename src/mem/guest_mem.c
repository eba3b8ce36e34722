// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mem/guest_mem.h"
#include "util/compiler.h"

static struct guest_region *region_new(struct guest_mem *mem, uint64_t gpa,
				       uint64_t size)
{
	unsigned int i;

	if (mem->nr >= GUEST_MEM_MAX_REGIONS || !size ||
	    range_overflows(gpa, size))
		return NULL;
	for (i = 0; i < mem->nr; i++) {
		const struct guest_region *r = &mem->regions[i];

		if (gpa < r->gpa + r->size && r->gpa < gpa + size)
			return NULL;	/* overlap */
	}
	return &mem->regions[mem->nr];
}

int guest_mem_add_ram(struct guest_mem *mem, uint64_t gpa, uint64_t size,
		      enum guest_mem_backend backend, bool shared,
		      const char *name)
{
	struct guest_region *r = region_new(mem, gpa, size);
	int fd = -1, flags = MAP_NORESERVE;
	void *hva;

	if (!r || !IS_ALIGNED(gpa | size, SZ_4K))
		return -EINVAL;
	if (backend == GUEST_MEM_MEMFD) {
		fd = memfd_create(name, MFD_CLOEXEC);
		if (fd < 0)
			return -errno;
		if (ftruncate(fd, (off_t)size) < 0) {
			int err = -errno;

			close(fd);
			return err;
		}
		flags |= shared ? MAP_SHARED : MAP_PRIVATE;
	} else {
		flags |= MAP_ANONYMOUS | (shared ? MAP_SHARED : MAP_PRIVATE);
	}
	hva = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (hva == MAP_FAILED) {
		int err = -errno;

		if (fd >= 0)
			close(fd);
		return err;
	}
	/* Guest RAM is large and sparse: never dump it with a core. */
	madvise(hva, size, MADV_DONTDUMP);
	*r = (struct guest_region){
		.gpa = gpa, .size = size, .hva = hva, .kind = GUEST_REGION_RAM,
		.fd = fd, .fd_offset = 0, .name = name,
	};
	mem->nr++;
	mem->ram_size += size;
	return 0;
}

int guest_mem_add_rom(struct guest_mem *mem, uint64_t gpa, const void *data,
		      uint64_t size, const char *name)
{
	uint64_t map_size = ALIGN_UP(size, SZ_4K);
	struct guest_region *r = region_new(mem, gpa, map_size);
	void *hva;

	if (!r || !IS_ALIGNED(gpa, SZ_4K))
		return -EINVAL;
	hva = mmap(NULL, map_size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hva == MAP_FAILED)
		return -errno;
	memcpy(hva, data, size);
	*r = (struct guest_region){
		.gpa = gpa, .size = map_size, .hva = hva,
		.kind = GUEST_REGION_ROM, .fd = -1, .name = name,
	};
	mem->nr++;
	return 0;
}

void guest_mem_free(struct guest_mem *mem)
{
	unsigned int i;

	for (i = 0; i < mem->nr; i++) {
		struct guest_region *r = &mem->regions[i];

		munmap(r->hva, r->size);
		if (r->fd >= 0)
			close(r->fd);
	}
	memset(mem, 0, sizeof(*mem));
}

const struct guest_region *guest_mem_region(const struct guest_mem *mem,
					    uint64_t gpa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < mem->nr; i++) {
		const struct guest_region *r = &mem->regions[i];

		if (range_within(gpa, len, r->gpa, r->size))
			return r;
	}
	return NULL;
}

void *guest_mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	const struct guest_region *r = guest_mem_region(mem, gpa, len);

	if (!r || r->kind != GUEST_REGION_RAM)
		return NULL;
	return r->hva + (gpa - r->gpa);
}

int guest_mem_read(const struct guest_mem *mem, uint64_t gpa, void *buf,
		   uint64_t len)
{
	const struct guest_region *r = guest_mem_region(mem, gpa, len);

	if (!r)
		return -EFAULT;
	memcpy(buf, r->hva + (gpa - r->gpa), len);
	return 0;
}

int guest_mem_write(const struct guest_mem *mem, uint64_t gpa,
		    const void *buf, uint64_t len)
{
	void *p = guest_mem_ptr(mem, gpa, len);

	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

int guest_mem_fill(const struct guest_mem *mem, uint64_t gpa, int c,
		   uint64_t len)
{
	void *p = guest_mem_ptr(mem, gpa, len);

	if (!p)
		return -EFAULT;
	memset(p, c, len);
	return 0;
}
