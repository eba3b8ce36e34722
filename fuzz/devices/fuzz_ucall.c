// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ucall channel driven by a hostile guest: the input's first 4 bytes
 * are the address the guest writes to the port, the rest lands in guest
 * RAM at 0x1000 (a struct ucall or garbage).  Every call must be decoded
 * into printable, terminated strings or refused as malformed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "devices/ucall.h"
#include "mem/guest_mem.h"

#define RAM_SIZE	0x4000ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(void *opaque, const struct ucall_msg *m)
{
	size_t i, n = strlen(m->file);

	if (n > UCALL_FILE_LEN || strlen(m->msg) > UCALL_MSG_LEN)
		abort();
	for (i = 0; i < n; i++)
		if (m->file[i] < 0x20 || m->file[i] > 0x7e)
			abort();
	++*(unsigned int *)opaque;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct guest_mem mem = { 0 };
	struct ucall_dev u;
	unsigned int calls = 0;
	uint8_t addr[4];

	if (size < 4 || guest_mem_add_ram(&mem, 0, RAM_SIZE, GUEST_MEM_ANON, false, "ram"))
		return 0;
	memcpy(addr, data, 4);
	guest_mem_write(&mem, 0x1000, data + 4, size - 4 < 0x2000 ? size - 4 : 0x2000);
	ucall_init(&u, &mem, check, &calls);
	ucall_io(&u, 0, addr, 4, true);
	ucall_io(&u, 0, addr, 2, true);		/* not a 4-byte write: ignored */
	if (calls != 1)
		abort();
	guest_mem_free(&mem);
	return 0;
}
