// SPDX-License-Identifier: GPL-2.0-only
/* The Q35 persona's life cycle: its two functions, its decoders (q35.h). */
#include <errno.h>
#include <string.h>

#include "devices/q35/q35_internal.h"

void q35_init(struct q35 *q, const struct q35_config *cfg)
{
	memset(q, 0, sizeof(*q));
	pthread_mutex_init(&q->lock, NULL);
	q->cfg = *cfg;
	q35_mch_init(q);
	q35_lpc_init(q);
	q35_irq_init(q);
	pthread_mutex_lock(&q->lock);
	q35_irq_reroute(q);
	pthread_mutex_unlock(&q->lock);
}

void q35_destroy(struct q35 *q)
{
	pthread_mutex_destroy(&q->lock);
}

int q35_attach(struct q35 *q, struct pci_host *host)
{
	int ret;

	if (host->devs[0] != &q->mch)
		return -EINVAL;
	q->host = host;
	ret = pci_host_add_dev(host, &q->lpc, Q35_LPC_SLOT);
	return ret < 0 ? ret : 0;
}

int q35_register(struct q35 *q, struct io_bus *pio, struct io_bus *mmio)
{
	int ret;

	ret = io_bus_register(pio, Q35_PORT_A20, 1, q35_port92_io, q, "port92");
	if (!ret)
		ret = io_bus_set_fallback(pio, q35_pio_fallback, q);
	if (!ret)
		ret = io_bus_set_fallback(mmio, q35_mmio_fallback, q);
	return ret;
}
