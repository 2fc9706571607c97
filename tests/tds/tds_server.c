/*
 * btc_tds_server: a small loopback TDS 7.4 server for the probe tests.
 *
 * It answers as SQL Server does, just enough for an unmodified FreeTDS client:
 * PRELOGIN (encryption "not supported", so the conversation stays in clear
 * text), LOGIN7 -> ENVCHANGE + LOGINACK + DONE (or error 18456), and SQL
 * batches -> COLMETADATA/ROW/DONE built from a persona's facts.  Each persona
 * listens on its own 127.0.0.1 port:
 *
 *   btc_tds_server [--persona NAME=PORT]... [--browser PERSONA=PORT]
 *                  [--instance NAME|-] [--secret-server NAME|-] [--slow-ms N]
 *                  [--lifetime SECONDS]
 *
 * PORT 0 picks a free port.  Once every socket listens, one line
 * "NAME PORT" per persona (and "browser PORT") is printed on stdout and
 * flushed, so a test can read where to connect.  --browser answers SQL
 * Browser (SSRP, UDP) requests with the TCP port of the given persona.
 * The server stops by itself after --lifetime seconds (default 120) or on
 * SIGTERM / SIGINT.  --secret-server is what SSOX_GlobalInfo.gi_SecretServer
 * holds in the SSO databases SSODB and SSO]DB (default SSOVS01, the
 * clustered master secret server; "-" leaves the table empty); the persona
 * "denied" may not read it, "hidden" may not enter those databases, and any
 * other database has no such table.  Only libc and pthreads; test code, not
 * product code.
 */
#define _POSIX_C_SOURCE 200809L
#ifndef _DEFAULT_SOURCE /* the top-level build defines it */
#define _DEFAULT_SOURCE
#endif

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_LISTENERS 32
#define MAX_MESSAGE   (1024 * 1024) /* a client message larger than this is dropped */
#define OUT_PACKET    4096          /* FreeTDS's default packet size */
#define POLL_MS       200           /* how often blocked loops look at the stop flag */

enum behaviour { ANSWER, FAIL_LOGIN, SILENT, SLOW, HANGUP, STALL };

/* What the login may see: everything; DENIED: no VIEW SERVER STATE, so the
 * views refuse with error 300; HIDDEN: neither VIEW ANY DEFINITION nor VIEW
 * ANY DATABASE, so the catalog views silently leave rows out. */
enum access { SEES_ALL, DENIED, HIDDEN };

struct node {
	const char *name;
	int status; /* sys.dm_os_cluster_nodes.status: 0 up, 1 down */
	const char *description;
	int owner;
};

struct persona {
	const char *name;
	enum behaviour how;
	int is_clustered;
	int is_hadr;
	const char *machine;  /* MachineName: the virtual name on a cluster */
	const char *physical; /* ComputerNamePhysicalNetBIOS: the active node */
	const struct node *nodes;
	size_t n_nodes;
	const char *listener; /* sys.availability_group_listeners.dns_name */
	enum access access;
};

static const struct node two_up[] = {{"SQLN01", 0, "up", 1}, {"SQLN02", 0, "up", 0}};
static const struct node one_up[] = {{"SQLN01", 0, "up", 1}};
static const struct node one_down[] = {{"SQLN01", 0, "up", 1}, {"SQLN02", 1, "down", 0}};

static const struct persona personas[] = {
    {"fci", ANSWER, 1, 0, "SQLVS01", "SQLN01", two_up, 2, NULL, SEES_ALL},
    {"node", ANSWER, 1, 0, "SQLVS01", "SQLN01", two_up, 2, NULL, SEES_ALL},
    {"standalone", ANSWER, 0, 0, "STANDALONE01", "STANDALONE01", NULL, 0, NULL, SEES_ALL},
    {"listener", ANSWER, 0, 1, "SQLN03", "SQLN03", NULL, 0, "BTSAGL01", SEES_ALL},
    {"onenode", ANSWER, 1, 0, "SQLVS02", "SQLN01", one_up, 1, NULL, SEES_ALL},
    {"nodedown", ANSWER, 1, 0, "SQLVS01", "SQLN01", one_down, 2, NULL, SEES_ALL},
    {"denied", ANSWER, 1, 1, "SQLVS01", "SQLN01", two_up, 2, "BTSAGL01", DENIED},
    {"badlogin", FAIL_LOGIN, 0, 0, "SQLVS01", "SQLN01", NULL, 0, NULL, SEES_ALL},
    {"silent", SILENT, 0, 0, "SILENT01", "SILENT01", NULL, 0, NULL, SEES_ALL},
    {"slow", SLOW, 1, 0, "SQLVS01", "SQLN01", two_up, 2, NULL, SEES_ALL},
    {"hangup", HANGUP, 0, 0, "HANGUP01", "HANGUP01", NULL, 0, NULL, SEES_ALL},
    {"hidden", ANSWER, 0, 1, "SQLN03", "SQLN03", NULL, 0, "BTSAGL01", HIDDEN},
    {"stall", STALL, 1, 0, "SQLVS01", "SQLN01", two_up, 2, NULL, SEES_ALL},
};

