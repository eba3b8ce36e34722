// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control API's HTTP request parser (src/api/http.c) on hostile bytes.
 * The first input byte chooses how the rest is cut into reads (as a slow
 * or pipelining client would send it); the rest is the stream.  Requests
 * are parsed one after the other as the server does.  Invariants: the
 * parser never consumes more than it is given and always makes progress,
 * a finished request has a method, a target starting with "/", HTTP/1.0
 * or 1.1, and exactly Content-Length bytes of body within the limit, and
 * a refusal carries a 4xx/5xx status and a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/http.h"

#define LIMIT	4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_request(const struct http_parser *p)
{
	const struct http_request *r = &p->req;

	if (!r->method[0] || r->target[0] != '/' || r->minor > 1)
		abort();
	if (r->content_length > LIMIT || r->body_len != r->content_length)
		abort();
	if (r->content_length && !r->body)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_parser p;
	size_t off = 1, chunk, used;
	unsigned int requests = 0;

	if (!size)
		return 0;
	chunk = data[0] ? data[0] : size;
	http_parser_init(&p, LIMIT);
	while (off < size && requests < 64) {
		size_t n = size - off < chunk ? size - off : chunk;
		enum http_parse_result r = http_parse(&p, data + off, n, &used);

		if (used > n || (!used && r != HTTP_DONE && r != HTTP_ERROR))
			abort();
		off += used;
		if (r == HTTP_ERROR) {
			if (p.status < 400 || p.status > 599 || !p.reason)
				abort();
			break;
		}
		if (r == HTTP_DONE) {
			check_request(&p);
			http_parser_reset(&p);
			requests++;
		}
	}
	http_parser_free(&p);
	return 0;
}
