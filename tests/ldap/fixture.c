/* See fixture.h. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE   700 /* nftw */

#include <sys/time.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <ldap.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : fallback;
}

/* Runs argv with stdin from /dev/null and output appended to DIR/setup.log
 * (openssl and slapadd are chatty); waits for it unless out_pid is given. */
static int run(const ldap_fixture *fx, char *const argv[], const char *log_name, pid_t *out_pid)
{
	char log[PATH_MAX + 32];
	pid_t pid;
	int status = 0;

	snprintf(log, sizeof log, "%s/%s", fx->dir, log_name);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = -1;
		int out = -1;

#ifdef __linux__
		/* A test run that dies (alarm, crash, ctest timeout) takes slapd along. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
		in = open("/dev/null", O_RDONLY);
		out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
			_exit(127);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (out_pid != NULL) {
		*out_pid = pid;
		return 0;
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int rc = 0;

	if (f == NULL)
		return -1;
	if (fputs(text, f) == EOF)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}

/* Reads the whole template and writes it with the placeholders replaced. */
static int write_config(const ldap_fixture *fx, const char *src, int flags)
{
	char path[PATH_MAX + 32];
	char schema[PATH_MAX + 32];
	char global[2 * PATH_MAX + 64];
	char *tmpl = NULL;
	long size = 0;
	FILE *in = NULL;
	FILE *out = NULL;
	int rc = -1;

	snprintf(schema, sizeof schema, "%s/ad.schema", src);
	snprintf(global, sizeof global, "%s\n%s%s%s\n", flags & FIXTURE_REQUIRE_AUTHC ? "require authc" : "",
	         flags & FIXTURE_ROOTDSE ? "rootDSE " : "", flags & FIXTURE_ROOTDSE ? src : "",
	         flags & FIXTURE_ROOTDSE ? "/rootdse.ldif" : "");
	snprintf(path, sizeof path, "%s/slapd.conf.in", src);
	in = fopen(path, "r");
	if (in == NULL || fseek(in, 0, SEEK_END) != 0 || (size = ftell(in)) < 0 || fseek(in, 0, SEEK_SET) != 0)
		goto done;
	tmpl = calloc(1, (size_t)size + 1);
	if (tmpl == NULL || fread(tmpl, 1, (size_t)size, in) != (size_t)size)
		goto done;
	snprintf(path, sizeof path, "%s/slapd.conf", fx->dir);
	out = fopen(path, "w");
	if (out == NULL)
		goto done;
	for (const char *p = tmpl; *p != '\0';) {
		if (strncmp(p, "@DIR@", 5) == 0) {
			fputs(fx->dir, out);
			p += 5;
		} else if (strncmp(p, "@SCHEMA@", 8) == 0) {
			fputs(schema, out);
			p += 8;
		} else if (strncmp(p, "@GLOBAL@", 8) == 0) {
			fputs(global, out);
			p += 8;
		} else {
			fputc(*p++, out);
		}
	}
	rc = ferror(out) ? -1 : 0;
done:
	if (out != NULL && fclose(out) != 0)
		rc = -1;
	if (in != NULL)
		fclose(in);
	free(tmpl);
	return rc;
}

/* A self-signed CA and a server certificate for 127.0.0.1 only (so that
 * "localhost" is a name mismatch). EC keys: fast to make. */
static int make_certificates(const ldap_fixture *fx)
{
	const char *openssl = env_or("BTC_OPENSSL", "openssl");
	char ca_key[PATH_MAX + 32], csr[PATH_MAX + 32], key[PATH_MAX + 32], crt[PATH_MAX + 32], ext[PATH_MAX + 32],
	    serial[PATH_MAX + 32];

	snprintf(ca_key, sizeof ca_key, "%s/ca.key", fx->dir);
	snprintf(csr, sizeof csr, "%s/server.csr", fx->dir);
	snprintf(key, sizeof key, "%s/server.key", fx->dir);
	snprintf(crt, sizeof crt, "%s/server.pem", fx->dir);
	snprintf(ext, sizeof ext, "%s/server.ext", fx->dir);
	snprintf(serial, sizeof serial, "%s/ca.srl", fx->dir);
	if (write_file(ext, "basicConstraints=CA:FALSE\n"
	                    "keyUsage=critical,digitalSignature\n"
	                    "extendedKeyUsage=serverAuth\n"
	                    "subjectAltName=IP:127.0.0.1\n") < 0)
		return -1;
	{
		char *const ca[] = {(char *)openssl,
		                    "req",
		                    "-x509",
		                    "-newkey",
		                    "ec",
		                    "-pkeyopt",
		                    "ec_paramgen_curve:prime256v1",
		                    "-nodes",
		                    "-keyout",
		                    ca_key,
		                    "-out",
		                    (char *)fx->ca_file,
		                    "-days",
		                    "2",
		                    "-subj",
		                    "/CN=btclint test CA",
		                    "-addext",
		                    "basicConstraints=critical,CA:TRUE",
		                    "-addext",
		                    "keyUsage=critical,keyCertSign,cRLSign",
		                    NULL};
		char *const req[] = {
		    (char *)openssl, "req",     "-newkey", "ec",   "-pkeyopt", "ec_paramgen_curve:prime256v1",
		    "-nodes",        "-keyout", key,       "-out", csr,        "-subj",
		    "/CN=127.0.0.1", NULL};
		char *const sign[] = {(char *)openssl,
		                      "x509",
		                      "-req",
		                      "-in",
		                      csr,
		                      "-CA",
		                      (char *)fx->ca_file,
		                      "-CAkey",
		                      ca_key,
		                      "-CAserial",
		                      serial,
		                      "-CAcreateserial",
		                      "-out",
		                      crt,
		                      "-days",
		                      "2",
		                      "-extfile",
		                      ext,
		                      NULL};

		if (run(fx, ca, "setup.log", NULL) < 0 || run(fx, req, "setup.log", NULL) < 0 ||
		    run(fx, sign, "setup.log", NULL) < 0)
			return -1;
	}
	return 0;
}

/* Two ports the kernel says are free now; slapd may still lose a race for
 * them, which start() handles by retrying. */
static int free_ports(int *a, int *b)
{
	int fds[2] = {-1, -1};
	int ports[2] = {0, 0};
	int rc = -1;

	for (int i = 0; i < 2; i++) {
		struct sockaddr_in sin = {0};
		socklen_t len = sizeof sin;

		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fds[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&sin, sizeof sin) < 0 ||
		    getsockname(fds[i], (struct sockaddr *)&sin, &len) < 0)
			goto done;
		ports[i] = ntohs(sin.sin_port);
	}
	*a = ports[0];
	*b = ports[1];
	rc = 0;
done:
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

/* Ready means a bound search answers, not merely that the port accepts. */
static bool answers(const char *uri)
{
	LDAP *ld = NULL;
	int version = LDAP_VERSION3;
	struct timeval tv = {1, 0};
	struct berval cred = {strlen(FIXTURE_PASSWORD), FIXTURE_PASSWORD};
	LDAPMessage *res = NULL;
	bool ok = false;

	if (ldap_initialize(&ld, uri) != LDAP_SUCCESS)
		return false;
	ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version);
	ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv);
	ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv);
	if (ldap_sasl_bind_s(ld, FIXTURE_BIND_DN, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL) == LDAP_SUCCESS &&
	    ldap_search_ext_s(ld, FIXTURE_BASE, LDAP_SCOPE_BASE, "(objectClass=*)", NULL, 0, NULL, NULL, &tv, 0,
	                      &res) == LDAP_SUCCESS)
		ok = ldap_count_entries(ld, res) == 1;
	ldap_msgfree(res);
	ldap_unbind_ext_s(ld, NULL, NULL);
	return ok;
}

