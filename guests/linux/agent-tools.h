/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_GUESTS_AGENT_TOOLS_H
#define CVMM_GUESTS_AGENT_TOOLS_H

/*
 * Read the whole block device @dev (O_DIRECT), check that its SHA-256 is
 * @want_hex, and only then unpack the newc cpio it holds into @dest.
 * Returns NULL, or what went wrong (nothing is unpacked on a mismatch).
 */
const char *tools_unpack(const char *dev, const char *want_hex, const char *dest);

#endif
