/* The typed model of one BizTalk configuration export.
 *
 * Plain data with source lines; it knows nothing about rules. Only *active*
 * content is modelled: elements outside any Question, or reached through
 * Answers with Selected="Yes". Inactive answers are skipped while parsing, so
 * no rule can judge them by mistake. All strings live in the export's arena. */
#ifndef BTC_EXPORT_MODEL_H
#define BTC_EXPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "export/account.h"
#include "export/server_name.h"
#include "util/arena.h"

/* One leaf value (<Server>, <Value>, ...): trimmed text and where it stands.
 * text is NULL when the element is absent, "" when present but empty. */
typedef struct btc_value {
	const char *text;
	int line;
	bool placeholder; /* an unfilled template: judged by CFG002 only */
} btc_value;

/* The role of a database, from the ID of its <SQL> block. */
typedef enum btc_db_role {
	BTC_DB_OTHER = 0,
	BTC_DB_SSO,
	BTC_DB_MANAGEMENT,
	BTC_DB_MESSAGEBOX,
	BTC_DB_TRACKING,
	BTC_DB_RULE_ENGINE,
	BTC_DB_BAM_PRIMARY_IMPORT,
	BTC_DB_BAM_ARCHIVE,
	BTC_DB_BAM_STAR_SCHEMA,
	BTC_DB_BAM_ANALYSIS,
	BTC_DB_BAM_ALERTS,
} btc_db_role;

const char *btc_db_role_name(btc_db_role role);

/* A database server entry: an active <SQL> block or the BAM Alerts server. */
typedef struct btc_sql_endpoint {
	const char *id;
	const char *feature;
	btc_db_role role;
	int line;          /* of the <SQL> (or <Name>) element */
	bool olap;         /* MSOLAPServer="Yes": Analysis Services, not TDS */
	btc_value server;  /* the server string as written */
	btc_value database;
	btc_server_name name; /* server parsed; valid when server.text is set */
} btc_sql_endpoint;

/* An <NTCredential>: a Windows group (or user) picked for a role. */
typedef struct btc_group {
	const char *id;
	int line;
	btc_value account;   /* <NTAccount> text */
	btc_account parsed;  /* valid when account.text is set and not a placeholder */
} btc_group;

/* An <NTService>: the account a Windows service runs as. */
typedef struct btc_service {
	const char *id;
	const char *display; /* DisplayName, for messages; may be NULL */
	const char *feature;
	int line;
	btc_value user_name;
	btc_value domain;
	btc_value password;
	btc_value is_gmsa;
	btc_account account; /* UserName+Domain or DOMAIN\user, normalised */
	bool gmsa;           /* IsGmsaAccount true, or the name ends in '$' */
} btc_service;

/* Any other leaf block with a value: <Name>, <FILE>, <WebSite>. */
typedef struct btc_named_value {
	const char *kind; /* element name */
	const char *id;
	int line;
	btc_value value;
} btc_named_value;

/* An active <Question> and what was selected in it. */
typedef struct btc_question {
	const char *id;
	int line;
	int selected_count;
	const char *selected; /* Value of the first selected Answer, or NULL */
} btc_question;

typedef struct btc_feature {
	const char *name;
	int line;
	bool has_children;
} btc_feature;

/* Whether this export creates, joins, or does not configure a shared system
 * (the SSO system via IsSecretServer, the BizTalk group via CREATEORJOIN). */
typedef enum btc_mode {
	BTC_MODE_ABSENT = 0,
	BTC_MODE_CREATE,
	BTC_MODE_JOIN,
	BTC_MODE_OTHER,
} btc_mode;

/* A generic view of every active value-bearing element, in document order,
 * for the rules that judge values whatever block holds them (CFG002, CFG003). */
typedef struct btc_value_ref {
	const char *element;  /* Server, Password, Value, ... */
	const char *block;    /* SQL, NTService, Name, ... */
	const char *block_id;
	const btc_value *value;
} btc_value_ref;

/* A btclint comment in the export: <!-- btclint-disable RULE[,RULE]: reason -->
 * covers the next element and its children, <!-- btclint-disable-file RULE:
 * reason --> the whole file. Recorded as written: the model knows no rules,
 * so whether the rules exist is judged later (CFG005). */