static void fail(char *err, size_t err_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(char *err, size_t err_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_size, fmt, ap);
	va_end(ap);
}

int ldap_fixture_start(ldap_fixture *fx, int flags, char *err, size_t err_size)
{
	const char *src = getenv("BTC_LDAP_FIXTURE");
	const char *slapd = env_or("BTC_SLAPD", "/usr/sbin/slapd");
	const char *slapadd = env_or("BTC_SLAPADD", "/usr/sbin/slapadd");
	char conf[PATH_MAX + 32], db[PATH_MAX + 32], ldif[PATH_MAX + 32];
	double t0 = now();

	memset(fx, 0, sizeof *fx);
	fx->pid = -1;
	if (src == NULL) {
		fail(err, err_size, "BTC_LDAP_FIXTURE is not set (the tests/ldap folder)");
		return -1;
	}
	snprintf(fx->dir, sizeof fx->dir, "%s/btclint-ldap-XXXXXX", env_or("TMPDIR", "/tmp"));
	if (mkdtemp(fx->dir) == NULL) {
		fail(err, err_size, "mkdtemp %s: %s", fx->dir, strerror(errno));
		fx->dir[0] = '\0';
		return -1;
	}
	snprintf(fx->ca_file, sizeof fx->ca_file, "%s/ca.pem", fx->dir);
	snprintf(conf, sizeof conf, "%s/slapd.conf", fx->dir);
	snprintf(db, sizeof db, "%s/db", fx->dir);
	snprintf(ldif, sizeof ldif, "%s/contoso.ldif", src);
	if (mkdir(db, 0700) < 0 || make_certificates(fx) < 0 || write_config(fx, src, flags) < 0) {
		fail(err, err_size, "cannot prepare %s (see setup.log there)", fx->dir);
		return -1;
	}
	{
		char *const load[] = {(char *)slapadd, "-q", "-f", conf, "-l", ldif, NULL};

		if (run(fx, load, "setup.log", NULL) < 0) {
			fail(err, err_size, "slapadd failed (see %s/setup.log)", fx->dir);
			return -1;
		}
	}
	for (int attempt = 0; attempt < 3; attempt++) {
		char urls[160];
		int port = 0, tls_port = 0;
		double deadline = now() + 10;
		int status = 0;

		if (free_ports(&port, &tls_port) < 0) {
			fail(err, err_size, "no free loopback port: %s", strerror(errno));
			return -1;
		}
		snprintf(fx->ldap_uri, sizeof fx->ldap_uri, "ldap://127.0.0.1:%d", port);
		snprintf(fx->ldaps_uri, sizeof fx->ldaps_uri, "ldaps://127.0.0.1:%d", tls_port);
		snprintf(fx->ldaps_name_uri, sizeof fx->ldaps_name_uri, "ldaps://localhost:%d", tls_port);
		snprintf(urls, sizeof urls, "%s/ %s/", fx->ldap_uri, fx->ldaps_uri);
		{
			/* -d 0: stay in the foreground (so we own the pid), no debug. */
			char *const argv[] = {(char *)slapd, "-d", "0", "-f", conf, "-h", urls, NULL};

			if (run(fx, argv, "slapd.log", &fx->pid) < 0) {
				fail(err, err_size, "cannot start %s: %s", slapd, strerror(errno));
				return -1;
			}
		}
		while (now() < deadline) {
			if (waitpid(fx->pid, &status, WNOHANG) == fx->pid) {
				fx->pid = -1; /* exited: most likely lost a port race */
				break;
			}
			if (answers(fx->ldap_uri)) {
				fx->start_seconds = now() - t0;
				return 0;
			}
			sleep_ms(20);
		}
		if (fx->pid > 0) {
			ldap_fixture_kill(fx);
			fail(err, err_size, "slapd did not answer within 10 s (see %s/slapd.log)", fx->dir);
			return -1;
		}
	}
	fail(err, err_size, "slapd exited three times (see %s/slapd.log)", fx->dir);
	return -1;
}

