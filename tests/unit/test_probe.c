/*
 * Tests of the live SQL probe against the loopback TDS server
 * (tests/tds/tds_server.c), reached through a generated freetds.conf, with
 * FreeTDS itself as the client.  The server's path comes from argv[1] or
 * BTC_TDS_SERVER.
 */
#define _POSIX_C_SOURCE 200809L
#ifndef _DEFAULT_SOURCE /* the top-level build defines it */
#define _DEFAULT_SOURCE
#endif

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>

#include <cmocka.h>

#include "probe/probe.h"

#define PASSWORD "Pr0be-S3cret!"
#define SLOW_MS  1500

static const char *server_path;

/* Everything the group fixture starts, torn down at the end. */
struct fixture {
	pid_t servers[2];
	char dir[64];
	char conf[96];
	int browser_port;  /* the test server's SQL Browser */
	int silent_udp_fd; /* a "Browser" that never answers */
	int silent_udp_port;
	int closed_udp_port; /* a UDP port nobody listens on */
	int standalone_port;
};

static struct fixture fx;

struct port_of {
	char persona[32];
	int port;
};

static struct port_of ports[20];
static size_t n_ports;

static int port_of(const char *persona)
{
	for (size_t i = 0; i < n_ports; i++)
		if (strcmp(ports[i].persona, persona) == 0)
			return ports[i].port;
	return -1;
}

/* A port that nothing listens on: bound, read back, released. */
static int free_port(int type)
{
	int fd = socket(AF_INET, type, 0);
	struct sockaddr_in a = {0};
	socklen_t len = sizeof a;
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return ntohs(a.sin_port);
}

/* Starts the server with argv and reads its "NAME PORT" lines (want of
 * them) into ports[]; -1 on failure. */
static pid_t start_server(char *const argv[], size_t want)
{
	int pipefd[2];
	if (pipe(pipefd) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		close(pipefd[1]);
		execv(server_path, argv);
		_exit(127);
	}
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return -1;
	}
	/* Plain read(): a stdio buffer would hide lines from poll(). */
	char text[2048];
	size_t len = 0, got = 0;
	struct pollfd p = {pipefd[0], POLLIN, 0};
	while (got < want && len < sizeof text - 1 && poll(&p, 1, 5000) > 0) {
		ssize_t r = read(pipefd[0], text + len, sizeof text - 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
		text[len] = '\0';
		got = 0;
		for (const char *c = text; *c; c++)
			got += *c == '\n';
	}
	close(pipefd[0]);
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); got >= want && line; line = strtok_r(NULL, "\n", &save)) {
		char name[32];
		int port;
		if (sscanf(line, "%31s %d", name, &port) != 2 || n_ports == 20)
			break;
		snprintf(ports[n_ports].persona, sizeof ports[n_ports].persona, "%s", name);
		ports[n_ports++].port = port;
	}
	if (got < want) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

static void conf_version(FILE *f, const char *name, int port, const char *version)
{
	fprintf(f, "[%s]\n\thost = 127.0.0.1\n", name);
	if (port > 0)
		fprintf(f, "\tport = %d\n", port);
	fprintf(f, "\ttds version = %s\n\n", version);
}

static void conf_section(FILE *f, const char *name, int port)
{
	conf_version(f, name, port, "7.4");
}

