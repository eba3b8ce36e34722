// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/bus.h"
#include "util/compiler.h"

int io_bus_register(struct io_bus *bus, uint64_t base, uint64_t len,
		    io_handler_t fn, void *opaque, const char *name)
{
	struct io_range *nr;
	unsigned int i, pos = 0;

	if (!len || range_overflows(base, len) || !fn)
		return -EINVAL;
	for (i = 0; i < bus->nr; i++) {
		const struct io_range *r = &bus->ranges[i];

		if (base < r->base + r->len && r->base < base + len)
			return -EBUSY;
		if (r->base < base)
			pos = i + 1;
	}
	nr = realloc(bus->ranges, (bus->nr + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	bus->ranges = nr;
	memmove(&nr[pos + 1], &nr[pos], (bus->nr - pos) * sizeof(*nr));
	nr[pos] = (struct io_range){
		.base = base, .len = len, .fn = fn, .opaque = opaque,
		.name = name,
	};
	bus->nr++;
	return 0;
}

const struct io_range *io_bus_find(const struct io_bus *bus, uint64_t addr)
{
	unsigned int lo = 0, hi = bus->nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct io_range *r = &bus->ranges[mid];

		if (addr < r->base)
			hi = mid;
		else if (addr - r->base >= r->len)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

int io_bus_dispatch(const struct io_bus *bus, uint64_t addr, uint8_t *data,
		    uint32_t len, bool is_write)
{
	const struct io_range *r = io_bus_find(bus, addr);

	/* An access that runs past the end of its range is not claimed. */
	if (r && addr + len - r->base > r->len)
		r = NULL;
	if (r)
		return r->fn(r->opaque, addr - r->base, data, len, is_write);
	if (bus->fallback && bus->fallback(bus->fallback_opaque, addr, data, len,
					   is_write) != -ENOENT)
		return 0;
	if (!is_write)
		memset(data, 0xff, len);
	return -ENOENT;
}

int io_bus_set_fallback(struct io_bus *bus, io_handler_t fn, void *opaque)
{
	if (bus->fallback)
		return -EBUSY;
	bus->fallback = fn;
	bus->fallback_opaque = opaque;
	return 0;
}

int io_bus_remove(struct io_bus *bus, uint64_t addr, struct io_range *old)
{
	const struct io_range *r = io_bus_find(bus, addr);
	unsigned int i;

	if (!r)
		return -ENOENT;
	i = (unsigned int)(r - bus->ranges);
	if (old)
		*old = *r;
	memmove(&bus->ranges[i], &bus->ranges[i + 1],
		(bus->nr - i - 1) * sizeof(bus->ranges[0]));
	bus->nr--;
	return 0;
}

void io_bus_free(struct io_bus *bus)
{
	free(bus->ranges);
	bus->ranges = NULL;
	bus->nr = 0;
	bus->fallback = NULL;
	bus->fallback_opaque = NULL;
}
