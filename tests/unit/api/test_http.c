// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control API's HTTP/1.1 request parser (src/api/http.c): what it
 * accepts, what it refuses and with which status, fed whole and byte by
 * byte.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/http.h"

#define LIMIT	1024

/* Feed @s (all at once or byte by byte) until a result other than INCOMPLETE/HEAD_DONE. */
static enum http_parse_result feed(struct http_parser *p, const char *s, size_t len,
				   bool bytewise, size_t *total)
{
	enum http_parse_result r = HTTP_INCOMPLETE;
	size_t off = 0, used;

	while (off < len) {
		size_t n = bytewise ? 1 : len - off;

		r = http_parse(p, (const uint8_t *)s + off, n, &used);
		off += used;
		if (r == HTTP_DONE || r == HTTP_ERROR)
			break;
		if (r == HTTP_HEAD_DONE && used == n)
			continue;
	}
	if (total)
		*total = off;
	return r;
}

static int status_of(const char *req)
{
	struct http_parser p;
	enum http_parse_result r;
	int status;

	http_parser_init(&p, LIMIT);
	r = feed(&p, req, strlen(req), false, NULL);
	status = r == HTTP_ERROR ? p.status : r == HTTP_DONE ? 0 : -1;
	http_parser_free(&p);
	return status;
}

static void test_simple_get(void **state)
{
	static const char req[] = "GET /api/v1/vmm.ping HTTP/1.1\r\nHost: localhost\r\n\r\n";
	struct http_parser p;
	int bytewise;

	for (bytewise = 0; bytewise < 2; bytewise++) {
		size_t used;

		http_parser_init(&p, LIMIT);
		assert_int_equal(feed(&p, req, strlen(req), bytewise, &used), HTTP_DONE);
		assert_int_equal(used, strlen(req));
		assert_string_equal(p.req.method, "GET");
		assert_string_equal(p.req.target, "/api/v1/vmm.ping");
		assert_int_equal(p.req.minor, 1);
		assert_true(p.req.keep_alive);
		assert_int_equal(p.req.body_len, 0);
		http_parser_free(&p);
	}
}