static int start_fixture(void)
{
	char lifetime[] = "120", slow[16];
	snprintf(slow, sizeof slow, "%d", SLOW_MS);
	/* clang-format off */
	char *argv[] = {"btc_tds_server", "--lifetime", lifetime, "--slow-ms", slow,
	                "--persona", "fci=0",
	                "--persona", "node=0",
	                "--persona", "standalone=0",
	                "--persona", "listener=0",
	                "--persona", "onenode=0",
	                "--persona", "nodedown=0",
	                "--persona", "denied=0",
	                "--persona", "hidden=0",
	                "--persona", "badlogin=0",
	                "--persona", "silent=0",
	                "--persona", "slow=0",
	                "--persona", "hangup=0",
	                "--persona", "stall=0",
	                "--browser", "fci=0", NULL};
	/* clang-format on */
	/* The same standalone server with a default instance (InstanceName NULL). */
	char *argv2[] = {"btc_tds_server", "--lifetime",   lifetime, "--instance", "-",
	                 "--persona",      "standalone=0", NULL};

	if ((fx.servers[0] = start_server(argv, 14)) < 0)
		return -1;
	fx.browser_port = port_of("browser");
	size_t first = n_ports;
	if ((fx.servers[1] = start_server(argv2, 1)) < 0)
		return -1;
	fx.standalone_port = ports[first].port;
	n_ports = first; /* port_of("standalone") stays the first server's */

	/* A Browser that receives but never answers. */
	fx.silent_udp_fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = {0};
	socklen_t len = sizeof a;
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fx.silent_udp_fd < 0 || bind(fx.silent_udp_fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    getsockname(fx.silent_udp_fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	fx.silent_udp_port = ntohs(a.sin_port);
	fx.closed_udp_port = free_port(SOCK_DGRAM);

	snprintf(fx.dir, sizeof fx.dir, "/tmp/btc-probe-XXXXXX");
	if (!mkdtemp(fx.dir))
		return -1;
	snprintf(fx.conf, sizeof fx.conf, "%s/freetds.conf", fx.dir);
	FILE *f = fopen(fx.conf, "w");
	if (!f)
		return -1;
	fprintf(f, "[global]\n\ttds version = 7.4\n\n");
	conf_section(f, "SQLVS01\\BTS", port_of("fci"));
	conf_section(f, "SQLN01", port_of("node"));
	conf_section(f, "STANDALONE01", port_of("standalone"));
	conf_section(f, "STANDALONE02", fx.standalone_port);
	conf_section(f, "BTSAGL01", port_of("listener"));
	conf_section(f, "SQLVS02", port_of("onenode"));
	conf_section(f, "SQLVS03", port_of("nodedown"));
	conf_section(f, "DENIED01", port_of("denied"));
	conf_section(f, "BADLOGIN01", port_of("badlogin"));
	/* Debian's default; the probe must pin 7.4 itself, or dbopen() on a
	 * silent server ignores the login timeout (FreeTDS #733). */
	conf_version(f, "SILENT01", port_of("silent"), "auto");
	conf_section(f, "SLOW01", port_of("slow"));
	conf_section(f, "HANGUP01", port_of("hangup"));
	conf_section(f, "STALL01", port_of("stall"));
	conf_section(f, "HIDDEN01", port_of("hidden"));
	conf_section(f, "CLOSED01", free_port(SOCK_STREAM));
	/* Host sections without a port: HOST\INSTANCE goes to the Browser. */
	conf_section(f, "SQLVS09", 0);
	fclose(f);
	setenv("FREETDSCONF", fx.conf, 1);
	return 0;
}

static void stop_fixture(void)
{
	for (int i = 0; i < 2; i++)
		if (fx.servers[i] > 0) {
			kill(fx.servers[i], SIGTERM);
			waitpid(fx.servers[i], NULL, 0);
		}
	if (fx.silent_udp_fd >= 0)
		close(fx.silent_udp_fd);
	if (fx.conf[0])
		unlink(fx.conf);
	if (fx.dir[0])
		rmdir(fx.dir);
}

static int group_setup(void **state)
{
	(void)state;
	memset(&fx, 0, sizeof fx);
	fx.silent_udp_fd = -1;
	if (start_fixture() == 0)
		return 0;
	stop_fixture(); /* cmocka skips the teardown when the setup fails */
	return -1;
}

static int group_teardown(void **state)
{
	(void)state;
	stop_fixture();
	return 0;
}

static struct btc_probe_options options(int timeout_s)
{
	struct btc_probe_options o = {timeout_s, 8, "btclint", PASSWORD, fx.browser_port};
	return o;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Probes one target; the caller frees the result. */
static struct btc_probe_result *probe(struct btc_probe_target t, struct btc_probe_options o)
{
	struct btc_probe_result *r = NULL;
	char err[256] = "";
	assert_int_equal(btc_probe_run(&r, &t, 1, &o, err, sizeof err), 0);
	assert_non_null(r);
	assert_null(strstr(r->message, PASSWORD));
	assert_null(strstr(r->route, PASSWORD));
	return r;
}

static struct btc_probe_target named(const char *name, const char *host, const char *instance)
{
	struct btc_probe_target t = {name, host, instance, -1, NULL, 0, NULL, 0};
	return t;
}

static void assert_fci_facts(const struct btc_probe_result *r)
{
	assert_true(r->answered);
	assert_int_equal(r->error, BTC_PROBE_OK);
	assert_string_equal(r->message, "");
	assert_true(r->facts.properties_read);
	assert_int_equal(r->facts.is_clustered, 1);
	assert_int_equal(r->facts.is_hadr, 0);
	assert_string_equal(r->facts.machine_name, "SQLVS01");
	assert_string_equal(r->facts.physical_node, "SQLN01");
	assert_string_equal(r->facts.server_name, "SQLVS01\\BTS");
	assert_string_equal(r->facts.instance_name, "BTS");
	assert_string_equal(r->facts.product_version, "15.0.4153.1");
	assert_non_null(strstr(r->facts.edition, "Enterprise"));
	assert_true(r->facts.nodes_read);
	assert_false(r->facts.nodes_denied);
	assert_int_equal(r->facts.n_nodes, 2);
	assert_string_equal(r->facts.nodes[0].name, "SQLN01");
	assert_int_equal(r->facts.nodes[0].status, 0);
	assert_string_equal(r->facts.nodes[0].status_description, "up");
	assert_int_equal(r->facts.nodes[0].is_current_owner, 1);
	assert_string_equal(r->facts.nodes[1].name, "SQLN02");
	assert_int_equal(r->facts.nodes[1].status, 0);
	assert_int_equal(r->facts.nodes[1].is_current_owner, 0);
	/* HADR is off: the listeners were not asked for. */
	assert_false(r->facts.listeners_read);
	assert_int_equal(r->facts.n_listeners, 0);
}

static void test_fci_by_section(void **state)
{
	(void)state;
	/* The last name is outside Latin-1: it only matches if the probe
	 * asked FreeTDS for UTF-8. */
	const char *dbs[] = {"BizTalkMgmtDb", "ssodb", "NoSuchDb",
	                     "BTS_\xce\x94\xce\xbf\xce\xba\xce\xb9\xce\xbc\xce\xae"};
	struct btc_probe_target t = {"SQLVS01\\BTS", "SQLVS01", "BTS", -1, dbs, 4, NULL, 0};
	struct btc_probe_result *r = probe(t, options(5));
	assert_fci_facts(r);
	assert_non_null(strstr(r->route, "freetds.conf section [SQLVS01\\BTS]"));
	assert_true(r->facts.databases_read);
	assert_false(r->facts.databases_denied);
	assert_int_equal(r->facts.databases_present[0], 1);
	assert_int_equal(r->facts.databases_present[1], 1);
	assert_int_equal(r->facts.databases_present[2], 0);
	assert_int_equal(r->facts.databases_present[3], 1);
	assert_true(r->elapsed_ms >= 0 && r->elapsed_ms < 2000);
	btc_probe_results_free(r, 1);
}

static void test_node_name_reaches_same_server(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("SQLN01", "SQLN01", NULL), options(5));
	/* The facts are the FCI's; the rules see that the name used is its
	 * physical node. */
	assert_fci_facts(r);
	assert_false(r->facts.databases_read);
	btc_probe_results_free(r, 1);
}

static void test_standalone(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("STANDALONE01", "STANDALONE01", NULL), options(5));
	assert_int_equal(r->error, BTC_PROBE_OK);
	assert_int_equal(r->facts.is_clustered, 0);
	assert_string_equal(r->facts.machine_name, "STANDALONE01");
	assert_true(r->facts.nodes_read);
	assert_int_equal(r->facts.n_nodes, 0);
	btc_probe_results_free(r, 1);
}

static void test_default_instance_is_null(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("STANDALONE02", "STANDALONE02", NULL), options(5));
	assert_true(r->facts.properties_read);
	assert_null(r->facts.instance_name);
	assert_string_equal(r->facts.server_name, "STANDALONE01");
	btc_probe_results_free(r, 1);
}

