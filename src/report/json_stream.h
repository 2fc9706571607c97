/* A JSON report whose large arrays (inputs, findings) are written element by
 * element, so that a report of many files or findings never holds them all
 * as a jansson tree (a JSON node costs several times the text it becomes). The bytes are
 * those json_dumpf(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) would write. */
#ifndef BTC_REPORT_JSON_STREAM_H
#define BTC_REPORT_JSON_STREAM_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Element i of the array: *out a new reference, or NULL to leave i out.
 * Returns 0, or -1 on failure. */
typedef int (*btc_json_item)(void *ctx, size_t i, json_t **out);

/* One array of the document, written element by element: the member `key`
 * of the object parent (inside root) is item(ctx, 0) ... item(ctx, n - 1).
 * Put the member in parent first (any value: it is replaced) so that it
 * keeps its place among the others. */
typedef struct btc_json_array {
	json_t *parent;
	const char *key;
	size_t n;
	btc_json_item item;
	void *ctx;
} btc_json_array;

/* Writes root, followed by a newline, with these arrays (at most 8, in
 * distinct places). Returns 0, or -1 when out of memory or writing failed. */
int btc_json_write_streamed(FILE *out, json_t *root, const btc_json_array *arrays, size_t n_arrays);

#endif
