// SPDX-License-Identifier: Apache-2.0
/*
 * httpd.c — the metrics endpoint: libmicrohttpd with its own polling thread.
 *
 *   GET /metrics   Prometheus text format 0.0.4, rendered under the metrics
 *                  lock by the loader's collect function
 *   GET /healthz   "ok"
 *   anything else  404
 *
 * Only GET and HEAD are answered; request bodies are never read.
 */
#include "metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct metrics_server {
	struct MHD_Daemon *d;
	metrics_collect_fn fn;
	void *arg;
};

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *type,
			     const char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, mode);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
			       const char *method, const char *version, const char *upload,
			       size_t *upload_size, void **con_cls)
{
	struct metrics_server *s = cls;

	(void)version;
	(void)upload;
	(void)con_cls;
	if (*upload_size) {
		*upload_size = 0; /* ignore bodies */
		return MHD_YES;
	}
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(conn, 405, "text/plain", "method not allowed\n", 19,
			     MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/healthz"))
		return reply(conn, 200, "text/plain", "ok\n", 3, MHD_RESPMEM_PERSISTENT);
	if (!strcmp(url, "/metrics")) {
		struct jw w;
		enum MHD_Result ret;

		jw_init(&w, 64 * 1024);
		metrics__lock();
		s->fn(s->arg, &w);
		metrics__unlock();
		ret = reply(conn, 200, "text/plain; version=0.0.4; charset=utf-8", w.buf, w.len,
			    MHD_RESPMEM_MUST_COPY);
		jw_free(&w);
		return ret;
	}
	return reply(conn, 404, "text/plain", "not found\n", 10, MHD_RESPMEM_PERSISTENT);
}

/* ":2112", "0.0.0.0:2112", "127.0.0.1:2112", "[::1]:2112", "[::]:2112" */
static int parse_addr(const char *addr, struct sockaddr_storage *ss, bool *v6)
{
	char host[128];
	const char *colon;
	unsigned long port;
	char *end;

	memset(ss, 0, sizeof(*ss));
	*v6 = false;
	if (addr[0] == '[') {
		const char *rb = strchr(addr, ']');

		if (!rb || rb[1] != ':' || (size_t)(rb - addr - 1) >= sizeof(host))
			return -EINVAL;
		memcpy(host, addr + 1, rb - addr - 1);
		host[rb - addr - 1] = '\0';
		colon = rb + 1;
		*v6 = true;
	} else {
		colon = strrchr(addr, ':');
		if (!colon || (size_t)(colon - addr) >= sizeof(host))
			return -EINVAL;
		memcpy(host, addr, colon - addr);
		host[colon - addr] = '\0';
	}
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || port > 65535)
		return -EINVAL;
	if (*v6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return -EINVAL;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		if (!host[0] || !strcmp(host, "0.0.0.0"))
			s4->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (!strcmp(host, "localhost"))
			s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		else if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return -EINVAL;
	}
	return 0;
}

struct metrics_server *metrics__serve(const char *addr, metrics_collect_fn fn, void *arg,
				      char *err, size_t errlen)
{
	struct metrics_server *s;
	struct sockaddr_storage ss;
	bool v6;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;

	if (parse_addr(addr, &ss, &v6)) {
		snprintf(err, errlen,
			 "--metrics-server: '%s' is not an address (expected :PORT, HOST:PORT or "
			 "[IPV6]:PORT)",
			 addr);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->fn = fn;
	s->arg = arg;
	if (v6)
		flags |= MHD_USE_IPv6;
	errno = 0;
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, handler, s, MHD_OPTION_SOCK_ADDR,
				(struct sockaddr *)&ss, MHD_OPTION_CONNECTION_LIMIT, 16u,
				MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errlen, "--metrics-server %s: cannot listen: %s", addr,
			 errno ? strerror(errno) : "libmicrohttpd failed to start");
		free(s);
		return NULL;
	}
	return s;
}

void metrics__stop(struct metrics_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}
