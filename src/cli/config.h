/* SPDX-License-Identifier: GPL-2.0-only */
/* The machine description lives in the machine layer; kept for includes. */
#include "machine/config.h"
