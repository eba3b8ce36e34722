// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "devices/pci/msix.h"
#include "util/log.h"

uint32_t msix_table_size(unsigned int nr)
{
	return nr * MSIX_ENTRY_SIZE;
}

uint32_t msix_pba_size(unsigned int nr)
{
	return ((nr + 63) / 64) * 8;
}

int msix_init(struct pci_msix *m, struct pci_dev *d, struct platform *plat,
	      unsigned int nr, unsigned int bar, uint32_t table_off,
	      uint32_t pba_off)
{
	unsigned int i;
	int cap;

	if (!nr || nr > MSIX_MAX_VECTORS || bar >= PCI_NR_BARS ||
	    (table_off & 7) || (pba_off & 7))
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->vec = calloc(nr, sizeof(*m->vec));
	m->pba = calloc((nr + 63) / 64, sizeof(*m->pba));
	if (!m->vec || !m->pba) {
		free(m->vec);
		free(m->pba);
		return -ENOMEM;
	}
	cap = pci_dev_add_cap(d, PCI_CAP_ID_MSIX, MSIX_CAP_LEN);
	if (cap < 0) {
		free(m->vec);
		free(m->pba);
		return cap;
	}
	pthread_mutex_init(&m->lock, NULL);
	m->dev = d;
	m->plat = plat;
	m->nr = nr;
	m->cap = (uint8_t)cap;
	for (i = 0; i < nr; i++) {
		m->vec[i].ctrl = MSIX_VECTOR_MASKED;
		m->vec[i].fd = -1;
		m->vec[i].route = -1;
	}
	pci_put16(&d->cfg[cap + 2], (uint16_t)(nr - 1));
	pci_put16(&d->wmask[cap + 2], MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
	pci_put32(&d->cfg[cap + 4], table_off | bar);
	pci_put32(&d->cfg[cap + 8], pba_off | bar);
	return 0;
}

void msix_destroy(struct pci_msix *m)
{
	unsigned int i;

	if (!m->vec)
		return;
	for (i = 0; i < m->nr; i++) {
		struct msix_vector *v = &m->vec[i];

		if (v->route >= 0 && m->plat)
			m->plat->ops->msi_route_del(m->plat, v->route, v->fd);
		if (v->fd >= 0)
			close(v->fd);
	}
	free(m->vec);
	free(m->pba);
	m->vec = NULL;
	m->pba = NULL;
	pthread_mutex_destroy(&m->lock);
}

static struct msi_msg vec_msg(const struct msix_vector *v)
{
	return (struct msi_msg){
		.addr = (uint64_t)v->addr_hi << 32 | v->addr_lo,
		.data = v->data,
	};
}

static bool vec_masked(const struct pci_msix *m, const struct msix_vector *v)
{
	return m->maskall || (v->ctrl & MSIX_VECTOR_MASKED);
}

/* Make sure @v has an irqfd route with its current message (lock held). */
static void vec_route(struct pci_msix *m, struct msix_vector *v)
{
	struct msi_msg msg = vec_msg(v);
	int ret;

	if (!m->plat)
		return;
	if (!v->tried) {
		v->tried = true;
		v->fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (v->fd < 0)
			return;
		ret = m->plat->ops->msi_route_add(m->plat, v->fd, &msg);
		if (ret < 0) {
			log_debug("msix: no irqfd route (%s): signalling directly",
				  strerror(-ret));
			close(v->fd);
			v->fd = -1;
			return;
		}
		v->route = ret;
		v->stale = false;
	} else if (v->route >= 0 && v->stale) {
		ret = m->plat->ops->msi_route_update(m->plat, v->route, &msg);
		v->stale = ret != 0;
	}
}

/* Deliver @v now (lock held, vector unmasked, MSI-X enabled). */
static void vec_fire(struct pci_msix *m, struct msix_vector *v)
{
	struct msi_msg msg;
	uint64_t one = 1;

	m->delivered++;
	if (!m->plat)
		return;
	vec_route(m, v);
	if (v->route >= 0 && !v->stale) {
		if (write(v->fd, &one, sizeof(one)) == sizeof(one))
			return;
	}
	msg = vec_msg(v);
	m->plat->ops->msi_signal(m->plat, &msg);
}

static void pba_set(struct pci_msix *m, unsigned int i, bool on)
{
	if (on)
		m->pba[i / 64] |= 1ULL << (i % 64);
	else
		m->pba[i / 64] &= ~(1ULL << (i % 64));
}

static bool pba_test(const struct pci_msix *m, unsigned int i)
{
	return m->pba[i / 64] >> (i % 64) & 1;
}

/* Deliver what became deliverable (lock held). */
static void msix_flush(struct pci_msix *m)
{
	unsigned int i;

	if (!m->enabled || m->maskall)
		return;
	for (i = 0; i < m->nr; i++) {
		struct msix_vector *v = &m->vec[i];

		if (vec_masked(m, v))
			continue;
		vec_route(m, v);	/* set the route up before it is needed */
		if (pba_test(m, i)) {
			pba_set(m, i, false);
			vec_fire(m, v);
		}
	}
}

void msix_table_io(struct pci_msix *m, uint64_t off, uint8_t *data,
		   uint32_t len, bool is_write)
{
	unsigned int i = (unsigned int)(off / MSIX_ENTRY_SIZE);
	unsigned int reg = (unsigned int)(off % MSIX_ENTRY_SIZE);
	struct msix_vector *v;
	uint32_t *word, val;
	bool was_masked;

	/* dword or qword accesses, naturally aligned */
	if ((len != 4 && len != 8) || (off & (len - 1)) || i >= m->nr) {
		if (!is_write)
			memset(data, 0xff, len);
		return;
	}
	if (len == 8) {
		msix_table_io(m, off, data, 4, is_write);
		msix_table_io(m, off + 4, data + 4, 4, is_write);
		return;
	}
	pthread_mutex_lock(&m->lock);
	v = &m->vec[i];
	word = reg == 0 ? &v->addr_lo : reg == 4 ? &v->addr_hi :
	       reg == 8 ? &v->data : &v->ctrl;
	if (!is_write) {
		pci_put32(data, *word);
		pthread_mutex_unlock(&m->lock);
		return;
	}
	val = pci_get32(data);
	was_masked = vec_masked(m, v);
	if (reg == 12) {
		v->ctrl = val & MSIX_VECTOR_MASKED;
	} else if (*word != val) {
		*word = val;
		v->stale = true;
	}
	if (was_masked && !vec_masked(m, v))
		msix_flush(m);
	pthread_mutex_unlock(&m->lock);
}

void msix_pba_io(struct pci_msix *m, uint64_t off, uint8_t *data,
		 uint32_t len, bool is_write)
{
	uint64_t word;

	if (is_write)
		return;		/* read-only */
	if ((len != 4 && len != 8) || (off & (len - 1)) ||
	    off + len > msix_pba_size(m->nr)) {
		memset(data, 0xff, len);
		return;
	}
	pthread_mutex_lock(&m->lock);
	word = m->pba[off / 8];
	pthread_mutex_unlock(&m->lock);
	if (off & 4)
		word >>= 32;
	pci_put32(data, (uint32_t)word);
	if (len == 8)
		pci_put32(data + 4, (uint32_t)(word >> 32));
}

void msix_cfg_write(struct pci_msix *m, uint32_t off, uint32_t len)
{
	uint16_t ctrl;

	if (off >= m->cap + 4u || off + len <= m->cap + 2u)
		return;
	ctrl = pci_get16(&m->dev->cfg[m->cap + 2]);
	pthread_mutex_lock(&m->lock);
	m->enabled = ctrl & MSIX_CTRL_ENABLE;
	m->maskall = ctrl & MSIX_CTRL_MASKALL;
	msix_flush(m);
	pthread_mutex_unlock(&m->lock);
}

bool msix_enabled(struct pci_msix *m)
{
	bool on;

	pthread_mutex_lock(&m->lock);
	on = m->enabled;
	pthread_mutex_unlock(&m->lock);
	return on;
}

int msix_notify(struct pci_msix *m, unsigned int vector)
{
	struct msix_vector *v;
	int ret = 0;

	pthread_mutex_lock(&m->lock);
	if (!m->enabled) {
		ret = -ENOENT;
	} else if (vector >= m->nr) {
		ret = -EINVAL;
	} else {
		v = &m->vec[vector];
		if (vec_masked(m, v))
			pba_set(m, vector, true);
		else
			vec_fire(m, v);
	}
	pthread_mutex_unlock(&m->lock);
	return ret;
}

bool msix_pending(struct pci_msix *m, unsigned int vector)
{
	bool p;

	if (vector >= m->nr)
		return false;
	pthread_mutex_lock(&m->lock);
	p = pba_test(m, vector);
	pthread_mutex_unlock(&m->lock);
	return p;
}
