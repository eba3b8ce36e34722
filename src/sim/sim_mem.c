// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform's guest memory: memslots (check_memory_region_
 * flags(), kvm_set_memory_region(), kvm_gmem_bind()), memory attributes
 * (kvm_vm_ioctl_set_mem_attributes()), guest_memfd (kvm_gmem_create()) and
 * the range sets and lookups the PSP and TDX models use.  [Kn] tags refer
 * to the rule table in docs/coco.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/sim_internal.h"
#include "util/compiler.h"

/* ------------------------------------------------------------------ */
/* ranges */

bool sim_ranges_covers(const struct sim_ranges *r, uint64_t start, uint64_t end)
{
	unsigned int i;

	for (i = 0; i < r->n && start < end; i++) {
		if (r->r[i][1] <= start)
			continue;
		if (r->r[i][0] > start)
			return false;
		start = r->r[i][1];
	}
	return start >= end;
}

bool sim_ranges_overlaps(const struct sim_ranges *r, uint64_t start, uint64_t end)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (r->r[i][0] < end && start < r->r[i][1])
			return true;
	return false;
}

int sim_ranges_set(struct sim_ranges *r, uint64_t start, uint64_t end, bool on)
{
	uint64_t (*n)[2];
	unsigned int i, k = 0;

	n = malloc((r->n + 2) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	for (i = 0; i < r->n; i++) {
		uint64_t a = r->r[i][0], b = r->r[i][1];

		if (b <= start || a >= end) {
			n[k][0] = a;
			n[k++][1] = b;
			continue;
		}
		if (on) {
			/* merge into the new range */
			start = MIN(start, a);
			end = MAX(end, b);
			continue;
		}
		if (a < start) {
			n[k][0] = a;
			n[k++][1] = start;
		}
		if (b > end) {
			n[k][0] = end;
			n[k++][1] = b;
		}
	}
	if (on) {
		/* insert sorted, merging with touching neighbours */
		unsigned int j;

		for (j = 0; j < k && n[j][0] < start; j++)
			;
		memmove(&n[j + 1], &n[j], (k - j) * sizeof(*n));
		n[j][0] = start;
		n[j][1] = end;
		k++;
		for (j = 0; j + 1 < k;) {
			if (n[j][1] >= n[j + 1][0]) {
				n[j][1] = MAX(n[j][1], n[j + 1][1]);
				memmove(&n[j + 1], &n[j + 2], (k - j - 2) * sizeof(*n));
				k--;
			} else {
				j++;
			}
		}
	}
	free(r->r);
	r->r = n;
	r->n = k;
	return 0;
}

void sim_ranges_free(struct sim_ranges *r)
{
	free(r->r);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------------ */
/* lookups for the PSP and TDX models */

const struct sim_slot *sim_slot_find(const struct sim_vm *vm, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < SIM_MAX_SLOTS; i++) {
		const struct sim_slot *sl = &vm->slots[i];

		if (sl->used && gpa >= sl->gpa && gpa - sl->gpa < sl->size)
			return sl;
	}
	return NULL;
}

const uint8_t *sim_user_ptr(const struct sim_vm *vm, uint64_t uaddr, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < SIM_MAX_SLOTS; i++) {
		const struct sim_slot *sl = &vm->slots[i];

		if (sl->used && range_within(uaddr, len, sl->uaddr, sl->size))
			return (const uint8_t *)(uintptr_t)uaddr;
	}
	return NULL;
}

int sim_gmem_write(const struct sim_slot *slot, uint64_t gpa, const void *buf, size_t len)
{
	ssize_t n;

	if (!slot->gmem || slot->gmem == SIM_SLOT_GMEM_CLOSED)
		return -EFAULT;
	n = pwrite(slot->gmem->fd, buf, len, (off_t)(slot->gmem_off + (gpa - slot->gpa)));
	return n == (ssize_t)len ? 0 : -EIO;
}

/* ------------------------------------------------------------------ */
/* memslots, attributes, guest_memfd */

/* kvm_gmem_bind() [K9]: the guest_memfd range of a new memslot. */
static int gmem_bind(struct sim_vm *vm, uint32_t slot, uint32_t gmem_fd, uint64_t gmem_off,
		     uint64_t size, struct sim_gmem **out)
{
	struct sim *s = vm->sim;
	struct sim_obj *o = sim_obj_find(s, (int)gmem_fd);
	struct sim_gmem *g;
	unsigned int i;

	if (!o)
		return sim_fail(s, -EBADF, "memslot %u: guest_memfd %u is not open", slot,
				gmem_fd);
	g = o->kind == SIM_GMEM ? o->p : NULL;
	if (!g || g->vm != vm)
		return sim_fail(s, -EINVAL, "memslot %u: fd %u is not a guest_memfd of this VM",
				slot, gmem_fd);
	if (gmem_off + size > g->size || gmem_off + size < gmem_off)
		return sim_fail(s, -EINVAL, "memslot %u: guest_memfd offset 0x%llx + 0x%llx "
				"beyond its size 0x%llx", slot, (unsigned long long)gmem_off,
				(unsigned long long)size, (unsigned long long)g->size);
	for (i = 0; i < SIM_MAX_SLOTS; i++) {
		const struct sim_slot *o2 = &vm->slots[i];

		if (o2->used && o2->gmem == g && gmem_off < o2->gmem_off + o2->size &&
		    o2->gmem_off < gmem_off + size)
			return sim_fail(s, -EINVAL, "memslot %u: guest_memfd range already "
					"bound to memslot %u", slot, i);
	}
	*out = g;
	return 0;
}

