// SPDX-License-Identifier: GPL-2.0-only
/* Table-driven command lines with one kind of usage error (see args.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/args.h"
#include "util/log.h"
#include "util/suggest.h"

#define HELP_COLUMN	26

const struct arg_opt args_common_opts[] = {
	{ "help", 'h', ARG_NONE, ARG_ID_HELP, NULL, "this help", 0 },
	{ "verbose", 'v', ARG_NONE, ARG_ID_VERBOSE, NULL,
	  "more messages; twice: debug messages", 0 },
	{ "quiet", 'q', ARG_NONE, ARG_ID_QUIET, NULL, "errors only", 0 },
	ARG_END,
};

const struct arg_opt args_help_opt[] = {
	{ "help", 'h', ARG_NONE, ARG_ID_HELP, NULL, "this help", 0 },
	ARG_END,
};

bool args_only(void)
{
	const char *v = getenv("CVMM_ARGS_ONLY");

	return v && !strcmp(v, "1");
}

const struct arg_opt *args_find(const struct arg_group *groups, const char *name)
{
	const struct arg_opt *o;

	for (; groups && groups->title; groups++)
		for (o = groups->opts; o->name; o++)
			if (!strcmp(o->name, name))
				return o;
	return NULL;
}

static const struct arg_opt *find_short(const struct arg_group *groups, char c)
{
	const struct arg_opt *o;

	for (; groups && groups->title; groups++)
		for (o = groups->opts; o->name; o++)
			if (o->short_name && o->short_name == c)
				return o;
	return NULL;
}

const char *args_suggest(const struct arg_group *groups, const char *name)
{
	const struct arg_opt *o;
	struct suggest s;

	suggest_init(&s, name);
	for (; groups && groups->title; groups++)
		for (o = groups->opts; o->name; o++)
			if (!(o->flags & ARG_HIDDEN))
				suggest_add(&s, o->name);
	return suggest_best(&s);
}

struct walk {
	const struct args_parser *p;
	int argc;
	char **argv;
	int i;			/* the argument being read */
	/* args_value(): only note the values of this option, print nothing */
	const char *scan_name;
	const char *scan_value;
};

static int unknown(const struct walk *w, const char *typed, const char *name)
{
	const char *best = name && !w->scan_name ? args_suggest(w->p->groups, name) : NULL;

	if (w->scan_name)
		return -EINVAL;
	if (best)
		log_err(typed, "unknown option; did you mean --%s?", best);
	else
		log_err(typed, "unknown option (see 'cvmm help %s')", w->p->cmd);
	return -EINVAL;
}

/* Apply @o with @value; @typed is how the user spelled the option. */
static int apply(struct walk *w, const struct arg_opt *o, const char *typed,
		 const char *value)
{
	char canonical[80];
	int ret;

	if (w->scan_name) {
		if (!strcmp(o->name, w->scan_name))
			w->scan_value = value;
		return 0;
	}
	switch (o->id) {
	case ARG_ID_HELP:
		return ARGS_HELP;
	case ARG_ID_VERBOSE:
		if (log_level < LOG_DEBUG)
			log_level = log_level < LOG_NORMAL ? LOG_NORMAL : log_level + 1;
		return 0;
	case ARG_ID_QUIET:
		log_level = LOG_QUIET;
		return 0;
	}
	snprintf(canonical, sizeof(canonical), "--%s", o->name);
	log_usage_typed(canonical, typed);
	ret = w->p->option(w->p->ctx, o, value);
	log_usage_typed(NULL, NULL);
	return ret < 0 ? ret : 0;
}

static int needs_value(const struct walk *w, const struct arg_opt *o, const char *typed)
{
	if (!w->scan_name)
		log_err(typed, "needs a value (%s)", o->value ? o->value : "see --help");
	return -EINVAL;
}