static void test_listener(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("BTSAGL01", "BTSAGL01", NULL), options(5));
	assert_int_equal(r->error, BTC_PROBE_OK);
	assert_int_equal(r->facts.is_clustered, 0);
	assert_int_equal(r->facts.is_hadr, 1);
	assert_true(r->facts.listeners_read);
	assert_false(r->facts.listeners_denied);
	assert_int_equal(r->facts.n_listeners, 1);
	assert_string_equal(r->facts.listeners[0], "BTSAGL01");
	btc_probe_results_free(r, 1);
}

static void test_one_node_cluster(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("SQLVS02", "SQLVS02", NULL), options(5));
	assert_int_equal(r->facts.is_clustered, 1);
	assert_true(r->facts.nodes_read);
	assert_int_equal(r->facts.n_nodes, 1);
	btc_probe_results_free(r, 1);
}

static void test_node_down(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("SQLVS03", "SQLVS03", NULL), options(5));
	assert_int_equal(r->facts.n_nodes, 2);
	assert_int_equal(r->facts.nodes[0].status, 0);
	assert_string_equal(r->facts.nodes[1].name, "SQLN02");
	assert_int_equal(r->facts.nodes[1].status, 1);
	assert_string_equal(r->facts.nodes[1].status_description, "down");
	btc_probe_results_free(r, 1);
}

