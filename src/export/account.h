/* A Windows account or group as written in an export. */
#ifndef BTC_EXPORT_ACCOUNT_H
#define BTC_EXPORT_ACCOUNT_H

#include "util/arena.h"

typedef enum btc_account_form {
	BTC_ACCOUNT_EMPTY = 0,
	BTC_ACCOUNT_BARE,    /* Name: no domain part (a local account or group) */
	BTC_ACCOUNT_NETBIOS, /* DOMAIN\Name */
	BTC_ACCOUNT_DNS,     /* contoso.com\Name */
	BTC_ACCOUNT_UPN,     /* name@contoso.com */
} btc_account_form;

typedef struct btc_account {
	btc_account_form form;
	const char *domain; /* NULL for BARE and EMPTY; the DNS suffix for UPN */
	const char *name;   /* NULL for EMPTY */
} btc_account;

/* Parses a single account string ("DOMAIN\user", "user@dns", "user").
 * Returns 0, or -1 when out of memory. */
int btc_account_parse(btc_account *out, const char *s, btc_arena *arena);
/* Combines a UserName and a Domain the way the wizard does: a UserName that
 * already holds DOMAIN\user or user@dns wins; otherwise Domain\UserName. */
int btc_account_parse_pair(btc_account *out, const char *user, const char *domain, btc_arena *arena);
/* Account equality ignoring case ("CONTOSO\svc" = "contoso\SVC"). */
int btc_account_eq(const btc_account *a, const btc_account *b);

#endif
