#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>

void btc_error_set(btc_error *err, int line, int column, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}
