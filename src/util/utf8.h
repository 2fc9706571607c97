/* Text from outside (file names, messages) made safe for formats that only
 * carry valid UTF-8 or XML characters. */
#ifndef BTC_UTIL_UTF8_H
#define BTC_UTIL_UTF8_H

#include <stdbool.h>

/* A malloc'd copy of s where each byte that does not start a valid UTF-8
 * sequence becomes U+FFFD; with xml, so do the control characters XML 1.0
 * cannot carry (all below 0x20 but tab, newline, carriage return). NULL when
 * out of memory. */
char *btc_utf8_clean(const char *s, bool xml);

#endif