/* "--name", "--name=VALUE" or "--name VALUE" at w->argv[w->i]. */
static int long_option(struct walk *w)
{
	const char *arg = w->argv[w->i] + 2, *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	char name[72], typed[80];
	const struct arg_opt *o;

	if (len >= sizeof(name)) {
		if (!w->scan_name)
			log_err(w->argv[w->i], "unknown option");
		return -EINVAL;
	}
	memcpy(name, arg, len);
	name[len] = 0;
	snprintf(typed, sizeof(typed), "--%s", name);
	o = args_find(w->p->groups, name);
	if (!o)
		return unknown(w, typed, name);
	if (o->kind == ARG_NONE && eq) {
		if (!w->scan_name)
			log_err(w->argv[w->i], "takes no value");
		return -EINVAL;
	}
	if (o->kind == ARG_REQUIRED && !eq) {
		if (w->i + 1 >= w->argc)
			return needs_value(w, o, typed);
		return apply(w, o, typed, w->argv[++w->i]);
	}
	return apply(w, o, typed, eq ? eq + 1 : NULL);
}

/* A cluster of short options: "-v", "-vv", "-m512M", "-m 512M". */
static int short_options(struct walk *w)
{
	const char *arg = w->argv[w->i], *c;
	const struct arg_opt *o;
	char typed[3] = "-?";
	int ret;

	for (c = arg + 1; *c; c++) {
		typed[1] = *c;
		o = find_short(w->p->groups, *c);
		if (!o) {
			/* "-memory": a long option with one dash */
			if (c == arg + 1 && c[1] && !w->scan_name && args_find(w->p->groups, c)) {
				log_err(arg, "unknown option; did you mean -%s?", arg);
				return -EINVAL;
			}
			return unknown(w, typed, NULL);
		}
		if (o->kind == ARG_NONE) {
			ret = apply(w, o, typed, NULL);
			if (ret)
				return ret;
			continue;
		}
		if (c[1])
			return apply(w, o, typed, c + 1);
		if (o->kind == ARG_OPTIONAL)
			return apply(w, o, typed, NULL);
		if (w->i + 1 >= w->argc)
			return needs_value(w, o, typed);
		return apply(w, o, typed, w->argv[++w->i]);
	}
	return 0;
}

static int positional(const struct walk *w, const char *arg)
{
	if (w->scan_name)
		return 0;
	if (!w->p->positional) {
		log_err(arg, "unexpected argument (cvmm %s takes only options; see "
			"'cvmm help %s')", w->p->cmd, w->p->cmd);
		return -EINVAL;
	}
	return w->p->positional(w->p->ctx, arg);
}

/* Read argv[1..] with w->p's options: 0 or the first error. */
static int walk_args(struct walk *w)
{
	bool only_positional = false;
	int ret = 0;

	for (w->i = 1; w->i < w->argc && !ret; w->i++) {
		const char *arg = w->argv[w->i];

		if (only_positional || arg[0] != '-' || !arg[1])
			ret = positional(w, arg);
		else if (!strcmp(arg, "--"))
			only_positional = true;
		else if (arg[1] == '-')
			ret = long_option(w);
		else
			ret = short_options(w);
	}
	return ret;
}

int args_parse(const struct args_parser *p, int argc, char **argv)
{
	struct walk w = { .p = p, .argc = argc, .argv = argv };

	log_usage_begin(p->cmd);
	return walk_args(&w);
}

const char *args_value(const struct arg_group *groups, int argc, char **argv,
		       const char *name)
{
	struct args_parser p = { .groups = groups };
	struct walk w = { .p = &p, .argc = argc, .argv = argv, .scan_name = name };

	return walk_args(&w) ? NULL : w.scan_value;
}

/* ---- help, lists, man page ---- */

static void opt_synopsis(const struct arg_opt *o, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%c%c%s--%s", o->short_name ? '-' : ' ',
			 o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ",
			 o->name);

	if (n < 0 || (size_t)n >= len || !o->value || o->kind == ARG_NONE)
		return;
	snprintf(buf + n, len - (size_t)n, o->kind == ARG_OPTIONAL ? "[=%s]" : " %s", o->value);
}

