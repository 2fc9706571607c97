/* Small string helpers shared by the parser and the rules. ASCII-only case
 * folding is deliberate: IDs, machine names and keywords are ASCII. */
#ifndef BTC_UTIL_TEXT_H
#define BTC_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>

bool btc_ieq(const char *a, const char *b);
/* Both NULL, or the same bytes (case counts). */
bool btc_eq(const char *a, const char *b);
bool btc_ieqn(const char *a, size_t alen, const char *b);
bool btc_istarts(const char *s, const char *prefix);
bool btc_iends(const char *s, const char *suffix);
/* Length of the first DNS label of a host name (up to the first '.'). */
size_t btc_first_label_len(const char *host);
/* Machine names match ignoring case; a bare name matches an FQDN whose first
 * label it equals. IP literals match only themselves. */
bool btc_machine_eq(const char *a, const char *b);
bool btc_is_ipv4(const char *s);
bool btc_is_ipv6(const char *s);
/* Trims ASCII white space in place: returns the start, *len the new length. */
const char *btc_trim(const char *s, size_t *len);
/* malloc'd printf; NULL when out of memory. */
char *btc_strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
