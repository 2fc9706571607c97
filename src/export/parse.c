/* A SAX2 parser straight into the model.
 *
 * SAX rather than a DOM: no tree is built, so memory stays flat and the cost
 * is one pass of libxml2's tokenizer (docs/performance.md). It also lets us
 * refuse a document type declaration the moment it starts, before a single
 * entity declaration is read. */
#include "export/parse.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/text.h"

enum { READ_CHUNK = 64 * 1024 };

typedef enum block_kind {
	BLOCK_NONE = 0,
	BLOCK_SQL,
	BLOCK_SERVICE,
	BLOCK_CREDENTIAL,
	BLOCK_NAMED, /* Name, FILE, WebSite */
} block_kind;

typedef enum elem_kind {
	ELEM_OTHER = 0,
	ELEM_QUESTION,
} elem_kind;

typedef struct parse_state {
	xmlParserCtxtPtr ctxt;
	btc_export *e;
	btc_error *err;
	bool failed;
	int max_depth;
	int depth;
	int inactive_from;   /* depth of the unselected Answer we are inside, or 0 */
	int feature_depth;   /* depth of the open Feature, or 0 */
	size_t feature;      /* index of the open Feature */
	unsigned char *kinds; /* elem_kind per depth, max_depth + 2 entries */
	size_t *question_of; /* question index per depth */

	block_kind block;
	int block_depth;
	const char *block_name;
	const char *block_id;
	void *block_ptr;

	/* btclint comments waiting for the element they cover (open false) or
	 * for its end tag (open true); see btc_suppression. */
	struct pending_suppression {
		size_t index; /* in e->suppressions */
		int depth;    /* of the comment, then of the covered element */
		bool open;
	} *pending;
	size_t n_pending, cap_pending;

	btc_arena *block_arena; /* where the open block's data goes */
	btc_value *leaf; /* the value being collected, or NULL */
	btc_arena *leaf_arena;
	const char *leaf_name;
	char *text;
	size_t text_len, text_cap;
} parse_state;

static int line_of(const parse_state *st)
{
	return st->ctxt && st->ctxt->input ? st->ctxt->input->line : 0;
}

static void fail(parse_state *st, int line, int column, const char *msg)
{
	if (!st->failed) {
		st->failed = true;
		btc_error_set(st->err, line, column, "%s", msg);
	}
	xmlStopParser(st->ctxt);
}

static void out_of_memory(parse_state *st)
{
	fail(st, line_of(st), 0, "out of memory");
}

static bool name_is(const xmlChar *name, const char *s)
{
	return strcmp((const char *)name, s) == 0;
}

/* SAX2 attributes come as (localname, prefix, URI, value, end) quintuples;
 * values are not NUL-terminated. Returns the trimmed value and its length,
 * or NULL if absent. */
static const char *attr_raw(int n, const xmlChar **attrs, const char *want, size_t *len)
{
	for (int i = 0; i < n; i++) {
		const xmlChar **a = attrs + i * 5;
		if (name_is(a[0], want)) {
			*len = (size_t)(a[4] - a[3]);
			return btc_trim((const char *)a[3], len);
		}
	}
	return NULL;
}

/* An attribute's value copied into arena, or NULL if absent. */
static const char *attr_in(parse_state *st, btc_arena *arena, int n, const xmlChar **attrs, const char *want)
{
	size_t len;
	const char *v = attr_raw(n, attrs, want, &len);
	if (v == NULL)
		return NULL;
	const char *copy = btc_arena_strndup(arena, v, len);
	if (copy == NULL)
		out_of_memory(st);
	return copy;
}

static const char *attr(parse_state *st, int n, const xmlChar **attrs, const char *want)
{
	return attr_in(st, &st->e->arena, n, attrs, want);
}

/* Whether an attribute equals value ignoring case, without copying it. */
static bool attr_is(int n, const xmlChar **attrs, const char *want, const char *value)
{
	size_t len;
	const char *v = attr_raw(n, attrs, want, &len);
	return v != NULL && btc_ieqn(v, len, value);
}

static void *push_in(parse_state *st, btc_arena *arena, void **items, size_t *count, size_t *cap, size_t elem)
{
	void *slot = btc_arena_push(arena, items, count, cap, elem);
	if (slot == NULL)
		out_of_memory(st);
	return slot;
}