static void test_denied_views_are_flags_not_failures(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("DENIED01", "DENIED01", NULL), options(5));
	assert_true(r->answered);
	assert_int_equal(r->error, BTC_PROBE_OK);
	assert_true(r->facts.properties_read);
	assert_int_equal(r->facts.is_hadr, 1);
	assert_false(r->facts.nodes_read);
	assert_true(r->facts.nodes_denied);
	assert_false(r->facts.listeners_read);
	assert_true(r->facts.listeners_denied);
	btc_probe_results_free(r, 1);
}

static void test_hidden_rows_are_unknown_not_absent(void **state)
{
	(void)state;
	/* This login sees master and tempdb only, and no listener. */
	const char *dbs[] = {"master", "BizTalkMgmtDb"};
	struct btc_probe_target t = {"HIDDEN01", "HIDDEN01", NULL, -1, dbs, 2, NULL, 0};
	struct btc_probe_result *r = probe(t, options(5));
	assert_int_equal(r->error, BTC_PROBE_OK);
	assert_int_equal(r->facts.is_hadr, 1);
	assert_int_equal(r->facts.n_listeners, 0);
	assert_true(r->facts.listeners_denied);
	assert_true(r->facts.databases_denied);
	assert_int_equal(r->facts.databases_present[0], 1);
	assert_int_equal(r->facts.databases_present[1], BTC_PROBE_UNKNOWN);
	btc_probe_results_free(r, 1);
}

/* gi_SecretServer per SSO database: the name goes in brackets with ']'
 * doubled (the server answers "SSO]DB" only when it is), and a name no
 * database can have is never sent. Unknown facts are not probe failures. */
