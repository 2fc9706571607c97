/*
 * The probe's public entry: a pool of threads, each taking the next target,
 * resolving its name and running one db-lib session at a time.  A farm's
 * probe then takes about as long as its slowest endpoint, not the sum.
 */
#define _POSIX_C_SOURCE 200809L
#ifndef _DEFAULT_SOURCE /* the top-level build defines it */
#define _DEFAULT_SOURCE
#endif

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe/probe_internal.h"

#define DEFAULT_TIMEOUT_S 5
#define DEFAULT_JOBS      8
#define MAX_JOBS          256

struct pool {
	const struct btc_probe_target *targets;
	struct btc_probe_result *results;
	size_t n;
	const struct btc_probe_options *options;
	atomic_size_t next;
	atomic_bool out_of_memory;
};

const char *btc_probe_error_name(enum btc_probe_error error)
{
	switch (error) {
	case BTC_PROBE_OK: return "none";
	case BTC_PROBE_UNRESOLVED: return "unresolved";
	case BTC_PROBE_REFUSED: return "refused";
	case BTC_PROBE_CLOSED: return "closed";
	case BTC_PROBE_TIMEOUT: return "timeout";
	case BTC_PROBE_LOGIN_FAILED: return "login_failed";
	case BTC_PROBE_OTHER: break;
	}
	return "other";
}

/* Server and library texts should never carry the password; make sure,
 * masking it in place so the message keeps its length. */
static void scrub(char *text, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	if (n == 0)
		return;
	for (char *hit = strstr(text, secret); hit; hit = strstr(hit + n, secret))
		memset(hit, '*', n);
}

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static int probe_one(struct btc_probe_result *r, const struct btc_probe_target *t, const struct btc_probe_options *o)
{
	struct timespec start, end;
	struct btc_probe_route route;
	clock_gettime(CLOCK_MONOTONIC, &start);

	r->facts.is_clustered = BTC_PROBE_UNKNOWN;
	r->facts.is_hadr = BTC_PROBE_UNKNOWN;
	if (t->n_databases > 0) {
		r->facts.databases_present = malloc(t->n_databases * sizeof(int));
		if (!r->facts.databases_present)
			return -1;
		for (size_t i = 0; i < t->n_databases; i++)
			r->facts.databases_present[i] = BTC_PROBE_UNKNOWN;
	}

	if (t->n_sso_databases > 0) {
		if (!(r->facts.sso = calloc(t->n_sso_databases, sizeof *r->facts.sso)))
			return -1;
		r->facts.n_sso = t->n_sso_databases;
	}

	if (btc_probe_route(&route, t, o, &r->error, r->message, sizeof r->message) == 0) {
		snprintf(r->route, sizeof r->route, "%s", route.how);
		if (btc_probe_tds_session(r, t, route.server, o) < 0)
			return -1;
	}
	scrub(r->message, o->password);
	clock_gettime(CLOCK_MONOTONIC, &end);
	r->elapsed_ms = ms_between(&start, &end);
	return 0;
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->n || atomic_load(&p->out_of_memory))
			break;
		if (probe_one(&p->results[i], &p->targets[i], p->options) < 0)
			atomic_store(&p->out_of_memory, true);
	}
	return NULL;
}

int btc_probe_run(struct btc_probe_result **out, const struct btc_probe_target *targets, size_t n_targets,
                  const struct btc_probe_options *options, char *err, size_t err_size)
{
	struct btc_probe_result *results = NULL;
	pthread_t *threads = NULL;
	size_t started = 0;
	int rc = -1;

	if (!out || (!targets && n_targets > 0) || !options) {
		snprintf(err, err_size, "btc_probe_run: missing argument");
		return -1;
	}
	*out = NULL;
	for (size_t i = 0; i < n_targets; i++)
		if (!targets[i].name || !targets[i].host || (targets[i].n_databases > 0 && !targets[i].databases) ||
		    (targets[i].n_sso_databases > 0 && !targets[i].sso_databases)) {
			snprintf(err, err_size, "probe target %zu has no name or host", i);
			return -1;
		}
	if (btc_probe_tds_init() < 0) {
		snprintf(err, err_size, "FreeTDS db-lib could not be initialised");
		return -1;
	}

	struct btc_probe_options o = *options;
	if (o.timeout_s <= 0)
		o.timeout_s = DEFAULT_TIMEOUT_S;
	if (o.jobs <= 0)
		o.jobs = DEFAULT_JOBS;
	size_t jobs = (size_t)o.jobs < MAX_JOBS ? (size_t)o.jobs : MAX_JOBS;
	if (jobs > n_targets)
		jobs = n_targets;

	results = calloc(n_targets ? n_targets : 1, sizeof *results);
	threads = calloc(jobs ? jobs : 1, sizeof *threads);
	if (!results || !threads) {
		snprintf(err, err_size, "out of memory for %zu probe results", n_targets);
		goto done;
	}
	struct pool pool = {targets, results, n_targets, &o, 0, false};
	for (; started < jobs; started++)
		if (pthread_create(&threads[started], NULL, worker, &pool) != 0)
			break;
	if (started == 0)
		worker(&pool); /* no thread to be had: probe one after another */
	for (size_t i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	if (atomic_load(&pool.out_of_memory)) {
		snprintf(err, err_size, "out of memory while probing");
		goto done;
	}
	*out = results;
	results = NULL;
	rc = 0;
done:
	btc_probe_results_free(results, n_targets);
	free(threads);
	return rc;
}

void btc_probe_results_free(struct btc_probe_result *results, size_t n_results)
{
	if (!results)
		return;
	for (size_t i = 0; i < n_results; i++) {
		struct btc_probe_facts *f = &results[i].facts;
		free(f->machine_name);
		free(f->physical_node);
		free(f->server_name);
		free(f->instance_name);
		free(f->product_version);
		free(f->edition);
		for (size_t j = 0; j < f->n_nodes; j++) {
			free(f->nodes[j].name);
			free(f->nodes[j].status_description);
		}
		free(f->nodes);
		for (size_t j = 0; j < f->n_listeners; j++)
			free(f->listeners[j]);
		free(f->listeners);
		free(f->databases_present);
		for (size_t j = 0; f->sso && j < f->n_sso; j++)
			free(f->sso[j].secret_server);
		free(f->sso);
	}
	free(results);
}
