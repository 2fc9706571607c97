/* The rule table: the single source of rule metadata. Adding a rule is one
 * entry here, one check function, one docs/rules/ID.md and its tests. */
#include "rules/prb.h"
#include "rules/rules.h"
#include "util/text.h"

const btc_rule btc_rules[] = {
	{"CFG001", BTC_SEV_ERROR, "E", "Not a BizTalk configuration export", btc_check_cfg001, NULL},
	{"CFG002", BTC_SEV_ERROR, "E", "Unfilled template value", btc_check_cfg002, NULL},
	{"CFG003", BTC_SEV_WARNING, "E", "Secret stored in the export", btc_check_cfg003, NULL},
	{"CFG004", BTC_SEV_ERROR, "E", "Question without exactly one selected answer", btc_check_cfg004, NULL},
	{"CFG005", BTC_SEV_WARNING, "E", "Invalid btclint suppression comment", btc_check_cfg005, NULL},
	{"SQL001", BTC_SEV_ERROR, "E", "Database server name is empty", btc_check_sql001, NULL},
	{"SQL002", BTC_SEV_ERROR, "E", "Database server is a local alias", btc_check_sql002, NULL},
	{"SQL003", BTC_SEV_ERROR, "E+I", "Database server is a cluster node or replica", btc_check_sql003, NULL},
	{"SQL004", BTC_SEV_ERROR, "E+I", "Database server is the Windows cluster name", btc_check_sql004, NULL},
	{"SQL005", BTC_SEV_WARNING, "E+I", "Database server not declared in the inventory", btc_check_sql005, NULL},
	{"SQL006", BTC_SEV_ERROR, "E+I", "Instance differs from the declared one", btc_check_sql006, NULL},
	{"SQL007", BTC_SEV_WARNING, "E", "Protocol prefix or port in the server name", btc_check_sql007, NULL},
	{"SQL008", BTC_SEV_WARNING, "E", "Database server is an IP address", btc_check_sql008, NULL},
	{"SQL009", BTC_SEV_WARNING, "E/F", "One database server spelled two ways", NULL, btc_check_sql009},
	{"SQL010", BTC_SEV_ERROR, "E+I", "Database server is a BizTalk server", btc_check_sql010, NULL},
	{"GRP001", BTC_SEV_ERROR, "E", "Group is local or empty", btc_check_grp001, NULL},
	{"GRP002", BTC_SEV_ERROR, "E(+I)", "Group domain is not a domain", btc_check_grp002, NULL},
	{"GRP003", BTC_SEV_WARNING, "E", "Group in UPN or DNS-domain form", btc_check_grp003, NULL},
	{"GRP004", BTC_SEV_WARNING, "E(+I)", "Group from an unexpected domain", btc_check_grp004, NULL},
	{"GRP005", BTC_SEV_ERROR, "E+L", "Group is not a domain global security group", btc_check_grp005, NULL},
	{"GRP006", BTC_SEV_WARNING, "E", "Trusted and isolated hosts share a group", btc_check_grp006, NULL},
	{"GRP007", BTC_SEV_ERROR, "F", "One group, different accounts across the farm", NULL, btc_check_grp007},
	{"ACC001", BTC_SEV_ERROR, "E(+I)", "Service account is not a domain account", btc_check_acc001, NULL},
	{"ACC002", BTC_SEV_ERROR, "E", "Service runs as a built-in account", btc_check_acc002, NULL},
	{"ACC003", BTC_SEV_ERROR, "E", "SSO service account is a gMSA", btc_check_acc003, NULL},
	{"ACC004", BTC_SEV_ERROR, "E", "One account for a trusted and an untrusted host", btc_check_acc004, NULL},
	{"SSO001", BTC_SEV_ERROR, "F", "More than one master secret server", NULL, btc_check_sso001},
	{"SSO002", BTC_SEV_ERROR, "F(+I)", "Master secret server not configured first", NULL, btc_check_sso002},
	{"SSO003", BTC_SEV_ERROR, "F", "SSO database differs across the farm", NULL, btc_check_sso003},
	{"SSO004", BTC_SEV_ERROR, "P+I", "Master secret server in SSODB is not the SSO network name", NULL, btc_check_sso004},
	{"FRM001", BTC_SEV_ERROR, "F", "BizTalk group created twice, joined early or split", NULL, btc_check_frm001},
	{"FRM002", BTC_SEV_WARNING, "F+I", "Fewer than two BizTalk runtime servers", NULL, btc_check_frm002},
	{"FRM003", BTC_SEV_WARNING, "I", "SQL Server node is also a BizTalk server", NULL, btc_check_frm003},
	{"FRM004", BTC_SEV_ERROR, "I", "SQL failover cluster with fewer than two nodes", NULL, btc_check_frm004},
	{"PRB001", BTC_SEV_ERROR, "P", "Database server does not answer", NULL, btc_check_prb001},
	{"PRB002", BTC_SEV_WARNING, "P", "Login to the database server failed", NULL, btc_check_prb002},
	{"PRB003", BTC_SEV_ERROR, "P", "Database server is neither a cluster instance nor a listener", NULL, btc_check_prb003},
	{"PRB004", BTC_SEV_ERROR, "P", "Database server name is a physical node", NULL, btc_check_prb004},
	{"PRB005", BTC_SEV_ERROR, "P", "Failover cluster reports fewer than two nodes", NULL, btc_check_prb005},
	{"PRB006", BTC_SEV_ERROR, "P", "Instance differs from the one that answers", NULL, btc_check_prb006},
	{"PRB007", BTC_SEV_ERROR, "P", "Joined database does not exist", NULL, btc_check_prb007},
	{"PRB008", BTC_SEV_WARNING, "P", "Failover cluster node is not up", NULL, btc_check_prb008},
	{"PRB009", BTC_SEV_NOTE, "P", "Probe fact could not be read", NULL, btc_check_prb009},
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
