/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_UTIL_COMPILER_H
#define CVMM_UTIL_COMPILER_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __packed		__attribute__((packed))
#define __unused		__attribute__((unused))
#define __must_check		__attribute__((warn_unused_result))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), #cond)

#define ALIGN_UP(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))

/*
 * The 4 KiB page every confidential-computing interface works in (SNP
 * RMP/PAGE_INFO, TDX PAGE.ADD, the VMSA, guest_memfd conversions).  Spelt
 * 4096ULL, like the copies still private to coco/ and machine/, so that
 * they stay legal until they go.
 */
#define PAGE_SIZE		4096ULL
#define SZ_4K			0x1000ULL
#define SZ_1M			0x100000ULL
#define SZ_2M			0x200000ULL
#define SZ_1G			0x40000000ULL
#define SZ_4G			0x100000000ULL

/* True when [start, start + len) wraps around the 64-bit address space. */
static inline int range_overflows(uint64_t start, uint64_t len)
{
	return start + len < start;
}

/* True when [start, start + len) lies inside [base, base + size). */
static inline int range_within(uint64_t start, uint64_t len,
			       uint64_t base, uint64_t size)
{
	if (range_overflows(start, len) || range_overflows(base, size))
		return 0;
	return start >= base && start + len <= base + size;
}

#endif
