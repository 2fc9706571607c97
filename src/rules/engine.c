#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/prb.h"
#include "rules/rules.h"
#include "rules/suppress.h"
#include "util/text.h"

const char *btc_severity_name(btc_severity sev)
{
	switch (sev) {
	case BTC_SEV_ERROR: return "error";
	case BTC_SEV_WARNING: return "warning";
	case BTC_SEV_NOTE: return "note";
	case BTC_SEV_NONE: break;
	}
	return "none";
}

btc_severity btc_severity_parse(const char *s)
{
	if (btc_ieq(s, "error"))
		return BTC_SEV_ERROR;
	if (btc_ieq(s, "warning"))
		return BTC_SEV_WARNING;
	if (btc_ieq(s, "note"))
		return BTC_SEV_NOTE;
	return BTC_SEV_NONE;
}

void btc_findings_free(btc_findings *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].subject);
		free(f->items[i].message);
		free(f->items[i].justification);
	}
	free(f->items);
	memset(f, 0, sizeof(*f));
}

static int compare(const void *pa, const void *pb)
{
	const btc_finding *a = pa, *b = pb;
	if (a->farm != b->farm)
		return a->farm < b->farm ? -1 : 1;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	int c = strcmp(a->rule, b->rule);
	if (c != 0)
		return c;
	return strcmp(a->subject ? a->subject : "", b->subject ? b->subject : "");
}

void btc_findings_sort(btc_findings *f)
{
	if (f->count > 1)
		qsort(f->items, f->count, sizeof(*f->items), compare);
}

/* The position of a kept export, for the rules run at the end of a farm
 * (probe and directory rules). They report export by export, so the export
 * of the previous finding (or the one after it) is the first guess: a scan
 * per finding made checking 4000 exports quadratic (docs/performance.md). */
static int order_of(btc_check_ctx *ctx, const btc_export *e)
{
	const btc_farm *farm = ctx->all;
	size_t h = ctx->order_hint;

	for (size_t i = h; i < farm->n_exports && i < h + 2; i++) {
		if (farm->exports[i] == e) {
			ctx->order_hint = i;
			return (int)i;
		}
	}
	for (size_t i = 0; i < farm->n_exports; i++) {
		if (farm->exports[i] == e) {
			ctx->order_hint = i;
			return (int)i;
		}
	}
	return -1;
}

/* Appends a finding; NULL when out of memory (out->oom is set). */
static btc_finding *vemit(btc_check_ctx *ctx, btc_severity sev, const char *path, int order, int line,
			  const char *subject, const char *fmt, va_list ap)
{
	btc_findings *out = ctx->out;

	if (out->count == out->cap) {
		size_t ncap = out->cap ? out->cap * 2 : 32;
		btc_finding *n = realloc(out->items, ncap * sizeof(*n));
		if (n == NULL) {
			out->oom = true;
			return NULL;
		}
		out->items = n;
		out->cap = ncap;
	}
	/* Formatted once into a stack buffer, again only when it overflows:
	 * glibc's vsnprintf(NULL, 0) costs three times a formatted write, and
	 * was 7% of a 1000-export check (docs/performance.md). */
	char buf[512];
	va_list again;
	va_copy(again, ap);
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);
	char *msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
	char *subj = subject ? strdup(subject) : NULL;
	if (msg == NULL || (subject && subj == NULL)) {
		va_end(again);
		free(msg);
		free(subj);
		out->oom = true;
		return NULL;
	}
	if ((size_t)len < sizeof(buf))
		memcpy(msg, buf, (size_t)len + 1);
	else
		vsnprintf(msg, (size_t)len + 1, fmt, again);
	va_end(again);

	btc_finding *f = &out->items[out->count++];
	/* Fields added later (suppression marks, ...) must start cleared. */
	memset(f, 0, sizeof(*f));
	f->rule = ctx->rule->id;
	f->severity = sev != BTC_SEV_NONE ? sev : ctx->rule->severity;
	f->path = path;
	f->line = line;
	f->order = order;
	f->farm = ctx->farm_index;
	f->subject = subj;
	f->message = msg;
	return f;
}

/* Hides f behind the btclint-disable comment whose reason this is. */
static void hide(btc_check_ctx *ctx, btc_finding *f, const char *reason)
{
	if (f == NULL || reason == NULL)
		return;
	/* A copy: the export is freed before the reports. */
	char *why = strdup(reason);
	if (why == NULL) {
		ctx->out->oom = true;
		return;
	}
	f->suppressed = true;
	f->justification = why;
}

