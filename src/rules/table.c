/* The rule table: the single source of rule metadata. Adding a rule is one
 * entry here, one check function, one docs/rules/ID.md and its tests. */
#include "rules/rules.h"
#include "util/text.h"

const btc_rule btc_rules[] = {
	{"CFG001", BTC_SEV_ERROR, "E", "Not a BizTalk configuration export", btc_check_cfg001, NULL},
	{"CFG002", BTC_SEV_ERROR, "E", "Unfilled template value", btc_check_cfg002, NULL},
	{"CFG003", BTC_SEV_WARNING, "E", "Secret stored in the export", btc_check_cfg003, NULL},
	{"CFG004", BTC_SEV_ERROR, "E", "Question without exactly one selected answer", btc_check_cfg004, NULL},
	{"SQL001", BTC_SEV_ERROR, "E", "Database server name is empty", btc_check_sql001, NULL},
	{"SQL002", BTC_SEV_ERROR, "E", "Database server is a local alias", btc_check_sql002, NULL},
	{"SQL007", BTC_SEV_WARNING, "E", "Protocol prefix or port in the server name", btc_check_sql007, NULL},
	{"SQL008", BTC_SEV_WARNING, "E", "Database server is an IP address", btc_check_sql008, NULL},
	{"SQL009", BTC_SEV_WARNING, "E/F", "One database server spelled two ways", NULL, btc_check_sql009},
	{"GRP001", BTC_SEV_ERROR, "E", "Group is local or empty", btc_check_grp001, NULL},
	{"GRP002", BTC_SEV_ERROR, "E(+I)", "Group domain is not a domain", btc_check_grp002, NULL},
	{"GRP003", BTC_SEV_WARNING, "E", "Group in UPN or DNS-domain form", btc_check_grp003, NULL},
	{"GRP004", BTC_SEV_WARNING, "E(+I)", "Group from an unexpected domain", btc_check_grp004, NULL},
	{"GRP006", BTC_SEV_WARNING, "E", "Trusted and isolated hosts share a group", btc_check_grp006, NULL},
	{"ACC001", BTC_SEV_ERROR, "E(+I)", "Service account is not a domain account", btc_check_acc001, NULL},
	{"ACC002", BTC_SEV_ERROR, "E", "Service runs as a built-in account", btc_check_acc002, NULL},
	{"ACC003", BTC_SEV_ERROR, "E", "SSO service account is a gMSA", btc_check_acc003, NULL},
	{"ACC004", BTC_SEV_ERROR, "E", "One account for a trusted and an untrusted host", btc_check_acc004, NULL},
};

const size_t btc_rule_count = sizeof(btc_rules) / sizeof(btc_rules[0]);

const btc_rule *btc_rule_find(const char *id)
{
	for (size_t i = 0; i < btc_rule_count; i++) {
		if (btc_ieq(btc_rules[i].id, id))
			return &btc_rules[i];
	}
	return NULL;
}