static void *push(parse_state *st, void **items, size_t *count, size_t *cap, size_t elem)
{
	return push_in(st, &st->e->arena, items, count, cap, elem);
}

/* Allocates a block of size n in arena and appends its pointer to a
 * pointer array of the same arena. */
static void *push_block(parse_state *st, btc_arena *arena, void ***items, size_t *count, size_t *cap, size_t n)
{
	void *block = btc_arena_alloc(arena, n);
	void **slot = block ? push_in(st, arena, (void **)items, count, cap, sizeof(void *)) : NULL;
	if (slot == NULL) {
		out_of_memory(st);
		return NULL;
	}
	*slot = block;
	return block;
}

static btc_db_role role_of(const char *id)
{
	static const struct {
		const char *id;
		btc_db_role role;
	} roles[] = {
		{BTC_ID_SSO_DB, BTC_DB_SSO},
		{BTC_ID_MGMT_DB, BTC_DB_MANAGEMENT},
		{BTC_ID_MSGBOX_DB, BTC_DB_MESSAGEBOX},
		{BTC_ID_TRACKING_DB, BTC_DB_TRACKING},
		{BTC_ID_RULE_ENGINE_DB, BTC_DB_RULE_ENGINE},
		{BTC_ID_BAM_PIT_DB, BTC_DB_BAM_PRIMARY_IMPORT},
		{BTC_ID_BAM_ARCHIVE_DB, BTC_DB_BAM_ARCHIVE},
		{BTC_ID_BAM_ANALYSIS_DB, BTC_DB_BAM_ANALYSIS},
		{BTC_ID_BAM_STAR_DB, BTC_DB_BAM_STAR_SCHEMA},
		{BTC_ID_BAM_ALERTS_SERVER, BTC_DB_BAM_ALERTS},
	};
	for (size_t i = 0; id != NULL && i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (btc_ieq(id, roles[i].id))
			return roles[i].role;
	}
	return BTC_DB_OTHER;
}

/* Which btc_value of the open block a leaf element fills, if any. */
static btc_value *leaf_slot(parse_state *st, const xmlChar *name)
{
	switch (st->block) {
	case BLOCK_SQL: {
		btc_sql_endpoint *s = st->block_ptr;
		if (name_is(name, "Server"))
			return &s->server;
		if (name_is(name, "Database"))
			return &s->database;
		break;
	}
	case BLOCK_SERVICE: {
		btc_service *s = st->block_ptr;
		if (name_is(name, "UserName"))
			return &s->user_name;
		if (name_is(name, "Domain"))
			return &s->domain;
		if (name_is(name, "Password"))
			return &s->password;
		if (name_is(name, "IsGmsaAccount"))
			return &s->is_gmsa;
		break;
	}
	case BLOCK_CREDENTIAL:
		if (name_is(name, "NTAccount"))
			return &((btc_group *)st->block_ptr)->account;
		break;
	case BLOCK_NAMED:
		if (name_is(name, "Value") || name_is(name, "WebSiteName"))
			return &((btc_named_value *)st->block_ptr)->value;
		break;
	case BLOCK_NONE:
		break;
	}
	return NULL;
}

/* The values CFG002/CFG003 judge. SQL UserName/Password are values too but
 * have no slot in the typed model: they get a free-standing btc_value. */
static const char *judged_value(const xmlChar *name)
{
	static const char *const judged[] = {"Server", "Database", "NTAccount", "UserName", "Domain",
					     "Password", "Value", "WebSiteName"};
	for (size_t i = 0; i < sizeof(judged) / sizeof(judged[0]); i++) {
		if (name_is(name, judged[i]))
			return judged[i];
	}
	return NULL;
}

