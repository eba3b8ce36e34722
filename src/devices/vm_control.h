/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VM_CONTROL_H
#define CVMM_DEVICES_VM_CONTROL_H

/*
 * How devices ask the machine to power off, reset or exit.  The machine
 * records the first request and stops every vCPU; devices never touch
 * vCPUs or KVM themselves.
 */
enum vm_request {
	VM_REQ_NONE = 0,
	VM_REQ_POWEROFF,	/* ACPI S5 */
	VM_REQ_RESET,		/* i8042 0xfe, port 0xcf9, ACPI reset */
	VM_REQ_EXIT,		/* debug-exit device: leave with a status */
};

struct vm_control {
	void (*request)(void *opaque, enum vm_request req, int status);
	void *opaque;
};

static inline void vm_control_request(const struct vm_control *ctl,
				      enum vm_request req, int status)
{
	if (ctl && ctl->request)
		ctl->request(ctl->opaque, req, status);
}

#endif
