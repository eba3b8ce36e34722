/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_UTIL_SUGGEST_H
#define CVMM_UTIL_SUGGEST_H

/*
 * "Did you mean ...?" for a mistyped name (a command, a flag, a
 * sub-option key, a CPU model): offer each candidate with suggest_add(),
 * then suggest_best() is the closest one, or NULL when none is close
 * enough to be what the user meant.  Close means an edit distance
 * (insertions, deletions, substitutions, swaps of two neighbours;
 * case-insensitive) of at most 1 for names up to 4 characters and 2 for
 * longer ones, or the typed text (two characters or more) being the start
 * of the candidate ("mem" for "memory"; the first such wins).  Candidates are not copied.
 */
struct suggest {
	const char *typed;
	const char *best;
	unsigned int best_dist;
};

void suggest_init(struct suggest *s, const char *typed);
void suggest_add(struct suggest *s, const char *candidate);
const char *suggest_best(const struct suggest *s);

/* The edit distance described above (exported for tests); capped at 100. */
unsigned int suggest_distance(const char *a, const char *b);

#endif