static void test_put_body_and_pipelined(void **state)
{
	static const char req[] =
		"PUT /api/v1/vm.create HTTP/1.1\r\nHost: localhost\r\n"
		"Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
		"GET /next HTTP/1.1\r\nHost: x\r\n\r\n";
	struct http_parser p;
	size_t used;

	http_parser_init(&p, LIMIT);
	assert_int_equal(feed(&p, req, strlen(req), false, &used), HTTP_DONE);
	/* the pipelined request is left unconsumed */
	assert_string_equal(req + used, "GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(p.req.body_len, 7);
	assert_memory_equal(p.req.body, "{\"a\":1}", 7);
	assert_string_equal(p.req.content_type, "application/json");
	http_parser_reset(&p);
	assert_int_equal(feed(&p, req + used, strlen(req + used), false, NULL), HTTP_DONE);
	assert_string_equal(p.req.target, "/next");
	http_parser_free(&p);
}

static void test_head_done_then_body_bytewise(void **state)
{
	static const char head[] = "PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
				   "Content-Length: 3\r\n\r\n";
	struct http_parser p;
	size_t used;

	http_parser_init(&p, LIMIT);
	assert_int_equal(http_parse(&p, (const uint8_t *)head, strlen(head), &used),
			 HTTP_HEAD_DONE);
	assert_int_equal(used, strlen(head));
	assert_true(p.req.expect_continue);
	assert_int_equal(http_parse(&p, (const uint8_t *)"a", 1, &used), HTTP_INCOMPLETE);
	assert_int_equal(http_parse(&p, (const uint8_t *)"bcdef", 5, &used), HTTP_DONE);
	assert_int_equal(used, 2);
	assert_memory_equal(p.req.body, "abc", 3);
	http_parser_free(&p);
}

static void test_keep_alive_rules(void **state)
{
	struct http_parser p;
	static const struct {
		const char *req;
		bool keep;
	} t[] = {
		{ "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false },
		{ "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, Close\r\n\r\n", false },
		{ "GET / HTTP/1.0\r\n\r\n", false },
		{ "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true },
		{ "GET / HTTP/1.1\r\nHost: a\r\n\r\n", true },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		http_parser_init(&p, LIMIT);
		assert_int_equal(feed(&p, t[i].req, strlen(t[i].req), false, NULL), HTTP_DONE);
		assert_int_equal(p.req.keep_alive, t[i].keep);
		http_parser_free(&p);
	}
}

static void test_query_cut(void **state)
{
	struct http_parser p;
	static const char req[] = "GET /api/v1/vm.info?x=1 HTTP/1.1\r\nHost: a\r\n\r\n";

	http_parser_init(&p, LIMIT);
	assert_int_equal(feed(&p, req, strlen(req), false, NULL), HTTP_DONE);
	assert_string_equal(p.req.target, "/api/v1/vm.info");
	http_parser_free(&p);
}

static void test_refusals(void **state)
{
	static const struct {
		const char *req;
		int status;
	} t[] = {
		/* bodies: Content-Length only */
		{ "PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", 411 },
		{ "PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 411 },
		{ "PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501 },
		{ "PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
		  "Content-Length: 3\r\n\r\n", 400 },
		{ "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", 400 },
		{ "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400 },
		{ "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", 400 },
		{ "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", 400 },
		{ "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n", 413 },
		{ "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413 },
		/* request line */
		{ "GET /\r\n\r\n", 400 },
		{ "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET http://localhost/ HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505 },
		{ "GET / HTTP/1.1x\r\nHost: a\r\n\r\n", 400 },
		{ "GET / FTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		{ "AVERYLONGMETHODNAME / HTTP/1.1\r\nHost: a\r\n\r\n", 501 },
		{ "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", 400 },
		/* header fields */
		{ "GET / HTTP/1.1\r\n\r\n", 400 },				/* no Host */
		{ "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: a\r\nX: a\x01" "b\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\nHost: a\n\n", 400 },				/* bare LF */
		{ "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", 400 },		/* bare CR */
		{ "GET / HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\n", 417 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int got = status_of(t[i].req);

		if (got != t[i].status)
			fail_msg("case %u (%s): status %d, expected %d", i, t[i].req, got,
				 t[i].status);
	}
}

static void test_nul_in_head(void **state)
{
	static const char req[] = "GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n";
	struct http_parser p;

	http_parser_init(&p, LIMIT);
	assert_int_equal(feed(&p, req, sizeof(req) - 1, false, NULL), HTTP_ERROR);
	assert_int_equal(p.status, 400);
	http_parser_free(&p);
}

static void test_limits(void **state)
{
	struct http_parser p;
	char *req = malloc(HTTP_MAX_HEAD * 2);
	size_t n;
	unsigned int i;

	/* a header section larger than HTTP_MAX_HEAD: 431, before its end arrives */
	n = (size_t)sprintf(req, "GET / HTTP/1.1\r\nHost: a\r\nX: ");
	memset(req + n, 'a', HTTP_MAX_HEAD);
	http_parser_init(&p, LIMIT);
	assert_int_equal(feed(&p, req, n + HTTP_MAX_HEAD, false, NULL), HTTP_ERROR);
	assert_int_equal(p.status, 431);
	http_parser_free(&p);

	/* too many fields */
	n = (size_t)sprintf(req, "GET / HTTP/1.1\r\nHost: a\r\n");
	for (i = 0; i < HTTP_MAX_HEADERS; i++)
		n += (size_t)sprintf(req + n, "X%u: y\r\n", i);
	sprintf(req + n, "\r\n");
	assert_int_equal(status_of(req), 431);

	/* a long target */
	n = (size_t)sprintf(req, "GET /");
	memset(req + n, 'a', HTTP_MAX_TARGET + 1);
	sprintf(req + n + HTTP_MAX_TARGET + 1, " HTTP/1.1\r\nHost: a\r\n\r\n");
	assert_int_equal(status_of(req), 414);
	free(req);
}

static void test_format_head(void **state)
{
	char buf[256];
	int n;

	n = http_format_head(buf, sizeof(buf), 204, NULL, 0, false, NULL);
	assert_true(n > 0);
	assert_string_equal(buf, "HTTP/1.1 204 No Content\r\nServer: cvmm\r\n\r\n");
	n = http_format_head(buf, sizeof(buf), 405, "application/json", 10, true,
			     "Allow: PUT\r\n");
	assert_true(n > 0);
	assert_string_equal(buf, "HTTP/1.1 405 Method Not Allowed\r\nServer: cvmm\r\n"
			    "Content-Type: application/json\r\nContent-Length: 10\r\n"
			    "Connection: close\r\nAllow: PUT\r\n\r\n");
	assert_int_equal(http_format_head(buf, 20, 200, NULL, 1, false, NULL), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_get),
		cmocka_unit_test(test_put_body_and_pipelined),
		cmocka_unit_test(test_head_done_then_body_bytewise),
		cmocka_unit_test(test_keep_alive_rules),
		cmocka_unit_test(test_query_cut),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_nul_in_head),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_format_head),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
