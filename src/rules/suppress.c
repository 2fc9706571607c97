#include "rules/suppress.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

const char *btc_suppression_problem(const btc_suppression *s, char *buf, size_t n)
{
	if (s->problem != NULL) {
		snprintf(buf, n, "this btclint comment %s", s->problem);
		return buf;
	}
	for (size_t i = 0; i < s->n_rules; i++) {
		if (btc_rule_find(s->rules[i]) == NULL) {
			snprintf(buf, n, "the suppression names '%s', which is not a rule (see 'btclint rules')",
			         s->rules[i]);
			return buf;
		}
	}
	if (s->reason == NULL) {
		snprintf(buf, n,
		         "the suppression gives no reason: write it after a colon, "
		         "<!-- btclint-disable RULE: why this is acceptable -->");
		return buf;
	}
	if (!s->file_wide && s->first_line == 0) {
		snprintf(buf, n,
		         "the suppression covers nothing: no element follows it before its parent "
		         "element ends; put it right before the element it is about");
		return buf;
	}
	return NULL;
}

static bool names_rule(const btc_suppression *s, const char *rule)
{
	for (size_t i = 0; i < s->n_rules; i++) {
		if (btc_ieq(s->rules[i], rule))
			return true;
	}
	return false;
}

const char *btc_suppression_reason(const btc_export *e, const char *rule, int line)
{
	char buf[256];

	for (size_t k = 0; k < e->n_suppressions; k++) {
		const btc_suppression *s = &e->suppressions[k];
		if (!names_rule(s, rule) || btc_suppression_problem(s, buf, sizeof(buf)) != NULL)
			continue;
		if (s->file_wide || (line >= s->first_line && line <= s->last_line))
			return s->reason ? s->reason : "";
	}
	return NULL;
}