static void start_block(parse_state *st, block_kind kind, const char *name, int nattrs, const xmlChar **attrs)
{
	btc_export *e = st->e;
	/* Services and named values are judged by single-export rules only:
	 * they go to the scratch arena, which the CLI frees once those rules
	 * have run, so a farm of thousands keeps only what farm rules read. */
	btc_arena *arena = (kind == BLOCK_SERVICE || kind == BLOCK_NAMED) ? &e->scratch : &e->arena;
	const char *id = attr_in(st, arena, nattrs, attrs, "ID");
	int line = line_of(st);
	void *block = NULL;

	switch (kind) {
	case BLOCK_SQL: {
		btc_sql_endpoint *s = push_block(st, arena, (void ***)&e->endpoints, &e->n_endpoints,
						 &e->cap_endpoints, sizeof(*s));
		if (s == NULL)
			return;
		s->id = id;
		s->line = line;
		s->role = role_of(id);
		s->olap = attr_is(nattrs, attrs, "MSOLAPServer", "Yes");
		s->feature = st->feature_depth ? e->features[st->feature].name : NULL;
		block = s;
		break;
	}
	case BLOCK_SERVICE: {
		btc_service *s =
			push_block(st, arena, (void ***)&e->services, &e->n_services, &e->cap_services, sizeof(*s));
		if (s == NULL)
			return;
		s->id = id;
		s->display = attr_in(st, arena, nattrs, attrs, "DisplayName");
		s->line = line;
		s->feature = st->feature_depth ? e->features[st->feature].name : NULL;
		block = s;
		break;
	}
	case BLOCK_CREDENTIAL: {
		btc_group *g = push_block(st, arena, (void ***)&e->groups, &e->n_groups, &e->cap_groups, sizeof(*g));
		if (g == NULL)
			return;
		g->id = id;
		g->line = line;
		block = g;
		break;
	}
	case BLOCK_NAMED: {
		btc_named_value *n = push_block(st, arena, (void ***)&e->named, &e->n_named, &e->cap_named, sizeof(*n));
		if (n == NULL)
			return;
		n->kind = name;
		n->id = id;
		n->line = line;
		block = n;
		break;
	}
	case BLOCK_NONE:
		return;
	}
	st->block = kind;
	st->block_arena = arena;
	st->block_name = name;
	st->block_id = id;
	st->block_depth = st->depth;
	st->block_ptr = block;
}

static void set_value(parse_state *st, btc_arena *arena, btc_value *v, const char *text, size_t len)
{
	text = btc_trim(text, &len);
	v->text = btc_arena_strndup(arena, text, len);
	if (v->text == NULL) {
		out_of_memory(st);
		return;
	}
	v->placeholder = btc_is_placeholder(v->text);
}

static void end_block(parse_state *st)
{
	btc_export *e = st->e;
	btc_arena *arena = st->block_arena;
	int rc = 0;

	switch (st->block) {
	case BLOCK_SQL: {
		btc_sql_endpoint *s = st->block_ptr;
		if (s->server.text != NULL && !s->server.placeholder)
			rc = btc_server_name_parse(&s->name, s->server.text, arena);
		break;
	}
	case BLOCK_SERVICE: {
		btc_service *s = st->block_ptr;
		if (!s->user_name.placeholder && !s->domain.placeholder)
			rc = btc_account_parse_pair(&s->account, s->user_name.text, s->domain.text, arena);
		s->gmsa = (s->is_gmsa.text != NULL && btc_ieq(s->is_gmsa.text, "true")) ||
			  (s->account.name != NULL && btc_iends(s->account.name, "$"));
		break;
	}
	case BLOCK_CREDENTIAL: {
		btc_group *g = st->block_ptr;
		if (g->account.text != NULL && !g->account.placeholder)
			rc = btc_account_parse(&g->parsed, g->account.text, arena);
		break;
	}
	case BLOCK_NAMED: {
		/* The BAM Alerts SQL server is a <Name>, not a <SQL> block, but it
		 * is a database server entry like any other. */
		btc_named_value *n = st->block_ptr;
		if (btc_ieq(n->id, BTC_ID_BAM_ALERTS_SERVER)) {
			btc_sql_endpoint *s = push_block(st, &e->arena, (void ***)&e->endpoints, &e->n_endpoints,
							 &e->cap_endpoints, sizeof(*s));
			if (s == NULL)
				return;
			/* The endpoint outlives the scratch arena the <Name> is in. */
			s->id = BTC_ID_BAM_ALERTS_SERVER;
			s->line = n->line;
			s->role = BTC_DB_BAM_ALERTS;
			s->feature = st->feature_depth ? e->features[st->feature].name : NULL;
			s->server = n->value;
			if (n->value.text != NULL && (s->server.text = btc_arena_strdup(&e->arena, n->value.text)) == NULL)
				rc = -1;
			if (rc == 0 && s->server.text != NULL && !s->server.placeholder)
				rc = btc_server_name_parse(&s->name, s->server.text, &e->arena);
		}
		break;
	}
	case BLOCK_NONE:
		break;
	}
	if (rc < 0)
		out_of_memory(st);
	st->block = BLOCK_NONE;
	st->block_ptr = NULL;
}