static void test_secret_server(void **state)
{
	(void)state;
	char longest[129], too_long[130];
	memset(longest, 'A', 128);
	longest[128] = '\0';
	memset(too_long, 'A', 129);
	too_long[129] = '\0';
	static const char c0[] = {'S', 'S', 'O', 0x01, 'D', 'B', 0},
	                  c1[] = {'S', 'S', 'O', '\xc2', '\x85', 'D', 'B', 0};
	const char *dbs[] = {"SSODB", "sso]db", "BizTalkMgmtDb", c0, c1, longest, too_long};
	struct btc_probe_target t = {"SQLVS01\\BTS", "SQLVS01", "BTS", -1, NULL, 0, dbs, 7};
	struct btc_probe_result *r = probe(t, options(5));
	assert_int_equal(r->error, BTC_PROBE_OK);
	assert_int_equal(r->facts.n_sso, 7);
	assert_int_equal(r->facts.sso[0].state, BTC_PROBE_SSO_READ);
	assert_string_equal(r->facts.sso[0].secret_server, "SSOVS01");
	assert_int_equal(r->facts.sso[1].state, BTC_PROBE_SSO_READ);
	assert_string_equal(r->facts.sso[1].secret_server, "SSOVS01");
	assert_int_equal(r->facts.sso[2].state, BTC_PROBE_SSO_MISSING);
	assert_int_equal(r->facts.sso[3].state, BTC_PROBE_SSO_NOT_READ);
	assert_int_equal(r->facts.sso[4].state, BTC_PROBE_SSO_NOT_READ);
	assert_int_equal(r->facts.sso[5].state, BTC_PROBE_SSO_MISSING); /* sent: 128 characters */
	assert_int_equal(r->facts.sso[6].state, BTC_PROBE_SSO_NOT_READ);
	for (size_t i = 2; i < 7; i++)
		assert_null(r->facts.sso[i].secret_server);
	btc_probe_results_free(r, 1);

	/* No SELECT on the table, or no user in the database: refused. */
	const char *sso[] = {"SSODB"};
	const char *names[] = {"DENIED01", "HIDDEN01"};
	for (size_t i = 0; i < 2; i++) {
		struct btc_probe_target u = {names[i], names[i], NULL, -1, NULL, 0, sso, 1};
		r = probe(u, options(5));
		assert_int_equal(r->error, BTC_PROBE_OK);
		assert_int_equal(r->facts.sso[0].state, BTC_PROBE_SSO_DENIED);
		assert_null(r->facts.sso[0].secret_server);
		btc_probe_results_free(r, 1);
	}
}

static void test_bad_login(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("BADLOGIN01", "BADLOGIN01", NULL), options(5));
	assert_true(r->answered);
	assert_int_equal(r->error, BTC_PROBE_LOGIN_FAILED);
	assert_non_null(strstr(r->message, "18456"));
	assert_false(r->facts.properties_read);
	assert_int_equal(r->facts.is_clustered, BTC_PROBE_UNKNOWN);
	btc_probe_results_free(r, 1);
}

static void test_silent_within_timeout_plus_one(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("SILENT01", "SILENT01", NULL), options(2));
	assert_false(r->answered);
	assert_int_equal(r->error, BTC_PROBE_TIMEOUT);
	assert_true(r->elapsed_ms >= 1900);
	assert_true(r->elapsed_ms < 3000);
	print_message("silent endpoint, 2 s timeout: %ld ms\n", r->elapsed_ms);
	btc_probe_results_free(r, 1);
}

static void test_twenty_silent_in_parallel(void **state)
{
	(void)state;
	struct btc_probe_target t[20];
	for (size_t i = 0; i < 20; i++)
		t[i] = named("SILENT01", "SILENT01", NULL);
	struct btc_probe_options o = options(2);
	struct btc_probe_result *r = NULL;
	char err[256];
	long start = now_ms();
	assert_int_equal(btc_probe_run(&r, t, 20, &o, err, sizeof err), 0);
	long wall = now_ms() - start;
	print_message("20 silent endpoints, 2 s timeout, %d jobs: %ld ms\n", o.jobs, wall);
	/* Serially this is 40 s; 8 at a time, three rounds of 2 s. */
	assert_true(wall < 10000);
	for (size_t i = 0; i < 20; i++)
		assert_int_equal(r[i].error, BTC_PROBE_TIMEOUT);
	btc_probe_results_free(r, 20);
}

static void test_closed_port_refused_quickly(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("CLOSED01", "CLOSED01", NULL), options(5));
	assert_false(r->answered);
	assert_int_equal(r->error, BTC_PROBE_REFUSED);
	assert_true(r->elapsed_ms < 1000);
	print_message("closed port: %ld ms\n", r->elapsed_ms);
	btc_probe_results_free(r, 1);
}

static void test_hangup_is_closed(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("HANGUP01", "HANGUP01", NULL), options(5));
	assert_false(r->answered);
	assert_int_equal(r->error, BTC_PROBE_CLOSED);
	assert_true(r->elapsed_ms < 1000);
	btc_probe_results_free(r, 1);
}

