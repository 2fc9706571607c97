/* The directory probe on the command line (docs/directory.md): options, the
 * inventory's [directory] section, and one lookup per farm before the rules
 * run. The rules only read the facts attached to the farm. */
#include "cli/directory_opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "rules/rules.h"
#include "util/text.h"
#ifdef BTC_HAVE_DIRECTORY
#include "directory/directory.h"
#endif

/* A password file holds one line; anything longer is not a password file. */
#define PASSWORD_FILE_MAX 4096

struct btc_cli_directory_farm {
	btc_farm_directory facts;
	char *error;  /* why the directory could not be used, or NULL */
	void *result; /* the probe's btc_directory_result: the facts borrow from it */
};

static const char *option_name(int code)
{
	switch (code) {
	case BTC_CLI_OPT_LDAP: return "--ldap";
	case BTC_CLI_OPT_LDAP_STARTTLS: return "--ldap-starttls";
	case BTC_CLI_OPT_LDAP_CA: return "--ldap-ca";
	case BTC_CLI_OPT_LDAP_BASE: return "--ldap-base";
	case BTC_CLI_OPT_LDAP_BIND: return "--ldap-bind";
	case BTC_CLI_OPT_LDAP_PASSWORD_FILE: return "--ldap-password-file";
	default: return "--ldap";
	}
}

int btc_cli_directory_option(btc_cli_directory *d, int code, const char *arg)
{
#ifndef BTC_HAVE_DIRECTORY
	(void)d;
	(void)arg;
	return btc_cli_usage_error("%s: this btclint was built without the directory probe "
				   "(cmake -DBTC_DIRECTORY=ON, needs libldap)",
				   option_name(code));
#else
	/* An empty value would silently mean "not given" below. */
	if (code != BTC_CLI_OPT_LDAP_STARTTLS && (arg == NULL || arg[0] == '\0'))
		return btc_cli_usage_error("%s needs a value", option_name(code));
	switch (code) {
	case BTC_CLI_OPT_LDAP: d->uri = arg; break;
	case BTC_CLI_OPT_LDAP_STARTTLS: d->starttls = true; break;
	case BTC_CLI_OPT_LDAP_CA: d->ca = arg; break;
	case BTC_CLI_OPT_LDAP_BASE: d->base = arg; break;
	case BTC_CLI_OPT_LDAP_BIND: d->bind = arg; break;
	case BTC_CLI_OPT_LDAP_PASSWORD_FILE: d->password_file = arg; break;
	default: return btc_cli_usage_error("unknown directory option");
	}
	d->any = true;
	return 0;
#endif
}

static bool has_scheme(const char *uri, const char *scheme)
{
	size_t n = strlen(scheme);
	return strncasecmp(uri, scheme, n) == 0 && uri[n] != '\0';
}