int sim_vm_set_memslot(struct sim_vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
			  uint64_t size, uint64_t uaddr, bool v2, uint32_t gmem_fd,
			  uint64_t gmem_off)
{
	struct sim *s = vm->sim;
	uint32_t valid = KVM_MEM_LOG_DIRTY_PAGES;
	struct sim_gmem *g = NULL;
	struct sim_slot *sl;
	unsigned int i;
	int ret;

	/* check_memory_region_flags() [K7] */
	if (v2 && vm->has_private_mem)
		valid |= KVM_MEM_GUEST_MEMFD;
	if (flags & KVM_MEM_GUEST_MEMFD)
		valid &= ~KVM_MEM_LOG_DIRTY_PAGES;
	else if (!vm->has_protected_state)	/* kvm_arch_has_readonly_mem() */
		valid |= KVM_MEM_READONLY;
	if (flags & ~valid)
		return sim_fail(s, -EINVAL, "memslot %u: flags 0x%x not allowed on VM type %lu",
				slot, flags, vm->type);
	if (slot >> 16 || (slot & 0xffff) >= SIM_MAX_SLOTS)
		return sim_fail(s, -EINVAL, "memslot %u out of range", slot);
	if ((gpa | size | uaddr) & (SIM_PAGE - 1) || range_overflows(gpa, size) ||	/* [K8] */
	    ((flags & KVM_MEM_GUEST_MEMFD) && (gmem_off & (SIM_PAGE - 1))))
		return sim_fail(s, -EINVAL, "memslot %u: not page aligned", slot);
	sl = &vm->slots[slot];
	if (!size) {
		if (!sl->used)
			return sim_fail(s, -EINVAL, "memslot %u: deleting a slot that does "
					"not exist", slot);
		memset(sl, 0, sizeof(*sl));
		return 0;
	}
	if (sl->used) {
		if ((sl->flags | flags) & KVM_MEM_GUEST_MEMFD)
			return sim_fail(s, -EINVAL, "memslot %u: guest_memfd slots are "
					"immutable", slot);	/* [K10] */
		if (sl->gpa != gpa || sl->size != size)
			return sim_fail(s, -EINVAL, "memslot %u: moving a slot is not "
					"simulated", slot);
		sl->flags = flags;
		sl->uaddr = uaddr;
		return 0;
	}
	for (i = 0; i < SIM_MAX_SLOTS; i++) {
		const struct sim_slot *o = &vm->slots[i];

		if (o->used && gpa < o->gpa + o->size && o->gpa < gpa + size)
			return sim_fail(s, -EEXIST, "memslot %u overlaps memslot %u", slot, i);
	}
	if (flags & KVM_MEM_GUEST_MEMFD) {
		ret = gmem_bind(vm, slot, gmem_fd, gmem_off, size, &g);
		if (ret)
			return ret;
	}
	ret = sim_order(vm, COCO_STEP_MEMORY);
	if (ret)
		return ret;
	*sl = (struct sim_slot){
		.used = true, .id = slot, .flags = flags, .gpa = gpa, .size = size,
		.uaddr = uaddr, .gmem = g, .gmem_off = gmem_off,
	};
	return 0;
}

int sim_vm_set_attributes(struct sim_vm *vm, const struct kvm_memory_attributes *a)
{
	struct sim *s = vm->sim;
	uint64_t supported = vm->has_private_mem ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;

	/* kvm_vm_ioctl_set_mem_attributes() [K11] */
	if (a->flags)
		return sim_fail(s, -EINVAL, "KVM_SET_MEMORY_ATTRIBUTES: flags 0x%llx",
				(unsigned long long)a->flags);
	if (a->attributes & ~supported)
		return sim_fail(s, -EINVAL, "KVM_SET_MEMORY_ATTRIBUTES: attributes 0x%llx on "
				"VM type %lu", (unsigned long long)a->attributes, vm->type);
	if (!a->size || range_overflows(a->address, a->size))
		return sim_fail(s, -EINVAL, "KVM_SET_MEMORY_ATTRIBUTES: empty or wrapping range");
	if ((a->address | a->size) & (SIM_PAGE - 1))
		return sim_fail(s, -EINVAL, "KVM_SET_MEMORY_ATTRIBUTES: 0x%llx+0x%llx is not "
				"page aligned", (unsigned long long)a->address,
				(unsigned long long)a->size);
	return sim_ranges_set(&vm->private, a->address, a->address + a->size,
			      a->attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE);
}

int sim_vm_create_gmem(struct sim_vm *vm, const struct kvm_create_guest_memfd *c)
{
	struct sim *s = vm->sim;
	struct sim_gmem *g;
	int fd;

	/* kvm_gmem_create() [K12] */
	if (!vm->has_private_mem)
		return sim_fail(s, -EINVAL, "KVM_CREATE_GUEST_MEMFD on VM type %lu", vm->type);
	if (c->flags || !sim_all_zero(c->reserved, sizeof(c->reserved)))
		return sim_fail(s, -EINVAL, "KVM_CREATE_GUEST_MEMFD: flags 0x%llx",
				(unsigned long long)c->flags);
	if (!c->size || (c->size & (SIM_PAGE - 1)) || c->size > (1ULL << 52))
		return sim_fail(s, -EINVAL, "KVM_CREATE_GUEST_MEMFD: size 0x%llx",
				(unsigned long long)c->size);
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	fd = sim_obj_new(s, SIM_GMEM, g, "cvmm-sim-gmem");
	if (fd < 0) {
		free(g);
		return fd;
	}
	if (ftruncate(fd, (off_t)c->size) < 0) {
		int err = -errno;

		sim_obj_del(s, fd);
		free(g);
		return err;
	}
	g->fd = fd;
	g->vm = vm;
	g->size = c->size;
	vm->refs++;
	return fd;
}
