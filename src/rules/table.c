/* The rule table: the single source of rule metadata. Adding a rule is one
 * entry here, one check function, one docs/rules/ID.md and its tests. */
#include "rules/prb.h"
#include "rules/rules.h"
#include "util/text.h"

const btc_rule btc_rules[] = {
	{"CFG001", BTC_SEV_ERROR, "E", "Not a BizTalk configuration export", btc_check_cfg001, NULL, NULL},
	{"CFG002", BTC_SEV_ERROR, "E", "Unfilled template value", btc_check_cfg002, NULL, NULL},
	{"CFG003", BTC_SEV_WARNING, "E", "Secret stored in the export", btc_check_cfg003, NULL, NULL},
	{"CFG004", BTC_SEV_ERROR, "E", "Question without exactly one selected answer", btc_check_cfg004, NULL, NULL},
	{"CFG005", BTC_SEV_WARNING, "E", "Invalid btclint suppression comment", btc_check_cfg005, NULL, NULL},
	{"SQL001", BTC_SEV_ERROR, "E", "Database server name is empty", btc_check_sql001, NULL, NULL},
	{"SQL002", BTC_SEV_ERROR, "E", "Database server is a local alias", btc_check_sql002, NULL, NULL},
	{"SQL003", BTC_SEV_ERROR, "E+I", "Database server is a cluster node or replica", btc_check_sql003, NULL, NULL},
	{"SQL004", BTC_SEV_ERROR, "E+I", "Database server is the Windows cluster name", btc_check_sql004, NULL, NULL},
	{"SQL005", BTC_SEV_WARNING, "E+I", "Database server not declared in the inventory", btc_check_sql005, NULL, NULL},
	{"SQL006", BTC_SEV_ERROR, "E+I", "Instance differs from the declared one", btc_check_sql006, NULL, NULL},
	{"SQL007", BTC_SEV_WARNING, "E", "Protocol prefix or port in the server name", btc_check_sql007, NULL, NULL},
	{"SQL008", BTC_SEV_WARNING, "E", "Database server is an IP address", btc_check_sql008, NULL, NULL},
	{"SQL009", BTC_SEV_WARNING, "E/F", "One database server spelled two ways", NULL, NULL, &btc_stream_sql009},
	{"SQL010", BTC_SEV_ERROR, "E+I", "Database server is a BizTalk server", btc_check_sql010, NULL, NULL},
	{"GRP001", BTC_SEV_ERROR, "E", "Group is local or empty", btc_check_grp001, NULL, NULL},
	{"GRP002", BTC_SEV_ERROR, "E(+I)", "Group domain is not a domain", btc_check_grp002, NULL, NULL},
	{"GRP003", BTC_SEV_WARNING, "E", "Group in UPN or DNS-domain form", btc_check_grp003, NULL, NULL},
	{"GRP004", BTC_SEV_WARNING, "E(+I)", "Group from an unexpected domain", btc_check_grp004, NULL, NULL},
	{"GRP005", BTC_SEV_ERROR, "E+L", "Group is not a domain global security group", btc_check_grp005, NULL, NULL},
	{"GRP006", BTC_SEV_WARNING, "E", "Trusted and isolated hosts share a group", btc_check_grp006, NULL, NULL},
	{"GRP007", BTC_SEV_ERROR, "F", "One group, different accounts across the farm", NULL, NULL, &btc_stream_grp007},
	{"ACC001", BTC_SEV_ERROR, "E(+I)", "Service account is not a domain account", btc_check_acc001, NULL, NULL},
	{"ACC002", BTC_SEV_ERROR, "E", "Service runs as a built-in account", btc_check_acc002, NULL, NULL},
	{"ACC003", BTC_SEV_ERROR, "E", "SSO service account is a gMSA", btc_check_acc003, NULL, NULL},
	{"ACC004", BTC_SEV_ERROR, "E", "One account for a trusted and an untrusted host", btc_check_acc004, NULL, NULL},
	{"SSO001", BTC_SEV_ERROR, "F", "More than one master secret server", NULL, NULL, &btc_stream_sso001},
	{"SSO002", BTC_SEV_ERROR, "F(+I)", "Master secret server not configured first", NULL, NULL, &btc_stream_sso002},
	{"SSO003", BTC_SEV_ERROR, "F", "SSO database differs across the farm", NULL, NULL, &btc_stream_sso003},
	{"SSO004", BTC_SEV_ERROR, "P+I", "Master secret server in SSODB is not the SSO network name", NULL, btc_check_sso004, NULL},
	{"FRM001", BTC_SEV_ERROR, "F", "BizTalk group created twice, joined early or split", NULL, NULL, &btc_stream_frm001},
	{"FRM002", BTC_SEV_WARNING, "F+I", "Fewer than two BizTalk runtime servers", NULL, NULL, &btc_stream_frm002},
	{"FRM003", BTC_SEV_WARNING, "I", "SQL Server node is also a BizTalk server", NULL, btc_check_frm003, NULL},
	{"FRM004", BTC_SEV_ERROR, "I", "SQL failover cluster with fewer than two nodes", NULL, btc_check_frm004, NULL},
	{"PRB001", BTC_SEV_ERROR, "P", "Database server does not answer", NULL, btc_check_prb001, NULL},
	{"PRB002", BTC_SEV_WARNING, "P", "Login to the database server failed", NULL, btc_check_prb002, NULL},
	{"PRB003", BTC_SEV_ERROR, "P", "Database server is neither a cluster instance nor a listener", NULL, btc_check_prb003, NULL},
	{"PRB004", BTC_SEV_ERROR, "P", "Database server name is a physical node", NULL, btc_check_prb004, NULL},
	{"PRB005", BTC_SEV_ERROR, "P", "Failover cluster reports fewer than two nodes", NULL, btc_check_prb005, NULL},
	{"PRB006", BTC_SEV_ERROR, "P", "Instance differs from the one that answers", NULL, btc_check_prb006, NULL},
	{"PRB007", BTC_SEV_ERROR, "P", "Joined database does not exist", NULL, btc_check_prb007, NULL},
	{"PRB008", BTC_SEV_WARNING, "P", "Failover cluster node is not up", NULL, btc_check_prb008, NULL},
	{"PRB009", BTC_SEV_NOTE, "P", "Probe fact could not be read", NULL, btc_check_prb009, NULL},
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
