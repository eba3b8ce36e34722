/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_API_HTTP_H
#define CVMM_API_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A small, strict HTTP/1.1 request parser for the control API (RFC 9112),
 * fed the bytes of one connection as they arrive.  It knows exactly what
 * the API needs and refuses the rest with the status a client can act on:
 *
 *   - request line "METHOD SP origin-form SP HTTP/1.x CRLF": a method token
 *     of at most 15 characters, a target starting with "/" of at most
 *     HTTP_MAX_TARGET visible ASCII characters (414 beyond; 400 for
 *     anything else, absolute form included), versions 1.0 and 1.1 (505
 *     for others);
 *   - header fields "name: value CRLF": token names, no space before the
 *     colon, no obsolete line folding, no control characters in values,
 *     CRLF line ends only (bare CR or LF: 400); at most HTTP_MAX_HEADERS
 *     fields and HTTP_MAX_HEAD - 1 bytes from the request line through the
 *     blank line (one byte of head[] is the NUL; 431 beyond); HTTP/1.1 requires exactly one Host;
 *   - bodies delimited by Content-Length only (digits, one field, at most
 *     the parser's body limit: 413 beyond).  Transfer-Encoding chunked is
 *     refused with 411 (send a Content-Length instead), any other coding
 *     with 501; both Transfer-Encoding and Content-Length: 400;
 *   - "Expect: 100-continue" is reported (the server answers 100 before
 *     the body); any other expectation: 417;
 *   - persistence: HTTP/1.1 keeps the connection unless "Connection:
 *     close"; HTTP/1.0 closes it unless "Connection: keep-alive".
 *
 * One request at a time: http_parse() stops at the end of a request and
 * leaves what follows (a pipelined request) unconsumed.  Nothing is
 * allocated but the body (at most the limit), and the header section is
 * examined in a fixed buffer, so a hostile client costs at most
 * HTTP_MAX_HEAD + the body limit bytes per connection.
 */

#define HTTP_MAX_HEAD		8192	/* request line + header fields */
#define HTTP_MAX_HEADERS	32
#define HTTP_MAX_TARGET		256
#define HTTP_MAX_METHOD		15
#define HTTP_MAX_CTYPE		64

enum http_parse_result {
	HTTP_INCOMPLETE = 0,	/* need more bytes */
	HTTP_HEAD_DONE,		/* the header section is complete, the body is not */
	HTTP_DONE,		/* a whole request */
	HTTP_ERROR,		/* p->status and p->reason say why; close after answering */
};

struct http_request {
	char method[HTTP_MAX_METHOD + 1];
	char target[HTTP_MAX_TARGET + 1];	/* the path; a query is cut off */
	unsigned int minor;			/* HTTP/1.minor */
	bool keep_alive;
	bool expect_continue;
	bool have_length;
	size_t content_length;
	char content_type[HTTP_MAX_CTYPE + 1];	/* "" when absent */
	uint8_t *body;				/* content_length bytes (malloc) */
	size_t body_len;
};

struct http_parser {
	size_t body_limit;
	/* header section, until its blank line */
	char head[HTTP_MAX_HEAD];
	size_t head_len;
	bool head_done;
	unsigned int hosts;
	struct http_request req;
	/* on HTTP_ERROR */
	int status;
	const char *reason;
};

void http_parser_init(struct http_parser *p, size_t body_limit);
/* Forget the current request (and free its body); ready for the next. */
void http_parser_reset(struct http_parser *p);
void http_parser_free(struct http_parser *p);

/*
 * Feed @len bytes; *@used says how many were consumed (on HTTP_DONE the
 * rest belongs to the next request).  HTTP_HEAD_DONE is returned once,
 * when the header section is complete and a body is still to come (the
 * caller may answer "100 Continue"); feed on after it.
 */
enum http_parse_result http_parse(struct http_parser *p, const uint8_t *buf, size_t len,
				  size_t *used);

/* The reason phrase of a status code ("OK", "Not Found", ...). */
const char *http_status_text(int status);

/*
 * Format a response head into @buf: status line, Server, Content-Type and
 * Content-Length when there is a body (never for 1xx, 204 and 304),
 * "Connection: close" when @close, and @extra (whole "Name: value\r\n"
 * lines, or NULL).  Returns the length, or -ENOSPC.
 */
int http_format_head(char *buf, size_t size, int status, const char *content_type,
		     size_t body_len, bool close, const char *extra);

#endif
