/* A compact copy of an export, kept while the probes run (--probe, a
 * directory): once the single-export and farm rules have seen the export,
 * only what the probe, directory and suppression steps read is kept, in one
 * right-sized block. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export/model.h"

typedef struct copier {
	btc_arena *arena;
	bool failed;
} copier;

/* What the arena takes for n bytes: rounded up to its alignment. */
static size_t r16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

static size_t str_size(const char *s)
{
	return s ? r16(strlen(s) + 1) : 0;
}

static const char *dup(copier *c, const char *s)
{
	if (s == NULL || c->failed)
		return NULL;
	char *d = btc_arena_strdup(c->arena, s);
	if (d == NULL)
		c->failed = true;
	return d;
}

static void *alloc(copier *c, size_t n)
{
	if (n == 0 || c->failed)
		return NULL;
	void *p = btc_arena_alloc(c->arena, n);
	if (p == NULL)
		c->failed = true;
	return p;
}

static void value_copy(copier *c, btc_value *v)
{
	v->text = dup(c, v->text);
}

static void name_copy(copier *c, btc_server_name *n)
{
	/* proto points at a static protocol name. */
	n->host = dup(c, n->host);
	n->instance = dup(c, n->instance);
	n->port = dup(c, n->port);
}

static size_t export_size(const btc_export *e)
{
	size_t n = str_size(e->path) + str_size(e->root);
	n += r16(e->n_features * sizeof(btc_feature));
	n += r16(e->n_endpoints * sizeof(void *)) + r16(e->n_groups * sizeof(void *));
	n += r16(e->n_suppressions * sizeof(btc_suppression));
	for (size_t i = 0; i < e->n_features; i++)
		n += str_size(e->features[i].name);
	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		n += r16(sizeof(*s)) + str_size(s->id) + str_size(s->feature) +
		     str_size(s->server.text) + str_size(s->database.text) + str_size(s->name.host) +
		     str_size(s->name.instance) + str_size(s->name.port);
	}
	for (size_t i = 0; i < e->n_groups; i++) {
		const btc_group *g = e->groups[i];
		n += r16(sizeof(*g)) + str_size(g->id) + str_size(g->account.text) +
		     str_size(g->parsed.domain) + str_size(g->parsed.name);
	}
	for (size_t i = 0; i < e->n_suppressions; i++) {
		const btc_suppression *s = &e->suppressions[i];
		n += str_size(s->reason) + r16(s->n_rules * sizeof(char *));
		for (size_t r = 0; r < s->n_rules; r++)
			n += str_size(s->rules[r]);
	}
	return n;
}

btc_export *btc_export_compact(const btc_export *e)
{
	btc_export *out = calloc(1, sizeof(*out));
	if (out == NULL)
		return NULL;
	copier c = {.arena = &out->arena};

	/* One block that fits it all: a farm of 4000 keeps 4000 of these. */
	out->arena.next_block = export_size(e);
	out->path = dup(&c, e->path);
	out->root = dup(&c, e->root);
	out->root_line = e->root_line;
	out->n_installed_features = e->n_installed_features;
	out->sso_mode = e->sso_mode;
	out->sso_mode_line = e->sso_mode_line;
	out->group_mode = e->group_mode;
	out->group_mode_line = e->group_mode_line;

	out->n_features = e->n_features;
	out->features = alloc(&c, e->n_features * sizeof(*out->features));
	for (size_t i = 0; out->features && i < e->n_features; i++) {
		out->features[i] = e->features[i];
		out->features[i].name = dup(&c, e->features[i].name);
	}
	/* No questions: CFG004, ACC004 and FRM002 read them, and they have run. */
	out->n_endpoints = e->n_endpoints;
	out->endpoints = alloc(&c, e->n_endpoints * sizeof(*out->endpoints));
	for (size_t i = 0; out->endpoints && i < e->n_endpoints; i++) {
		btc_sql_endpoint *s = alloc(&c, sizeof(*s));
		if (s == NULL)
			break;
		*s = *e->endpoints[i];
		s->id = dup(&c, s->id);
		s->feature = dup(&c, s->feature);
		value_copy(&c, &s->server);
		value_copy(&c, &s->database);
		name_copy(&c, &s->name);
		out->endpoints[i] = s;
	}
	out->n_groups = e->n_groups;
	out->groups = alloc(&c, e->n_groups * sizeof(*out->groups));
	for (size_t i = 0; out->groups && i < e->n_groups; i++) {
		btc_group *g = alloc(&c, sizeof(*g));
		if (g == NULL)
			break;
		*g = *e->groups[i];
		g->id = dup(&c, g->id);
		value_copy(&c, &g->account);
		g->parsed.domain = dup(&c, g->parsed.domain);
		g->parsed.name = dup(&c, g->parsed.name);
		out->groups[i] = g;
	}
	out->n_suppressions = e->n_suppressions;
	out->suppressions = alloc(&c, e->n_suppressions * sizeof(*out->suppressions));
	for (size_t i = 0; out->suppressions && i < e->n_suppressions; i++) {
		btc_suppression *s = &out->suppressions[i];
		*s = e->suppressions[i];
		s->reason = dup(&c, s->reason); /* problem is a static text */
		s->rules = alloc(&c, s->n_rules * sizeof(*s->rules));
		for (size_t r = 0; s->rules && r < s->n_rules; r++)
			s->rules[r] = dup(&c, e->suppressions[i].rules[r]);
	}
	/* Every array was sized exactly: nothing grows any more. */
	out->cap_features = out->n_features;
	out->cap_endpoints = out->n_endpoints;
	out->cap_groups = out->n_groups;
	out->cap_suppressions = out->n_suppressions;
	if (c.failed) {
		btc_arena_free(&out->arena);
		free(out);
		return NULL;
	}
	return out;
}
