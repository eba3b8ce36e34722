/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_AGENT_UNLOCK_H
#define CVMM_AGENT_UNLOCK_H

/*
 * Opening the LUKS2 disk with the key from the broker.
 *
 * The key lives in one mlock()ed, MADV_DONTDUMP page (struct keybuf), is
 * handed to cryptsetup through a pipe on its stdin (--key-file=-: never an
 * argument, an environment variable or a file) and is zeroed as soon as
 * cryptsetup has it.
 *
 * --format-empty may format, and only a *blank* device: no LUKS header
 * (primary "LUKS\xba\xbe" at 0 or a LUKS2 secondary "SKUL\xba\xbe" at any
 * of its possible offsets, 16 KiB .. 4 MiB), and nothing else either: the
 * first 1 MiB all zero.  A device with a LUKS header is only ever opened.
 * LUKS2 is formatted with PBKDF2 (SHA-256) at cryptsetup's minimum of 1000
 * iterations: the key is 32 random bytes from the broker, so a slow KDF
 * adds nothing, and argon2's memory cost would not fit a small guest.
 * A file system is made only in a container this run has just formatted
 * (a fresh mapping reads the decryption of the old contents, not zeros, so
 * an empty container cannot be told from one with data).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/config.h"

#define KEYBUF_MAX	4096

struct keybuf {
	uint8_t *p;		/* one locked page */
	size_t len;
};

/* Allocate and lock the page.  0 or -errno (-EPERM: cannot mlock). */
int keybuf_init(struct keybuf *k);
/* Zero and unmap. */
void keybuf_free(struct keybuf *k);

enum disk_state {
	DISK_LUKS,	/* a LUKS header (primary or secondary) */
	DISK_BLANK,	/* the first 1 MiB is zero, no LUKS header */
	DISK_OTHER,	/* anything else: never formatted */
};

#define DISK_PROBE_LEN		((4u << 20) + 4096)	/* the farthest secondary header + a block */
#define DISK_BLANK_LEN		(1u << 20)

/* Classify the first @len bytes of a device (see above). */
enum disk_state disk_classify(const uint8_t *buf, size_t len);

/* Read and classify @dev.  0 or -errno with @why. */
int disk_probe(const char *dev, enum disk_state *st, char *why, size_t whylen);

/*
 * Open (and with c->format_empty, format) c->device as c->name with @key,
 * then mount it on c->mount (if set).  On any failure after the mapping
 * exists it is closed again, so the disk stays locked.  @key is zeroed
 * (len 0) once cryptsetup open has run, before mke2fs or mount.
 * Returns 0, or -EPERM (the key does not open the device), -EEXIST (a
 * non-blank, non-LUKS device), -errno, with @why.
 */
int unlock_disk(const struct agent_config *c, struct keybuf *key,
		char *why, size_t whylen);

/*
 * Undo unlock_disk(): unmount c->mount (if mounted there) and close the
 * mapping c->name.  Returns 0 or -errno with @why.
 */
int unlock_close(const struct agent_config *c, char *why, size_t whylen);

/*
 * Does @key open a keyslot of c->device?  (cryptsetup open --test-passphrase:
 * no mapping is made; @key is zeroed once cryptsetup has run.)  Returns 0,
 * -EPERM (it does not), -errno with @why.
 */
int unlock_test_key(const struct agent_config *c, struct keybuf *key,
		    char *why, size_t whylen);

/*
 * Run @argv (argv[0] searched in PATH) with @in (@inlen bytes) on its
 * stdin through a pipe, and wait.  Returns its exit status (0..255),
 * 256 + signal, or -errno when it cannot run.
 */
int run_with_stdin(const char *const argv[], const uint8_t *in, size_t inlen);

#endif
