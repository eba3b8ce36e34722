// SPDX-License-Identifier: GPL-2.0-only
#include "machine/pci_setup.h"
#include <errno.h>

#include "util/log.h"

int pci_setup(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;

	if (cfg->nr_blk || cfg->nr_net || cfg->vsock.enabled || cfg->entropy ||
	    cfg->console.kind == CONSOLE_VIRTIO) {
		log_err("virtio", "virtio devices are not available in this build yet");
		return -ENOSYS;
	}
	return 0;
}

void pci_teardown(struct vm *vm)
{
	(void)vm;
}
