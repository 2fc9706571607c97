#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int order_of(const btc_farm *farm, const btc_export *e)
{
	for (size_t i = 0; i < farm->n_exports; i++) {
		if (farm->exports[i] == e)
			return (int)i;
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
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = len >= 0 ? malloc((size_t)len + 1) : NULL;
	char *subj = subject ? strdup(subject) : NULL;
	if (msg == NULL || (subject && subj == NULL)) {
		free(msg);
		free(subj);
		out->oom = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	va_end(ap);

	btc_finding *f = &out->items[out->count++];
	/* Fields added later (suppression marks, ...) must start cleared. */
	memset(f, 0, sizeof(*f));
	f->rule = ctx->rule->id;
	f->severity = sev != BTC_SEV_NONE ? sev : ctx->rule->severity;
	f->path = e ? e->path : ctx->farm->inventory_path;
	f->line = line;
	f->order = e ? order_of(ctx->all, e) : -1;
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

void btc_rules_run(btc_findings *out, const btc_farm *farm, int farm_index, const btc_run_options *opts)
{
	btc_check_ctx ctx = {.farm = farm, .all = farm, .farm_index = farm_index, .out = out};
	btc_farm configs = *farm;
	btc_export **kept = NULL;

	/* Farm rules see only the configuration exports (rules.md, "Farms"). */
	if (farm->n_exports > 0) {
		kept = malloc(farm->n_exports * sizeof(*kept));
		if (kept == NULL) {
			out->oom = true;
			return;
		}
	}
	configs.exports = kept;
	configs.n_exports = 0;
	for (size_t i = 0; i < farm->n_exports; i++) {
		if (btc_export_is_configuration(farm->exports[i]))
			kept[configs.n_exports++] = farm->exports[i];
	}

	for (size_t r = 0; r < btc_rule_count; r++) {
		const btc_rule *rule = &btc_rules[r];
		if (opts && opts->disabled && opts->disabled[r])
			continue;
		ctx.rule = rule;
		if (rule->check_export != NULL) {
			for (size_t i = 0; i < farm->n_exports; i++) {
				const btc_export *e = farm->exports[i];
				/* CFG001 judges every file; nothing else judges a
				 * file that is not a configuration export. */
				if (rule->check_export == btc_check_cfg001 || btc_export_is_configuration(e))
					rule->check_export(&ctx, e);
			}
		} else if (rule->check_farm != NULL) {
			ctx.farm = &configs;
			rule->check_farm(&ctx);
			ctx.farm = farm;
		}
	}
	free(kept);
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
