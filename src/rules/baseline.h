/* Baselines: the findings an estate already had when it adopted btclint, so
 * that only new findings fail the gate.
 *
 * A finding's key is (rule, path, subject): no line, so an edit that moves
 * an element keeps it baselined, while a renamed subject (another server,
 * another account) is a new finding. Each key has a count: two identical
 * findings need two entries. The file is JSON:
 *   {"version": 1, "tool": {...}, "findings": [
 *     {"rule": "SQL002", "path": "exports/BTS01.xml", "subject": "localhost", "count": 1}]}
 * Paths are compared as btc_path_portable writes them. */
#ifndef BTC_RULES_BASELINE_H
#define BTC_RULES_BASELINE_H

#include <stddef.h>

#include "rules/rules.h"
#include "util/error.h"

typedef struct btc_baseline btc_baseline;

/* Reads a baseline file. On success *out owns it (btc_baseline_free) and 0
 * is returned; -1 with err filled when it cannot be read or is not one. */
int btc_baseline_load(btc_baseline **out, const char *path, btc_error *err);
void btc_baseline_free(btc_baseline *b);

/* Marks baselined the findings that are not suppressed inline and whose key
 * has an entry left (entries are used up in the findings' order). Returns
 * the number marked, or -1 when out of memory. */
long btc_baseline_apply(const btc_baseline *b, btc_findings *f);

/* Writes a baseline of every finding not suppressed inline (baselined ones
 * included: a rewritten baseline keeps what the old one held and is still
 * seen). 0, or -1 with err filled. */
int btc_baseline_write(const char *path, const btc_findings *f, btc_error *err);

#endif
