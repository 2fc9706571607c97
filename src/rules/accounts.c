/* ACC: service accounts. */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "util/text.h"

static int line_of(const btc_service *s)
{
	return s->user_name.line ? s->user_name.line : s->line;
}

static const char *id_of(const btc_service *s)
{
	return s->id ? s->id : "NTService";
}

/* "Enterprise Single Sign-On Service" reads better than a GUID. */
static const char *label_of(const btc_service *s)
{
	return s->display && s->display[0] ? s->display : id_of(s);
}

/* A service with a user name that no template placeholder hides. */
static bool judged(const btc_service *s)
{
	return btc_value_usable(&s->user_name) && !s->domain.placeholder;
}

static bool is_builtin_name(const char *name)
{
	static const char *const names[] = {"LocalSystem",   "Local System",    "LocalService",
					    "Local Service", "NetworkService", "Network Service"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (btc_ieq(name, names[i]))
			return true;
	}
	return false;
}

static bool is_builtin(const btc_account *a)
{
	if (a->form == BTC_ACCOUNT_EMPTY)
		return false;
	if (a->domain != NULL && (btc_ieq(a->domain, "NT AUTHORITY") || btc_ieq(a->domain, "NT SERVICE")))
		return true;
	return is_builtin_name(a->name);
}

/* The account as the user wrote it, for messages (never a password). */
static void describe(char *buf, size_t n, const btc_account *a)
{
	if (a->domain != NULL && a->form == BTC_ACCOUNT_UPN)
		snprintf(buf, n, "%s@%s", a->name, a->domain);
	else if (a->domain != NULL)
		snprintf(buf, n, "%s\\%s", a->domain, a->name);
	else
		snprintf(buf, n, "%s", a->name ? a->name : "");
}

void btc_check_acc001(btc_check_ctx *ctx, const btc_export *e)
{
	char who[256];

	for (size_t i = 0; i < e->n_services; i++) {
		const btc_service *s = e->services[i];
		if (!judged(s) || is_builtin(&s->account))
			continue;
		const char *why = NULL;
		if (s->account.form == BTC_ACCOUNT_BARE)
			why = "it has no domain";
		else if (s->account.form == BTC_ACCOUNT_NETBIOS)
			why = btc_rules_not_a_domain(ctx, e, s->account.domain);
		if (why == NULL)
			continue;
		describe(who, sizeof(who), &s->account);
		btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), id_of(s),
			 "the account of %s, \"%s\", is not a domain account (%s); servers of a "
			 "clustered farm need a domain account: use DOMAIN\\user",
			 label_of(s), who, why);
	}
}

void btc_check_acc002(btc_check_ctx *ctx, const btc_export *e)
{
	char who[256];

	for (size_t i = 0; i < e->n_services; i++) {
		const btc_service *s = e->services[i];
		if (!judged(s) || !is_builtin(&s->account))
			continue;
		describe(who, sizeof(who), &s->account);
		btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), id_of(s),
			 "%s runs as the built-in account \"%s\"; use a dedicated domain account",
			 label_of(s), who);
	}
}

void btc_check_acc003(btc_check_ctx *ctx, const btc_export *e)
{
	const btc_service *s = btc_export_service(e, "ENTSSO");

	if (s == NULL || !judged(s) || !s->gmsa)
		return;
	btc_emit(ctx, BTC_SEV_NONE, e, line_of(s), id_of(s),
		 "the Enterprise SSO service account is a group managed service account; SSO does not "
		 "support gMSA: use a regular domain account");
}

void btc_check_acc004(btc_check_ctx *ctx, const btc_export *e)
{
	const btc_question *trusted = btc_export_question(e, "TRUSTEDHOST");
	const btc_question *itrusted = btc_export_question(e, "TRUSTEDIHOST");
	const btc_service *host = btc_export_service(e, BTC_ID_HOST_ACCOUNT);
	const btc_service *ihost = btc_export_service(e, BTC_ID_IHOST_ACCOUNT);
	char who[256];

	if (trusted == NULL || itrusted == NULL || trusted->selected == NULL || itrusted->selected == NULL ||
	    host == NULL || ihost == NULL || !judged(host) || !judged(ihost))
		return;
	if (btc_ieq(trusted->selected, itrusted->selected) || !btc_account_eq(&host->account, &ihost->account))
		return;
	describe(who, sizeof(who), &ihost->account);
	btc_emit(ctx, BTC_SEV_NONE, e, line_of(ihost), id_of(ihost),
		 "the in-process and isolated host instances both run as \"%s\" while one host is trusted "
		 "and the other is not; use a separate account for each",
		 who);
}
