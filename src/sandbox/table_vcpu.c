// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vCPU threads (vcpuN): KVM_RUN and the exits dispatched on them --
 * port and MMIO accesses to the devices (the PCI host bridge, virtio
 * registers, MSI-X tables: they re-route interrupts and move ioeventfds),
 * the confidential exits (private/shared conversions, TDX quotes), the
 * pause gate.  Only the KVM ioctls below; no open(), no socket() unless a
 * TDX guest may ask for a quote, no new threads, no exec.
 */
#include <linux/falloc.h>
#include <sys/socket.h>

#include "kvm/uapi.h"
#include "sandbox/table.h"

static const struct sandbox_rule rules[] = {
	/* the guest */
	SB_IOCTL(KVM_RUN, "run the vCPU"),
	SB_IOCTL(KVM_KVMCLOCK_CTRL, "a paused vCPU tells the guest's kvmclock (vcpu_park)"),
	SB_IOCTL(KVM_GET_REGS, "RIP and code for a triple fault or KVM error message"),
	SB_IOCTL(KVM_GET_SREGS, "CS base and CR0 for the same message"),
	SB_IOCTL(KVM_TRANSLATE, "the linear address of RIP for the same message"),
	/* interrupts raised by the devices a vCPU thread drives */
	SB_IOCTL(KVM_IRQ_LINE, "ISA interrupts (COM1, the PM timer's SCI, INTx)"),
	SB_IOCTL(KVM_SIGNAL_MSI, "the split irqchip's userspace IOAPIC delivers an MSI"),
	SB_IOCTL(KVM_SET_GSI_ROUTING, "the guest programs an MSI-X vector"),
	SB_IOCTL(KVM_IRQFD, "an MSI-X vector's eventfd bound to (or unbound from) its route"),
	SB_IOCTL(KVM_IOEVENTFD, "the guest moves a BAR: the queue notify eventfds follow"),
	SB(eventfd2, "a new MSI-X vector's irqfd"),
	SB(epoll_ctl, "an eventfd the device's loop watches (added, changed, removed)"),
	SB(close, "an MSI-X vector's eventfd released"),
	/* write: table_common.c (COM1 and debugcon output, eventfd kicks, vm_stop) */
	/* confidential guests */
	SB_IOCTL(KVM_SET_MEMORY_ATTRIBUTES, "a guest's private <-> shared conversion"),
	SB_ARG(fallocate, 1, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	       "a conversion frees the old side's pages (guest_memfd, memfd RAM)"),
	SB_ARG_IF(SANDBOX_NEED_SIM, getrandom, 2, 0,
		  "platform=sim: a guest's report signed by the simulated PSP (OpenSSL's generator)"),
	SB_IF(SANDBOX_NEED_SIM, clock_nanosleep,
	      "--dry-run: a simulated vCPU idles 2 ms per KVM_RUN (src/sim)"),
	SB_ARG_IF(SANDBOX_NEED_QGS, socket, 0, AF_UNIX, "TDX GetQuote: a connection to the QGS"),
	SB_IF(SANDBOX_NEED_QGS, connect, "TDX GetQuote: the QGS socket (qgs=PATH)"),
	SB_IF(SANDBOX_NEED_QGS, sendto, "TDX GetQuote: the request"),
	SB_IF(SANDBOX_NEED_QGS, recvfrom, "TDX GetQuote: the quote"),
	SB_IF(SANDBOX_NEED_QGS, poll, "TDX GetQuote: waits for the QGS, a second at a time"),
};

SANDBOX_TABLE(vcpu, "vcpu", "vCPU threads (vcpuN)", rules);