void btc_emit(btc_check_ctx *ctx, btc_severity sev, const btc_export *e, int line, const char *subject,
	      const char *fmt, ...)
{
	const char *path = ctx->farm->inventory_path;
	int order = -1;
	va_list ap;

	if (e != NULL && e == ctx->export) {
		path = ctx->entry->path;
		order = ctx->entry->order;
	} else if (e != NULL) {
		path = e->path;
		order = order_of(ctx, e);
	}
	va_start(ap, fmt);
	btc_finding *f = vemit(ctx, sev, path, order, line, subject, fmt, ap);
	va_end(ap);
	if (e != NULL && !ctx->no_suppressions)
		hide(ctx, f, btc_suppression_reason(e, ctx->rule->id, line));
}

void btc_later_record(btc_check_ctx *ctx, btc_later *l, int line)
{
	const char *reason = ctx->no_suppressions ? NULL : btc_suppression_reason(ctx->export, ctx->rule->id, line);

	l->at = *ctx->entry;
	l->line = line;
	l->hidden_by = reason ? btc_arena_strdup(ctx->keep, reason) : NULL;
	if (reason != NULL && l->hidden_by == NULL)
		ctx->out->oom = true;
}

void btc_emit_later(btc_check_ctx *ctx, btc_severity sev, const btc_later *l, const char *subject,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	btc_finding *f = vemit(ctx, sev, l->at.path, l->at.order, l->line, subject, fmt, ap);
	va_end(ap);
	hide(ctx, f, l->hidden_by);
}

btc_later *btc_laters_add(btc_check_ctx *ctx, btc_laters *list, int line)
{
	btc_later *l = btc_arena_push(ctx->keep, (void **)&list->items, &list->count, &list->cap, sizeof(*l));
	if (l == NULL) {
		ctx->out->oom = true;
		return NULL;
	}
	btc_later_record(ctx, l, line);
	return l;
}

bool btc_export_is_configuration(const btc_export *e)
{
	if (e->root == NULL || strcmp(e->root, "Configuration") != 0)
		return false;
	for (size_t i = 0; i < e->n_features; i++) {
		if (e->features[i].has_children)
			return true;
	}
	return false;
}

/* Single-export rules that read only the export (and the inventory): they
 * can run as soon as the file is read. */
static bool reads_only_the_export(const btc_rule *rule)
{
	return rule->check_export != NULL && !btc_rule_needs_probe(rule) && strchr(rule->data, 'L') == NULL;
}

static bool enabled(const btc_rule *rule, size_t r, const btc_farm *farm, const btc_run_options *opts)
{
	if (opts && opts->disabled && opts->disabled[r])
		return false;
	/* Data class I: nothing to judge without the inventory. */
	return farm->has_inventory || !btc_rule_needs_inventory(rule);
}

static void check_export(btc_check_ctx *ctx, const btc_export *e)
{
	/* CFG001 judges every file; nothing else judges a file that is not a
	 * configuration export. */
	if (ctx->rule->check_export == btc_check_cfg001 || btc_export_is_configuration(e))
		ctx->rule->check_export(ctx, e);
}

struct btc_farm_run {
	btc_check_ctx ctx;
	const bool *disabled;
	btc_arena keep; /* what the farm rules keep between exports */
	void **states;  /* per rule: a farm rule's state, or NULL when it does not run */
	int n_fed;
	int n_configs;
};

btc_farm_run *btc_farm_run_begin(btc_findings *out, const btc_farm *farm, int farm_index,
				 const btc_run_options *opts)
{
	btc_farm_run *run = calloc(1, sizeof(*run));
	if (run == NULL || (run->states = calloc(btc_rule_count, sizeof(*run->states))) == NULL) {
		free(run);
		out->oom = true;
		return NULL;
	}
	run->disabled = opts ? opts->disabled : NULL;
	run->ctx = (btc_check_ctx){.farm = farm, .all = farm, .farm_index = farm_index, .out = out,
				   .no_suppressions = opts && opts->no_inline_suppressions, .keep = &run->keep};
	for (size_t r = 0; r < btc_rule_count; r++) {
		const btc_rule *rule = &btc_rules[r];
		if (opts && opts->disabled && opts->disabled[r])
			continue;
		if (!farm->has_inventory &&
		    (btc_rule_needs_inventory(rule) || btc_rule_partly_needs_inventory(rule)) && opts &&
		    opts->skipped_no_inventory)
			opts->skipped_no_inventory[r] = true;
		if (rule->stream == NULL || !enabled(rule, r, farm, opts))
			continue;
		run->states[r] = btc_arena_alloc(&run->keep, rule->stream->state_size ? rule->stream->state_size : 1);
		if (run->states[r] == NULL)
			out->oom = true;
	}
	return run;
}