static void test_slow_login_within_and_beyond_timeout(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("SLOW01", "SLOW01", NULL), options(3));
	assert_int_equal(r->error, BTC_PROBE_OK);
	assert_int_equal(r->facts.is_clustered, 1);
	assert_true(r->elapsed_ms >= SLOW_MS);
	btc_probe_results_free(r, 1);

	r = probe(named("SLOW01", "SLOW01", NULL), options(1));
	assert_int_equal(r->error, BTC_PROBE_TIMEOUT);
	assert_true(r->elapsed_ms < 2000);
	btc_probe_results_free(r, 1);
}

static void test_stalled_query_times_out(void **state)
{
	(void)state;
	struct btc_probe_result *r = probe(named("STALL01", "STALL01", NULL), options(1));
	assert_true(r->answered);
	assert_int_equal(r->error, BTC_PROBE_TIMEOUT);
	assert_false(r->facts.properties_read);
	assert_true(r->elapsed_ms < 2000);
	btc_probe_results_free(r, 1);
}

static void test_host_comma_port(void **state)
{
	(void)state;
	char name[64];
	snprintf(name, sizeof name, "127.0.0.1,%d", port_of("standalone"));
	struct btc_probe_target t = {name, "127.0.0.1", NULL, port_of("standalone"), NULL, 0, NULL, 0};
	struct btc_probe_result *r = probe(t, options(5));
	assert_int_equal(r->error, BTC_PROBE_OK);
	assert_string_equal(r->facts.machine_name, "STANDALONE01");
	btc_probe_results_free(r, 1);
}

static void test_instance_port_from_browser(void **state)
{
	(void)state;
	/* No [SQLVS09\BTS] section: the host's section gives the address, the
	 * Browser the port of instance BTS. */
	struct btc_probe_result *r = probe(named("SQLVS09\\BTS", "SQLVS09", "BTS"), options(5));
	assert_fci_facts(r);
	assert_non_null(strstr(r->route, "SQL Browser"));
	btc_probe_results_free(r, 1);
}

static void test_browser_unknown_instance_times_out(void **state)
{
	(void)state;
	/* The Browser does not answer for instances it does not have. */
	struct btc_probe_result *r = probe(named("SQLVS09\\NOPE", "SQLVS09", "NOPE"), options(1));
	assert_false(r->answered);
	assert_int_equal(r->error, BTC_PROBE_TIMEOUT);
	assert_non_null(strstr(r->message, "SQL Browser"));
	assert_true(r->elapsed_ms >= 900 && r->elapsed_ms < 2000);
	btc_probe_results_free(r, 1);
}

static void test_browser_silent_and_refused(void **state)
{
	(void)state;
	struct btc_probe_options o = options(1);
	o.browser_port = fx.silent_udp_port;
	struct btc_probe_result *r = probe(named("SQLVS09\\BTS", "SQLVS09", "BTS"), o);
	assert_int_equal(r->error, BTC_PROBE_TIMEOUT);
	assert_true(r->elapsed_ms < 2000);
	btc_probe_results_free(r, 1);

	o.browser_port = fx.closed_udp_port;
	r = probe(named("SQLVS09\\BTS", "SQLVS09", "BTS"), o);
	assert_int_equal(r->error, BTC_PROBE_REFUSED);
	assert_true(r->elapsed_ms < 1000);
	btc_probe_results_free(r, 1);
}

static void test_unresolved(void **state)
{
	(void)state;
	struct btc_probe_result *r =
	    probe(named("btclint-no-such-host.invalid", "btclint-no-such-host.invalid", NULL), options(2));
	assert_false(r->answered);
	assert_int_equal(r->error, BTC_PROBE_UNRESOLVED);
	btc_probe_results_free(r, 1);

	r = probe(named("btclint-no-such-host.invalid\\BTS", "btclint-no-such-host.invalid", "BTS"), options(2));
	assert_int_equal(r->error, BTC_PROBE_UNRESOLVED);
	btc_probe_results_free(r, 1);
}