static block_kind block_kind_of(const xmlChar *name)
{
	if (name_is(name, "SQL"))
		return BLOCK_SQL;
	if (name_is(name, "NTService"))
		return BLOCK_SERVICE;
	if (name_is(name, "NTCredential"))
		return BLOCK_CREDENTIAL;
	if (name_is(name, "Name") || name_is(name, "FILE") || name_is(name, "WebSite"))
		return BLOCK_NAMED;
	return BLOCK_NONE;
}

static const char *const block_names[] = {"SQL", "NTService", "NTCredential", "Name", "FILE", "WebSite"};

static const char *static_name(const xmlChar *name)
{
	for (size_t i = 0; i < sizeof(block_names) / sizeof(block_names[0]); i++) {
		if (name_is(name, block_names[i]))
			return block_names[i];
	}
	return NULL;
}

/* btclint comments. A comment is read wherever it stands, active or not:
 * a malformed one is worth reporting even in an unselected answer. */

/* The comment's words after "btclint-disable[-file]": rules up to ':', the
 * reason after it. */
static void parse_suppression(parse_state *st, btc_suppression *s, const char *args)
{
	btc_export *e = st->e;
	const char *colon = strchr(args, ':');
	size_t list_len = colon ? (size_t)(colon - args) : strlen(args);

	if (colon != NULL) {
		size_t len = strlen(colon + 1);
		const char *reason = btc_trim(colon + 1, &len);
		if (len > 0 && (s->reason = btc_arena_strndup(&e->arena, reason, len)) == NULL) {
			out_of_memory(st);
			return;
		}
	}
	size_t cap = 0;
	for (size_t i = 0; i < list_len;) {
		while (i < list_len && (args[i] == ',' || args[i] == ' ' || args[i] == '\t' || args[i] == '\r' ||
					args[i] == '\n'))
			i++;
		size_t startp = i;
		while (i < list_len && !(args[i] == ',' || args[i] == ' ' || args[i] == '\t' || args[i] == '\r' ||
					 args[i] == '\n'))
			i++;
		if (i == startp)
			continue;
		const char **slot = push(st, (void **)&s->rules, &s->n_rules, &cap, sizeof(*slot));
		if (slot == NULL)
			return;
		if ((*slot = btc_arena_strndup(&e->arena, args + startp, i - startp)) == NULL) {
			out_of_memory(st);
			return;
		}
	}
	if (s->n_rules == 0)
		s->problem = "names no rule";
}

static void on_comment(void *ctx, const xmlChar *value)
{
	parse_state *st = ((xmlParserCtxtPtr)ctx)->_private;
	btc_export *e = st->e;

	if (st->failed)
		return;
	size_t len = strlen((const char *)value);
	const char *text = btc_trim((const char *)value, &len);
	if (len < 8 || !btc_istarts(text, "btclint-"))
		return;
	const char *copy = btc_arena_strndup(&e->arena, text, len);
	btc_suppression *s = push(st, (void **)&e->suppressions, &e->n_suppressions, &e->cap_suppressions,
				  sizeof(*s));
	if (copy == NULL || s == NULL) {
		out_of_memory(st);
		return;
	}
	/* libxml2 reports a comment once it has read its end. */
	s->line = line_of(st);
	for (const char *p = (const char *)value; *p; p++) {
		if (*p == '\n' && s->line > 1)
			s->line--;
	}
	size_t word = 0;
	while (copy[word] != '\0' && copy[word] != ':' && copy[word] != ' ' && copy[word] != '\t' &&
	       copy[word] != '\r' && copy[word] != '\n')
		word++;
	const char *args = copy + word;
	if (word == strlen("btclint-disable-file") && btc_ieqn(copy, word, "btclint-disable-file")) {
		s->file_wide = true;
	} else if (word == strlen("btclint-disable") && btc_ieqn(copy, word, "btclint-disable")) {
		if (st->n_pending == st->cap_pending) {
			size_t ncap = st->cap_pending ? st->cap_pending * 2 : 8;
			struct pending_suppression *n = realloc(st->pending, ncap * sizeof(*n));
			if (n == NULL) {
				out_of_memory(st);
				return;
			}
			st->pending = n;
			st->cap_pending = ncap;
		}
		st->pending[st->n_pending++] =
			(struct pending_suppression){.index = e->n_suppressions - 1, .depth = st->depth, .open = false};
	} else {
		s->problem = "is not a btclint directive (btclint-disable or btclint-disable-file)";
		return;
	}
	parse_suppression(st, s, args);
}

