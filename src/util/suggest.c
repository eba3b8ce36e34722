// SPDX-License-Identifier: GPL-2.0-only
/* Closest-name suggestions for mistyped names (see suggest.h). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "util/suggest.h"

#define MAX_LEN		64	/* longer names are never suggested */
#define FAR		100

static unsigned int min3(unsigned int a, unsigned int b, unsigned int c)
{
	unsigned int m = a < b ? a : b;

	return m < c ? m : c;
}

/* Optimal string alignment distance, case-insensitive. */
unsigned int suggest_distance(const char *a, const char *b)
{
	unsigned int d[MAX_LEN + 1][MAX_LEN + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > MAX_LEN || lb > MAX_LEN)
		return FAR;
	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned int cost = tolower((unsigned char)a[i - 1]) !=
					    tolower((unsigned char)b[j - 1]);

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 &&
			    tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb] < FAR ? d[la][lb] : FAR;
}

void suggest_init(struct suggest *s, const char *typed)
{
	s->typed = typed ? typed : "";
	s->best = NULL;
	s->best_dist = FAR;
}

void suggest_add(struct suggest *s, const char *candidate)
{
	size_t len = strlen(s->typed);
	unsigned int d, limit = len <= 4 ? 1 : 2;

	if (!candidate || !*candidate || !len || !strcmp(candidate, s->typed))
		return;
	d = suggest_distance(s->typed, candidate);
	/* the start of a longer name ("mem" -> "memory") */
	if (d > limit && len >= 2 && !strncasecmp(candidate, s->typed, len))
		d = limit;
	if (d <= limit && d < s->best_dist) {
		s->best = candidate;
		s->best_dist = d;
	}
}

const char *suggest_best(const struct suggest *s)
{
	return s->best;
}
