/*
 * One endpoint over FreeTDS db-lib: log in, read the facts, close.
 *
 * db-lib's error and message handlers are process-wide and, during dbopen(),
 * are called with a half-built DBPROCESS, so dbgetuserdata() cannot be used
 * there.  Each probing thread instead points a thread-local variable at its
 * own session while it talks to FreeTDS; the handlers record into it.
 */
#define _POSIX_C_SOURCE 200809L
#ifndef _DEFAULT_SOURCE /* the top-level build defines it */
#define _DEFAULT_SOURCE
#endif

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sybdb.h>
#include <sybfront.h>

#include "probe/probe_internal.h"

#define MAX_ROWS 100000 /* a server streaming rows for ever is cut off */
#define MAX_TEXT 4096   /* longest string fact kept */

/* What the handlers saw; reset before each step. */
struct session {
	int dberr;        /* the most telling db-lib error so far, 0 if none */
	int oserr;        /* errno behind it */
	bool timed_out;   /* SYBETIME at any point */
	int server_msgno; /* first server error (severity > 10) */
	char server_msg[200];
	char dberr_text[200];
};

static _Thread_local struct session *current;

/* db-lib errors that say more than the generic ones; a later generic error
 * ("connection failed") must not hide an earlier telling one. */
static bool telling(int dberr)
{
	return dberr == SYBETIME || dberr == SYBECONN || dberr == SYBEUHST || dberr == SYBESEOF;
}

static int on_error(DBPROCESS *dbproc, int severity, int dberr, int oserr, char *dberrstr, char *oserrstr)
{
	(void)dbproc;
	(void)severity;
	(void)oserrstr;
	struct session *s = current;
	if (s && dberr != SYBESMSG && dberr != SYBEINTF) {
		if (dberr == SYBETIME)
			s->timed_out = true;
		if (s->dberr == 0 || (telling(dberr) && !telling(s->dberr))) {
			s->dberr = dberr;
			s->oserr = oserr;
			snprintf(s->dberr_text, sizeof s->dberr_text, "%s", dberrstr ? dberrstr : "");
		}
	}
	/* Never INT_EXIT (db-lib would call exit()), and not INT_TIMEOUT
	 * (that would wait again): give up on this step. */
	return INT_CANCEL;
}