/* Every answering persona has these; the last one checks that names outside
 * Latin-1 survive the trip (the client must ask for UTF-8). */
static const char *const databases[] = {
    "master",        "tempdb", "model",           "msdb",
    "BizTalkMgmtDb", "SSODB",  "BizTalkMsgBoxDb", "BTS_\xce\x94\xce\xbf\xce\xba\xce\xb9\xce\xbc\xce\xae"};

/* The SSO databases (upper case, as batch_text folds the query): "SSO]DB"
 * checks that the client doubles the ']' of a bracket-quoted name. */
static const char *const sso_databases[] = {"SSODB", "SSO]DB"};

/* Settings shared read-only by the connection threads once main has set them. */
struct config {
	const char *instance;      /* NULL = default instance */
	const char *secret_server; /* gi_SecretServer; NULL = no row */
	int slow_ms;
	time_t deadline;
};
static struct config cfg = {"BTS", "SSOVS01", 3000, 0};

/* The one piece of mutable global state: set by the signal handler, read by
 * every thread, hence atomic rather than volatile sig_atomic_t (which only
 * covers the thread the signal interrupts). */
static atomic_bool stopping;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&stopping, true);
}

static bool should_stop(void)
{
	return atomic_load(&stopping) || time(NULL) >= cfg.deadline;
}

/* ---- output buffer ---------------------------------------------------- */

struct buf {
	uint8_t *p;
	size_t len, cap;
	bool failed;
};