/* @help filled to 80 columns from HELP_COLUMN; @col: where the cursor is. */
static void print_help_lines(FILE *f, const char *help, size_t col)
{
	const size_t width = 80 - HELP_COLUMN;
	size_t used = 0, len;

	while (help && *help) {
		help += strspn(help, " \n");
		len = strcspn(help, " \n");
		if (!len)
			break;
		if (used && used + 1 + len > width) {
			fputc('\n', f);
			used = 0;
			col = 0;
		}
		if (!used)
			fprintf(f, "%*s", (int)(HELP_COLUMN - col), "");
		fprintf(f, "%s%.*s", used ? " " : "", (int)len, help);
		used += len + (used ? 1 : 0);
		help += len;
	}
	fputc('\n', f);
}

void args_print_help(FILE *f, const struct arg_group *groups)
{
	const struct arg_opt *o;
	char syn[256];
	size_t len;

	for (; groups && groups->title; groups++) {
		fprintf(f, "\n%s:\n", groups->title);
		for (o = groups->opts; o->name; o++) {
			if (o->flags & ARG_HIDDEN)
				continue;
			opt_synopsis(o, syn, sizeof(syn));
			len = strlen(syn) + 2;
			fprintf(f, "  %s", syn);
			if (len + 2 > HELP_COLUMN) {
				fputc('\n', f);
				len = 0;
			}
			if (o->help)
				print_help_lines(f, o->help, len);
			else
				fputc('\n', f);
		}
	}
}

void args_print_list(FILE *f, const struct arg_group *groups)
{
	static const char *const kinds[] = { "none", "required", "optional" };
	const struct arg_opt *o;

	for (; groups && groups->title; groups++)
		for (o = groups->opts; o->name; o++)
			if (!(o->flags & ARG_HIDDEN))
				fprintf(f, "--%s\t%s\t%s\t%s%c\t%s\n", o->name, kinds[o->kind],
					o->value ? o->value : "-", o->short_name ? "-" : "",
					o->short_name ? o->short_name : '-',
					o->flags & ARG_BOOT_ONLY ? "boot-only" : "-");
}

/* man(7) text: a backslash is "\e", a leading dot or quote is escaped. */
static void man_text(FILE *f, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i]; i++) {
		if (s[i] == '\\')
			fputs("\\e", f);
		else if (s[i] == '-')
			fputs("\\-", f);
		else if ((s[i] == '.' || s[i] == '\'') && (i == 0 || s[i - 1] == '\n'))
			fprintf(f, "\\&%c", s[i]);
		else
			fputc(s[i], f);
	}
}

void args_print_man(FILE *f, const struct arg_group *groups)
{
	const struct arg_opt *o;
	const char *h, *nl;

	for (; groups && groups->title; groups++) {
		fputs(".PP\n\\fI", f);
		man_text(f, groups->title, strlen(groups->title));
		fputs(":\\fR\n", f);
		for (o = groups->opts; o->name; o++) {
			if (o->flags & ARG_HIDDEN)
				continue;
			fputs(".TP\n", f);
			if (o->short_name)
				fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
			fputs("\\fB\\-\\-", f);
			man_text(f, o->name, strlen(o->name));
			fputs("\\fR", f);
			if (o->value && o->kind != ARG_NONE) {
				fputs(o->kind == ARG_OPTIONAL ? "[=\\fI" : " \\fI", f);
				man_text(f, o->value, strlen(o->value));
				fputs(o->kind == ARG_OPTIONAL ? "\\fR]" : "\\fR", f);
			}
			fputc('\n', f);
			for (h = o->help; h && *h; h = nl ? nl + 1 : h + strlen(h)) {
				nl = strchr(h, '\n');
				man_text(f, h, nl ? (size_t)(nl - h) : strlen(h));
				fputc('\n', f);
			}
		}
	}
}
