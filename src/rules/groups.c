/* GRP: Windows groups. The seed requirement: the BizTalk and SSO groups must
 * be Active Directory domain global groups, never local ones. */
#include <stdlib.h>
#include <string.h>

#include "directory/directory.h" /* the verdict names only: rules never do I/O */
#include "rules/rules.h"
#include "util/strmap.h"
#include "util/text.h"

static const char *const group_ids[] = {
	"SSOAdminGroup",      "SSOAffiliateAdminGroup", "BTS_ADMIN_GROUP",         "BTS_OPERATOR_GROUP",
	"BTS_B2B_OPERATOR_GROUP", "BTS_READONLY_USER_GROUP", "BTS_HOST_GROUP",     "BTS_IHOST_GROUP",
};

/* A group account rules.md judges: one of the role IDs, not a placeholder. */
static bool judged(const btc_group *g)
{
	if (g->id == NULL || g->account.placeholder)
		return false;
	for (size_t i = 0; i < sizeof(group_ids) / sizeof(group_ids[0]); i++) {
		if (btc_ieq(g->id, group_ids[i]))
			return true;
	}
	return false;
}

static int line_of(const btc_group *g)
{
	return g->account.line ? g->account.line : g->line;
}

void btc_check_grp001(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_groups; i++) {
		const btc_group *g = e->groups[i];
		if (!judged(g))
			continue;
		if (g->parsed.form == BTC_ACCOUNT_EMPTY)
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(g), g->id,
				 "no group is given for %s; name an Active Directory domain global group "
				 "as DOMAIN\\Group",
				 g->id);
		else if (g->parsed.form == BTC_ACCOUNT_BARE)
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(g), g->id,
				 "%s is \"%s\", a local group (no domain part); a clustered SQL Server or SSO "
				 "cannot use local groups: use an Active Directory domain global group, "
				 "DOMAIN\\%s",
				 g->id, g->account.text, g->parsed.name);
	}
}

void btc_check_grp002(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_groups; i++) {
		const btc_group *g = e->groups[i];
		if (!judged(g) || g->parsed.form != BTC_ACCOUNT_NETBIOS)
			continue;
		const char *why = btc_rules_not_a_domain(ctx, e, g->parsed.domain);
		if (why != NULL)
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(g), g->id,
				 "%s is \"%s\", but \"%s\" is not a domain (%s); use an Active Directory domain "
				 "global group",
				 g->id, g->account.text, g->parsed.domain, why);
	}
}

void btc_check_grp003(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_groups; i++) {
		const btc_group *g = e->groups[i];
		if (!judged(g))
			continue;
		if (g->parsed.form == BTC_ACCOUNT_UPN || g->parsed.form == BTC_ACCOUNT_DNS)
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(g), g->id,
				 "%s is \"%s\", in %s form; the Configuration wizard supports only "
				 "NETBIOSDOMAIN\\Group",
				 g->id, g->account.text, g->parsed.form == BTC_ACCOUNT_UPN ? "UPN" : "DNS-domain");
	}
}

/* GRP004 compares NETBIOS\Name accounts that no other GRP rule reported. */
static bool grp004_candidate(const btc_check_ctx *ctx, const btc_export *e, const btc_group *g)
{
	return judged(g) && g->parsed.form == BTC_ACCOUNT_NETBIOS &&
	       btc_rules_not_a_domain(ctx, e, g->parsed.domain) == NULL;
}

/* The domain most used by the export's group accounts; on a tie, the one
 * that comes first in the file. */
static const char *majority_domain(const btc_check_ctx *ctx, const btc_export *e)
{
	const char *best = NULL;
	size_t best_count = 0;

	for (size_t i = 0; i < e->n_groups; i++) {
		const btc_group *g = e->groups[i];
		if (!grp004_candidate(ctx, e, g))
			continue;
		size_t count = 0;
		for (size_t j = 0; j < e->n_groups; j++) {
			if (grp004_candidate(ctx, e, e->groups[j]) &&
			    btc_ieq(e->groups[j]->parsed.domain, g->parsed.domain))
				count++;
		}
		if (count > best_count) {
			best = g->parsed.domain;
			best_count = count;
		}
	}
	return best;
}

