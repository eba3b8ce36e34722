// SPDX-License-Identifier: GPL-2.0-only
/*
 * The main thread, after set-up: it waits for signals, console input, the
 * VM's stop event and the API's commands -- and on a guest reset (or
 * vm.reboot) it tears the whole KVM VM down and builds it again: a new VM
 * fd, guest RAM, memslots, the irqchip, vCPUs, the confidential launch
 * (/dev/sev, guest_memfd), every device and its event loop, new threads.
 * These are the rights it keeps for that.  Its children inherit its
 * filter, so the filter actually loaded adds every thread type's table
 * (table.h); a compromised thread is still held to its own.
 *
 * Landlock, not this table, decides which paths open() may reach.
 */
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>

#include "sandbox/table.h"

/* KVM's ioctls are type 0xae (KVMIO): (request & 0xff00) == 0xae00 */
#define KVM_IOCTL_TYPE_MASK	0xff00ULL
#define KVM_IOCTL_TYPE		(0xaeULL << 8)

static const struct sandbox_rule rules[] = {
	/* the loop */
	SB(epoll_wait, "the main loop"),
	SB(epoll_ctl, "the VM's stop event, console input, the API's command channel"),
	SB(read, "signalfd, console input, eventfds; with an API, files of a new VM"),
	SB(close, "everything a torn-down VM held"),
	/* the host console (console.c, console_host.c) */
	SB(timerfd_settime, "pasted input paced out to the guest"),
	SB(accept4, "--console socket: a client connects (one at a time)"),
	SB_IF(SANDBOX_NEED_API, timerfd_create, "vm.boot of a new VM: its console's paste timer"),
	SB_ARG_IF(SANDBOX_NEED_API, socket, 0, AF_UNIX,
		  "vm.boot with serial mode Socket: its socket (and a probe for a live one)"),
	SB_IF(SANDBOX_NEED_API, connect, "... the probe: is another process listening there"),
	SB_IOCTL_IF(SANDBOX_NEED_API, TIOCGPTN, "vm.boot with serial mode Pty: ptsname()"),
	SB_IOCTL_IF(SANDBOX_NEED_API, TIOCSPTLCK, "... unlockpt()"),
	SB_IOCTL_IF(SANDBOX_NEED_API, TCSETS, "... the pty made raw"),
	/* rebuilding the VM */
	SB_MASK(ioctl, 1, KVM_IOCTL_TYPE_MASK, KVM_IOCTL_TYPE,
		"every KVM ioctl: a reset builds a new VM (KVM_CREATE_VM, memslots, irqchip, "
		"vCPUs, the SEV/SNP/TDX launch on the VM and vCPU fds)"),
	SB(eventfd2, "a new VM's stop event, ioeventfds, irqfds, the loops' stop events"),
	SB(epoll_create1, "each device's event loop"),
	SB(memfd_create, "memfd guest RAM (backend=memfd), the simulated platform's memory"),
	SB(ftruncate, "... sized"),
	SB_ARG(madvise, 2, MADV_DONTDUMP, "guest RAM kept out of core dumps"),
	SB(openat, "/dev/sev at each SEV/SNP launch, /proc/self/fd (vsock's limit); with an "
		   "API the files of a new VM or disk (Landlock bounds the paths)"),
	SB(newfstatat, "fstat() of what it opens; the sockets it removes at exit are still its own"),
	SB(getdents64, "/proc/self/fd: vsock's connection limit at each boot"),
	SB_ARG(prlimit64, 2, 0, "getrlimit(RLIMIT_NOFILE), the same limit (no new limit)"),
	SB(fcntl, "a passed tap dup()ed for each boot's device; image locks (API)"),
	SB(unlink, "the vsock and API sockets at exit"),
	/* new threads (vCPUs, event loops) at each boot */
	SB_THREAD_IF(0, "pthread_create() tries clone3() first: ENOSYS, so that glibc uses clone()",
		     "pthread_create(): a thread (CLONE_THREAD), no process, no namespace"),
	SB(set_robust_list, "a new thread's first calls (glibc), before its own filter"),
	SB(rseq, "... registers its restartable sequence"),
	SB_ARG(prctl, 0, PR_SET_NAME, "... names itself (vcpuN, virtio-blk0)"),
	SB_ARG(prctl, 0, PR_GET_NAME, "... reads its name for the SIGSYS report"),
	SB_ARG(prctl, 0, PR_SET_NO_NEW_PRIVS, "... before its own filter"),
	SB_ARG2(seccomp, 0, SECCOMP_SET_MODE_FILTER, 1, 0,
		"... loads its own filter (which can only narrow this one)"),
	SB_ARG2(tgkill, 0, SANDBOX_VAL_PID, 2, SANDBOX_VAL_SIGRTMIN,
		"kick a vCPU of this process out of KVM_RUN (pause, stop)"),
	SB_ARG(getrandom, 2, 0, "OpenSSL's random generator seeds itself (an ID block's key, "
				"the simulated platform's report signatures)"),
	/* the simulated platform (--dry-run) */
	SB_IF(SANDBOX_NEED_SIM, pwrite64, "the launched pages into its guest_memfd"),
	SB_IF(SANDBOX_NEED_SIM, pread64, "vm.coco: the launched pages back"),
	/* the control API: devices and VMs described after set-up */
	SB_IF(SANDBOX_NEED_API, sysinfo, "vm.boot of a new VM: can the host hold its RAM"),
	SB_IF(SANDBOX_NEED_API, lseek, "vm.boot of a new VM: its images read"),
	SB_ARG_IF(SANDBOX_NEED_API, socket, 0, AF_INET,
		  "vm.add-net by name: the tap brought up, its MTU (SIOCSIF*)"),
	SB_IF(SANDBOX_NEED_API, bind, "vm.add-vsock: its socket"),
	SB_IF(SANDBOX_NEED_API, listen, "... listening"),
	SB_IOCTL_IF(SANDBOX_NEED_API, TCGETS, "vm.boot of a new VM: is stdin a terminal"),
	SB_IOCTL_IF(SANDBOX_NEED_API, TUNSETIFF, "vm.add-net by name: the tap opened"),
	SB_IOCTL_IF(SANDBOX_NEED_API, SIOCGIFINDEX, "... does it exist (if_nametoindex())"),
	SB_IOCTL_IF(SANDBOX_NEED_API, SIOCGIFFLAGS, "... brought up"),
	SB_IOCTL_IF(SANDBOX_NEED_API, SIOCSIFFLAGS, "... brought up"),
	SB_IOCTL_IF(SANDBOX_NEED_API, SIOCSIFMTU, "... its MTU"),
	SB_IOCTL_IF(SANDBOX_NEED_API, BLKGETSIZE64, "vm.add-disk on a block device: its size"),
};

/* Not registered as a thread type: sandbox_arm() adds the others to it. */
const struct sandbox_table sandbox_table_main = {
	.name = "main",
	.threads = "the main thread",
	.rules = rules,
	.nr_rules = ARRAY_SIZE(rules),
};