static void put(struct buf *b, const void *data, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void put_u8(struct buf *b, unsigned v)
{
	uint8_t x = (uint8_t)v;
	put(b, &x, 1);
}

static void put_le16(struct buf *b, unsigned v)
{
	uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	put(b, x, 2);
}

static void put_le32(struct buf *b, uint32_t v)
{
	uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	put(b, x, 4);
}

static void put_le64(struct buf *b, uint64_t v)
{
	put_le32(b, (uint32_t)v);
	put_le32(b, (uint32_t)(v >> 32));
}

/* UTF-8 (BMP only, which is all the personas use) to UTF-16LE; returns the
 * number of UTF-16 code units written. */
static size_t put_utf16(struct buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t units = 0;
	while (*u) {
		unsigned cp = *u++;
		if (cp >= 0xE0 && u[0] && u[1]) {
			cp = ((cp & 0x0F) << 12) | ((unsigned)(u[0] & 0x3F) << 6) | (u[1] & 0x3F);
			u += 2;
		} else if (cp >= 0xC0 && u[0]) {
			cp = ((cp & 0x1F) << 6) | (u[0] & 0x3F);
			u += 1;
		}
		put_le16(b, cp);
		units++;
	}
	return units;
}

static size_t utf16_units(const char *s)
{
	size_t n = 0;
	for (const unsigned char *u = (const unsigned char *)s; *u; u++)
		if ((*u & 0xC0) != 0x80)
			n++;
	return n;
}

static void put_bvarchar(struct buf *b, const char *s)
{
	put_u8(b, (unsigned)utf16_units(s));
	put_utf16(b, s);
}

static void put_usvarchar(struct buf *b, const char *s)
{
	put_le16(b, (unsigned)utf16_units(s));
	put_utf16(b, s);
}

/* ---- socket I/O bounded by the stop flag -------------------------------- */

/* Waits until fd is readable; false when the server is stopping. */
static bool wait_readable(int fd)
{
	while (!should_stop()) {
		struct pollfd p = {fd, POLLIN, 0};
		int r = poll(&p, 1, POLL_MS);
		if (r > 0)
			return true;
		if (r < 0 && errno != EINTR)
			return false;
	}
	return false;
}

static bool read_full(int fd, uint8_t *dst, size_t n)
{
	size_t got = 0;
	while (got < n) {
		if (!wait_readable(fd))
			return false;
		ssize_t r = recv(fd, dst + got, n - got, 0);
		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

/* Reads one TDS message (packets up to the one flagged end-of-message). */
static bool read_message(int fd, uint8_t *type, struct buf *msg)
{
	msg->len = 0;
	for (;;) {
		uint8_t h[8];
		if (!read_full(fd, h, sizeof h))
			return false;
		size_t len = ((size_t)h[2] << 8) | h[3];
		if (len < 8 || msg->len + len > MAX_MESSAGE)
			return false;
		uint8_t body[65536];
		if (!read_full(fd, body, len - 8))
			return false;
		put(msg, body, len - 8);
		*type = h[0];
		if (msg->failed)
			return false;
		if (h[1] & 0x01)
			return true;
	}
}

static bool send_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t r = send(fd, p, n, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

/* Sends a tabular-result message (type 4), split into packets; each packet
 * goes out in one send() so that Nagle's algorithm adds no delay. */
static bool send_reply(int fd, const struct buf *b, unsigned spid)
{
	if (b->failed)
		return false;
	size_t off = 0;
	unsigned id = 1;
	uint8_t packet[OUT_PACKET];
	do {
		size_t chunk = b->len - off;
		if (chunk > OUT_PACKET - 8)
			chunk = OUT_PACKET - 8;
		bool last = off + chunk == b->len;
		size_t len = chunk + 8;
		const uint8_t h[8] = {0x04,
		                      last ? 0x01 : 0x00,
		                      (uint8_t)(len >> 8),
		                      (uint8_t)len,
		                      (uint8_t)(spid >> 8),
		                      (uint8_t)spid,
		                      (uint8_t)id++,
		                      0};
		memcpy(packet, h, 8);
		memcpy(packet + 8, b->p + off, chunk);
		if (!send_all(fd, packet, len))
			return false;
		off += chunk;
	} while (off < b->len);
	return true;
}

/* ---- tokens --------------------------------------------------------------- */

#define DONE_FINAL 0x0000
#define DONE_MORE  0x0001
#define DONE_ERROR 0x0002
#define DONE_COUNT 0x0010
#define DONE_ATTN  0x0020

static void put_done(struct buf *b, unsigned status, unsigned cmd, uint64_t rows)
{
	put_u8(b, 0xFD);
	put_le16(b, status);
	put_le16(b, cmd);
	put_le64(b, rows);
}

static void put_error(struct buf *b, uint32_t number, unsigned cls, const char *text)
{
	struct buf t = {0};
	put_le32(&t, number);
	put_u8(&t, 1); /* state */
	put_u8(&t, cls);
	put_usvarchar(&t, text);
	put_bvarchar(&t, "SQLVS01");
	put_bvarchar(&t, "");
	put_le32(&t, 1); /* line */
	put_u8(b, 0xAA);
	put_le16(b, (unsigned)t.len);
	put(b, t.p, t.len);
	b->failed |= t.failed;
	free(t.p);
}

static void put_envchange(struct buf *b, unsigned type, const char *new_value, const char *old_value)
{
	struct buf t = {0};
	put_u8(&t, type);
	put_bvarchar(&t, new_value);
	put_bvarchar(&t, old_value);
	put_u8(b, 0xE3);
	put_le16(b, (unsigned)t.len);
	put(b, t.p, t.len);
	b->failed |= t.failed;
	free(t.p);
}

static const uint8_t collation[5] = {0x09, 0x04, 0xD0, 0x00, 0x34}; /* Latin1_General_CI_AS */

enum coltype { NVARCHAR, INT };

struct column {
	const char *name;
	enum coltype type;
};

static void put_colmetadata(struct buf *b, const struct column *cols, size_t n)
{
	put_u8(b, 0x81);
	put_le16(b, (unsigned)n);
	for (size_t i = 0; i < n; i++) {
		put_le32(b, 0);      /* user type */
		put_le16(b, 0x0001); /* nullable */
		if (cols[i].type == NVARCHAR) {
			put_u8(b, 0xE7);
			put_le16(b, 512); /* nvarchar(256), in bytes */
			put(b, collation, sizeof collation);
		} else {
			put_u8(b, 0x26); /* INTN */
			put_u8(b, 4);
		}
		put_bvarchar(b, cols[i].name);
	}
}

/* A row value: text for NVARCHAR (NULL = SQL NULL), number for INT
 * (negative = SQL NULL, which none of the facts need otherwise). */
struct value {
	const char *text;
	long number;
};

static void put_row(struct buf *b, const struct column *cols, const struct value *v, size_t n)
{
	put_u8(b, 0xD1);
	for (size_t i = 0; i < n; i++) {
		if (cols[i].type == NVARCHAR) {
			if (!v[i].text) {
				put_le16(b, 0xFFFF);
				continue;
			}
			put_le16(b, (unsigned)(2 * utf16_units(v[i].text)));
			put_utf16(b, v[i].text);
		} else if (v[i].number < 0) {
			put_u8(b, 0);
		} else {
			put_u8(b, 4);
			put_le32(b, (uint32_t)v[i].number);
		}
	}
}

/* ---- conversation ---------------------------------------------------------- */

static bool answer_prelogin(int fd, unsigned spid)
{
	/* Options: VERSION, ENCRYPTION, INSTOPT, THREADID, MARS; offsets count
	 * from the start of the payload, after the 5-byte entries and 0xFF. */
	static const uint8_t reply[] = {
	    0x00, 0x00, 0x1A, 0x00, 0x06,             /* VERSION at 26, 6 bytes */
	    0x01, 0x00, 0x20, 0x00, 0x01,             /* ENCRYPTION at 32 */
	    0x02, 0x00, 0x21, 0x00, 0x01,             /* INSTOPT at 33 */
	    0x03, 0x00, 0x22, 0x00, 0x00,             /* THREADID, empty */
	    0x04, 0x00, 0x22, 0x00, 0x01,             /* MARS at 34 */
	    0xFF, 0x0F, 0x00, 0x10, 0xD9, 0x00, 0x00, /* 15.0.4313 */
	    0x02,                                     /* encryption not supported: clear text */
	    0x00,                                     /* instance accepted */
	    0x00,                                     /* no MARS */
	};
	struct buf b = {0};
	put(&b, reply, sizeof reply);
	bool ok = send_reply(fd, &b, spid);
	free(b.p);
	return ok;
}

static bool sleep_ms_unless_stopping(int ms)
{
	for (int waited = 0; waited < ms && !should_stop(); waited += 50) {
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
	return !should_stop();
}

static bool answer_login(int fd, const struct persona *p, const struct buf *msg, unsigned spid)
{
	if (msg->len < 94)
		return false;
	/* LOGIN7 carries the TDS version as a little-endian DWORD; LOGINACK
	 * sends it back most significant byte first.  FreeTDS checks the echo. */
	uint32_t version =
	    (uint32_t)msg->p[4] | (uint32_t)msg->p[5] << 8 | (uint32_t)msg->p[6] << 16 | (uint32_t)msg->p[7] << 24;

	if (p->how == SLOW && !sleep_ms_unless_stopping(cfg.slow_ms))
		return false;

	struct buf b = {0};
	if (p->how == FAIL_LOGIN) {
		/* The user name is not echoed: the text is what SQL Server says
		 * for an unknown login, and it never contains the password. */
		put_error(&b, 18456, 14, "Login failed for user 'btclint'.");
		put_done(&b, DONE_ERROR, 0, 0);
	} else {
		put_envchange(&b, 1, "master", "");
		put_envchange(&b, 2, "us_english", "");
		put_envchange(&b, 4, "4096", "4096");
		put_u8(&b, 0xE3); /* SQL collation */
		put_le16(&b, 8);
		put_u8(&b, 7);
		put_u8(&b, 5);
		put(&b, collation, sizeof collation);
		put_u8(&b, 0);

		struct buf t = {0};
		put_u8(&t, 1); /* interface: T-SQL */
		uint8_t v[4] = {(uint8_t)(version >> 24), (uint8_t)(version >> 16), (uint8_t)(version >> 8),
		                (uint8_t)version};
		put(&t, v, 4);
		put_bvarchar(&t, "Microsoft SQL Server");
		const uint8_t prog[4] = {15, 0, 0x10, 0xD9};
		put(&t, prog, 4);
		put_u8(&b, 0xAD);
		put_le16(&b, (unsigned)t.len);
		put(&b, t.p, t.len);
		b.failed |= t.failed;
		free(t.p);
		put_done(&b, DONE_FINAL, 0, 0);
	}
	bool ok = send_reply(fd, &b, spid) && p->how != FAIL_LOGIN;
	free(b.p);
	return ok;
}

/* The SQL text of a batch, folded to upper-case ASCII for matching. */
static char *batch_text(const struct buf *msg)
{
	size_t off = 0;
	if (msg->len >= 4) {
		/* TDS 7.2+: ALL_HEADERS, led by its own total length. */
		uint32_t total = (uint32_t)msg->p[0] | (uint32_t)msg->p[1] << 8 | (uint32_t)msg->p[2] << 16 |
		                 (uint32_t)msg->p[3] << 24;
		if (total <= msg->len)
			off = total;
	}
	size_t n = (msg->len - off) / 2;
	char *s = malloc(n + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned c = msg->p[off + 2 * i] | (unsigned)msg->p[off + 2 * i + 1] << 8;
		s[i] = c < 0x80 ? (char)(c >= 'a' && c <= 'z' ? c - 32 : c) : '?';
	}
	s[n] = '\0';
	return s;
}

static void put_denied(struct buf *b)
{
	put_error(b, 300, 14, "VIEW SERVER STATE permission was denied on object 'server', database 'master'.");
	put_error(b, 297, 16, "The user does not have permission to perform this action.");
	put_done(b, DONE_ERROR, 0xC1, 0);
}

static void answer_properties(struct buf *b, const struct persona *p)
{
	static const struct column cols[] = {
	    {"IsClustered", INT},         {"MachineName", NVARCHAR},  {"PhysicalNode", NVARCHAR},
	    {"ServerName", NVARCHAR},     {"InstanceName", NVARCHAR}, {"IsHadrEnabled", INT},
	    {"ProductVersion", NVARCHAR}, {"Edition", NVARCHAR},
	};
	char server[256];
	if (cfg.instance)
		snprintf(server, sizeof server, "%s\\%s", p->machine, cfg.instance);
	else
		snprintf(server, sizeof server, "%s", p->machine);
	const struct value v[] = {
	    {NULL, p->is_clustered}, {p->machine, 0},
	    {p->physical, 0},        {server, 0},
	    {cfg.instance, 0},       {NULL, p->is_hadr},
	    {"15.0.4153.1", 0},      {"Enterprise Edition: Core-based Licensing (64-bit)", 0},
	};
	put_colmetadata(b, cols, 8);
	put_row(b, cols, v, 8);
	put_done(b, DONE_COUNT, 0xC1, 1);
}

static void answer_nodes(struct buf *b, const struct persona *p)
{
	static const struct column cols[] = {
	    {"NodeName", NVARCHAR}, {"status", INT}, {"status_description", NVARCHAR}, {"is_current_owner", INT}};
	put_colmetadata(b, cols, 4);
	for (size_t i = 0; i < p->n_nodes; i++) {
		const struct node *n = &p->nodes[i];
		const struct value v[] = {{n->name, 0}, {NULL, n->status}, {n->description, 0}, {NULL, n->owner}};
		put_row(b, cols, v, 4);
	}
	put_done(b, DONE_COUNT, 0xC1, p->n_nodes);
}

/* The answer to "SELECT HAS_PERMS_BY_NAME(...)", asked after a catalog
 * view's rows. */
static void put_permission(struct buf *b, bool granted)
{
	static const struct column cols[] = {{"", INT}};
	const struct value v[] = {{NULL, granted ? 1 : 0}};
	put_colmetadata(b, cols, 1);
	put_row(b, cols, v, 1);
	put_done(b, DONE_COUNT, 0xC1, 1);
}

static bool asks_permission(const char *sql)
{
	return strstr(sql, "HAS_PERMS_BY_NAME") != NULL;
}

static void answer_listeners(struct buf *b, const struct persona *p, const char *sql)
{
	static const struct column cols[] = {{"dns_name", NVARCHAR}, {"port", INT}};
	bool visible = p->listener && p->access != HIDDEN;
	put_colmetadata(b, cols, 2);
	if (visible) {
		const struct value v[] = {{p->listener, 0}, {NULL, 1433}};
		put_row(b, cols, v, 2);
	}
	put_done(b, DONE_COUNT | (asks_permission(sql) ? DONE_MORE : 0), 0xC1, visible ? 1 : 0);
	if (asks_permission(sql))
		put_permission(b, p->access != HIDDEN);
}

/* Without VIEW ANY DATABASE a login sees master, tempdb and its own. */
static void answer_databases(struct buf *b, const struct persona *p, const char *sql)
{
	static const struct column cols[] = {{"name", NVARCHAR}};
	size_t n = p->access == HIDDEN ? 2 : sizeof databases / sizeof databases[0];
	put_colmetadata(b, cols, 1);
	for (size_t i = 0; i < n; i++) {
		const struct value v[] = {{databases[i], 0}};
		put_row(b, cols, v, 1);
	}
	put_done(b, DONE_COUNT | (asks_permission(sql) ? DONE_MORE : 0), 0xC1, n);
	if (asks_permission(sql))
		put_permission(b, p->access != HIDDEN);
}

/* The database of "... FROM [NAME].DBO.SSOX_GLOBALINFO" with "]]" undone,
 * or NULL when the identifier is not a well-formed bracket-quoted one
 * (then SQL Server would report a syntax error). */
static char *sso_database_of(const char *sql)
{
	const char *p = strstr(sql, "FROM [");
	if (!p)
		return NULL;
	p += 6;
	char *name = malloc(strlen(p) + 1);
	size_t n = 0;
	if (!name)
		return NULL;
	for (; *p; p++) {
		if (*p == ']' && p[1] == ']') {
			name[n++] = ']';
			p++;
		} else if (*p == ']') {
			break;
		} else {
			name[n++] = *p;
		}
	}
	name[n] = '\0';
	if (*p != ']' || strcmp(p + 1, ".DBO.SSOX_GLOBALINFO") != 0) {
		free(name);
		return NULL;
	}
	return name;
}

static void answer_secret_server(struct buf *b, const struct persona *p, const char *sql)
{
	static const struct column cols[] = {{"", NVARCHAR}};
	char *db = sso_database_of(sql);
	bool sso = false;
	for (size_t i = 0; db && i < sizeof sso_databases / sizeof sso_databases[0]; i++)
		sso |= strcmp(db, sso_databases[i]) == 0;
	if (!db) {
		put_error(b, 102, 15, "Incorrect syntax near the database name.");
		put_done(b, DONE_ERROR, 0xC1, 0);
	} else if (!sso) {
		put_error(b, 208, 16, "Invalid object name 'dbo.SSOX_GlobalInfo'.");
		put_done(b, DONE_ERROR, 0xC1, 0);
	} else if (p->access == HIDDEN) {
		put_error(b, 916, 14,
		          "The server principal \"btclint\" is not able to access the database under the current "
		          "security context.");
		put_done(b, DONE_ERROR, 0xC1, 0);
	} else if (p->access == DENIED) {
		put_error(b, 229, 14,
		          "The SELECT permission was denied on the object 'SSOX_GlobalInfo', schema 'dbo'.");
		put_done(b, DONE_ERROR, 0xC1, 0);
	} else {
		put_colmetadata(b, cols, 1);
		if (cfg.secret_server) {
			const struct value v[] = {{cfg.secret_server, 0}};
			put_row(b, cols, v, 1);
		}
		put_done(b, DONE_COUNT, 0xC1, cfg.secret_server ? 1 : 0);
	}
	free(db);
}

static bool answer_batch(int fd, const struct persona *p, const struct buf *msg, unsigned spid)
{
	char *sql = batch_text(msg);
	if (!sql)
		return false;
	struct buf b = {0};
	if (strstr(sql, "SERVERPROPERTY"))
		answer_properties(&b, p);
	else if ((strstr(sql, "DM_OS_CLUSTER_NODES") || strstr(sql, "AVAILABILITY_GROUP_LISTENERS")) &&
	         p->access == DENIED)
		put_denied(&b);
	else if (strstr(sql, "DM_OS_CLUSTER_NODES"))
		answer_nodes(&b, p);
	else if (strstr(sql, "AVAILABILITY_GROUP_LISTENERS"))
		answer_listeners(&b, p, sql);
	else if (strstr(sql, "SYS.DATABASES"))
		answer_databases(&b, p, sql);
	else if (strstr(sql, "SSOX_GLOBALINFO"))
		answer_secret_server(&b, p, sql);
	else
		put_done(&b, DONE_FINAL, 0, 0); /* SET options and the like */
	free(sql);
	bool ok = send_reply(fd, &b, spid);
	free(b.p);
	return ok;
}

struct connection {
	int fd;
	const struct persona *persona;
	unsigned spid;
};

static void *serve(void *arg)
{
	struct connection c = *(struct connection *)arg;
	free(arg);
	const struct persona *p = c.persona;
	struct buf msg = {0};
	uint8_t type = 0;

	if (p->how == HANGUP)
		goto done;
	if (p->how == SILENT) {
		/* Accept, read and ignore: the client must give up on its own. */
		while (read_message(c.fd, &type, &msg))
			;
		goto done;
	}
	bool logged_in = false;
	while (read_message(c.fd, &type, &msg)) {
		bool ok = true;
		if (type == 0x12)
			ok = answer_prelogin(c.fd, c.spid);
		else if (type == 0x10) {
			ok = answer_login(c.fd, p, &msg, c.spid);
			logged_in = ok;
		} else if (type == 0x01 && logged_in) {
			if (p->how == STALL)
				continue; /* logged in, then never answers a query */
			ok = answer_batch(c.fd, p, &msg, c.spid);
		} else if (type == 0x06 && p->how != STALL) {
			struct buf b = {0};
			put_done(&b, DONE_ATTN, 0, 0);
			ok = send_reply(c.fd, &b, c.spid);
			free(b.p);
		} else
			ok = false;
		if (!ok)
			break;
	}
done:
	free(msg.p);
	close(c.fd);
	return NULL;
}

/* ---- SQL Browser (SSRP over UDP) ----------------------------------------- */

static void answer_browser(int fd, int tcp_port)
{
	uint8_t req[512];
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof from;
	ssize_t n = recvfrom(fd, req, sizeof req - 1, 0, (struct sockaddr *)&from, &fromlen);
	/* CLNT_UCAST_INST (4) names an instance; CLNT_UCAST_EX (3) asks for all. */
	if (n < 1 || (req[0] != 0x04 && req[0] != 0x03))
		return;
	if (req[0] == 0x04) {
		req[n] = '\0';
		if (!cfg.instance || strcasecmp((const char *)req + 1, cfg.instance) != 0)
			return; /* like SQL Browser: unknown instances get no answer */
	}
	char text[512];
	int len = snprintf(text, sizeof text,
	                   "ServerName;SQLVS01;InstanceName;%s;IsClustered;Yes;Version;15.0.4153.1;"
	                   "tcp;%d;;",
	                   cfg.instance ? cfg.instance : "MSSQLSERVER", tcp_port);
	struct buf b = {0};
	put_u8(&b, 0x05); /* SVR_RESP */
	put_le16(&b, (unsigned)len);
	put(&b, text, (size_t)len);
	if (!b.failed)
		sendto(fd, b.p, b.len, 0, (struct sockaddr *)&from, fromlen);
	free(b.p);
}

/* ---- main ----------------------------------------------------------------- */

static const struct persona *find_persona(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof personas / sizeof personas[0]; i++)
		if (strlen(personas[i].name) == len && strncmp(personas[i].name, name, len) == 0)
			return &personas[i];
	return NULL;
}

static int open_socket(int type, int port)
{
	int fd = socket(AF_INET, type, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* A backlog of 5 loses SYNs when many probes connect at once. */
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || (type == SOCK_STREAM && listen(fd, 128) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int bound_port(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	if (getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	return ntohs(a.sin_port);
}

static int usage(void)
{
	fprintf(stderr, "usage: btc_tds_server [--persona NAME=PORT]... [--browser PERSONA=PORT]\n"
	                "       [--instance NAME|-] [--secret-server NAME|-] [--slow-ms N]\n"
	                "       [--lifetime SECONDS]\n"
	                "personas:");
	for (size_t i = 0; i < sizeof personas / sizeof personas[0]; i++)
		fprintf(stderr, " %s", personas[i].name);
	fprintf(stderr, "\n");
	return 2;
}

/* Parses NAME=PORT. */
static const struct persona *parse_pair(const char *arg, int *port)
{
	const char *eq = strchr(arg, '=');
	if (!eq)
		return NULL;
	char *end = NULL;
	long v = strtol(eq + 1, &end, 10);
	if (*end || v < 0 || v > 65535)
		return NULL;
	*port = (int)v;
	return find_persona(arg, (size_t)(eq - arg));
}

int main(int argc, char **argv)
{
	const struct persona *which[MAX_LISTENERS];
	int fds[MAX_LISTENERS];
	size_t n = 0;
	const struct persona *browser_for = NULL;
	int browser_port = -1, browser_fd = -1;
	long lifetime = 120;

	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!val)
			return usage();
		i++;
		int port = 0;
		if (strcmp(opt, "--persona") == 0) {
			if (n == MAX_LISTENERS || !(which[n] = parse_pair(val, &port)))
				return usage();
			if ((fds[n] = open_socket(SOCK_STREAM, port)) < 0) {
				perror("btc_tds_server: listen");
				return 1;
			}
			n++;
		} else if (strcmp(opt, "--browser") == 0) {
			if (!(browser_for = parse_pair(val, &browser_port)))
				return usage();
		} else if (strcmp(opt, "--instance") == 0) {
			cfg.instance = strcmp(val, "-") == 0 ? NULL : val;
		} else if (strcmp(opt, "--secret-server") == 0) {
			cfg.secret_server = strcmp(val, "-") == 0 ? NULL : val;
		} else if (strcmp(opt, "--slow-ms") == 0) {
			cfg.slow_ms = atoi(val);
		} else if (strcmp(opt, "--lifetime") == 0) {
			lifetime = atol(val);
		} else
			return usage();
	}
	if (n == 0)
		return usage();

	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	cfg.deadline = time(NULL) + lifetime;

	int browser_tcp = -1;
	if (browser_for) {
		for (size_t i = 0; i < n; i++)
			if (which[i] == browser_for)
				browser_tcp = bound_port(fds[i]);
		if (browser_tcp < 0 || (browser_fd = open_socket(SOCK_DGRAM, browser_port)) < 0) {
			fprintf(stderr, "btc_tds_server: --browser needs a running persona\n");
			return 1;
		}
	}
	for (size_t i = 0; i < n; i++)
		printf("%s %d\n", which[i]->name, bound_port(fds[i]));
	if (browser_fd >= 0)
		printf("browser %d\n", bound_port(browser_fd));
	fflush(stdout);

	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	unsigned spid = 51;
	struct pollfd pfd[MAX_LISTENERS + 1];
	while (!should_stop()) {
		size_t m = 0;
		for (; m < n; m++)
			pfd[m] = (struct pollfd){fds[m], POLLIN, 0};
		if (browser_fd >= 0)
			pfd[m++] = (struct pollfd){browser_fd, POLLIN, 0};
		if (poll(pfd, m, POLL_MS) <= 0)
			continue;
		if (browser_fd >= 0 && (pfd[m - 1].revents & POLLIN))
			answer_browser(browser_fd, browser_tcp);
		for (size_t i = 0; i < n; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			int cfd = accept(fds[i], NULL, NULL);
			if (cfd < 0)
				continue;
			struct connection *c = malloc(sizeof *c);
			pthread_t t;
			if (c) {
				*c = (struct connection){cfd, which[i], spid};
				spid = spid >= 32000 ? 51 : spid + 1;
			}
			if (!c || pthread_create(&t, &attr, serve, c) != 0) {
				free(c);
				close(cfd);
			}
		}
	}
	pthread_attr_destroy(&attr);
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
	if (browser_fd >= 0)
		close(browser_fd);
	return 0;
}
