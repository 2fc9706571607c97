#include "export/model.h"

#include <string.h>

#include "util/text.h"

const char *btc_db_role_name(btc_db_role role)
{
	switch (role) {
	case BTC_DB_SSO: return "SSO database";
	case BTC_DB_MANAGEMENT: return "Management database";
	case BTC_DB_MESSAGEBOX: return "MessageBox database";
	case BTC_DB_TRACKING: return "Tracking database";
	case BTC_DB_RULE_ENGINE: return "Rule Engine database";
	case BTC_DB_BAM_PRIMARY_IMPORT: return "BAM Primary Import database";
	case BTC_DB_BAM_ARCHIVE: return "BAM Archive database";
	case BTC_DB_BAM_STAR_SCHEMA: return "BAM Star Schema database";
	case BTC_DB_BAM_ANALYSIS: return "BAM Analysis database";
	case BTC_DB_BAM_ALERTS: return "BAM Alerts SQL server";
	case BTC_DB_OTHER: break;
	}
	return "database";
}

const btc_question *btc_export_question(const btc_export *e, const char *id)
{
	for (size_t i = 0; i < e->n_questions; i++) {
		if (btc_ieq(e->questions[i].id, id))
			return &e->questions[i];
	}
	return NULL;
}

const btc_group *btc_export_group(const btc_export *e, const char *id)
{
	for (size_t i = 0; i < e->n_groups; i++) {
		if (btc_ieq(e->groups[i]->id, id))
			return e->groups[i];
	}
	return NULL;
}

const btc_service *btc_export_service(const btc_export *e, const char *id)
{
	for (size_t i = 0; i < e->n_services; i++) {
		if (btc_ieq(e->services[i]->id, id))
			return e->services[i];
	}
	return NULL;
}

const btc_sql_endpoint *btc_export_endpoint(const btc_export *e, btc_db_role role)
{
	for (size_t i = 0; i < e->n_endpoints; i++) {
		if (e->endpoints[i]->role == role)
			return e->endpoints[i];
	}
	return NULL;
}

void btc_export_drop_scratch(btc_export *e)
{
	btc_arena_free(&e->scratch);
	e->services = NULL;
	e->n_services = e->cap_services = 0;
	e->named = NULL;
	e->n_named = e->cap_named = 0;
	e->values = NULL;
	e->n_values = e->cap_values = 0;
}

static bool answered_yes(const btc_export *e, const char *id)
{
	const btc_question *q = btc_export_question(e, id);
	return q != NULL && q->selected != NULL && btc_ieq(q->selected, "Yes");
}

bool btc_export_is_runtime(const btc_export *e)
{
	return answered_yes(e, "HOST") || answered_yes(e, "ISOHOST");
}

/* True when open occurs in s and close occurs after it. */
static bool has_pair(const char *s, const char *open, const char *close)
{
	const char *o = strstr(s, open);
	return o != NULL && strstr(o + strlen(open), close) != NULL;
}

bool btc_is_placeholder(const char *text)
{
	if (text == NULL)
		return false;
	while (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n')
		text++;
	return has_pair(text, "{{", "}}") || has_pair(text, "%%", "%%") || has_pair(text, "${", "}") ||
	       has_pair(text, "$(", ")") || has_pair(text, "<%", "%>") || btc_istarts(text, "Enter your") ||
	       btc_istarts(text, "Enter the");
}