/* All personas at once: results stay at their target's index, and the
 * password appears in no message, whatever the outcome. */
static void test_mixed_run_in_parallel(void **state)
{
	(void)state;
	const char *names[] = {"SQLVS01\\BTS", "BADLOGIN01", "SILENT01", "CLOSED01", "HANGUP01",
	                       "STANDALONE01", "BTSAGL01",   "DENIED01", "SQLN01"};
	const enum btc_probe_error want[] = {BTC_PROBE_OK,      BTC_PROBE_LOGIN_FAILED, BTC_PROBE_TIMEOUT,
	                                     BTC_PROBE_REFUSED, BTC_PROBE_CLOSED,       BTC_PROBE_OK,
	                                     BTC_PROBE_OK,      BTC_PROBE_OK,           BTC_PROBE_OK};
	size_t n = sizeof names / sizeof names[0];
	struct btc_probe_target t[9];
	for (size_t i = 0; i < n; i++)
		t[i] = named(names[i], names[i], NULL);
	struct btc_probe_options o = options(2);
	struct btc_probe_result *r = NULL;
	char err[256];
	assert_int_equal(btc_probe_run(&r, t, n, &o, err, sizeof err), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(r[i].error, want[i]);
		assert_null(strstr(r[i].message, PASSWORD));
		assert_true(r[i].error == BTC_PROBE_OK || r[i].message[0] != '\0');
	}
	assert_string_equal(r[6].facts.listeners[0], "BTSAGL01");
	btc_probe_results_free(r, n);
}

static void test_arguments(void **state)
{
	(void)state;
	struct btc_probe_result *r = NULL;
	struct btc_probe_options o = options(1);
	struct btc_probe_target bad = {NULL, "x", NULL, -1, NULL, 0, NULL, 0};
	char err[128] = "";
	assert_true(btc_probe_run(&r, &bad, 1, &o, err, sizeof err) < 0);
	assert_null(r);
	assert_true(err[0] != '\0');
	assert_true(btc_probe_run(&r, NULL, 0, NULL, err, sizeof err) < 0);
	assert_int_equal(btc_probe_run(&r, NULL, 0, &o, err, sizeof err), 0);
	btc_probe_results_free(r, 0);
	btc_probe_results_free(NULL, 3);
	assert_string_equal(btc_probe_error_name(BTC_PROBE_LOGIN_FAILED), "login_failed");
}

int main(int argc, char **argv)
{
	server_path = argc > 1 ? argv[1] : getenv("BTC_TDS_SERVER");
	if (!server_path) {
		fprintf(stderr, "test_probe: give the TDS server as argv[1] or BTC_TDS_SERVER\n");
		return 1;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fci_by_section),
	    cmocka_unit_test(test_node_name_reaches_same_server),
	    cmocka_unit_test(test_standalone),
	    cmocka_unit_test(test_default_instance_is_null),
	    cmocka_unit_test(test_listener),
	    cmocka_unit_test(test_one_node_cluster),
	    cmocka_unit_test(test_node_down),
	    cmocka_unit_test(test_denied_views_are_flags_not_failures),
	    cmocka_unit_test(test_hidden_rows_are_unknown_not_absent),
	    cmocka_unit_test(test_secret_server),
	    cmocka_unit_test(test_bad_login),
	    cmocka_unit_test(test_silent_within_timeout_plus_one),
	    cmocka_unit_test(test_twenty_silent_in_parallel),
	    cmocka_unit_test(test_closed_port_refused_quickly),
	    cmocka_unit_test(test_hangup_is_closed),
	    cmocka_unit_test(test_slow_login_within_and_beyond_timeout),
	    cmocka_unit_test(test_stalled_query_times_out),
	    cmocka_unit_test(test_host_comma_port),
	    cmocka_unit_test(test_instance_port_from_browser),
	    cmocka_unit_test(test_browser_unknown_instance_times_out),
	    cmocka_unit_test(test_browser_silent_and_refused),
	    cmocka_unit_test(test_unresolved),
	    cmocka_unit_test(test_mixed_run_in_parallel),
	    cmocka_unit_test(test_arguments),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
