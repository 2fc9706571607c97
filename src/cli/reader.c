#include "cli/reader.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Files larger than this are not read ahead: each waits until it is the
 * next to be taken, so that a folder of huge (hostile) files costs what one
 * costs, not one per thread and slot. Real exports are 3 to 50 KB. */
#define READ_AHEAD_MAX_BYTES (1024 * 1024)

/* One export read ahead; slot i % window holds export i of the queue. */
typedef struct slot {
	btc_export *e;
	btc_error err;
	int rc;
	bool ready;
} slot;

struct btc_reader {
	btc_parse_limits limits;
	pthread_mutex_t mu;
	pthread_cond_t ready_cv; /* a slot was filled */
	pthread_cond_t work_cv;  /* paths were added, a slot was taken, or stop */
	/* Paths count from 0 over the whole run; paths[] holds those from base
	 * on (a thread copies its path when it claims it, so claimed paths are
	 * dropped when more are added: it holds about a farm's). */
	const char **paths;
	size_t base, n, cap;
	size_t next_claim; /* the next path a thread will read */
	size_t consumed;   /* exports taken by btc_reader_next */
	bool stop;
	slot *ring;
	size_t window;
	pthread_t *threads;
	int n_threads;
};

static void *work(void *arg)
{
	btc_reader *r = arg;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		/* A path to read, never more than window exports ahead. */
		while (!r->stop && (r->next_claim >= r->n || r->next_claim >= r->consumed + r->window))
			pthread_cond_wait(&r->work_cv, &r->mu);
		if (r->stop)
			break;
		size_t i = r->next_claim++;
		const char *path = r->paths[i - r->base];
		pthread_mutex_unlock(&r->mu);

		struct stat st;
		if (stat(path, &st) == 0 && st.st_size > READ_AHEAD_MAX_BYTES) {
			pthread_mutex_lock(&r->mu);
			while (!r->stop && r->consumed < i)
				pthread_cond_wait(&r->work_cv, &r->mu);
			pthread_mutex_unlock(&r->mu);
		}
		slot got = {.ready = true};
		got.rc = btc_export_load(&got.e, path, &r->limits, &got.err);

		pthread_mutex_lock(&r->mu);
		r->ring[i % r->window] = got;
		pthread_cond_broadcast(&r->ready_cv);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

btc_reader *btc_reader_start(const btc_parse_limits *limits, int jobs)
{
	btc_reader *r = calloc(1, sizeof(*r));
	if (r == NULL)
		return NULL;
	if (limits != NULL)
		r->limits = *limits;
	/* A few files per thread: enough to absorb a large one, little memory. */
	r->window = (size_t)jobs * 4;
	r->ring = calloc(r->window, sizeof(*r->ring));
	r->threads = calloc((size_t)jobs, sizeof(*r->threads));
	if (r->ring == NULL || r->threads == NULL || pthread_mutex_init(&r->mu, NULL) != 0) {
		free(r->ring);
		free(r->threads);
		free(r);
		return NULL;
	}
	pthread_cond_init(&r->ready_cv, NULL);
	pthread_cond_init(&r->work_cv, NULL);
	for (int t = 0; t < jobs; t++) {
		if (pthread_create(&r->threads[t], NULL, work, r) != 0)
			break;
		r->n_threads++;
	}
	if (r->n_threads == 0) {
		btc_reader_stop(r);
		return NULL;
	}
	return r;
}

int btc_reader_add(btc_reader *r, const char *const *paths, size_t n)
{
	int rc = 0;

	pthread_mutex_lock(&r->mu);
	size_t claimed = r->next_claim - r->base, kept = r->n - r->next_claim;
	if (claimed > 0 && kept > 0)
		memmove(r->paths, r->paths + claimed, kept * sizeof(*r->paths));
	r->base = r->next_claim;
	if (kept + n > r->cap) {
		size_t cap = kept + n > 2 * r->cap ? kept + n : 2 * r->cap;
		const char **grown = realloc(r->paths, cap * sizeof(*grown));
		if (grown == NULL) {
			rc = -1;
			goto done;
		}
		r->paths = grown;
		r->cap = cap;
	}
	for (size_t i = 0; i < n; i++)
		r->paths[r->n - r->base + i] = paths[i];
	r->n += n;
	pthread_cond_broadcast(&r->work_cv);
done:
	pthread_mutex_unlock(&r->mu);
	return rc;
}

int btc_reader_next(btc_reader *r, btc_export **out, btc_error *err)
{
	pthread_mutex_lock(&r->mu);
	slot *s = &r->ring[r->consumed % r->window];
	while (!s->ready)
		pthread_cond_wait(&r->ready_cv, &r->mu);
	*out = s->e;
	*err = s->err;
	int rc = s->rc;
	*s = (slot){0};
	r->consumed++;
	pthread_cond_broadcast(&r->work_cv);
	pthread_mutex_unlock(&r->mu);
	return rc;
}

void btc_reader_stop(btc_reader *r)
{
	if (r == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_cond_broadcast(&r->work_cv);
	pthread_mutex_unlock(&r->mu);
	for (int t = 0; t < r->n_threads; t++)
		pthread_join(r->threads[t], NULL);
	for (size_t i = 0; i < r->window; i++)
		btc_export_free(r->ring[i].e);
	pthread_cond_destroy(&r->ready_cv);
	pthread_cond_destroy(&r->work_cv);
	pthread_mutex_destroy(&r->mu);
	free(r->paths);
	free(r->ring);
	free(r->threads);
	free(r);
}