/* An element starts at st->depth: it is what the comments before it at its
 * parent's depth cover. */
static void suppressions_start(parse_state *st)
{
	for (size_t i = 0; i < st->n_pending; i++) {
		struct pending_suppression *p = &st->pending[i];
		if (!p->open && p->depth == st->depth - 1) {
			p->open = true;
			p->depth = st->depth;
			st->e->suppressions[p->index].first_line = line_of(st);
		}
	}
}

/* The element at st->depth ends: it closes what covers it, and a comment
 * still waiting inside it covers nothing. */
static void suppressions_end(parse_state *st)
{
	size_t kept = 0;
	for (size_t i = 0; i < st->n_pending; i++) {
		struct pending_suppression *p = &st->pending[i];
		if (p->open && p->depth == st->depth) {
			st->e->suppressions[p->index].last_line = line_of(st);
			continue;
		}
		if (!p->open && p->depth == st->depth)
			continue;
		st->pending[kept++] = *p;
	}
	st->n_pending = kept;
}

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
		     int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
		     const xmlChar **attributes)
{
	parse_state *st = ((xmlParserCtxtPtr)ctx)->_private;
	btc_export *e = st->e;
	(void)prefix;
	(void)uri;
	(void)nb_namespaces;
	(void)namespaces;
	(void)nb_defaulted;

	if (st->failed)
		return;
	st->depth++;
	if (st->depth > st->max_depth) {
		char msg[128];
		snprintf(msg, sizeof(msg), "elements nest deeper than %d levels; exports never do", st->max_depth);
		fail(st, line_of(st), 0, msg);
		return;
	}
	st->kinds[st->depth] = ELEM_OTHER;
	suppressions_start(st);
	if (st->inactive_from)
		return;

	if (st->depth == 1) {
		e->root = btc_arena_strdup(&e->arena, (const char *)localname);
		e->root_line = line_of(st);
		if (e->root == NULL)
			out_of_memory(st);
		return;
	}
	if (st->feature_depth && st->depth == st->feature_depth + 1)
		e->features[st->feature].has_children = true;

	if (st->depth == 2 && name_is(localname, "Feature")) {
		btc_feature *f = push(st, (void **)&e->features, &e->n_features, &e->cap_features, sizeof(*f));
		if (f == NULL)
			return;
		f->name = attr(st, nb_attributes, attributes, "Name");
		f->line = line_of(st);
		st->feature = e->n_features - 1;
		st->feature_depth = st->depth;
		return;
	}
	if (st->depth == 2 && name_is(localname, "InstalledFeature")) {
		e->n_installed_features++;
		return;
	}
	if (name_is(localname, "Question")) {
		btc_question *q = push(st, (void **)&e->questions, &e->n_questions, &e->cap_questions, sizeof(*q));
		if (q == NULL)
			return;
		q->id = attr(st, nb_attributes, attributes, "ID");
		q->line = line_of(st);
		st->kinds[st->depth] = ELEM_QUESTION;
		st->question_of[st->depth] = e->n_questions - 1;
		return;
	}
	if (name_is(localname, "Answer") && st->kinds[st->depth - 1] == ELEM_QUESTION) {
		if (attr_is(nb_attributes, attributes, "Selected", "Yes")) {
			btc_question *q = &e->questions[st->question_of[st->depth - 1]];
			if (q->selected_count++ == 0)
				q->selected = attr(st, nb_attributes, attributes, "Value");
		} else {
			st->inactive_from = st->depth;
		}
		return;
	}

	block_kind kind = block_kind_of(localname);
	if (kind != BLOCK_NONE && st->block == BLOCK_NONE) {
		start_block(st, kind, static_name(localname), nb_attributes, attributes);
		return;
	}
	if (st->block != BLOCK_NONE && st->depth == st->block_depth + 1 && judged_value(localname) != NULL) {
		btc_value *slot = leaf_slot(st, localname);
		st->leaf_arena = st->block_arena;
		if (slot == NULL) {
			/* e.g. <SQL><UserName>: judged, but not part of the typed model. */
			st->leaf_arena = &e->scratch;
			slot = btc_arena_alloc(&e->scratch, sizeof(*slot));
			if (slot == NULL) {
				out_of_memory(st);
				return;
			}
		}
		btc_value_ref *ref =
			push_in(st, &e->scratch, (void **)&e->values, &e->n_values, &e->cap_values, sizeof(*ref));
		if (ref == NULL)
			return;
		ref->element = judged_value(localname);
		ref->block = st->block_name;
		ref->block_id = st->block_id;
		ref->value = slot;
		st->leaf = slot;
		st->leaf->line = line_of(st);
		st->text_len = 0;
		return;
	}
	if (st->block != BLOCK_NONE && st->depth == st->block_depth + 1) {
		btc_value *slot = leaf_slot(st, localname);
		if (slot != NULL) {
			st->leaf_arena = st->block_arena;
			st->leaf = slot;
			st->leaf->line = line_of(st);
			st->text_len = 0;
		}
	}
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
	parse_state *st = ((xmlParserCtxtPtr)ctx)->_private;
	(void)localname;
	(void)prefix;
	(void)uri;

	if (st->failed)
		return;
	suppressions_end(st);
	if (st->inactive_from) {
		if (st->depth == st->inactive_from)
			st->inactive_from = 0;
		st->depth--;
		return;
	}
	if (st->leaf != NULL && st->depth == st->block_depth + 1) {
		set_value(st, st->leaf_arena, st->leaf, st->text ? st->text : "", st->text_len);
		st->leaf = NULL;
	} else if (st->block != BLOCK_NONE && st->depth == st->block_depth) {
		end_block(st);
	} else if (st->feature_depth && st->depth == st->feature_depth) {
		st->feature_depth = 0;
	}
	st->depth--;
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
	parse_state *st = ((xmlParserCtxtPtr)ctx)->_private;

	if (st->leaf == NULL || st->failed || st->inactive_from || len <= 0)
		return;
	if (st->text_len + (size_t)len + 1 > st->text_cap) {
		size_t cap = st->text_cap ? st->text_cap : 256;
		while (cap < st->text_len + (size_t)len + 1)
			cap *= 2;
		char *p = realloc(st->text, cap);
		if (p == NULL) {
			out_of_memory(st);
			return;
		}
		st->text = p;
		st->text_cap = cap;
	}
	memcpy(st->text + st->text_len, ch, (size_t)len);
	st->text_len += (size_t)len;
}

