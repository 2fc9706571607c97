#include "export/server_name.h"

#include <arpa/inet.h>
#include <string.h>

#include "util/text.h"

static const char *const protocols[] = {"tcp", "np", "lpc", "admin"};

static bool is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (strchr(host, ':') != NULL && inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

static bool is_local_alias(const char *host)
{
	return btc_ieq(host, ".") || btc_ieq(host, "(local)") || btc_ieq(host, "localhost") ||
	       btc_ieq(host, "(localdb)") || is_loopback(host);
}

static const char *copy_trimmed(btc_arena *arena, const char *s, size_t n)
{
	const char *t = btc_trim(s, &n);
	return btc_arena_strndup(arena, t, n);
}

/* np:\\HOST\pipe\MSSQL$INST\sql\query names the instance inside the pipe. */
static int parse_pipe(btc_server_name *out, const char *s, btc_arena *arena)
{
	const char *h = s + 2;
	const char *end = strchr(h, '\\');
	size_t hn = end ? (size_t)(end - h) : strlen(h);

	out->host = copy_trimmed(arena, h, hn);
	if (out->host == NULL)
		return -1;
	if (end != NULL) {
		const char *inst = strstr(end, "MSSQL$");
		if (inst != NULL) {
			inst += 6;
			const char *iend = strchr(inst, '\\');
			out->instance = copy_trimmed(arena, inst, iend ? (size_t)(iend - inst) : strlen(inst));
			if (out->instance == NULL)
				return -1;
		}
	}
	return 0;
}

int btc_server_name_parse(btc_server_name *out, const char *s, btc_arena *arena)
{
	memset(out, 0, sizeof(*out));

	const char *colon = strchr(s, ':');
	if (colon != NULL) {
		for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++) {
			if (btc_ieqn(s, (size_t)(colon - s), protocols[i])) {
				out->proto = protocols[i];
				s = colon + 1;
				break;
			}
		}
	}

	if (out->proto != NULL && strcmp(out->proto, "np") == 0 && strncmp(s, "\\\\", 2) == 0) {
		if (parse_pipe(out, s, arena) < 0)
			return -1;
	} else {
		const char *comma = strrchr(s, ',');
		size_t rest = comma ? (size_t)(comma - s) : strlen(s);
		if (comma != NULL) {
			out->port = copy_trimmed(arena, comma + 1, strlen(comma + 1));
			if (out->port == NULL)
				return -1;
		}
		const char *slash = memchr(s, '\\', rest);
		size_t hn = slash ? (size_t)(slash - s) : rest;
		if (slash != NULL) {
			out->instance = copy_trimmed(arena, slash + 1, rest - hn - 1);
			if (out->instance == NULL)
				return -1;
		}
		/* [::1] is how some tools bracket an IPv6 host. */
		const char *h = s;
		size_t hl = hn;
		h = btc_trim(h, &hl);
		if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
			h++;
			hl -= 2;
		}
		out->host = btc_arena_strndup(arena, h, hl);
		if (out->host == NULL)
			return -1;
	}

	out->local_alias = is_local_alias(out->host);
	out->ip_literal = btc_is_ipv4(out->host) || btc_is_ipv6(out->host);
	return 0;
}
