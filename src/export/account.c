#include "export/account.h"

#include <string.h>

#include "util/text.h"

int btc_account_parse(btc_account *out, const char *s, btc_arena *arena)
{
	memset(out, 0, sizeof(*out));
	if (s == NULL || *s == '\0')
		return 0;

	const char *slash = strchr(s, '\\');
	const char *at = strrchr(s, '@');
	if (slash != NULL) {
		out->domain = btc_arena_strndup(arena, s, (size_t)(slash - s));
		out->name = btc_arena_strdup(arena, slash + 1);
		if (out->domain == NULL || out->name == NULL)
			return -1;
		/* A dot in the domain part means a DNS name, except the lone "."
		 * that stands for the local machine. */
		out->form = (strchr(out->domain, '.') != NULL && strcmp(out->domain, ".") != 0)
				    ? BTC_ACCOUNT_DNS
				    : BTC_ACCOUNT_NETBIOS;
		return 0;
	}
	if (at != NULL && at != s && at[1] != '\0') {
		out->name = btc_arena_strndup(arena, s, (size_t)(at - s));
		out->domain = btc_arena_strdup(arena, at + 1);
		if (out->domain == NULL || out->name == NULL)
			return -1;
		out->form = BTC_ACCOUNT_UPN;
		return 0;
	}
	out->name = btc_arena_strdup(arena, s);
	if (out->name == NULL)
		return -1;
	out->form = BTC_ACCOUNT_BARE;
	return 0;
}

int btc_account_parse_pair(btc_account *out, const char *user, const char *domain, btc_arena *arena)
{
	if (user == NULL || *user == '\0' || strchr(user, '\\') != NULL || strchr(user, '@') != NULL ||
	    domain == NULL || *domain == '\0')
		return btc_account_parse(out, user, arena);

	char *joined = btc_arena_alloc(arena, strlen(domain) + strlen(user) + 2);
	if (joined == NULL)
		return -1;
	strcpy(joined, domain);
	strcat(joined, "\\");
	strcat(joined, user);
	return btc_account_parse(out, joined, arena);
}

int btc_account_eq(const btc_account *a, const btc_account *b)
{
	if (a->form == BTC_ACCOUNT_EMPTY || b->form == BTC_ACCOUNT_EMPTY)
		return 0;
	return btc_ieq(a->name, b->name) && btc_ieq(a->domain, b->domain);
}