/* Called as soon as <!DOCTYPE is read, before its internal subset: stopping
 * here means no entity is ever declared, let alone expanded or fetched. */
static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *external_id, const xmlChar *system_id)
{
	parse_state *st = ((xmlParserCtxtPtr)ctx)->_private;
	(void)name;
	(void)external_id;
	(void)system_id;
	fail(st, line_of(st), 0,
	     "document type declaration (<!DOCTYPE>) refused: configuration exports never carry one, "
	     "and btclint does not load or expand entities");
}

static void on_error(void *ctx, xmlErrorPtr error)
{
	parse_state *st = ((xmlParserCtxtPtr)ctx)->_private;

	/* xmlCreatePushParserCtxt already reports an encoding it cannot switch
	 * to (e.g. a file opening 00 00 3C 00), before _private is set. The
	 * parse then fails on the first chunk and is reported from there. */
	if (st == NULL)
		return;
	if (error == NULL || error->level < XML_ERR_ERROR || st->failed)
		return;
	char msg[400];
	/* The push parser reports any early end as "extra content": say what
	 * actually happened. */
	if (error->code == XML_ERR_DOCUMENT_END && st->e->root == NULL) {
		fail(st, error->line, 0, "the file is empty or holds no XML element");
		return;
	}
	if (error->code == XML_ERR_DOCUMENT_EMPTY) {
		fail(st, error->line, error->int2, "not an XML document: no element starts here (a binary file?)");
		return;
	}
	if (error->code == XML_ERR_DOCUMENT_END && st->depth > 0) {
		snprintf(msg, sizeof(msg), "the file ends while %d element%s still open: it looks truncated",
			 st->depth, st->depth == 1 ? " is" : "s are");
		fail(st, error->line, 0, msg);
		return;
	}
	snprintf(msg, sizeof(msg), "not well-formed XML: %s", error->message ? error->message : "unknown error");
	/* One message, one line: libxml2's can hold newlines. */
	size_t n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	for (char *p = msg; *p; p++) {
		if (*p == '\n')
			*p = ' ';
	}
	fail(st, error->line, error->int2, msg);
}

