// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "arch/x86/layout.h"
#include "devices/pci/pci_host.h"
#include "util/compiler.h"
#include "util/log.h"

/* 00:00.0: a Red Hat "PCIe host bridge" (no guest quirks apply to it) */
#define BRIDGE_VENDOR		0x1b36
#define BRIDGE_DEVICE		0x0008
#define BRIDGE_CLASS		0x060000

#define CONF1_ENABLE		0x80000000u
#define CONF1_PORTS		8	/* 0xcf8 .. 0xcff */

int pci_host_init(struct pci_host *h, const struct pci_host_config *cfg,
		  struct platform *plat)
{
	const struct pci_intx_router *r = cfg->router;

	if (cfg->mmio_end <= cfg->mmio_start || cfg->mmio_end > SZ_4G ||
	    (cfg->alloc_start && (cfg->alloc_start < cfg->mmio_start ||
				  cfg->alloc_start >= cfg->mmio_end)) ||
	    (r && (!r->map || !r->set || !r->nr_lines || r->nr_lines > PCI_HOST_MAX_LINES)))
		return -EINVAL;
	memset(h, 0, sizeof(*h));
	h->cfg = *cfg;
	h->plat = plat;
	pthread_rwlock_init(&h->lock, NULL);
	pthread_mutex_init(&h->intx_lock, NULL);
	pci_dev_init(&h->bridge, BRIDGE_VENDOR, BRIDGE_DEVICE, BRIDGE_CLASS, 0,
		     BRIDGE_VENDOR, 0x1100, false, NULL, NULL);
	h->devs[0] = cfg->root ? cfg->root : &h->bridge;
	h->devs[0]->host = h;
	h->devs[0]->devfn = 0;
	return 0;
}

void pci_host_destroy(struct pci_host *h)
{
	pthread_rwlock_destroy(&h->lock);
	pthread_mutex_destroy(&h->intx_lock);
}

bool pci_host_bar_ok(const struct pci_host *h, uint64_t addr, uint64_t size)
{
	return range_within(addr, size, h->cfg.mmio_start,
			    h->cfg.mmio_end - h->cfg.mmio_start);
}

/* Does [addr, addr + size) overlap a BAR of a device on the bus, or of @d? */
static const struct pci_bar *bar_overlap(const struct pci_host *h, const struct pci_dev *d,
					 uint64_t addr, uint64_t size, uint64_t *end)
{
	unsigned int s, i;

	for (s = 0; s <= PCI_HOST_MAX_DEVS; s++) {
		const struct pci_dev *o = s < PCI_HOST_MAX_DEVS ? h->devs[s] : d;

		for (i = 0; o && i < PCI_NR_BARS; i++) {
			uint64_t a = pci_dev_bar_addr(o, i), n = o->bars[i].size;

			if (n && (o != d || a) && addr < a + n && a < addr + size) {
				*end = a + n;
				return &o->bars[i];
			}
		}
	}
	return NULL;
}

/*
 * The lowest naturally aligned free place for a BAR of @size in the
 * window (first fit), so that space a removed device left is used again;
 * on an empty bus, devices added in turn get consecutive BARs.
 */
static int bar_alloc(const struct pci_host *h, const struct pci_dev *d, uint64_t size,
		     uint64_t *addr)
{
	uint64_t start = h->cfg.alloc_start ? h->cfg.alloc_start : h->cfg.mmio_start;
	uint64_t a = ALIGN_UP(start, size), end;

	while (bar_overlap(h, d, a, size, &end)) {
		if (ALIGN_UP(end, size) <= a)
			return -ENOSPC;
		a = ALIGN_UP(end, size);
	}
	if (a < start || !pci_host_bar_ok(h, a, size))
		return -ENOSPC;
	*addr = a;
	return 0;
}

int pci_host_add_dev(struct pci_host *h, struct pci_dev *d, unsigned int slot)
{
	unsigned int i, pin;
	uint64_t addr;

	if (slot) {
		if (slot >= PCI_HOST_MAX_DEVS || h->devs[slot])
			return -EBUSY;
	} else {
		for (slot = 1; slot < PCI_HOST_MAX_DEVS && h->devs[slot]; slot++)
			;
		if (slot == PCI_HOST_MAX_DEVS)
			return -ENOSPC;
	}
	for (i = 0; i < PCI_NR_BARS; i++)
		pci_dev_set_bar_addr(d, i, 0);
	for (i = 0; i < PCI_NR_BARS; i++) {
		if (!d->bars[i].size)
			continue;
		pthread_rwlock_rdlock(&h->lock);	/* the guest may move BARs meanwhile */
		if (bar_alloc(h, d, d->bars[i].size, &addr)) {
			pthread_rwlock_unlock(&h->lock);
			return -ENOSPC;
		}
		pthread_rwlock_unlock(&h->lock);
		pci_dev_set_bar_addr(d, i, addr);
	}
	pin = d->cfg[PCI_INTERRUPT_PIN];
	if (pin >= 1 && pin <= 4 && h->cfg.router) {
		/* the firmware programs the Interrupt Line (the routing is its) */
		d->intx_line = h->cfg.router->map(h->cfg.router->opaque, slot, pin);
		if (d->intx_line >= h->cfg.router->nr_lines)
			d->intx_line = 0;
	} else if (pin >= 1 && pin <= 4) {
		d->intx_line = (slot + pin - 1) % 4;
		d->cfg[PCI_INTERRUPT_LINE] = (uint8_t)h->cfg.intx_gsi[d->intx_line];
	}
	d->devfn = PCI_DEVFN(slot, 0);
	d->host = h;
	d->intx_disabled = pci_get16(&d->cfg[PCI_COMMAND]) & PCI_COMMAND_INTX_DISABLE;
	pthread_rwlock_wrlock(&h->lock);
	h->devs[slot] = d;
	pci_dev_update_bars(d);
	pthread_rwlock_unlock(&h->lock);
	return (int)slot;
}

