/* A human message about why something could not be done, with the place in
 * the input it concerns (line and column 0 when there is none). The caller
 * owns the struct; functions that fail fill it in. */
#ifndef BTC_UTIL_ERROR_H
#define BTC_UTIL_ERROR_H

typedef struct btc_error {
	int line;
	int column;
	char message[512];
} btc_error;

void btc_error_set(btc_error *err, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