void btc_farm_run_feed(btc_farm_run *run, const btc_export *e, const char *path, const char *server,
		       const btc_farm_server *decl)
{
	btc_check_ctx *ctx = &run->ctx;
	const btc_run_options opts = {.disabled = run->disabled};
	bool configuration = btc_export_is_configuration(e);
	btc_farm_entry entry = {
		.path = path,
		.order = run->n_fed++,
		.server = server,
		.name = server ? server : path,
		.shown_order = decl ? decl->order : run->n_configs + 1,
	};

	ctx->export = e;
	ctx->entry = &entry;
	for (size_t r = 0; r < btc_rule_count; r++) {
		const btc_rule *rule = &btc_rules[r];
		if (!reads_only_the_export(rule) || !enabled(rule, r, ctx->farm, &opts))
			continue;
		ctx->rule = rule;
		check_export(ctx, e);
	}
	/* Farm rules see only the configuration exports (rules.md, "Farms"). */
	if (configuration) {
		run->n_configs++;
		for (size_t r = 0; r < btc_rule_count; r++) {
			if (run->states[r] == NULL)
				continue;
			ctx->rule = &btc_rules[r];
			ctx->rule->stream->feed(ctx, run->states[r], e);
		}
	}
	ctx->export = NULL;
	ctx->entry = NULL;
}

/* The farm's rules that need it complete: inventory, probe and directory. */
static void run_rest(btc_check_ctx *ctx, const bool *disabled)
{
	const btc_farm *farm = ctx->farm;
	const btc_run_options opts = {.disabled = disabled};
	btc_farm configs = *farm;

	/* Farm rules see only the configuration exports, each still with its
	 * machine name and inventory section. */
	configs.exports = NULL;
	configs.servers = NULL;
	configs.decls = NULL;
	configs.n_exports = 0;
	if (farm->n_exports > 0) {
		configs.exports = malloc(farm->n_exports * sizeof(*configs.exports));
		configs.servers = calloc(farm->n_exports, sizeof(*configs.servers));
		configs.decls = calloc(farm->n_exports, sizeof(*configs.decls));
		if (configs.exports == NULL || configs.servers == NULL || configs.decls == NULL) {
			ctx->out->oom = true;
			goto done;
		}
	}
	for (size_t i = 0; i < farm->n_exports; i++) {
		if (!btc_export_is_configuration(farm->exports[i]))
			continue;
		configs.servers[configs.n_exports] = farm->servers ? farm->servers[i] : NULL;
		configs.decls[configs.n_exports] = farm->decls ? farm->decls[i] : NULL;
		configs.exports[configs.n_exports++] = farm->exports[i];
	}
	for (size_t r = 0; r < btc_rule_count; r++) {
		const btc_rule *rule = &btc_rules[r];
		if (rule->stream != NULL || reads_only_the_export(rule) || !enabled(rule, r, farm, &opts))
			continue;
		/* Data class P: without a probe the rule is not run at all, which
		 * is not a pass (the CLI marks it not run). */
		if (ctx->probe == NULL && btc_rule_needs_probe(rule))
			continue;
		ctx->rule = rule;
		if (rule->check_export != NULL) {
			for (size_t i = 0; i < farm->n_exports; i++)
				check_export(ctx, farm->exports[i]);
		} else {
			ctx->farm = &configs;
			rule->check_farm(ctx);
			ctx->farm = farm;
		}
	}
done:
	free(configs.exports);
	free(configs.servers);
	free(configs.decls);
}

/* The farm rules' last word, then their states freed. */
static void finish_streams(btc_farm_run *run)
{
	btc_check_ctx *ctx = &run->ctx;
	for (size_t r = 0; r < btc_rule_count; r++) {
		if (run->states[r] == NULL || btc_rules[r].stream->finish == NULL)
			continue;
		ctx->rule = &btc_rules[r];
		ctx->rule->stream->finish(ctx, run->states[r]);
	}
	btc_arena_free(&run->keep);
	free(run->states);
}

void btc_farm_run_end(btc_farm_run *run, const struct btc_prb_set *probe)
{
	if (run == NULL)
		return;
	run->ctx.probe = probe;
	finish_streams(run);
	run_rest(&run->ctx, run->disabled);
	free(run);
}

void btc_farm_run_free(btc_farm_run *run)
{
	if (run == NULL)
		return;
	/* The states free what they hold in their finish step, which may
	 * report: into a list dropped here, as the caller's may be gone. */
	btc_findings dropped = {0};
	run->ctx.out = &dropped;
	finish_streams(run);
	btc_findings_free(&dropped);
	free(run);
}

void btc_rules_run(btc_findings *out, const btc_farm *farm, int farm_index, const btc_run_options *opts)
{
	btc_farm_run *run = btc_farm_run_begin(out, farm, farm_index, opts);
	if (run == NULL)
		return;
	for (size_t i = 0; i < farm->n_exports; i++)
		btc_farm_run_feed(run, farm->exports[i], farm->exports[i]->path,
				  farm->servers ? farm->servers[i] : NULL, farm->decls ? farm->decls[i] : NULL);
	btc_farm_run_end(run, opts ? opts->probe : NULL);
}