void btc_check_grp004(btc_check_ctx *ctx, const btc_export *e)
{
	const char *expected = ctx->farm->domain;
	const char *source = "the inventory's domain";

	if (expected == NULL) {
		expected = majority_domain(ctx, e);
		source = "the domain of most groups in this export";
	}
	if (expected == NULL)
		return;
	for (size_t i = 0; i < e->n_groups; i++) {
		const btc_group *g = e->groups[i];
		if (grp004_candidate(ctx, e, g) && !btc_ieq(g->parsed.domain, expected))
			btc_emit(ctx, BTC_SEV_NONE, e, line_of(g), g->id,
				 "%s is in domain \"%s\", but %s is \"%s\"; BizTalk groups should come from the "
				 "domain that holds the farm's accounts",
				 g->id, g->parsed.domain, source, expected);
	}
}

void btc_check_grp006(btc_check_ctx *ctx, const btc_export *e)
{
	const btc_group *host = btc_export_group(e, "BTS_HOST_GROUP");
	const btc_group *ihost = btc_export_group(e, "BTS_IHOST_GROUP");

	if (host == NULL || ihost == NULL || !btc_value_usable(&host->account) ||
	    !btc_value_usable(&ihost->account))
		return;
	if (btc_ieq(host->account.text, ihost->account.text))
		btc_emit(ctx, BTC_SEV_NONE, e, line_of(ihost), ihost->id,
			 "BTS_HOST_GROUP and BTS_IHOST_GROUP are both \"%s\"; give in-process (trusted) and "
			 "isolated hosts separate groups",
			 ihost->account.text);
}

/* GRP007: the first usable account of each group ID, in configuration
 * order, kept in ctx->keep. */
typedef struct first_group {
	const char *text;   /* the account as written */
	btc_account parsed;
	btc_farm_entry at;  /* its export */
	int line;
} first_group;

static bool same_account(const first_group *a, const btc_group *b)
{
	/* Parsed forms compare DOMAIN\Name ignoring case; fall back to the text. */
	if (a->parsed.form != BTC_ACCOUNT_EMPTY && b->parsed.form != BTC_ACCOUNT_EMPTY)
		return btc_account_eq(&a->parsed, &b->parsed);
	return btc_ieq(a->text, b->account.text);
}

static first_group *keep_first(btc_check_ctx *ctx, const btc_group *g)
{
	first_group *f = btc_arena_alloc(ctx->keep, sizeof(*f));
	if (f == NULL)
		return NULL;
	*f = (first_group){.text = btc_rules_keep(ctx, g->account.text),
			   .parsed = {.form = g->parsed.form,
				      .domain = btc_rules_keep(ctx, g->parsed.domain),
				      .name = btc_rules_keep(ctx, g->parsed.name)},
			   .at = *ctx->entry,
			   .line = line_of(g)};
	return ctx->out->oom ? NULL : f;
}

static void grp007_feed(btc_check_ctx *ctx, void *state, const btc_export *e)
{
	btc_strmap *first = state;

	for (size_t j = 0; j < e->n_groups; j++) {
		const btc_group *g = e->groups[j];
		if (!judged(g) || !btc_value_usable(&g->account))
			continue;
		const first_group *f = btc_strmap_get(first, g->id, strlen(g->id));
		if (f == NULL) {
			first_group *kept = keep_first(ctx, g);
			const char *key = btc_rules_keep(ctx, g->id);
			if (kept == NULL || key == NULL || btc_strmap_put(first, key, strlen(key), kept) < 0)
				ctx->out->oom = true;
			continue;
		}
		if (f->at.order == ctx->entry->order || same_account(f, g))
			continue;
		btc_emit(ctx, BTC_SEV_NONE, e, line_of(g), g->id,
			 "%s is \"%s\" on %s but \"%s\" on %s (%s:%d), configured first; every server of the "
			 "group must name the same group: use \"%s\"",
			 g->id, g->account.text, ctx->entry->name, f->text, f->at.name, f->at.path, f->line, f->text);
	}
}