void pci_host_remove_dev(struct pci_host *h, struct pci_dev *d)
{
	unsigned int slot = PCI_SLOT(d->devfn);

	if (slot >= PCI_HOST_MAX_DEVS || h->devs[slot] != d || slot == 0)
		return;
	pci_host_intx_update(h, d, 0, -1);
	pthread_rwlock_wrlock(&h->lock);
	h->devs[slot] = NULL;
	pthread_rwlock_unlock(&h->lock);
	d->host = NULL;
}

/* ------------------------------------------------------------------ */
/* configuration space */

static struct pci_dev *cfg_dev(struct pci_host *h, unsigned int bus,
			       unsigned int devfn)
{
	if (bus != 0 || (devfn & 7))
		return NULL;
	return h->devs[devfn >> 3];
}

/* Exclusive lock held.  @reg + @len never crosses a dword. */
static void cfg_access(struct pci_host *h, unsigned int bus, unsigned int devfn,
		       uint32_t reg, uint8_t *data, uint32_t len, bool is_write)
{
	struct pci_dev *d = cfg_dev(h, bus, devfn);

	if (!d) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (is_write)
		pci_dev_cfg_write(d, reg, data, len);
	else
		pci_dev_cfg_read(d, reg, data, len);
}

int pci_host_conf1_io(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		      bool is_write)
{
	struct pci_host *h = opaque;
	uint32_t addr;

	if (off == 1 && len == 1 && h->cf9_fn)	/* 0xcf9: not ours */
		return h->cf9_fn(h->cf9_opaque, 0, data, len, is_write);
	pthread_rwlock_wrlock(&h->lock);
	if (off == 0 && len == 4) {
		if (is_write)
			h->conf1_addr = pci_get32(data) & 0x80fffffcu;
		else
			pci_put32(data, h->conf1_addr);
	} else if (off >= 4 && off + len <= 8 && (len == 1 || len == 2 || len == 4) &&
		   (h->conf1_addr & CONF1_ENABLE)) {
		addr = h->conf1_addr;
		cfg_access(h, (addr >> 16) & 0xff, (addr >> 8) & 0xff,
			   (addr & 0xfc) + (uint32_t)(off - 4), data, len, is_write);
	} else if (!is_write) {
		memset(data, 0xff, len);
	}
	pthread_rwlock_unlock(&h->lock);
	return 0;
}

void pci_host_set_ecam_locked(struct pci_host *h, uint64_t base, uint64_t size)
{
	h->ecam_base = size ? base : 0;
	h->ecam_size = size;
}

void pci_host_set_ecam(struct pci_host *h, uint64_t base, uint64_t size)
{
	pthread_rwlock_wrlock(&h->lock);
	pci_host_set_ecam_locked(h, base, size);
	pthread_rwlock_unlock(&h->lock);
}

bool pci_host_ecam_lookup(struct pci_host *h, uint64_t addr, uint32_t len, uint64_t *off)
{
	bool in;

	pthread_rwlock_rdlock(&h->lock);
	in = h->ecam_size && range_within(addr, len, h->ecam_base, h->ecam_size);
	if (in)
		*off = addr - h->ecam_base;
	pthread_rwlock_unlock(&h->lock);
	return in;
}

int pci_host_ecam_io(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		     bool is_write)
{
	struct pci_host *h = opaque;
	uint32_t reg = (uint32_t)(off & 0xfff);
	uint32_t part;

	/* An 8-byte access is two dword accesses. */
	if (len == 8 && !(reg & 7)) {
		pci_host_ecam_io(opaque, off, data, 4, is_write);
		return pci_host_ecam_io(opaque, off + 4, data + 4, 4, is_write);
	}
	if ((len != 1 && len != 2 && len != 4) || (reg & (len - 1))) {
		if (!is_write)
			memset(data, 0xff, len);
		return 0;
	}
	part = (uint32_t)(off >> 12);
	pthread_rwlock_wrlock(&h->lock);
	cfg_access(h, part >> 8, part & 0xff, reg, data, len, is_write);
	pthread_rwlock_unlock(&h->lock);
	return 0;
}

