/* Reads the exports of a farm on several threads and hands them over in
 * order, so that `check --jobs N` parses N files at a time while the rules,
 * the messages on stderr and the reports see exactly what one thread would
 * have produced. At most a few exports per thread are read ahead, so memory
 * stays bounded. */
#ifndef BTC_CLI_READER_H
#define BTC_CLI_READER_H

#include <stddef.h>

#include "btclint/btclint.h"

typedef struct btc_reader btc_reader;

/* Starts reading paths[0..n) with `jobs` threads (at least 2). The strings
 * must outlive the reader (the array is copied). NULL when out of
 * memory or no thread could start: read them one by one then. */
btc_reader *btc_reader_start(const char *const *paths, size_t n, const btc_parse_limits *limits, int jobs);
/* The next export in order, as btc_export_load() would return it: 0 and
 * *out, or -1 and err. Called at most n times. */
int btc_reader_next(btc_reader *r, btc_export **out, btc_error *err);
/* Stops the threads and frees what was read and not taken. NULL is accepted. */
void btc_reader_stop(btc_reader *r);

#endif
