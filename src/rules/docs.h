/* The rule documentation (docs/rules/ID.md), embedded at build time so that
 * `btclint explain` and SARIF help work wherever the binary is copied. */
#ifndef BTC_RULES_DOCS_H
#define BTC_RULES_DOCS_H

#include <stddef.h>

typedef struct btc_rule_doc {
	const char *id;
	const char *markdown;
} btc_rule_doc;

extern const btc_rule_doc btc_rule_docs[];
extern const size_t btc_rule_doc_count;

/* The page for rule id (ignoring case), or NULL. */
const char *btc_rule_doc_find(const char *id);

#endif
