// SPDX-License-Identifier: GPL-2.0-only
/*
 * Read a --fw-cfg item back through the fw_cfg ports (issue 21): the
 * command line names the item and its expected contents,
 *   fwcfg.name=NAME fwcfg.expect=TEXT
 * (TEXT runs to the next space).  The item must be in the file directory
 * with exactly strlen(TEXT) bytes, and those bytes must be TEXT; reading
 * past its end gives zeros.
 */
#include "guest.h"
#include "ucall.h"

#define FW_CFG_SEL		0x510
#define FW_CFG_DATA		0x511
#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_FILE_DIR		0x0019

static void sel(uint16_t key)
{
	outw(FW_CFG_SEL, key);
}

static void read_bytes(void *buf, uint32_t n)
{
	uint8_t *p = buf;

	while (n--)
		*p++ = inb(FW_CFG_DATA);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The word after "@key=" on the command line, copied into @out. */
static size_t cmdline_word(const char *cmdline, const char *key, char *out, size_t max)
{
	const char *p = strstr(cmdline, key);
	size_t n = 0;

	if (!p)
		return 0;
	for (p += strlen(key); *p && *p != ' ' && n + 1 < max; p++)
		out[n++] = *p;
	out[n] = 0;
	return n;
}

void guest_main(const struct guest_boot *boot)
{
	static char name[64], want[1024];
	static uint8_t got[1024 + 16];
	uint8_t sig[4], entry[64];
	uint32_t count, i, size = 0;
	uint16_t key = 0;
	size_t wlen;

	GUEST_ASSERT(cmdline_word(boot->cmdline, "fwcfg.name=", name, sizeof(name)));
	wlen = cmdline_word(boot->cmdline, "fwcfg.expect=", want, sizeof(want));
	GUEST_ASSERT(wlen > 0);
	sel(FW_CFG_SIGNATURE);
	read_bytes(sig, 4);
	GUEST_ASSERT(!memcmp(sig, "QEMU", 4));

	sel(FW_CFG_FILE_DIR);
	read_bytes(sig, 4);
	count = be32(sig);
	for (i = 0; i < count; i++) {
		read_bytes(entry, 64);	/* size, select, reserved, name[56] */
		if (!strncmp((const char *)entry + 8, name, 56)) {
			size = be32(entry);
			key = (uint16_t)(entry[4] << 8 | entry[5]);
			break;
		}
	}
	GUEST_ASSERT_MSG(i < count, "no fw_cfg file '%s' among %u", name, count);
	printf("fwcfg: '%s' is key 0x%x, %u bytes\n", name, key, size);
	GUEST_ASSERT_EQ(size, wlen);
	sel(key);
	read_bytes(got, size + 16);
	GUEST_ASSERT_MSG(!memcmp(got, want, wlen), "contents differ from the command line's");
	for (i = 0; i < 16; i++)
		GUEST_ASSERT_EQ(got[size + i], 0);
	printf("fwcfg: contents match\n");
	GUEST_DONE();
}
