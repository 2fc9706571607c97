/*
 * Name resolution for the probe, as rules.md orders it: a freetds.conf
 * section named exactly as written; HOST,PORT as host:port; HOST\INSTANCE
 * through the SQL Browser (SSRP, UDP 1434) under our own timeout; a plain
 * HOST is left to FreeTDS (its section, else DNS).
 *
 * The section lookup only needs to know whether a section exists: FreeTDS
 * reads the file again itself and applies every setting in it.
 */
#define _POSIX_C_SOURCE 200809L
#ifndef _DEFAULT_SOURCE /* the top-level build defines it */
#define _DEFAULT_SOURCE
#endif

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "probe/probe_internal.h"

#define SSRP_CLNT_UCAST_INST 0x04
#define SSRP_SVR_RESP        0x05
#define SSRP_MAX_INSTANCE    32 /* MS-SSRP: the name, with its terminator */

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* 1 when path has section name (host copied), 0 when not, -1 when the
 * file cannot be read (FreeTDS then moves on to the next file too). */
static int conf_file_section(const char *path, const char *name, char *host, size_t host_size)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[1024];
	int found = 0;
	while (fgets(line, sizeof line, f)) {
		char *s = trim(line);
		if (*s == ';' || *s == '#' || *s == '\0')
			continue;
		if (*s == '[') {
			if (found)
				break; /* the section ended */
			char *end = strchr(s, ']');
			if (end) {
				*end = '\0';
				found = strcasecmp(trim(s + 1), name) == 0;
			}
			continue;
		}
		char *eq = strchr(s, '=');
		if (found && host && eq) {
			*eq = '\0';
			if (strcasecmp(trim(s), "host") == 0)
				snprintf(host, host_size, "%s", trim(eq + 1));
		}
	}
	fclose(f);
	return found;
}

bool btc_probe_conf_section(const char *name, char *host, size_t host_size)
{
	/* The files FreeTDS 1.3 reads, in its order; it stops at the first one
	 * that has the section. */
	char paths[3][1024] = {"", "", ""};
	const char *env = getenv("FREETDSCONF");
	if (env)
		snprintf(paths[0], sizeof paths[0], "%s", env);
	env = getenv("FREETDS");
	if (env)
		snprintf(paths[1], sizeof paths[1], "%s/etc/freetds.conf", env);
	env = getenv("HOME");
	if (env)
		snprintf(paths[2], sizeof paths[2], "%s/.freetds.conf", env);

	if (host && host_size > 0)
		host[0] = '\0';
	for (size_t i = 0; i < 3; i++)
		if (paths[i][0] && conf_file_section(paths[i], name, host, host_size) == 1)
			return true;
	return conf_file_section("/etc/freetds/freetds.conf", name, host, host_size) == 1;
}