bool btc_rule_needs_inventory(const btc_rule *rule)
{
	return strcmp(rule->data, "I") == 0 || (strstr(rule->data, "+I") != NULL && !btc_rule_partly_needs_inventory(rule));
}

bool btc_rule_partly_needs_inventory(const btc_rule *rule)
{
	return strstr(rule->data, "(+I)") != NULL;
}

bool btc_endpoint_named(const btc_sql_endpoint *s)
{
	return !s->olap && btc_value_usable(&s->server) && s->name.host != NULL && s->name.host[0] != '\0';
}

static bool host_same(const char *a, const char *b)
{
	if (btc_is_ipv4(a) || btc_is_ipv6(a) || btc_is_ipv4(b) || btc_is_ipv6(b))
		return btc_ieq(a, b);
	size_t la = btc_first_label_len(a);
	return la == btc_first_label_len(b) && strncasecmp(a, b, la) == 0;
}

/* Two databases are one when the first labels of their hosts, their
 * instances and their names are equal, ignoring case (rules.md); IP
 * literals compare whole. */
static bool same_place(const char *host_a, const char *inst_a, const char *db_a, const char *host_b,
		       const char *inst_b, const char *db_b)
{
	return host_same(host_a, host_b) && btc_ieq(inst_a ? inst_a : "", inst_b ? inst_b : "") && btc_ieq(db_a, db_b);
}

/* "SQLVS01\BTS/SSODB" into buf. */
static const char *describe(char *buf, size_t n, const char *host, const char *instance, const char *db)
{
	snprintf(buf, n, "%s%s%s%s%s", host, instance ? "\\" : "", instance ? instance : "", db[0] ? "/" : "", db);
	return buf;
}

int btc_export_mode_line(const btc_export *e, bool sso_first)
{
	int first = sso_first ? e->sso_mode_line : e->group_mode_line;
	int second = sso_first ? e->group_mode_line : e->sso_mode_line;
	if (first > 0)
		return first;
	if (second > 0)
		return second;
	return e->root_line;
}

bool btc_value_usable(const btc_value *v)
{
	return v->text != NULL && v->text[0] != '\0' && !v->placeholder;
}

const char *btc_rules_not_a_domain(const btc_check_ctx *ctx, const btc_export *e, const char *domain)
{
	static const char *const builtin[] = {"BUILTIN", "NT AUTHORITY", "NT SERVICE"};

	if (domain == NULL)
		return NULL;
	if (strcmp(domain, ".") == 0)
		return "\".\" means the local machine";
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		if (btc_ieq(domain, builtin[i]))
			return "it is a built-in Windows authority, not a domain";
	}
	if (btc_farm_is_known_machine(ctx->farm, domain))
		return "it is a machine of the inventory, not a domain";
	for (size_t i = 0; i < e->n_endpoints; i++) {
		const btc_sql_endpoint *s = e->endpoints[i];
		if (s->name.host != NULL && btc_machine_eq(s->name.host, domain))
			return "it is the SQL Server machine of this export, not a domain";
	}
	return NULL;
}

const char *btc_rules_keep(btc_check_ctx *ctx, const char *s)
{
	char *copy = s ? btc_arena_strdup(ctx->keep, s) : NULL;
	if (s != NULL && copy == NULL)
		ctx->out->oom = true;
	return copy;
}

void btc_one_database_feed(btc_check_ctx *ctx, btc_one_database *st, const btc_export *e, btc_db_role role,
			   const char *subject)
{
	const btc_sql_endpoint *s = btc_export_endpoint(e, role);
	char a[300], b[300];

	if (s == NULL || !btc_endpoint_named(s))
		return;
	const char *db = btc_value_usable(&s->database) ? s->database.text : "";
	int line = s->server.line ? s->server.line : s->line;
	if (!st->seen) {
		st->seen = true;
		st->at = *ctx->entry;
		st->host = btc_rules_keep(ctx, s->name.host);
		st->instance = btc_rules_keep(ctx, s->name.instance);
		st->database = btc_rules_keep(ctx, db);
		st->line = line;
		if (st->host == NULL || st->database == NULL)
			st->seen = false; /* out of memory */
		return;
	}
	if (same_place(st->host, st->instance, st->database, s->name.host, s->name.instance, db))
		return;
	describe(b, sizeof(b), st->host, st->instance, st->database);
	btc_emit(ctx, BTC_SEV_NONE, e, line, subject ? subject : s->id,
		 "the %s is %s on %s but %s on %s (%s:%d); every server of the group must use the one %s: enter %s",
		 btc_db_role_name(role), describe(a, sizeof(a), s->name.host, s->name.instance, db),
		 ctx->entry->name, b, st->at.name, st->at.path, st->line, btc_db_role_name(role), b);
}
