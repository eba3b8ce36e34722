// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control API's HTTP/1.1 request parser and response heads (see
 * api/http.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/http.h"
#include "util/compiler.h"

void http_parser_init(struct http_parser *p, size_t body_limit)
{
	memset(p, 0, sizeof(*p));
	p->body_limit = body_limit;
}

void http_parser_reset(struct http_parser *p)
{
	size_t limit = p->body_limit;

	free(p->req.body);
	http_parser_init(p, limit);
}

void http_parser_free(struct http_parser *p)
{
	free(p->req.body);
	p->req.body = NULL;
}

static enum http_parse_result fail(struct http_parser *p, int status, const char *reason)
{
	p->status = status;
	p->reason = reason;
	return HTTP_ERROR;
}

static bool is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Field-value characters: visible ASCII, SP, HTAB, obs-text. */
static bool is_vchar_or_ws(unsigned char c)
{
	return (c >= 0x21 && c != 0x7f) || c == ' ' || c == '\t';
}

/* Does the comma-separated list @v hold @token (case-insensitive)? */
static bool list_has(const char *v, const char *token)
{
	size_t n = strlen(token);

	while (*v) {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		if (!strncasecmp(v, token, n) &&
		    (!v[n] || v[n] == ',' || v[n] == ' ' || v[n] == '\t'))
			return true;
		while (*v && *v != ',')
			v++;
	}
	return false;
}

/* "METHOD SP /target SP HTTP/1.x" */
static enum http_parse_result parse_request_line(struct http_parser *p, char *line)
{
	struct http_request *r = &p->req;
	char *sp, *target, *version, *q;
	size_t n;

	sp = strchr(line, ' ');
	if (!sp || sp == line)
		return fail(p, 400, "malformed request line");
	n = (size_t)(sp - line);
	if (n > HTTP_MAX_METHOD)
		return fail(p, 501, "unknown method");
	for (q = line; q < sp; q++)
		if (!is_tchar((unsigned char)*q))
			return fail(p, 400, "malformed method");
	memcpy(r->method, line, n);
	target = sp + 1;
	version = strchr(target, ' ');
	if (!version || version == target)
		return fail(p, 400, "malformed request line");
	*version++ = '\0';
	if (target[0] != '/')
		return fail(p, 400, "the request target must be a path (origin form)");
	for (q = target; *q; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
			return fail(p, 400, "malformed request target");
	q = strchr(target, '?');
	if (q)
		*q = '\0';
	if (strlen(target) > HTTP_MAX_TARGET)
		return fail(p, 414, "the request target is too long");
	strcpy(r->target, target);
	if (strncmp(version, "HTTP/", 5) || !version[5])
		return fail(p, 400, "malformed HTTP version");
	if (strcmp(version, "HTTP/1.1") && strcmp(version, "HTTP/1.0")) {
		if (version[5] >= '0' && version[5] <= '9' && version[6] == '.' &&
		    version[7] >= '0' && version[7] <= '9' && !version[8])
			return fail(p, 505, "only HTTP/1.0 and HTTP/1.1 are supported");
		return fail(p, 400, "malformed HTTP version");
	}
	r->minor = (unsigned int)(version[7] - '0');
	r->keep_alive = r->minor == 1;
	return HTTP_INCOMPLETE;
}

static enum http_parse_result content_length(struct http_parser *p, const char *v)
{
	struct http_request *r = &p->req;
	size_t n = 0;

	if (r->have_length)
		return fail(p, 400, "more than one Content-Length");
	if (!*v)
		return fail(p, 400, "malformed Content-Length");
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return fail(p, 400, "malformed Content-Length");
		if (n > (SIZE_MAX - 9) / 10)
			return fail(p, 413, "the body is too large");
		n = n * 10 + (size_t)(*v - '0');
	}
	r->have_length = true;
	r->content_length = n;
	return HTTP_INCOMPLETE;
}

/* One header field; *@te notes a Transfer-Encoding. */
static enum http_parse_result parse_field(struct http_parser *p, char *line, const char **te)
{
	struct http_request *r = &p->req;
	char *colon = strchr(line, ':'), *v, *end, *q;

	if (line[0] == ' ' || line[0] == '\t')
		return fail(p, 400, "obsolete line folding");
	if (!colon || colon == line)
		return fail(p, 400, "malformed header field");
	for (q = line; q < colon; q++)
		if (!is_tchar((unsigned char)*q))
			return fail(p, 400, "malformed header field name");
	*colon = '\0';
	v = colon + 1;
	for (q = v; *q; q++)
		if (!is_vchar_or_ws((unsigned char)*q))
			return fail(p, 400, "control character in a header field");
	while (*v == ' ' || *v == '\t')
		v++;
	end = v + strlen(v);
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';

	if (!strcasecmp(line, "Host")) {
		p->hosts++;
	} else if (!strcasecmp(line, "Content-Length")) {
		return content_length(p, v);
	} else if (!strcasecmp(line, "Transfer-Encoding")) {
		*te = v;
	} else if (!strcasecmp(line, "Connection")) {
		if (list_has(v, "close"))
			r->keep_alive = false;
		else if (list_has(v, "keep-alive"))
			r->keep_alive = true;
	} else if (!strcasecmp(line, "Expect")) {
		if (strcasecmp(v, "100-continue"))
			return fail(p, 417, "unsupported expectation");
		r->expect_continue = true;
	} else if (!strcasecmp(line, "Content-Type")) {
		if (strlen(v) > HTTP_MAX_CTYPE)
			return fail(p, 400, "malformed Content-Type");
		strcpy(r->content_type, v);
	}
	return HTTP_INCOMPLETE;
}