void ldap_fixture_kill(ldap_fixture *fx)
{
	if (fx->pid <= 0)
		return;
	kill(fx->pid, SIGCONT);
	kill(fx->pid, SIGTERM);
	for (int i = 0; i < 250; i++) {
		if (waitpid(fx->pid, NULL, WNOHANG) == fx->pid) {
			fx->pid = -1;
			return;
		}
		sleep_ms(20);
	}
	kill(fx->pid, SIGKILL);
	waitpid(fx->pid, NULL, 0);
	fx->pid = -1;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

void ldap_fixture_remove_tree(const char *dir)
{
	if (dir[0] != '\0')
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

extern char **environ;

void ldap_fixture_unset_env(const char *const *prefixes)
{
	/* Again from the start after each unsetenv: it changes environ. */
	for (int again = 1; again;) {
		again = 0;
		for (char **e = environ; *e != NULL && !again; e++) {
			for (const char *const *p = prefixes; *p != NULL && !again; p++) {
				if (strncmp(*e, *p, strlen(*p)) != 0)
					continue;
				char name[256];
				snprintf(name, sizeof name, "%.*s", (int)strcspn(*e, "="), *e);
				unsetenv(name);
				again = 1;
			}
		}
	}
}

void ldap_fixture_stop(ldap_fixture *fx)
{
	ldap_fixture_kill(fx);
	if (getenv("BTC_LDAP_KEEP") == NULL)
		ldap_fixture_remove_tree(fx->dir);
	fx->dir[0] = '\0';
}

int ldap_fixture_setup(void **state, int flags)
{
	ldap_fixture *fx = calloc(1, sizeof *fx);
	char err[512];

	if (fx == NULL)
		return -1;
	if (ldap_fixture_start(fx, flags, err, sizeof err) < 0) {
		fprintf(stderr, "fixture: %s\n", err);
		free(fx);
		return -1;
	}
	printf("    slapd ready in %.3f s at %s\n", fx->start_seconds, fx->ldap_uri);
	*state = fx;
	return 0;
}

int ldap_fixture_setup_ad_like(void **state)
{
	return ldap_fixture_setup(state, FIXTURE_REQUIRE_AUTHC | FIXTURE_ROOTDSE);
}

int ldap_fixture_teardown(void **state)
{
	ldap_fixture *fx = *state;

	if (fx != NULL)
		ldap_fixture_stop(fx);
	free(fx);
	*state = NULL;
	return 0;
}
