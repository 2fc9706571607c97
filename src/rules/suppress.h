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

/* The reason of the first valid suppression of e that covers a finding of
 * rule at line: one naming the rule, file-wide or around the line. NULL when
 * none does. btc_emit asks it for every finding about an export. */
const char *btc_suppression_reason(const btc_export *e, const char *rule, int line);

#endif