/* The whole header section is in p->head (ending in CRLF CRLF). */
static enum http_parse_result parse_head(struct http_parser *p)
{
	struct http_request *r = &p->req;
	const char *te = NULL;
	char *line = p->head, *eol;
	enum http_parse_result ret;
	unsigned int fields = 0;

	p->head[p->head_len - 2] = '\0';	/* the last CRLF */
	eol = strstr(line, "\r\n");
	*eol = '\0';
	ret = parse_request_line(p, line);
	for (line = eol + 2; ret == HTTP_INCOMPLETE && *line; line = eol + 2) {
		eol = strstr(line, "\r\n");
		*eol = '\0';
		if (++fields > HTTP_MAX_HEADERS)
			return fail(p, 431, "too many header fields");
		ret = parse_field(p, line, &te);
	}
	if (ret != HTTP_INCOMPLETE)
		return ret;
	if (r->minor == 1 && p->hosts != 1)
		return fail(p, 400, "an HTTP/1.1 request needs exactly one Host field");
	if (te && r->have_length)
		return fail(p, 400, "both Transfer-Encoding and Content-Length");
	if (te && list_has(te, "chunked"))
		return fail(p, 411, "chunked bodies are not accepted: send a Content-Length");
	if (te)
		return fail(p, 501, "unsupported transfer coding");
	if (r->content_length > p->body_limit)
		return fail(p, 413, "the body is too large");
	if (r->minor == 0)
		r->expect_continue = false;
	if (!r->content_length) {
		r->expect_continue = false;
		return HTTP_DONE;
	}
	r->body = malloc(r->content_length);
	if (!r->body)
		return fail(p, 503, "out of memory");
	return HTTP_HEAD_DONE;
}

/* Copy header bytes until the blank line; strict CRLF line ends. */
static enum http_parse_result feed_head(struct http_parser *p, const uint8_t *buf, size_t len,
					size_t *used)
{
	size_t i;

	for (i = 0; i < len; i++) {
		uint8_t c = buf[i];
		uint8_t prev = p->head_len ? (uint8_t)p->head[p->head_len - 1] : 0;

		if (c == '\n' && prev != '\r')
			return *used = i + 1, fail(p, 400, "bare LF in the header section");
		if (prev == '\r' && c != '\n')
			return *used = i + 1, fail(p, 400, "bare CR in the header section");
		if (!c)
			return *used = i + 1, fail(p, 400, "NUL in the header section");
		if (p->head_len == sizeof(p->head) - 1)
			return *used = i + 1, fail(p, 431, "the header section is too large");
		p->head[p->head_len++] = (char)c;
		if (p->head_len == 2 && !memcmp(p->head, "\r\n", 2))
			return *used = i + 1, fail(p, 400, "empty request line");
		if (p->head_len >= 4 && !memcmp(p->head + p->head_len - 4, "\r\n\r\n", 4)) {
			p->head[p->head_len] = '\0';
			p->head_done = true;
			*used = i + 1;
			return parse_head(p);
		}
	}
	*used = len;
	return HTTP_INCOMPLETE;
}

enum http_parse_result http_parse(struct http_parser *p, const uint8_t *buf, size_t len,
				  size_t *used)
{
	struct http_request *r = &p->req;
	size_t n;

	*used = 0;
	if (!p->head_done)
		return feed_head(p, buf, len, used);
	n = MIN(len, r->content_length - r->body_len);
	memcpy(r->body + r->body_len, buf, n);
	r->body_len += n;
	*used = n;
	return r->body_len == r->content_length ? HTTP_DONE : HTTP_INCOMPLETE;
}

const char *http_status_text(int status)
{
	static const struct {
		int code;
		const char *text;
	} t[] = {
		{ 100, "Continue" }, { 200, "OK" }, { 204, "No Content" },
		{ 400, "Bad Request" }, { 404, "Not Found" }, { 405, "Method Not Allowed" },
		{ 408, "Request Timeout" }, { 409, "Conflict" }, { 411, "Length Required" },
		{ 413, "Content Too Large" }, { 414, "URI Too Long" },
		{ 415, "Unsupported Media Type" }, { 417, "Expectation Failed" },
		{ 431, "Request Header Fields Too Large" }, { 500, "Internal Server Error" },
		{ 501, "Not Implemented" }, { 503, "Service Unavailable" },
		{ 505, "HTTP Version Not Supported" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i].code == status)
			return t[i].text;
	return "Unknown";
}

int http_format_head(char *buf, size_t size, int status, const char *content_type,
		     size_t body_len, bool close, const char *extra)
{
	bool has_body = status >= 200 && status != 204 && status != 304;
	int n;

	n = snprintf(buf, size, "HTTP/1.1 %d %s\r\nServer: cvmm\r\n", status,
		     http_status_text(status));
	if (n > 0 && (size_t)n < size && has_body)
		n += snprintf(buf + n, size - (size_t)n,
			      "Content-Type: %s\r\nContent-Length: %zu\r\n",
			      content_type ? content_type : "application/json", body_len);
	if (n > 0 && (size_t)n < size && close)
		n += snprintf(buf + n, size - (size_t)n, "Connection: close\r\n");
	if (n > 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, "%s\r\n", extra ? extra : "");
	if (n < 0 || (size_t)n >= size)
		return -ENOSPC;
	return n;
}