static void grp007_finish(btc_check_ctx *ctx, void *state)
{
	(void)ctx;
	btc_strmap_free(state);
}

const btc_farm_stream btc_stream_grp007 = {sizeof(btc_strmap), grp007_feed, grp007_finish};

/* ---- GRP005: the directory's verdict (facts gathered before the run) ---- */

/* Why a judged account is not looked up, or NULL when it is a NETBIOS\Name
 * account that GRP001-GRP003 leave alone (then the domain decides). */
static const char *not_lookup_form(const btc_check_ctx *ctx, const btc_export *e, const btc_group *g)
{
	switch (g->parsed.form) {
	case BTC_ACCOUNT_BARE: return "local group (GRP001)";
	case BTC_ACCOUNT_UPN: return "UPN form (GRP003)";
	case BTC_ACCOUNT_DNS: return "DNS-domain form (GRP003)";
	case BTC_ACCOUNT_EMPTY: return "empty";
	case BTC_ACCOUNT_NETBIOS: break;
	}
	if (btc_rules_not_a_domain(ctx, e, g->parsed.domain) != NULL)
		return "not a domain (GRP002)";
	return NULL;
}

/* The farm's domain for the lookup: the inventory's, else the NetBIOS domain
 * most used by the group accounts of its configuration exports (the first
 * in configuration order on a tie), as GRP004 votes per export. */
static const char *farm_domain(const btc_check_ctx *ctx)
{
	const btc_farm *farm = ctx->farm;
	const char *best = NULL;
	size_t best_count = 0;

	if (farm->domain != NULL)
		return farm->domain;
	for (size_t i = 0; i < farm->n_exports; i++) {
		const btc_export *e = farm->exports[i];
		if (!btc_export_is_configuration(e))
			continue;
		for (size_t j = 0; j < e->n_groups; j++) {
			const btc_group *g = e->groups[j];
			if (!judged(g) || not_lookup_form(ctx, e, g) != NULL || btc_ieq(g->parsed.domain, best))
				continue;
			size_t count = 0;
			for (size_t a = 0; a < farm->n_exports; a++) {
				const btc_export *ea = farm->exports[a];
				if (!btc_export_is_configuration(ea))
					continue;
				for (size_t b = 0; b < ea->n_groups; b++) {
					const btc_group *gb = ea->groups[b];
					if (judged(gb) && not_lookup_form(ctx, ea, gb) == NULL &&
					    btc_ieq(gb->parsed.domain, g->parsed.domain))
						count++;
				}
			}
			if (count > best_count) {
				best = g->parsed.domain;
				best_count = count;
			}
		}
	}
	return best;
}

static btc_farm_directory_group *find_directory_group(const btc_farm_directory *d, const btc_account *a)
{
	for (size_t i = 0; i < d->n_groups; i++) {
		if (btc_ieq(d->groups[i].domain, a->domain) && btc_ieq(d->groups[i].name, a->name))
			return &d->groups[i];
	}
	return NULL;
}