static int on_message(DBPROCESS *dbproc, DBINT msgno, int msgstate, int severity, char *msgtext, char *srvname,
                      char *procname, int line)
{
	(void)dbproc;
	(void)msgstate;
	(void)srvname;
	(void)procname;
	(void)line;
	struct session *s = current;
	/* Severity 10 and below is information ("Changed database context"). */
	if (s && severity > 10 && s->server_msgno == 0) {
		s->server_msgno = (int)msgno;
		snprintf(s->server_msg, sizeof s->server_msg, "%s", msgtext ? msgtext : "");
	}
	return 0;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc = -1;

static void init_dblib(void)
{
	if (dbinit() == FAIL)
		return;
	dberrhandle(on_error);
	dbmsghandle(on_message);
	init_rc = 0;
}

int btc_probe_tds_init(void)
{
	pthread_once(&init_once, init_dblib);
	return init_rc;
}

static void reset(struct session *s)
{
	memset(s, 0, sizeof *s);
}

/* Sorts a failed login into an error kind with a message. */
static void login_failure(struct btc_probe_result *r, const struct session *s, const char *server, int timeout_s)
{
	char os[200] = ""; /* as long as dberr_text */
	const char *msg = NULL;
	if (s->server_msgno != 0) {
		r->answered = true;
		r->error = BTC_PROBE_LOGIN_FAILED;
		snprintf(r->message, sizeof r->message, "%s: login refused: %s (error %d)", server, s->server_msg,
		         s->server_msgno);
		return;
	}
	if (s->timed_out) {
		r->error = BTC_PROBE_TIMEOUT;
		snprintf(r->message, sizeof r->message, "%s: no answer within %d s", server, timeout_s);
		return;
	}
	switch (s->dberr) {
	case SYBEUHST:
		r->error = BTC_PROBE_UNRESOLVED;
		msg = "host name does not resolve (and no freetds.conf section has that name)";
		break;
	case SYBECONN:
		if (s->oserr == ECONNREFUSED) {
			r->error = BTC_PROBE_REFUSED;
			msg = "connection refused (nothing listens on that port)";
			break;
		}
		r->error = s->oserr == ETIMEDOUT ? BTC_PROBE_TIMEOUT : BTC_PROBE_OTHER;
		if (s->oserr == 0 || strerror_r(s->oserr, os, sizeof os) != 0)
			snprintf(os, sizeof os, "%s", s->dberr_text);
		msg = os;
		break;
	case SYBESEOF:
	case SYBEREAD:
		r->error = BTC_PROBE_CLOSED;
		msg = "the server closed the connection before the login completed";
		break;
	case SYBEFCON:
		/* FreeTDS says only "connection failed", with no errno, both for a
		 * peer that hangs up during PRELOGIN and for a TLS mismatch. */
		r->error = BTC_PROBE_CLOSED;
		msg = "the connection ended before the login completed: the server closed it, or "
		      "the encryption settings (freetds.conf) do not match the server's";
		break;
	default:
		r->error = BTC_PROBE_OTHER;
		msg = s->dberr_text[0] ? s->dberr_text : "login failed for an unknown reason";
	}
	snprintf(r->message, sizeof r->message, "%s: %s", server, msg);
}

static char *dup_text(const BYTE *data, DBINT len)
{
	if (len > MAX_TEXT)
		len = MAX_TEXT;
	char *s = malloc((size_t)len + 1);
	if (s) {
		memcpy(s, data, (size_t)len);
		s[len] = '\0';
	}
	return s;
}

/* A column as a string: *out NULL for SQL NULL; -1 when out of memory. */
static int col_text(char **out, DBPROCESS *d, int col)
{
	*out = NULL;
	BYTE *data = dbdata(d, col);
	DBINT len = dbdatlen(d, col);
	int type = dbcoltype(d, col);
	if (!data || len < 0 || (type != SYBCHAR && type != SYBVARCHAR && type != SYBTEXT))
		return 0; /* NULL, or not text (the queries cast every text fact) */
	*out = dup_text(data, len);
	return *out ? 0 : -1;
}

/* A column as an int: BTC_PROBE_UNKNOWN for SQL NULL. */
static int col_int(DBPROCESS *d, int col)
{
	BYTE *data = dbdata(d, col);
	DBINT len = dbdatlen(d, col);
	DBINT v = 0;
	if (!data || len <= 0)
		return BTC_PROBE_UNKNOWN;
	if (dbconvert(d, dbcoltype(d, col), data, len, SYBINT4, (BYTE *)&v, sizeof v) < 0)
		return BTC_PROBE_UNKNOWN;
	return (int)v;
}

/* Per-row callbacks fill the facts; set counts the batch's result sets from
 * 0.  A negative return is out of memory. */
typedef int (*row_fn)(struct btc_probe_facts *f, DBPROCESS *d, int set, void *arg);

enum query_outcome { QUERY_OK, QUERY_DENIED, QUERY_FAILED, QUERY_NOMEM };

/* Server errors that mean "you may not see this", not "this is broken". */
static bool permission_error(int msgno)
{
	return msgno == 300 || msgno == 297 || msgno == 229 || msgno == 262 || msgno == 916;
}

static enum query_outcome run_query(struct session *s, DBPROCESS *d, const char *sql, row_fn on_row,
                                    struct btc_probe_facts *f, void *arg)
{
	reset(s);
	if (dbcmd(d, sql) == FAIL || dbsqlexec(d) == FAIL)
		goto failed;
	RETCODE rc;
	long rows = 0;
	for (int set = 0; (rc = dbresults(d)) != NO_MORE_RESULTS; set++) {
		if (rc == FAIL)
			goto failed;
		STATUS row;
		while ((row = dbnextrow(d)) != NO_MORE_ROWS) {
			if (row == FAIL || row == BUF_FULL)
				goto failed;
			if (++rows > MAX_ROWS) {
				dbcancel(d);
				goto failed;
			}
			if (row == REG_ROW && on_row(f, d, set, arg) < 0) {
				dbcancel(d);
				return QUERY_NOMEM;
			}
		}
	}
	if (s->server_msgno == 0)
		return QUERY_OK;
failed:
	/* Drop what is left of the results, or the next dbcmd() would fail. */
	if (!dbdead(d))
		dbcancel(d);
	return permission_error(s->server_msgno) ? QUERY_DENIED : QUERY_FAILED;
}

static int properties_row(struct btc_probe_facts *f, DBPROCESS *d, int set, void *arg)
{
	(void)set;
	(void)arg;
	if (dbnumcols(d) < 8)
		return 0;
	f->is_clustered = col_int(d, 1);
	f->is_hadr = col_int(d, 6);
	/* Indexed by column - 1; columns 1 and 6 are the ints above. */
	char **text[] = {NULL, &f->machine_name,    &f->physical_node, &f->server_name, &f->instance_name,
	                 NULL, &f->product_version, &f->edition};
	for (int i = 0; i < 8; i++) {
		if (!text[i])
			continue;
		free(*text[i]); /* a second row replaces the first */
		if (col_text(text[i], d, i + 1) < 0)
			return -1;
	}
	f->properties_read = true;
	return 0;
}

static int node_row(struct btc_probe_facts *f, DBPROCESS *d, int set, void *arg)
{
	(void)set;
	(void)arg;
	struct btc_probe_node *grown = realloc(f->nodes, (f->n_nodes + 1) * sizeof *grown);
	if (!grown)
		return -1;
	f->nodes = grown;
	struct btc_probe_node *n = &f->nodes[f->n_nodes++];
	*n = (struct btc_probe_node){NULL, BTC_PROBE_UNKNOWN, NULL, BTC_PROBE_UNKNOWN};
	if (col_text(&n->name, d, 1) < 0)
		return -1;
	if (dbnumcols(d) >= 4) {
		n->status = col_int(d, 2);
		n->is_current_owner = col_int(d, 4);
		if (col_text(&n->status_description, d, 3) < 0)
			return -1;
	}
	return 0;
}

/* Catalog views hide the rows a login may not see instead of refusing;
 * their queries end with a second result set that says whether the login
 * sees them all. */
struct catalog {
	bool sees_all;
	const struct btc_probe_target *target;
};

static int listener_row(struct btc_probe_facts *f, DBPROCESS *d, int set, void *arg)
{
	struct catalog *c = arg;
	if (set == 1) {
		c->sees_all = col_int(d, 1) == 1;
		return 0;
	}
	char **grown = realloc(f->listeners, (f->n_listeners + 1) * sizeof *grown);
	if (!grown)
		return -1;
	f->listeners = grown;
	f->listeners[f->n_listeners] = NULL;
	if (col_text(&f->listeners[f->n_listeners], d, 1) < 0)
		return -1;
	if (f->listeners[f->n_listeners])
		f->n_listeners++;
	return 0;
}

static int database_row(struct btc_probe_facts *f, DBPROCESS *d, int set, void *arg)
{
	struct catalog *c = arg;
	if (set == 1) {
		c->sees_all = col_int(d, 1) == 1;
		return 0;
	}
	char *name = NULL;
	if (col_text(&name, d, 1) < 0)
		return -1;
	for (size_t i = 0; name && i < c->target->n_databases; i++)
		if (c->target->databases[i] && strcasecmp(c->target->databases[i], name) == 0)
			f->databases_present[i] = 1;
	free(name);
	return 0;
}

/* SERVERPROPERTY returns sql_variant: cast, so every fact has a plain type. */
static const char sql_properties[] = "SELECT CAST(SERVERPROPERTY('IsClustered') AS int),"
                                     " CAST(SERVERPROPERTY('MachineName') AS nvarchar(128)),"
                                     " CAST(SERVERPROPERTY('ComputerNamePhysicalNetBIOS') AS nvarchar(128)),"
                                     " CAST(SERVERPROPERTY('ServerName') AS nvarchar(256)),"
                                     " CAST(SERVERPROPERTY('InstanceName') AS nvarchar(128)),"
                                     " CAST(SERVERPROPERTY('IsHadrEnabled') AS int),"
                                     " CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)),"
                                     " CAST(SERVERPROPERTY('Edition') AS nvarchar(128))";
static const char sql_nodes[] =
    "SELECT NodeName, status, status_description, is_current_owner FROM sys.dm_os_cluster_nodes";
/* For servers whose view predates the status columns: the node names
 * alone still tell a node from the cluster. */
static const char sql_nodes_old[] = "SELECT NodeName FROM sys.dm_os_cluster_nodes";
static const char sql_listeners[] = "SELECT dns_name, port FROM sys.availability_group_listeners;"
                                    " SELECT HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DEFINITION')";
static const char sql_databases[] = "SELECT name FROM sys.databases;"
                                    " SELECT HAS_PERMS_BY_NAME(NULL, NULL, 'VIEW ANY DATABASE')";

#define INVALID_COLUMN 207
/* A three-part name whose database or table does not exist: "Invalid object
 * name" (208); 911 is the same for a database, as some versions word it. */
#define INVALID_OBJECT   208
#define NO_SUCH_DATABASE 911
#define SYSNAME_CHARS    128 /* the longest database name SQL Server allows */

/* Records a failed query in the result unless something failed earlier. */
static void query_failure(struct btc_probe_result *r, const struct session *s, const char *what, int timeout_s)
{
	if (r->error != BTC_PROBE_OK)
		return;
	r->error = s->timed_out ? BTC_PROBE_TIMEOUT : BTC_PROBE_OTHER;
	if (s->timed_out)
		snprintf(r->message, sizeof r->message, "logged in, but reading %s got no answer within %d s", what,
		         timeout_s);
	else
		snprintf(r->message, sizeof r->message, "logged in, but reading %s failed: %.150s", what,
		         s->server_msgno ? s->server_msg : s->dberr_text);
}

/*
 * The query for the master secret server of one SSO database, with the
 * database name as a bracket-quoted identifier (every ']' doubled), the only
 * safe way to put a name that comes from an export into SQL text.  A name
 * that no database can have (empty, longer than sysname, a C0 or C1 control
 * character) is refused: -1, and nothing is sent.
 */
static int sql_secret_server(char *out, size_t out_size, const char *db)
{
	static const char head[] = "SELECT CAST(gi_SecretServer AS nvarchar(256)) FROM [";
	static const char tail[] = "].dbo.SSOX_GlobalInfo";
	size_t o = sizeof head - 1, chars = 0;

	if (!db || !*db || out_size < sizeof head + sizeof tail)
		return -1;
	memcpy(out, head, o);
	for (const unsigned char *p = (const unsigned char *)db; *p; p++) {
		if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return -1;
		if ((*p & 0xC0) != 0x80 && ++chars > SYSNAME_CHARS)
			return -1;
		if (o + 2 + sizeof tail > out_size)
			return -1;
		out[o++] = (char)*p;
		if (*p == ']')
			out[o++] = ']';
	}
	memcpy(out + o, tail, sizeof tail); /* with its NUL */
	return 0;
}

static int secret_server_row(struct btc_probe_facts *f, DBPROCESS *d, int set, void *arg)
{
	struct btc_probe_sso *sso = arg;
	(void)f;
	(void)set;
	if (sso->secret_server)
		return 0; /* SSOX_GlobalInfo has one row; keep the first */
	return col_text(&sso->secret_server, d, 1);
}

/* gi_SecretServer of each SSO database the target names.  Refused, missing
 * and otherwise failing reads leave the fact unknown (the rules then do not
 * judge it); only a dead or stalled connection is a failure of the probe. */
static int read_secret_servers(struct btc_probe_result *r, struct session *s, DBPROCESS *d,
                               const struct btc_probe_target *t, int timeout_s)
{
	/* 4 bytes per UTF-8 character, each ']' doubled, and the query around. */
	char sql[SYSNAME_CHARS * 8 + 128];
	for (size_t i = 0; i < t->n_sso_databases && !dbdead(d); i++) {
		struct btc_probe_sso *sso = &r->facts.sso[i];
		if (sql_secret_server(sql, sizeof sql, t->sso_databases[i]) < 0)
			continue;
		enum query_outcome q = run_query(s, d, sql, secret_server_row, &r->facts, sso);
		if (q == QUERY_NOMEM)
			return -1;
		if (q == QUERY_OK)
			sso->state = BTC_PROBE_SSO_READ;
		else if (q == QUERY_DENIED)
			sso->state = BTC_PROBE_SSO_DENIED;
		else if (s->server_msgno == INVALID_OBJECT || s->server_msgno == NO_SUCH_DATABASE)
			sso->state = BTC_PROBE_SSO_MISSING;
		else if (s->server_msgno == 0)
			query_failure(r, s, "SSOX_GlobalInfo", timeout_s);
		if (sso->state != BTC_PROBE_SSO_READ) {
			free(sso->secret_server);
			sso->secret_server = NULL;
		}
	}
	return 0;
}

/* Reads every fact; returns -1 only when out of memory. */
static int read_facts(struct btc_probe_result *r, struct session *s, DBPROCESS *d, const struct btc_probe_target *t,
                      int timeout_s)
{
	struct btc_probe_facts *f = &r->facts;
	enum query_outcome q;

	q = run_query(s, d, sql_properties, properties_row, f, NULL);
	if (q == QUERY_NOMEM)
		return -1;
	if (q != QUERY_OK || !f->properties_read) {
		query_failure(r, s, "SERVERPROPERTY", timeout_s);
		return 0;
	}

	q = run_query(s, d, sql_nodes, node_row, f, NULL);
	if (q == QUERY_FAILED && s->server_msgno == INVALID_COLUMN)
		q = run_query(s, d, sql_nodes_old, node_row, f, NULL);
	if (q == QUERY_NOMEM)
		return -1;
	f->nodes_read = q == QUERY_OK;
	f->nodes_denied = q == QUERY_DENIED;
	if (q == QUERY_FAILED)
		query_failure(r, s, "sys.dm_os_cluster_nodes", timeout_s);
	if (dbdead(d))
		return 0;

	if (f->is_hadr == 1) {
		struct catalog c = {false, t};
		q = run_query(s, d, sql_listeners, listener_row, f, &c);
		if (q == QUERY_NOMEM)
			return -1;
		f->listeners_read = q == QUERY_OK;
		f->listeners_denied = q == QUERY_DENIED || (q == QUERY_OK && !c.sees_all);
		if (q == QUERY_FAILED)
			query_failure(r, s, "sys.availability_group_listeners", timeout_s);
		if (dbdead(d))
			return 0;
	}

	if (t->n_databases > 0) {
		struct catalog c = {false, t};
		for (size_t i = 0; i < t->n_databases; i++)
			f->databases_present[i] = 0;
		q = run_query(s, d, sql_databases, database_row, f, &c);
		if (q == QUERY_NOMEM)
			return -1;
		f->databases_read = q == QUERY_OK;
		f->databases_denied = q == QUERY_DENIED || (q == QUERY_OK && !c.sees_all);
		/* A database not seen is absent only when the login sees them all. */
		for (size_t i = 0; i < t->n_databases; i++)
			if (f->databases_present[i] == 0 && (!f->databases_read || f->databases_denied))
				f->databases_present[i] = BTC_PROBE_UNKNOWN;
		if (q == QUERY_FAILED)
			query_failure(r, s, "sys.databases", timeout_s);
		if (dbdead(d))
			return 0;
	}
	return read_secret_servers(r, s, d, t, timeout_s);
}

int btc_probe_tds_session(struct btc_probe_result *r, const struct btc_probe_target *t, const char *server,
                          const struct btc_probe_options *o)
{
	struct session s;
	LOGINREC *login = NULL;
	DBPROCESS *d = NULL;
	char seconds[16];
	int rc = -1;

	reset(&s);
	current = &s;
	login = dblogin();
	if (!login)
		goto done;
	/* Pinned: with "tds version = auto" a silent server makes dbopen()
	 * ignore the login timeout (the TDS 5.0 fallback, FreeTDS #733).
	 * UTF-8, or names outside Latin-1 come back as '?'. */
	if (DBSETLVERSION(login, DBVERSION_74) == FAIL || DBSETLCHARSET(login, "UTF-8") == FAIL ||
	    DBSETLAPP(login, "btclint") == FAIL)
		goto done;
	if (o->user) {
		/* A DOMAIN\user name makes FreeTDS use NTLM by itself. */
		if (DBSETLUSER(login, o->user) == FAIL || (o->password && DBSETLPWD(login, o->password) == FAIL))
			goto done;
	} else if (DBSETLNETWORKAUTH(login, TRUE) == FAIL) {
		goto done; /* Kerberos */
	}
	/* Process-wide in db-lib; every login of a run sets the same value. */
	dbsetlogintime(o->timeout_s);

	d = dbopen(login, server);
	if (!d) {
		login_failure(r, &s, server, o->timeout_s);
		rc = 0;
		goto done;
	}
	r->answered = true;
	/* Per connection, unlike dbsettime(), which is process-wide. */
	snprintf(seconds, sizeof seconds, "%d", o->timeout_s);
	if (dbsetopt(d, DBSETTIME, seconds, 0) == FAIL) {
		/* Without it a stalled server would hold this thread for good. */
		r->error = BTC_PROBE_OTHER;
		snprintf(r->message, sizeof r->message, "%s: cannot set the query timeout", server);
		rc = 0;
		goto done;
	}
	rc = read_facts(r, &s, d, t, o->timeout_s);
done:
	if (d)
		dbclose(d);
	if (login)
		dbloginfree(login);
	current = NULL;
	return rc;
}
