/* CFG: the file itself. */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "rules/suppress.h"
#include "util/text.h"

void btc_check_cfg001(btc_check_ctx *ctx, const btc_export *e)
{
	if (btc_export_is_configuration(e))
		return;
	if (e->root == NULL || strcmp(e->root, "Configuration") != 0) {
		btc_emit(ctx, BTC_SEV_NONE, e, e->root_line, e->root,
			 "the root element is <%s>, not <Configuration>: this is not a BizTalk configuration export",
			 e->root ? e->root : "?");
	} else if (e->n_installed_features > 0) {
		btc_emit(ctx, BTC_SEV_NONE, e, e->root_line, "InstalledFeature",
			 "this is a silent-install feature list (setup.exe /S), not a configuration export: "
			 "its Features are empty and it lists %zu InstalledFeature entries; "
			 "export the configuration with the BizTalk Configuration tool instead",
			 e->n_installed_features);
	} else {
		btc_emit(ctx, BTC_SEV_NONE, e, e->root_line, "Configuration",
			 "no <Feature> has any settings: this is not a configuration export; "
			 "export the configuration with the BizTalk Configuration tool");
	}
}

/* Secret-bearing values: their text never appears in a message. */
static bool is_secret_element(const btc_value_ref *r)
{
	if (strcmp(r->element, "Password") == 0)
		return true;
	return strcmp(r->element, "Value") == 0 && r->block_id != NULL &&
	       (btc_iends(r->block_id, "_PASSWORD") || btc_iends(r->block_id, "_PASSWORD_CONFIRM"));
}

void btc_check_cfg002(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_values; i++) {
		const btc_value_ref *r = &e->values[i];
		if (!r->value->placeholder)
			continue;
		const char *where = r->block_id ? r->block_id : r->block;
		if (is_secret_element(r)) {
			btc_emit(ctx, BTC_SEV_NONE, e, r->value->line, where,
				 "<%s> of %s %s is an unfilled template placeholder; fill in the real value "
				 "before configuring (the value is not shown)",
				 r->element, r->block, where);
		} else {
			btc_emit(ctx, BTC_SEV_NONE, e, r->value->line, where,
				 "<%s> of %s %s is an unfilled template placeholder \"%s\"; the wizard would use "
				 "the literal text: replace it with the real value",
				 r->element, r->block, where, r->value->text);
		}
	}
}

static bool only_stars(const char *s)
{
	for (; *s; s++) {
		if (*s != '*')
			return false;
	}
	return true;
}

void btc_check_cfg003(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_values; i++) {
		const btc_value_ref *r = &e->values[i];
		const btc_value *v = r->value;
		if (!is_secret_element(r) || !btc_value_usable(v) || only_stars(v->text))
			continue;
		const char *where = r->block_id ? r->block_id : r->block;
		btc_emit(ctx, BTC_SEV_NONE, e, v->line, where,
			 "a secret is stored in <%s> of %s %s (value not shown); remove it from the export "
			 "and give it at configuration time, then change the password",
			 r->element, r->block, where);
	}
}

void btc_check_cfg004(btc_check_ctx *ctx, const btc_export *e)
{
	for (size_t i = 0; i < e->n_questions; i++) {
		const btc_question *q = &e->questions[i];
		const char *id = q->id ? q->id : "(no ID)";
		if (q->selected_count == 0)
			btc_emit(ctx, BTC_SEV_NONE, e, q->line, id,
				 "question %s has no answer with Selected=\"Yes\"; select exactly one answer", id);
		else if (q->selected_count > 1)
			btc_emit(ctx, BTC_SEV_NONE, e, q->line, id,
				 "question %s has %d answers with Selected=\"Yes\"; select exactly one answer", id,
				 q->selected_count);
	}
}

/* CFG005: a btclint comment that cannot be used is reported rather than
 * silently ignored, or a typo in a rule ID would pass the gate unnoticed. */
void btc_check_cfg005(btc_check_ctx *ctx, const btc_export *e)
{
	char why[256];
	char subject[128];

	for (size_t i = 0; i < e->n_suppressions; i++) {
		const btc_suppression *s = &e->suppressions[i];
		if (btc_suppression_problem(s, why, sizeof(why)) == NULL)
			continue;
		/* The rules it names, as written: stable across moved lines. */
		size_t n = 0;
		subject[0] = '\0';
		for (size_t k = 0; k < s->n_rules && n + 1 < sizeof(subject); k++) {
			int w = snprintf(subject + n, sizeof(subject) - n, "%s%s", k ? "," : "", s->rules[k]);
			if (w < 0)
				break;
			n += (size_t)w;
		}
		btc_emit(ctx, BTC_SEV_NONE, e, s->line, s->n_rules ? subject : "btclint-disable",
			 "%s; it suppresses nothing", why);
	}
}