static long ms_since(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* The port in an SSRP answer: "ServerName;X;InstanceName;I;...;tcp;1433;;"
 * is a list of key;value pairs ended by an empty key.  Split by hand: a
 * value may be empty, which strtok() would silently skip.  Returns -1 when
 * there is no port. */
static int ssrp_tcp_port(char *text, const char *instance)
{
	int port = -1;
	bool same_instance = false;
	char *p = text;
	while (p && *p && *p != ';') {
		char *key = p;
		char *value = strchr(key, ';');
		if (!value)
			break;
		*value++ = '\0';
		p = strchr(value, ';');
		if (p)
			*p++ = '\0';
		if (strcasecmp(key, "InstanceName") == 0) {
			same_instance = strcasecmp(value, instance) == 0;
		} else if (strcasecmp(key, "tcp") == 0 && same_instance) {
			char *end = NULL;
			long n = strtol(value, &end, 10);
			if (end != value && *end == '\0' && n > 0 && n <= 65535)
				port = (int)n;
		}
	}
	return port;
}

/* A name lookup on a thread of its own, so that the probe can stop waiting
 * at --timeout: getaddrinfo() has no timeout, and the resolver's own (from
 * resolv.conf) can reach 5 s per attempt and server. A lookup given up on
 * ends in the background and frees itself. */
struct lookup {
	pthread_mutex_t mu;
	pthread_cond_t done_cv;
	bool done, abandoned;
	int rc;
	char name[256];
};

static void lookup_free(struct lookup *l)
{
	pthread_cond_destroy(&l->done_cv);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

static void *lookup_run(void *arg)
{
	struct lookup *l = arg;
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *ai = NULL;
	int rc = getaddrinfo(l->name, NULL, &hints, &ai);
	if (ai)
		freeaddrinfo(ai);

	pthread_mutex_lock(&l->mu);
	l->rc = rc;
	l->done = true;
	bool abandoned = l->abandoned;
	pthread_cond_signal(&l->done_cv);
	pthread_mutex_unlock(&l->mu);
	if (abandoned)
		lookup_free(l);
	return NULL;
}

/* 1 when name resolved, or did not, within timeout_s; 0 when the lookup
 * took longer (the probe gives up on the endpoint); 1 as well when no
 * thread could be had (FreeTDS then looks it up, unbounded, as before).
 * Whether it resolved is left to FreeTDS and its messages. */
static int lookup_within(const char *name, int timeout_s)
{
	unsigned char addr[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1)
		return 1; /* no lookup */

	struct lookup *l = calloc(1, sizeof *l);
	pthread_condattr_t ca;
	pthread_attr_t ta;
	pthread_t thread;
	if (!l)
		return 1;
	snprintf(l->name, sizeof l->name, "%s", name);
	pthread_mutex_init(&l->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->done_cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	int started = pthread_create(&thread, &ta, lookup_run, l) == 0;
	pthread_attr_destroy(&ta);
	if (!started) {
		lookup_free(l);
		return 1;
	}

	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_s;
	pthread_mutex_lock(&l->mu);
	while (!l->done && pthread_cond_timedwait(&l->done_cv, &l->mu, &deadline) != ETIMEDOUT)
		;
	bool done = l->done;
	l->abandoned = !done;
	pthread_mutex_unlock(&l->mu);
	if (done)
		lookup_free(l);
	return done;
}

/* Asks the SQL Browser at host for instance's TCP port, within timeout_s. */
static int browser_port(int *out, const char *host, const char *instance, int udp_port, int timeout_s,
                        enum btc_probe_error *kind, char *msg, size_t msg_size)
{
	int rc = -1, fd = -1;
	struct addrinfo hints = {0}, *ai = NULL;
	char service[16];
	unsigned char req[1 + SSRP_MAX_INSTANCE];
	size_t inst_len = strlen(instance);

	if (inst_len >= SSRP_MAX_INSTANCE) {
		*kind = BTC_PROBE_OTHER;
		snprintf(msg, msg_size, "instance name %s is longer than SQL Server allows", instance);
		goto done;
	}
	snprintf(service, sizeof service, "%d", udp_port);
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(host, service, &hints, &ai) != 0 || !ai) {
		*kind = BTC_PROBE_UNRESOLVED;
		snprintf(msg, msg_size, "host name %s does not resolve", host);
		goto done;
	}
	/* A connected socket, so that an ICMP "port unreachable" is reported
	 * as ECONNREFUSED instead of waiting for the timeout. */
	fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		char os[128] = "";
		if (strerror_r(errno, os, sizeof os) != 0)
			snprintf(os, sizeof os, "error %d", errno);
		*kind = BTC_PROBE_OTHER;
		snprintf(msg, msg_size, "cannot reach the SQL Browser at %s: %s", host, os);
		goto done;
	}
	req[0] = SSRP_CLNT_UCAST_INST;
	memcpy(req + 1, instance, inst_len + 1);

	/* UDP may drop the request: send it again halfway through. */
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	long limit = timeout_s * 1000L;
	for (int sent = 0; sent < 2; sent++) {
		if (send(fd, req, inst_len + 2, 0) < 0 && errno != ECONNREFUSED)
			break;
		long until = sent == 0 ? limit / 2 : limit;
		long left;
		while ((left = until - ms_since(&start)) > 0) {
			struct pollfd p = {fd, POLLIN, 0};
			int r = poll(&p, 1, (int)left);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			unsigned char resp[65536 + 4];
			ssize_t n = recv(fd, resp, sizeof resp - 1, 0);
			if (n < 0 && errno == ECONNREFUSED) {
				*kind = BTC_PROBE_REFUSED;
				snprintf(msg, msg_size, "no SQL Browser at %s (UDP port %d refused)", host, udp_port);
				goto done;
			}
			if (n < 3 || resp[0] != SSRP_SVR_RESP)
				continue;
			size_t len = (size_t)resp[1] | (size_t)resp[2] << 8;
			if (len > (size_t)n - 3)
				len = (size_t)n - 3;
			resp[3 + len] = '\0';
			int port = ssrp_tcp_port((char *)resp + 3, instance);
			if (port < 0) {
				*kind = BTC_PROBE_OTHER;
				snprintf(msg, msg_size, "the SQL Browser at %s knows no TCP port for instance %s", host,
				         instance);
				goto done;
			}
			*out = port;
			rc = 0;
			goto done;
		}
	}
	*kind = BTC_PROBE_TIMEOUT;
	snprintf(msg, msg_size, "the SQL Browser at %s (UDP port %d) gave no port for instance %s within %d s", host,
	         udp_port, instance, timeout_s);
done:
	if (fd >= 0)
		close(fd);
	if (ai)
		freeaddrinfo(ai);
	return rc;
}

int btc_probe_route(struct btc_probe_route *out, const struct btc_probe_target *target,
                    const struct btc_probe_options *options, enum btc_probe_error *kind, char *msg, size_t msg_size)
{
	const char *instance = target->instance;
	char dns[256];

	/* The name that will be looked up: a section's host, else the name.
	 * Without a section of its own, it is also where the Browser runs. */
	bool own_section = btc_probe_conf_section(target->name, dns, sizeof dns);
	if (!own_section && (!btc_probe_conf_section(target->host, dns, sizeof dns) || !dns[0]))
		snprintf(dns, sizeof dns, "%s", target->host);
	if (dns[0] && !lookup_within(dns, options->timeout_s)) {
		*kind = BTC_PROBE_TIMEOUT;
		snprintf(msg, msg_size, "looking up the host name %s took more than %d s", dns, options->timeout_s);
		return -1;
	}
	if (own_section) {
		snprintf(out->server, sizeof out->server, "%s", target->name);
		snprintf(out->how, sizeof out->how, "freetds.conf section [%s]", target->name);
		return 0;
	}
	/* FreeTDS reads "host:port" as the section [host] (or DNS) with that
	 * port, which is exactly HOST,PORT. */
	if (target->port >= 0) {
		snprintf(out->server, sizeof out->server, "%s:%d", target->host, target->port);
		snprintf(out->how, sizeof out->how, "%s:%d", target->host, target->port);
		return 0;
	}
	if (!instance || strcasecmp(instance, "MSSQLSERVER") == 0) {
		snprintf(out->server, sizeof out->server, "%s", target->host);
		snprintf(out->how, sizeof out->how, "%s (default instance)", target->host);
		return 0;
	}
	/* The Browser runs on the machine the host's section points at (dns). */
	int udp = options->browser_port > 0 ? options->browser_port : 1434;
	int port = -1;
	if (browser_port(&port, dns, instance, udp, options->timeout_s, kind, msg, msg_size) < 0)
		return -1;
	snprintf(out->server, sizeof out->server, "%s:%d", target->host, port);
	snprintf(out->how, sizeof out->how, "%s:%d (port of instance %s from the SQL Browser)", target->host, port,
	         instance);
	return 0;
}
