/* Shared between the files of the probe; not part of its interface. */
#ifndef BTC_PROBE_INTERNAL_H
#define BTC_PROBE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "probe/probe.h"

/* What to hand to dbopen() for one target, and how it was found. */
struct btc_probe_route {
	char server[300]; /* a freetds.conf section name or "host:port" */
	char how[160];    /* for btc_probe_result.route */
};

/*
 * Decides how FreeTDS should reach target, querying the SQL Browser when the
 * name is HOST\INSTANCE with no freetds.conf section of its own (FreeTDS would
 * otherwise ask the Browser itself, outside any timeout).  On failure fills
 * kind and msg and returns negative.
 */
int btc_probe_route(struct btc_probe_route *out, const struct btc_probe_target *target,
                    const struct btc_probe_options *options, enum btc_probe_error *kind, char *msg, size_t msg_size);

/*
 * Whether a freetds.conf section is named exactly name (ignoring case, as
 * FreeTDS compares), searching the files FreeTDS reads in its order.  When
 * host is not NULL it receives the section's "host" value ("" if none).
 */
bool btc_probe_conf_section(const char *name, char *host, size_t host_size);

/* Initialises db-lib once per process; 0 or -1. */
int btc_probe_tds_init(void);

/*
 * Logs in to server (a freetds.conf section or "host:port") and reads the
 * facts of target into r.  An endpoint that fails is recorded in r; returns
 * -1 only when out of memory.  r->facts.databases_present must have room
 * for target->n_databases entries.
 */
int btc_probe_tds_session(struct btc_probe_result *r, const struct btc_probe_target *target, const char *server,
                          const struct btc_probe_options *options);

#endif