/* The first line of the file; the password itself never reaches a message. */
static int read_password_file(btc_cli_directory *d)
{
	FILE *f = fopen(d->password_file, "rb");
	char *buf = NULL;
	size_t len = 0;

	if (f == NULL) {
		d->password_error = btc_strfmt("--ldap-password-file %s: %s", d->password_file, strerror(errno));
		return d->password_error ? 0 : -1;
	}
	buf = calloc(1, PASSWORD_FILE_MAX + 2);
	if (buf == NULL) {
		fclose(f);
		return -1;
	}
	len = fread(buf, 1, PASSWORD_FILE_MAX + 1, f);
	bool failed = ferror(f) != 0;
	fclose(f);
	if (failed || len > PASSWORD_FILE_MAX) {
		explicit_bzero(buf, PASSWORD_FILE_MAX + 2);
		free(buf);
		d->password_error = btc_strfmt("--ldap-password-file %s: %s", d->password_file,
					       failed ? "cannot be read" : "longer than a password (4 KiB)");
		return d->password_error ? 0 : -1;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	d->password = buf;
	return 0;
}

int btc_cli_directory_finish_options(btc_cli_directory *d, bool have_inventories)
{
	if (d->uri != NULL && !has_scheme(d->uri, "ldap://") && !has_scheme(d->uri, "ldaps://"))
		return btc_cli_usage_error("--ldap: '%s' is not an ldap:// or ldaps:// URI", d->uri);
	if (d->uri != NULL && d->starttls && has_scheme(d->uri, "ldaps://"))
		return btc_cli_usage_error("--ldap-starttls upgrades ldap://; %s is already TLS", d->uri);
	if (d->any && d->uri == NULL && !have_inventories)
		return btc_cli_usage_error("the --ldap-* options need --ldap URI (or an inventory with a "
					   "[directory] section)");
	if (d->password_file != NULL) {
		if (read_password_file(d) < 0)
			return btc_cli_usage_error("out of memory");
	} else {
		const char *env = getenv(BTC_LDAP_PASSWORD_ENV);
		if (env != NULL && env[0] != '\0' && (d->password = strdup(env)) == NULL)
			return btc_cli_usage_error("out of memory");
	}
	if (d->password != NULL && d->password[0] == '\0') {
		free(d->password);
		d->password = NULL;
	}
	/* An empty password makes a simple bind unauthenticated: AD may take
	 * it for anonymous. Refused before anything is sent. */
	if (d->bind != NULL && d->password == NULL && d->password_error == NULL)
		return btc_cli_usage_error("--ldap-bind needs a password: set " BTC_LDAP_PASSWORD_ENV
					   " or give --ldap-password-file FILE (never on the command line)");
	return 0;
}

/* How messages name the farm: its inventory, else the command line. */
static const char *farm_label(const btc_cli_farms *farms, size_t k)
{
	const btc_inventory *inv = farms->inventories[k];
	return inv != NULL ? inv->path : "exports on the command line";
}

#ifdef BTC_HAVE_DIRECTORY
/* Fills the facts of a farm from its run of the lookup's results. */
static void take_results(btc_farm_directory *facts, const btc_directory_result *res, size_t *k)
{
	facts->base = res->base;
	for (size_t i = 0; i < facts->n_groups && *k < res->count; i++) {
		btc_farm_directory_group *g = &facts->groups[i];
		if (g->not_checked != NULL)
			continue;
		const btc_directory_group *e = &res->groups[(*k)++];
		g->checked = true;
		g->found = e->found;
		g->is_group = e->is_group;
		g->dn = e->dn;
		g->has_group_type = e->has_group_type;
		g->group_type = (long long)e->group_type;
		g->security = e->has_group_type && btc_directory_is_security(e->group_type);
		g->scope = e->has_group_type ? btc_directory_scope_name(e->group_type) : NULL;
		g->verdict = (int)e->verdict;
		g->verdict_name = btc_directory_verdict_name(e->verdict);
	}
}

/* One connection, one search per distinct group name, for the farms in
 * `group` (n of them, all reaching the directory the same way); fills their
 * facts, or their errors. The first farm owns the result. Returns 0, or -1
 * when out of memory. */
static int look_up(btc_cli_directory *d, const size_t *group, size_t n, const btc_directory_options *opts)
{
	btc_directory_result *res = NULL;
	const char **accounts = NULL, **names = NULL;
	size_t count = 0, k = 0;
	char err[1024] = "";
	int rc = -1;

	for (size_t f = 0; f < n; f++) {
		const btc_farm_directory *facts = &d->farms[group[f]].facts;
		for (size_t i = 0; i < facts->n_groups; i++)
			count += facts->groups[i].not_checked == NULL;
	}
	if (count > 0) {
		accounts = calloc(count, sizeof(*accounts));
		names = calloc(count, sizeof(*names));
		if (accounts == NULL || names == NULL)
			goto done;
	}
	for (size_t f = 0; f < n; f++) {
		const btc_farm_directory *facts = &d->farms[group[f]].facts;
		for (size_t i = 0; i < facts->n_groups; i++) {
			if (facts->groups[i].not_checked != NULL)
				continue;
			accounts[k] = facts->groups[i].account;
			names[k++] = facts->groups[i].name;
		}
	}
	if (btc_directory_check(&res, opts, accounts, names, count, err, sizeof(err)) < 0) {
		for (size_t f = 0; f < n; f++) {
			if ((d->farms[group[f]].error = strdup(err[0] ? err : "the directory could not be used")) == NULL)
				goto done;
		}
		rc = 0;
		goto done;
	}
	d->farms[group[0]].result = res;
	k = 0;
	for (size_t f = 0; f < n; f++)
		take_results(&d->farms[group[f]].facts, res, &k);
	rc = 0;
done:
	free(accounts);
	free(names);
	return rc;
}
#endif

/* The inventory's [directory] section of farm k, or NULL. */
static const btc_inventory_directory *section_of(const btc_cli_farms *farms, size_t k)
{
	const btc_inventory *inv = farms->inventories[k];
	return inv != NULL && inv->directory.present ? &inv->directory : NULL;
}

/* Whether farms a and b reach their directories the same way: the same
 * URI, TLS, CA, base and bind DN once the command line is merged in. */
static bool same_connection(const btc_cli_directory *d, const btc_cli_farms *farms, size_t a, size_t b)
{
	const btc_inventory_directory *sa = section_of(farms, a), *sb = section_of(farms, b);
#define MERGED(opt, key, s) (d->opt ? d->opt : (s) ? (s)->key : NULL)
	return btc_eq(MERGED(uri, uri, sa), MERGED(uri, uri, sb)) &&
	       btc_eq(MERGED(ca, ca, sa), MERGED(ca, ca, sb)) &&
	       btc_eq(MERGED(base, base, sa), MERGED(base, base, sb)) &&
	       btc_eq(MERGED(bind, bind, sa), MERGED(bind, bind, sb)) &&
	       (d->starttls || (sa != NULL && sa->starttls)) == (d->starttls || (sb != NULL && sb->starttls));
#undef MERGED
}

/* Looks up the directory of farm k and of every later farm that reaches it
 * the same way (marked in `done`): one connection for all of them, so an
 * estate's farms cost one connection, and one --timeout when the directory
 * does not answer. Their facts are planned. Returns 0 (outcomes in
 * d->farms), or -1 when out of memory. */
static int gather_group(btc_cli_directory *d, const btc_cli_farms *farms, size_t k, bool *done, int timeout_s)
{
	const btc_inventory_directory *sec = section_of(farms, k);
	const char *bind = d->bind ? d->bind : sec ? sec->bind : NULL;
	size_t *group = calloc(farms->n_farms, sizeof(*group)), n = 0;
	int rc = -1;

	if (group == NULL)
		return -1;
	for (size_t j = k; j < farms->n_farms; j++) {
		if (!done[j] && d->farms[j].facts.uri != NULL && same_connection(d, farms, k, j)) {
			done[j] = true;
			group[n++] = j;
		}
	}
	const char *refused = NULL;
	char *needs_password = NULL;
	if (bind != NULL && d->password_error != NULL) {
		refused = d->password_error;
	} else if (bind != NULL && d->password == NULL) {
		needs_password = btc_strfmt("the bind DN \"%s\" needs a password: set " BTC_LDAP_PASSWORD_ENV
					    " or give --ldap-password-file FILE",
					    bind);
		if ((refused = needs_password) == NULL)
			goto done;
	} else {
#ifdef BTC_HAVE_DIRECTORY
		btc_directory_options opts = {
		    .uri = d->farms[k].facts.uri,
		    .starttls = d->starttls || (sec != NULL && sec->starttls),
		    .ca_file = d->ca ? d->ca : sec ? sec->ca : NULL,
		    .base = d->base ? d->base : sec ? sec->base : NULL,
		    .bind_dn = bind,
		    .password = bind != NULL ? d->password : NULL,
		    .timeout_s = timeout_s,
		};
		rc = look_up(d, group, n, &opts);
		goto done;
#else
		(void)timeout_s;
		refused = "this btclint was built without the directory probe (BTC_DIRECTORY=OFF); "
			  "the [directory] section cannot be used";
#endif
	}
	for (size_t f = 0; f < n; f++) {
		if ((d->farms[group[f]].error = strdup(refused)) == NULL)
			goto done;
	}
	rc = 0;
done:
	free(needs_password);
	free(group);
	return rc;
}

/* Every farm's directory: planned, looked up (once per way of reaching
 * one), then reported in farm order. Returns 0, or -1 when out of memory. */
static int gather(btc_cli_directory *d, btc_cli_farms *farms, int timeout_s)
{
	bool *done = NULL;
	int rc = -1;

	d->n_farms = farms->n_farms;
	if (d->n_farms == 0)
		return 0;
	d->farms = calloc(d->n_farms, sizeof(*d->farms));
	d->by_farm = calloc(d->n_farms, sizeof(*d->by_farm));
	done = calloc(d->n_farms, sizeof(*done));
	if (d->farms == NULL || d->by_farm == NULL || done == NULL)
		goto out;
	for (size_t k = 0; k < farms->n_farms; k++) {
		const btc_inventory_directory *sec = section_of(farms, k);
		btc_farm_directory *facts = &d->farms[k].facts;
		/* A farm whose inventory is invalid is not checked at all. */
		if (!farms->ok[k] || (d->uri == NULL && sec == NULL))
			continue;
		if (btc_rules_directory_plan(facts, &farms->farms[k]) < 0)
			goto out;
		facts->uri = d->uri ? d->uri : sec->uri;
		facts->bound_as = d->bind ? d->bind : sec ? sec->bind : NULL;
	}
	for (size_t k = 0; k < farms->n_farms; k++) {
		if (!done[k] && d->farms[k].facts.uri != NULL && gather_group(d, farms, k, done, timeout_s) < 0)
			goto out;
	}
	for (size_t k = 0; k < farms->n_farms; k++) {
		btc_cli_directory_farm *df = &d->farms[k];
		if (df->facts.uri == NULL)
			continue;
		if (df->error != NULL) {
			df->facts.error = df->error;
			d->failed = true;
			/* The probe's messages already start with the URI. */
			if (strncmp(df->error, df->facts.uri, strlen(df->facts.uri)) == 0)
				btc_cli_error("%s: error: directory %s", farm_label(farms, k), df->error);
			else
				btc_cli_error("%s: error: directory %s: %s", farm_label(farms, k), df->facts.uri,
					      df->error);
		}
		farms->farms[k].directory = &df->facts;
		d->by_farm[k] = &df->facts;
	}
	rc = 0;
out:
	free(done);
	return rc;
}

/* GRP005 without any directory: not run (JUnit then writes no testcase). */
static void mark_not_run(const btc_cli_directory *d, bool *not_run)
{
	const btc_rule *grp005 = btc_rule_find("GRP005");

	for (size_t k = 0; k < d->n_farms && d->by_farm != NULL; k++) {
		if (d->by_farm[k] != NULL)
			return;
	}
	if (not_run != NULL && grp005 != NULL)
		not_run[grp005 - btc_rules] = true;
}

int btc_cli_directory_gather(btc_cli_directory *d, btc_cli_farms *farms, int timeout_s, bool *not_run)
{
	int rc = gather(d, farms, timeout_s);

	if (rc == 0)
		mark_not_run(d, not_run);
	return rc;
}

void btc_cli_directory_free(btc_cli_directory *d)
{
	if (d == NULL)
		return;
	for (size_t k = 0; k < d->n_farms && d->farms != NULL; k++) {
		free(d->farms[k].facts.groups);
		free(d->farms[k].error);
#ifdef BTC_HAVE_DIRECTORY
		btc_directory_result_free(d->farms[k].result);
#endif
	}
	free(d->farms);
	free(d->by_farm);
	if (d->password != NULL) {
		explicit_bzero(d->password, strlen(d->password));
		free(d->password);
	}
	free(d->password_error);
	memset(d, 0, sizeof(*d));
}
