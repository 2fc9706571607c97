#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/prb.h"
#include "rules/rules.h"
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

/* Rules report export by export, so the export of the previous finding (or
 * the one after it) is the first guess: a scan per finding made checking
 * 4000 exports quadratic (docs/performance.md). */
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

void btc_emit(btc_check_ctx *ctx, btc_severity sev, const btc_export *e, int line, const char *subject,
	      const char *fmt, ...)
{
	btc_findings *out = ctx->out;
	va_list ap;

	if (out->count == out->cap) {
		size_t ncap = out->cap ? out->cap * 2 : 32;
		btc_finding *n = realloc(out->items, ncap * sizeof(*n));
		if (n == NULL) {
			out->oom = true;
			return;
		}
		out->items = n;
		out->cap = ncap;
	}
	/* Formatted once into a stack buffer, again only when it overflows:
	 * glibc's vsnprintf(NULL, 0) costs three times a formatted write, and
	 * was 7% of a 1000-export check (docs/performance.md). */
	char buf[512];
	va_start(ap, fmt);
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char *msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
	char *subj = subject ? strdup(subject) : NULL;
	if (msg == NULL || (subject && subj == NULL)) {
		free(msg);
		free(subj);
		out->oom = true;
		return;
	}
	if ((size_t)len < sizeof(buf)) {
		memcpy(msg, buf, (size_t)len + 1);
	} else {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}

	btc_finding *f = &out->items[out->count++];
	/* Fields added later (suppression marks, ...) must start cleared. */
	memset(f, 0, sizeof(*f));
	f->rule = ctx->rule->id;
	f->severity = sev != BTC_SEV_NONE ? sev : ctx->rule->severity;
	f->path = e ? e->path : ctx->farm->inventory_path;
	f->line = line;
	f->order = e ? order_of(ctx, e) : -1;
	f->farm = ctx->farm_index;
	f->subject = subj;
	f->message = msg;
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

void btc_rules_run_export(btc_findings *out, const btc_farm *farm, int farm_index, const btc_run_options *opts,
			  const btc_export *e)
{
	btc_check_ctx ctx = {.farm = farm, .all = farm, .farm_index = farm_index, .out = out};

	if (farm->n_exports > 0)
		ctx.order_hint = farm->n_exports - 1;
	for (size_t r = 0; r < btc_rule_count; r++) {
		const btc_rule *rule = &btc_rules[r];
		if (!reads_only_the_export(rule) || !enabled(rule, r, farm, opts))
			continue;
		ctx.rule = rule;
		check_export(&ctx, e);
	}
}

void btc_rules_run(btc_findings *out, const btc_farm *farm, int farm_index, const btc_run_options *opts)
{
	btc_check_ctx ctx = {
	    .farm = farm, .all = farm, .farm_index = farm_index, .out = out, .probe = opts ? opts->probe : NULL};
	btc_farm configs = *farm;
	btc_export **kept = NULL;
	const char **kept_servers = NULL;
	const btc_farm_server **kept_decls = NULL;

	/* Farm rules see only the configuration exports (rules.md, "Farms"),
	 * each still with its machine name and inventory section. */
	if (farm->n_exports > 0) {
		kept = malloc(farm->n_exports * sizeof(*kept));
		kept_servers = calloc(farm->n_exports, sizeof(*kept_servers));
		kept_decls = calloc(farm->n_exports, sizeof(*kept_decls));
		if (kept == NULL || kept_servers == NULL || kept_decls == NULL) {
			out->oom = true;
			goto done;
		}
	}
	configs.exports = kept;
	configs.servers = kept_servers;
	configs.decls = kept_decls;
	configs.n_exports = 0;
	for (size_t i = 0; i < farm->n_exports; i++) {
		if (!btc_export_is_configuration(farm->exports[i]))
			continue;
		kept_servers[configs.n_exports] = farm->servers ? farm->servers[i] : NULL;
		kept_decls[configs.n_exports] = farm->decls ? farm->decls[i] : NULL;
		kept[configs.n_exports++] = farm->exports[i];
	}

	for (size_t r = 0; r < btc_rule_count; r++) {
		const btc_rule *rule = &btc_rules[r];
		if (opts && opts->disabled && opts->disabled[r])
			continue;
		if (!farm->has_inventory &&
		    (btc_rule_needs_inventory(rule) || btc_rule_partly_needs_inventory(rule)) && opts &&
		    opts->skipped_no_inventory)
			opts->skipped_no_inventory[r] = true;
		if (!enabled(rule, r, farm, opts))
			continue;
		/* Data class P: without a probe the rule is not run at all, which
		 * is not a pass (the CLI marks it not run). */
		if (ctx.probe == NULL && btc_rule_needs_probe(rule))
			continue;
		if (opts && opts->exports_checked && reads_only_the_export(rule))
			continue;
		ctx.rule = rule;
		if (rule->check_export != NULL) {
			for (size_t i = 0; i < farm->n_exports; i++)
				check_export(&ctx, farm->exports[i]);
		} else if (rule->check_farm != NULL) {
			ctx.farm = &configs;
			rule->check_farm(&ctx);
			ctx.farm = farm;
		}
	}
done:
	free(kept);
	free(kept_servers);
	free(kept_decls);
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

bool btc_endpoint_same(const btc_sql_endpoint *a, const btc_sql_endpoint *b)
{
	const char *da = btc_value_usable(&a->database) ? a->database.text : "";
	const char *db = btc_value_usable(&b->database) ? b->database.text : "";
	return host_same(a->name.host, b->name.host) && btc_ieq(a->name.instance ? a->name.instance : "",
								b->name.instance ? b->name.instance : "") &&
	       btc_ieq(da, db);
}

const char *btc_endpoint_describe(char *buf, size_t n, const btc_sql_endpoint *s)
{
	const char *db = btc_value_usable(&s->database) ? s->database.text : "";
	snprintf(buf, n, "%s%s%s%s%s", s->name.host, s->name.instance ? "\\" : "",
		 s->name.instance ? s->name.instance : "", db[0] ? "/" : "", db);
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

void btc_rules_one_database(btc_check_ctx *ctx, btc_db_role role, const char *subject)
{
	const btc_farm *farm = ctx->farm;
	const btc_sql_endpoint *first = NULL;
	size_t fi = 0;
	char a[300], b[300];

	for (size_t i = 0; i < farm->n_exports; i++) {
		const btc_export *e = farm->exports[i];
		const btc_sql_endpoint *s = btc_export_endpoint(e, role);
		if (s == NULL || !btc_endpoint_named(s))
			continue;
		if (first == NULL) {
			first = s;
			fi = i;
			continue;
		}
		if (btc_endpoint_same(first, s))
			continue;
		btc_emit(ctx, BTC_SEV_NONE, e, s->server.line ? s->server.line : s->line, subject ? subject : s->id,
			 "the %s is %s on %s but %s on %s (%s:%d); every server of the group must use the one %s: "
			 "enter %s",
			 btc_db_role_name(role), btc_endpoint_describe(a, sizeof(a), s), btc_farm_export_name(farm, i),
			 btc_endpoint_describe(b, sizeof(b), first), btc_farm_export_name(farm, fi),
			 farm->exports[fi]->path, first->server.line ? first->server.line : first->line,
			 btc_db_role_name(role), b);
	}
}
