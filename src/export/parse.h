/* Reading an export file into the model. */
#ifndef BTC_EXPORT_PARSE_H
#define BTC_EXPORT_PARSE_H

#include <stddef.h>

#include "export/model.h"
#include "util/error.h"

#define BTC_DEFAULT_MAX_SIZE ((size_t)16 * 1024 * 1024)
#define BTC_MAX_DEPTH 256

typedef struct btc_parse_limits {
	size_t max_size; /* bytes; 0 means BTC_DEFAULT_MAX_SIZE */
	int max_depth;   /* elements; 0 means BTC_MAX_DEPTH */
} btc_parse_limits;

/* Parses the export at path. On success *out owns a new export (free it with
 * btc_export_free) and 0 is returned. On failure returns -1 and fills err:
 * unreadable, not well-formed, a document type declaration, or over a limit.
 * The parser never touches the network and never expands entities. */
int btc_export_load(btc_export **out, const char *path, const btc_parse_limits *limits, btc_error *err);
/* The same for a buffer already in memory (fuzzing, tests); path names it. */
int btc_export_parse_memory(btc_export **out, const char *path, const char *data, size_t len,
			    const btc_parse_limits *limits, btc_error *err);
void btc_export_free(btc_export *e);

#endif