typedef struct btc_suppression {
	const char **rules; /* as written; n_rules entries */
	size_t n_rules;
	const char *reason; /* NULL when none was given */
	const char *problem; /* why the comment cannot be used, or NULL */
	int line;            /* where the comment starts */
	bool file_wide;
	/* Lines of the element covered (start tag to end tag); 0 when no element
	 * followed the comment before its parent closed. */
	int first_line, last_line;
} btc_suppression;

typedef struct btc_export {
	btc_arena arena;
	/* What only single-export rules read (services, named values, the
	 * values[] view): btc_export_drop_scratch() frees it once they ran. */
	btc_arena scratch;
	const char *path;
	const char *root; /* name of the root element */
	int root_line;

	btc_feature *features;
	size_t n_features;
	size_t n_installed_features;
	btc_question *questions;
	size_t n_questions;
	/* Blocks are allocated one by one so that pointers to them (and to their
	 * values, in values[]) stay valid while the arrays grow. */
	btc_sql_endpoint **endpoints;
	size_t n_endpoints;
	btc_group **groups;
	size_t n_groups;
	btc_service **services;
	size_t n_services;
	btc_named_value **named;
	size_t n_named;
	btc_value_ref *values;
	size_t n_values;
	btc_suppression *suppressions;
	size_t n_suppressions;

	btc_mode sso_mode;
	int sso_mode_line;
	btc_mode group_mode;
	int group_mode_line;

	/* capacities for btc_arena_push */
	size_t cap_features, cap_questions, cap_endpoints, cap_groups, cap_services, cap_named,
		cap_values, cap_suppressions;
} btc_export;

/* Lookups; NULL when absent. IDs compare ignoring case. */
const btc_question *btc_export_question(const btc_export *e, const char *id);
const btc_group *btc_export_group(const btc_export *e, const char *id);
const btc_service *btc_export_service(const btc_export *e, const char *id);
const btc_sql_endpoint *btc_export_endpoint(const btc_export *e, btc_db_role role);
/* Frees the scratch arena: services, named and values are empty afterwards.
 * Call it only once the rules that read them (CFG002, CFG003, ACC*) ran. */
void btc_export_drop_scratch(btc_export *e);
/* A right-sized copy of e without services, named values, values[] and
 * questions (read by single-export and farm rules only): what a farm keeps
 * of each export for the probe and directory rules once those rules ran.
 * NULL when out of memory (keep e then). Free it as an export. */
btc_export *btc_export_compact(const btc_export *e);
/* True when the export configures a runtime host (HOST or ISOHOST = Yes). */
bool btc_export_is_runtime(const btc_export *e);

/* An unfilled template value: {{..}}, %%..%%, ${..}, $(..), <%..%>, or
 * "Enter your"/"Enter the" at the start. */
bool btc_is_placeholder(const char *text);

/* The IDs that matter, from export-format.md. */
#define BTC_ID_MGMT_DB "{D757DBF9-5D71-4995-9F20-A552B7DFE7F1}"
#define BTC_ID_MSGBOX_DB "{84ADD76E-EBEB-4bb8-B9EB-64F87E483C39}"
#define BTC_ID_TRACKING_DB "{1033195A-3C23-4750-BBD0-06BC12A175D4}"
#define BTC_ID_RULE_ENGINE_DB "{E6C5E071-D6EB-4c31-BFE6-CA16637FBEEB}"
#define BTC_ID_BAM_PIT_DB "{E1FC3106-8DD4-4f12-9EB6-849DD8BDD605}"
#define BTC_ID_BAM_ARCHIVE_DB "{1D372BCB-DF59-43b6-A4A9-87082B5727B0}"
#define BTC_ID_BAM_ANALYSIS_DB "{16567D1E-6946-4f4e-BB3F-900DE2648328}"
#define BTC_ID_BAM_STAR_DB "{B973DB76-BA7F-4a2e-A57E-07EEF54B37A8}"
#define BTC_ID_BAM_ALERTS_SERVER "{8B3212A1-44EA-46bc-A06C-75E289D1F840}"
#define BTC_ID_SSO_DB "SSO_DB_ID"
#define BTC_ID_HOST_ACCOUNT "{B64F63FA-E24E-4991-86F0-ED9F65B68A98}"
#define BTC_ID_IHOST_ACCOUNT "{D0A37CEE-F24E-4193-A19F-47B05D7EDA21}"

#endif
