/* Filling in a btc_error (declared in the public header: callers of the
 * library own them). */
#ifndef BTC_UTIL_ERROR_H
#define BTC_UTIL_ERROR_H

#include <btclint/btclint.h>

void btc_error_set(btc_error *err, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
