/* Reads exports on several threads and hands them over in order, so that
 * `check --jobs N` parses N files at a time while the rules, the messages on
 * stderr and the reports see exactly what one thread would have produced.
 * At most a few exports per thread are read ahead, and a large file only
 * when it is next, so memory stays bounded; the threads live for the whole
 * run, farm after farm. */
#ifndef BTC_CLI_READER_H
#define BTC_CLI_READER_H

#include <stddef.h>

#include "btclint/btclint.h"

typedef struct btc_reader btc_reader;

/* Starts `jobs` threads (at least 2) that wait for paths. NULL when out of
 * memory or no thread could start: read the exports one by one then. */
btc_reader *btc_reader_start(const btc_parse_limits *limits, int jobs);
/* The next exports to read, in order, after those added before. The strings
 * must outlive the reader (the array is copied). Returns 0, or -1 when out
 * of memory. */
int btc_reader_add(btc_reader *r, const char *const *paths, size_t n);
/* The next export added, in order, as btc_export_load() would return it: 0
 * and *out, or -1 and err. Called once per path added. */
int btc_reader_next(btc_reader *r, btc_export **out, btc_error *err);
/* Stops the threads and frees what was read and not taken. NULL is accepted. */
void btc_reader_stop(btc_reader *r);

#endif