int btc_rules_directory_plan(btc_farm_directory *out, const btc_farm *farm)
{
	btc_check_ctx ctx = {.farm = farm, .all = farm};
	size_t total = 0;

	out->groups = NULL;
	out->n_groups = 0;
	out->domain = farm_domain(&ctx);
	out->domain_from_inventory = farm->domain != NULL;
	for (size_t i = 0; i < farm->n_exports; i++)
		total += farm->exports[i]->n_groups;
	if (total == 0)
		return 0;
	out->groups = calloc(total, sizeof(*out->groups));
	if (out->groups == NULL)
		return -1;
	for (size_t i = 0; i < farm->n_exports; i++) {
		const btc_export *e = farm->exports[i];
		if (!btc_export_is_configuration(e))
			continue;
		for (size_t j = 0; j < e->n_groups; j++) {
			const btc_group *g = e->groups[j];
			if (!judged(g) || g->parsed.form == BTC_ACCOUNT_EMPTY ||
			    find_directory_group(out, &g->parsed) != NULL)
				continue;
			btc_farm_directory_group *d = &out->groups[out->n_groups++];
			d->account = g->account.text;
			d->domain = g->parsed.domain;
			d->name = g->parsed.name;
			d->not_checked = not_lookup_form(&ctx, e, g);
			/* Another domain's group would be searched in this
			 * domain's directory: a namesake could pass for it. */
			if (d->not_checked == NULL && !btc_ieq(d->domain, out->domain))
				d->not_checked = "another domain";
		}
	}
	return 0;
}

void btc_check_grp005(btc_check_ctx *ctx, const btc_export *e)
{
	const btc_farm_directory *dir = ctx->farm->directory;

	/* No directory, or one that could not be used: no verdicts. */
	if (dir == NULL || dir->error != NULL)
		return;
	for (size_t i = 0; i < e->n_groups; i++) {
		const btc_group *g = e->groups[i];
		if (!judged(g) || g->parsed.form != BTC_ACCOUNT_NETBIOS)
			continue;
		const btc_farm_directory_group *d = find_directory_group(dir, &g->parsed);
		if (d == NULL || !d->checked)
			continue;
		int line = line_of(g);
		switch ((btc_directory_verdict)d->verdict) {
		case BTC_DIRECTORY_GLOBAL_SECURITY: break;
		case BTC_DIRECTORY_NOT_FOUND:
			btc_emit(ctx, BTC_SEV_NONE, e, line, g->id,
				 "%s is \"%s\", but the directory has no object with sAMAccountName \"%s\" under %s; "
				 "create it as a global security group, or name an existing one",
				 g->id, g->account.text, g->parsed.name, dir->base ? dir->base : "the base DN");
			break;
		case BTC_DIRECTORY_NOT_A_GROUP:
			btc_emit(ctx, BTC_SEV_NONE, e, line, g->id,
				 "%s is \"%s\", but in the directory that name belongs to %s, which is not a group; "
				 "name a global security group",
				 g->id, g->account.text, d->dn ? d->dn : "an object");
			break;
		case BTC_DIRECTORY_DISTRIBUTION:
			btc_emit(ctx, BTC_SEV_NONE, e, line, g->id,
				 "%s is \"%s\", a distribution group (%s, groupType %lld): it cannot grant rights; "
				 "make it a security group with global scope",
				 g->id, g->account.text, d->dn ? d->dn : "?", d->has_group_type ? d->group_type : 0LL);
			break;
		case BTC_DIRECTORY_DOMAIN_LOCAL:
			btc_emit(ctx, BTC_SEV_NONE, e, line, g->id,
				 "%s is \"%s\", a domain-local group (%s, groupType %lld); clustering the BizTalk "
				 "databases needs Active Directory domain global groups: convert it to global "
				 "(through universal) or name a global security group",
				 g->id, g->account.text, d->dn ? d->dn : "?", d->group_type);
			break;
		case BTC_DIRECTORY_UNKNOWN_SCOPE:
			btc_emit(ctx, BTC_SEV_NONE, e, line, g->id,
				 "%s is \"%s\", a security group with no scope bit (%s, groupType %lld), so not a "
				 "global group; set its scope to global",
				 g->id, g->account.text, d->dn ? d->dn : "?", d->group_type);
			break;
		case BTC_DIRECTORY_UNIVERSAL_SECURITY:
			btc_emit(ctx, BTC_SEV_WARNING, e, line, g->id,
				 "%s is \"%s\", a universal security group (%s); the documentation asks for domain "
				 "global groups: convert it to global scope",
				 g->id, g->account.text, d->dn ? d->dn : "?");
			break;
		}
	}
}
