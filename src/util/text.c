#include "util/text.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

bool btc_ieq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

bool btc_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

bool btc_ieqn(const char *a, size_t alen, const char *b)
{
	size_t i = 0;
	for (; i < alen; i++) {
		if (b[i] == '\0' || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	}
	return b[i] == '\0';
}

bool btc_istarts(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++) {
		if (lower((unsigned char)*s) != lower((unsigned char)*prefix))
			return false;
	}
	return true;
}

bool btc_iends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && btc_ieq(s + n - m, suffix);
}

size_t btc_first_label_len(const char *host)
{
	const char *dot = strchr(host, '.');
	return dot ? (size_t)(dot - host) : strlen(host);
}

/* Both are called for every name a rule compares (GRP002, GRP004, ACC001):
 * a cheap look at the characters first keeps inet_pton for real candidates. */
bool btc_is_ipv4(const char *s)
{
	struct in_addr a;
	return s[0] >= '0' && s[0] <= '9' && inet_pton(AF_INET, s, &a) == 1;
}

bool btc_is_ipv6(const char *s)
{
	struct in6_addr a;
	return strchr(s, ':') != NULL && inet_pton(AF_INET6, s, &a) == 1;
}

bool btc_machine_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL || *a == '\0' || *b == '\0')
		return false;
	if (btc_is_ipv4(a) || btc_is_ipv6(a) || btc_is_ipv4(b) || btc_is_ipv6(b))
		return btc_ieq(a, b);
	size_t la = btc_first_label_len(a), lb = btc_first_label_len(b);
	if (la != lb)
		return false;
	/* Two FQDNs must agree in full; a bare name matches on the first label. */
	if (a[la] == '.' && b[lb] == '.')
		return btc_ieq(a, b);
	for (size_t i = 0; i < la; i++) {
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	}
	return true;
}

const char *btc_trim(const char *s, size_t *len)
{
	size_t n = *len;
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	*len = n;
	return s;
}

char *btc_strfmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *out = malloc((size_t)n + 1);
	if (out == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(out, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return out;
}