static void init_sax(xmlSAXHandler *sax)
{
	memset(sax, 0, sizeof(*sax));
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElementNs = on_start;
	sax->endElementNs = on_end;
	sax->characters = on_characters;
	sax->cdataBlock = on_characters;
	sax->internalSubset = on_internal_subset;
	sax->comment = on_comment;
	sax->serror = on_error;
}

static btc_mode mode_of(const btc_export *e, const char *question, int *line)
{
	const btc_question *q = btc_export_question(e, question);
	if (q == NULL)
		return BTC_MODE_ABSENT;
	*line = q->line;
	if (q->selected == NULL)
		return BTC_MODE_OTHER;
	if (btc_ieq(q->selected, "Create"))
		return BTC_MODE_CREATE;
	if (btc_ieq(q->selected, "Join"))
		return BTC_MODE_JOIN;
	return BTC_MODE_OTHER;
}

/* Derives the export-wide modes once every question is known. */
static void finish(btc_export *e)
{
	e->sso_mode = mode_of(e, "IsSecretServer", &e->sso_mode_line);
	e->group_mode = mode_of(e, "CREATEORJOIN", &e->group_mode_line);
}

typedef struct parser {
	parse_state st;
	xmlSAXHandler sax;
} parser;

static int parser_begin(parser *p, btc_export **out, const char *path, const btc_parse_limits *limits,
			btc_error *err, const char *first, size_t first_len)
{
	memset(p, 0, sizeof(*p));
	btc_export *e = calloc(1, sizeof(*e));
	int max_depth = limits && limits->max_depth > 0 ? limits->max_depth : BTC_MAX_DEPTH;

	*out = NULL;
	if (e == NULL) {
		btc_error_set(err, 0, 0, "out of memory");
		return -1;
	}
	e->path = btc_arena_strdup(&e->arena, path);
	p->st.kinds = calloc((size_t)max_depth + 2, 1);
	p->st.question_of = calloc((size_t)max_depth + 2, sizeof(size_t));
	if (e->path == NULL || p->st.kinds == NULL || p->st.question_of == NULL)
		goto oom;
	p->st.e = e;
	p->st.err = err;
	p->st.max_depth = max_depth;
	init_sax(&p->sax);
	p->st.ctxt = xmlCreatePushParserCtxt(&p->sax, NULL, first, (int)first_len, NULL);
	if (p->st.ctxt == NULL)
		goto oom;
	p->st.ctxt->_private = &p->st;
	/* NONET: never fetch anything. No NOENT, no DTDLOAD, no DTDATTR: nothing
	 * external is loaded and nothing is substituted. */
	xmlCtxtUseOptions(p->st.ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	*out = e;
	return 0;
oom:
	free(p->st.kinds);
	free(p->st.question_of);
	btc_export_free(e);
	btc_error_set(err, 0, 0, "out of memory");
	return -1;
}

/* Feeds a chunk (terminate: the last one). Returns -1 once the parse failed. */
static int parser_feed(parser *p, const char *data, size_t len, int terminate)
{
	if (!p->st.failed)
		xmlParseChunk(p->st.ctxt, data, (int)len, terminate);
	if (!p->st.failed && terminate && !p->st.ctxt->wellFormed)
		fail(&p->st, line_of(&p->st), 0, "not well-formed XML");
	return p->st.failed ? -1 : 0;
}

static int parser_end(parser *p, btc_export **out, int rc)
{
	if (p->st.ctxt != NULL)
		xmlFreeParserCtxt(p->st.ctxt);
	free(p->st.kinds);
	free(p->st.question_of);
	free(p->st.text);
	free(p->st.pending);
	if (rc == 0 && p->st.failed)
		rc = -1;
	if (rc == 0 && *out != NULL && (*out)->root == NULL) {
		btc_error_set(p->st.err, 0, 0, "no root element");
		rc = -1;
	}
	if (rc < 0) {
		btc_export_free(*out);
		*out = NULL;
		return -1;
	}
	finish(*out);
	return 0;
}

int btc_export_parse_memory(btc_export **out, const char *path, const char *data, size_t len,
			    const btc_parse_limits *limits, btc_error *err)
{
	parser p;
	size_t max_size = limits && limits->max_size ? limits->max_size : BTC_DEFAULT_MAX_SIZE;

	*out = NULL;
	if (len > max_size) {
		btc_error_set(err, 0, 0, "file is %zu bytes, over the limit of %zu bytes (see --max-size)", len,
			      max_size);
		return -1;
	}
	size_t first = len < 4 ? len : 4;
	if (parser_begin(&p, out, path, limits, err, data, first) < 0)
		return -1;
	int rc = 0;
	for (size_t off = first; rc == 0 && off < len; off += READ_CHUNK) {
		size_t n = len - off < READ_CHUNK ? len - off : READ_CHUNK;
		rc = parser_feed(&p, data + off, n, 0);
	}
	if (rc == 0)
		rc = parser_feed(&p, NULL, 0, 1);
	return parser_end(&p, out, rc);
}

int btc_export_load(btc_export **out, const char *path, const btc_parse_limits *limits, btc_error *err)
{
	size_t max_size = limits && limits->max_size ? limits->max_size : BTC_DEFAULT_MAX_SIZE;
	char *buf = NULL;
	struct stat sb;
	int rc = -1;
	parser p;
	bool begun = false;

	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		btc_error_set(err, 0, 0, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) < 0) {
		btc_error_set(err, 0, 0, "cannot read: %s", strerror(errno));
		goto done;
	}
	if (S_ISDIR(sb.st_mode)) {
		btc_error_set(err, 0, 0, "is a directory, not an export file");
		goto done;
	}
	if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > max_size) {
		btc_error_set(err, 0, 0, "file is %jd bytes, over the limit of %zu bytes (see --max-size)",
			      (intmax_t)sb.st_size, max_size);
		goto done;
	}
	buf = malloc(READ_CHUNK);
	if (buf == NULL) {
		btc_error_set(err, 0, 0, "out of memory");
		goto done;
	}
	/* Streamed in chunks: the whole file is never held in memory, and the
	 * size limit also holds for pipes and devices whose size stat cannot tell. */
	size_t total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			btc_error_set(err, 0, 0, "cannot read: %s", strerror(errno));
			if (begun)
				parser_end(&p, out, -1);
			goto done;
		}
		total += (size_t)n;
		if (total > max_size) {
			btc_error_set(err, 0, 0, "file is over the limit of %zu bytes (see --max-size)", max_size);
			if (begun)
				parser_end(&p, out, -1);
			goto done;
		}
		if (!begun) {
			size_t first = (size_t)n;
			if (parser_begin(&p, out, path, limits, err, buf, first) < 0)
				goto done;
			begun = true;
			if (n == 0) {
				rc = parser_end(&p, out, parser_feed(&p, NULL, 0, 1));
				goto done;
			}
			continue;
		}
		if (n == 0) {
			rc = parser_end(&p, out, parser_feed(&p, NULL, 0, 1));
			goto done;
		}
		if (parser_feed(&p, buf, (size_t)n, 0) < 0) {
			rc = parser_end(&p, out, -1);
			goto done;
		}
	}
done:
	free(buf);
	close(fd);
	return rc;
}

void btc_export_free(btc_export *e)
{
	if (e == NULL)
		return;
	btc_arena_free(&e->scratch);
	btc_arena_free(&e->arena);
	free(e);
}