/* ------------------------------------------------------------------ */
/* BARs */

int pci_host_mmio_io(void *opaque, uint64_t off, uint8_t *data, uint32_t len,
		     bool is_write)
{
	struct pci_host *h = opaque;
	uint64_t addr = h->cfg.mmio_start + off, ecam_off;
	unsigned int s, b;
	int ret = -ENOENT;

	pthread_rwlock_rdlock(&h->lock);
	/* a movable ECAM in the window comes before any BAR */
	if (h->ecam_size && range_within(addr, len, h->ecam_base, h->ecam_size)) {
		ecam_off = addr - h->ecam_base;
		pthread_rwlock_unlock(&h->lock);
		return pci_host_ecam_io(h, ecam_off, data, len, is_write);
	}
	for (s = 1; s < PCI_HOST_MAX_DEVS && ret == -ENOENT; s++) {
		struct pci_dev *d = h->devs[s];

		if (!d)
			continue;
		for (b = 0; b < PCI_NR_BARS; b++) {
			const struct pci_bar *bar = &d->bars[b];

			if (bar->mapped == PCI_BAR_UNMAPPED ||
			    !range_within(addr, len, bar->mapped, bar->size))
				continue;
			ret = d->ops && d->ops->bar_io ?
			      d->ops->bar_io(d, b, addr - bar->mapped, data, len, is_write) :
			      -ENOENT;
			if (ret == -ENOENT)
				ret = 0;	/* claimed, nothing there */
			break;
		}
	}
	pthread_rwlock_unlock(&h->lock);
	if (ret == -ENOENT && !is_write)
		memset(data, 0xff, len);
	return ret;
}

/* ------------------------------------------------------------------ */
/* INTx */

/* Drive line @line (intx_lock held). */
static void intx_line_set(struct pci_host *h, unsigned int line, int level)
{
	const struct pci_intx_router *r = h->cfg.router;
	struct platform *p = h->plat;

	if (r)
		r->set(r->opaque, line, level);
	else if (p)
		p->ops->irq_set(p, h->cfg.intx_gsi[line], level);
}

void pci_host_intx_update(struct pci_host *h, struct pci_dev *d, int level,
			  int disabled)
{
	unsigned int nr = h->cfg.router ? h->cfg.router->nr_lines : 4;
	unsigned int line = d->intx_line < nr ? d->intx_line : 0, before;
	bool on;

	pthread_mutex_lock(&h->intx_lock);
	if (level >= 0)
		d->intx_level = level;
	if (disabled >= 0)
		d->intx_disabled = disabled;
	on = d->intx_level && !d->intx_disabled && d->cfg[PCI_INTERRUPT_PIN];
	if (on != atomic_load(&d->intx_on)) {
		atomic_store(&d->intx_on, on);
		if (on) {
			before = h->intx_count[line]++;
			/* edge: a new assertion on a busy line is a new edge */
			if (before && h->cfg.intx_edge)
				intx_line_set(h, line, 0);
			if (!before || h->cfg.intx_edge)
				intx_line_set(h, line, 1);
		} else if (--h->intx_count[line] == 0) {
			intx_line_set(h, line, 0);
		}
	}
	pthread_mutex_unlock(&h->intx_lock);
}

/* ------------------------------------------------------------------ */

int pci_host_register(struct pci_host *h, struct io_bus *pio,
		      struct io_bus *mmio)
{
	const struct io_range *r;
	unsigned int i;
	int ret;

	/*
	 * The reset control register at 0xcf9 lives inside the conf1 range:
	 * take it off the bus and forward its byte accesses.  Anything else
	 * already in 0xcf8-0xcff is a conflict.
	 */
	for (i = 0; i < CONF1_PORTS; i++) {
		r = io_bus_find(pio, PORT_PCI_CONFIG + i);
		if (!r)
			continue;
		if (r->base != PORT_PCI_CONFIG + 1 || r->len != 1 || h->cf9_fn)
			return -EBUSY;
		h->cf9_fn = r->fn;
		h->cf9_opaque = r->opaque;
		io_bus_remove(pio, PORT_PCI_CONFIG + 1, NULL);
	}
	ret = io_bus_register(pio, PORT_PCI_CONFIG, CONF1_PORTS,
			      pci_host_conf1_io, h, "pci-conf1");
	if (ret)
		return ret;
	if (h->cfg.ecam_base) {
		ret = io_bus_register(mmio, h->cfg.ecam_base, h->cfg.ecam_size,
				      pci_host_ecam_io, h, "pci-ecam");
		if (ret)
			return ret;
	}
	return io_bus_register(mmio, h->cfg.mmio_start,
			       h->cfg.mmio_end - h->cfg.mmio_start,
			       pci_host_mmio_io, h, "pci-mmio");
}
