/* A database server string: [proto:]HOST[\INSTANCE][,PORT]. */
#ifndef BTC_EXPORT_SERVER_NAME_H
#define BTC_EXPORT_SERVER_NAME_H

#include <stdbool.h>

#include "util/arena.h"

typedef struct btc_server_name {
	const char *proto;    /* "tcp", "np", "lpc", "admin", or NULL */
	const char *host;     /* never NULL once parsed; may be "" */
	const char *instance; /* NULL for the default instance */
	const char *port;     /* text after ',' (may be non-numeric), or NULL */
	bool local_alias;     /* ., (local), localhost, (localdb), 127.x, ::1 */
	bool ip_literal;      /* IPv4 or IPv6 literal host */
} btc_server_name;

/* Parses s (already trimmed) into out, copying parts into arena.
 * Returns 0, or -1 when out of memory. */
int btc_server_name_parse(btc_server_name *out, const char *s, btc_arena *arena);

#endif
