/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MEM_GUEST_MEM_H
#define CVMM_MEM_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Guest physical memory as the VMM sees it: a few regions, each a host
 * mapping.  Every access from device emulation goes through
 * guest_mem_ptr()/guest_mem_read()/guest_mem_write(), which check that the
 * whole range [gpa, gpa + len) lies inside one region: guest-supplied
 * addresses and lengths are hostile.
 */

#define GUEST_MEM_MAX_REGIONS	8

enum guest_region_kind {
	GUEST_REGION_RAM,
	GUEST_REGION_ROM,	/* firmware: read-only to the guest */
};

struct guest_region {
	uint64_t gpa;
	uint64_t size;
	uint8_t *hva;
	enum guest_region_kind kind;
	int fd;			/* memfd backing, or -1 for anonymous memory */
	uint64_t fd_offset;
	const char *name;
};

enum guest_mem_backend {
	GUEST_MEM_ANON,
	GUEST_MEM_MEMFD,
};

struct guest_mem {
	struct guest_region regions[GUEST_MEM_MAX_REGIONS];
	unsigned int nr;
	uint64_t ram_size;	/* sum of RAM regions */
};

/*
 * Map @size bytes of RAM for the region at @gpa.  @shared selects
 * MAP_SHARED (needed to hand the memory to another process) over
 * MAP_PRIVATE.  Returns 0 or -errno.
 */
int guest_mem_add_ram(struct guest_mem *mem, uint64_t gpa, uint64_t size,
		      enum guest_mem_backend backend, bool shared,
		      const char *name);
/* Map a ROM region with a copy of @data (size rounded up to 4 KiB). */
int guest_mem_add_rom(struct guest_mem *mem, uint64_t gpa, const void *data,
		      uint64_t size, const char *name);
void guest_mem_free(struct guest_mem *mem);

/* The region containing all of [gpa, gpa + len), or NULL. */
const struct guest_region *guest_mem_region(const struct guest_mem *mem,
					    uint64_t gpa, uint64_t len);
/* Host pointer for [gpa, gpa + len) if it lies inside one RAM region. */
void *guest_mem_ptr(const struct guest_mem *mem, uint64_t gpa, uint64_t len);
/* Copy in/out; -EFAULT when the range is not wholly inside RAM. */
int guest_mem_read(const struct guest_mem *mem, uint64_t gpa, void *buf,
		   uint64_t len);
int guest_mem_write(const struct guest_mem *mem, uint64_t gpa,
		    const void *buf, uint64_t len);
int guest_mem_fill(const struct guest_mem *mem, uint64_t gpa, int c,
		   uint64_t len);

#endif
