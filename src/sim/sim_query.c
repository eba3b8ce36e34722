// SPDX-License-Identifier: GPL-2.0-only
/*
 * What tests and --dry-run ask the simulated platform: finished launches
 * and their digests, the VMSAs it measured, live objects, the last
 * refusal, private pages and guest_memfd contents, scripted KVM_RUN exits
 * and the VMM's answers, MSIs (coco/sim.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/sim_internal.h"

/* ------------------------------------------------------------------ */
/* queries */

unsigned int sim_nr_launches(struct sim *s)
{
	unsigned int n;

	pthread_mutex_lock(&s->lock);
	n = s->nr_launches;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int sim_launch_get(struct sim *s, unsigned int i, struct sim_launch *out)
{
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	if (i < s->nr_launches) {
		*out = s->launches[i];
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static struct sim_vm *vm_by_fd(struct sim *s, int fd)
{
	struct sim_obj *o = sim_obj_find(s, fd);

	return o && o->kind == SIM_VM ? o->p : NULL;
}

int sim_vm_launch(struct sim *s, int vm_fd, struct sim_launch *out)
{
	struct sim_vm *vm;
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	vm = vm_by_fd(s, vm_fd);
	if (vm && vm->finished) {
		*out = vm->rec;
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

unsigned int sim_nr_objects(struct sim *s)
{
	unsigned int n;

	pthread_mutex_lock(&s->lock);
	n = s->nr_objs;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void sim_last_error(struct sim *s, char *buf, size_t len)
{
	pthread_mutex_lock(&s->lock);
	snprintf(buf, len, "%s", s->error);
	pthread_mutex_unlock(&s->lock);
}

int sim_vcpu_vmsa(struct sim *s, int vm_fd, unsigned int index, uint8_t page[4096])
{
	struct sim_vm *vm;
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	vm = vm_by_fd(s, vm_fd);
	if (vm && index < vm->nr_vcpus && vm->vcpus[index] && vm->vcpus[index]->vmsa_done) {
		memcpy(page, vm->vcpus[index]->vmsa, VMSA_PAGE_SIZE);
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

int sim_vm_private(struct sim *s, int vm_fd, uint64_t gpa)
{
	struct sim_vm *vm;
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	vm = vm_by_fd(s, vm_fd);
	if (vm)
		ret = sim_ranges_covers(&vm->private, gpa, gpa + 1);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

int sim_gmem_read(struct sim *s, int gmem_fd, uint64_t offset, void *buf, size_t len)
{
	struct sim_obj *o;
	ssize_t n;
	int ret;

	pthread_mutex_lock(&s->lock);
	o = sim_obj_find(s, gmem_fd);
	if (!o || o->kind != SIM_GMEM) {
		ret = -EBADF;
	} else {
		n = pread(gmem_fd, buf, len, (off_t)offset);
		if (n >= 0 && (size_t)n < len)
			memset((uint8_t *)buf + n, 0, len - (size_t)n);
		ret = n < 0 ? -errno : 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

int sim_script_push(struct sim *s, const struct sim_exit *e)
{
	int ret = -ENOSPC;

	pthread_mutex_lock(&s->lock);
	if (s->script_len < SIM_MAX_SCRIPT) {
		s->script[s->script_len] = *e;
		s->replied[s->script_len] = false;
		s->script_len++;
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

unsigned int sim_script_left(struct sim *s)
{
	unsigned int n;

	pthread_mutex_lock(&s->lock);
	n = s->script_len - s->script_next;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void sim_exit_system_event(struct sim_exit *e, unsigned int vcpu, uint32_t type)
{
	memset(e, 0, sizeof(*e));
	e->vcpu = vcpu;
	e->reason = KVM_EXIT_SYSTEM_EVENT;
	memcpy(e->data, &type, sizeof(type));
}

int sim_script_reply(struct sim *s, unsigned int i, uint8_t data[256])
{
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	if (i < s->script_len && s->replied[i]) {
		memcpy(data, s->replies[i], 256);
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

unsigned int sim_nr_msis(struct sim *s)
{
	unsigned int n;

	pthread_mutex_lock(&s->lock);
	n = s->nr_msis;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int sim_msi_get(struct sim *s, unsigned int i, uint64_t *address, uint32_t *data)
{
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	if (i < s->nr_msis && i < SIM_MAX_MSIS) {
		*address = s->msi_addr[i];
		*data = s->msi_data[i];
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}
