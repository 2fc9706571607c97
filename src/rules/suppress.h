/* Inline suppressions: btclint comments in an export (btc_suppression) hide
 * the findings they cover. A suppression hides nothing unless it is valid:
 * it names only known rules, gives a reason, and covers an element or the
 * file. CFG005 reports the others. */
#ifndef BTC_RULES_SUPPRESS_H
#define BTC_RULES_SUPPRESS_H

#include <stddef.h>

#include "export/model.h"
#include "rules/rules.h"

/* Why s cannot be used, written into buf (n bytes), or NULL when it is valid. */
const char *btc_suppression_problem(const btc_suppression *s, char *buf, size_t n);

/* Marks suppressed the findings about e (f->path is e->path) that a valid
 * suppression of e covers: its rule, and the finding's line in the covered
 * element (any line, or none, for a file-wide one). */
void btc_suppressions_apply(btc_findings *f, const btc_export *e);

#endif
