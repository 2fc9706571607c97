/* The site inventory. inih splits lines into sections and key = value pairs
 * and strips comments; a reader of our own feeds it one physical line at a
 * time, so that every mistake can name its line (Debian builds inih without
 * INI_HANDLER_LINENO), and reads the section headers itself so that empty
 * sections and bad headers are seen too. */
#include "farm/inventory.h"

#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/strmap.h"
#include "util/text.h"

#define MAX_INVENTORY_SIZE ((size_t)1024 * 1024)

typedef enum sec_kind {
	SEC_NONE = 0,
	SEC_FARM,
	SEC_SQL,
	SEC_LISTENER,
	SEC_SSO,
	SEC_SERVER,
	SEC_DIRECTORY,
} sec_kind;

static const char *const kind_names[] = {"", "farm", "sql", "listener", "sso", "server", "directory"};

/* Keys per section kind; a key's index is its slot in parser.key_lines. The
 * first `required` keys of a kind are required. */
typedef struct kind_keys {
	const char *keys[6];
	size_t required_mask; /* bit i: keys[i] is required */
} kind_keys;

static const kind_keys kind_table[] = {
	[SEC_NONE] = {{NULL}, 0},
	[SEC_FARM] = {{"name", "domain", "complete", NULL}, 0},
	[SEC_SQL] = {{"instance", "nodes", "windows-cluster", "port", NULL}, 1u << 1},
	[SEC_LISTENER] = {{"replicas", "windows-cluster", "port", NULL}, 1u << 0},
	[SEC_SSO] = {{"nodes", NULL}, 1u << 0},
	[SEC_SERVER] = {{"export", "order", NULL}, 1u << 0},
	[SEC_DIRECTORY] = {{"uri", "base", "bind", "starttls", "ca", NULL}, 1u << 0},
};

/* A section NAME already declared, for the duplicate check. */
typedef struct header {
	const char *name;
	sec_kind kind;
	int line;
} header;

typedef struct parser {
	btc_inventory *inv;
	btc_error *err;
	const char *dir; /* the inventory's folder, "" for the current one */
	const char *text;
	size_t len, pos;
	int lineno; /* the physical line last handed to inih */
	bool failed;

	sec_kind kind;
	size_t index; /* of the current section in its array */
	const char *sec_name;
	int sec_line;
	int key_lines[6];
	btc_strmap names; /* first label of each NAME -> header */
} parser;

static void fail(parser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	if (p->failed)
		return;
	p->failed = true;
	p->err->line = line;
	p->err->column = 0;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
}

static void oom(parser *p)
{
	fail(p, p->lineno, "out of memory while reading the inventory");
}

/* "[sql SQLVS01]" or "[farm]", for messages. */
static const char *section_label(parser *p, char *buf, size_t n)
{
	if (p->sec_name != NULL)
		snprintf(buf, n, "[%s %s]", kind_names[p->kind], p->sec_name);
	else
		snprintf(buf, n, "[%s]", kind_names[p->kind]);
	return buf;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool has_space(const char *s)
{
	for (; *s; s++) {
		if (is_space(*s))
			return true;
	}
	return false;
}

/* Checks the section just ended: its required keys. */
static void finish_section(parser *p)
{
	char label[160];

	if (p->failed || p->kind == SEC_NONE)
		return;
	const kind_keys *k = &kind_table[p->kind];
	for (size_t i = 0; k->keys[i] != NULL; i++) {
		if ((k->required_mask & (1u << i)) && p->key_lines[i] == 0) {
			fail(p, p->sec_line, "%s has no '%s' key, which it requires", section_label(p, label, sizeof(label)),
			     k->keys[i]);
			return;
		}
	}
}

static sec_kind kind_of(const char *s, size_t n)
{
	for (size_t i = 1; i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
		if (strlen(kind_names[i]) == n && memcmp(kind_names[i], s, n) == 0)
			return (sec_kind)i;
	}
	return SEC_NONE;
}

/* Machine names match on the first DNS label (see btc_machine_eq). */
static size_t name_key_len(const char *name)
{
	if (btc_is_ipv4(name) || btc_is_ipv6(name))
		return strlen(name);
	return btc_first_label_len(name);
}

static void *push(parser *p, void *items, size_t *count, size_t *cap, size_t elem)
{
	void *slotp = btc_arena_push(&p->inv->arena, (void **)items, count, cap, elem);
	if (slotp == NULL)
		oom(p);
	return slotp;
}

/* A section header line: "[KIND NAME]" or "[farm]" / "[directory]". text is the
 * line without leading white space. */
static void start_section(parser *p, const char *text)
{
	btc_inventory *inv = p->inv;
	const char *close = strchr(text, ']');

	finish_section(p);
	if (p->failed)
		return;
	if (close == NULL) {
		fail(p, p->lineno, "section header without a closing ']'");
		return;
	}
	for (const char *t = close + 1; *t && *t != ';' && *t != '#'; t++) {
		if (!is_space(*t)) {
			fail(p, p->lineno, "unexpected text after the section header's ']'");
			return;
		}
	}
	size_t n = (size_t)(close - (text + 1));
	const char *body = btc_trim(text + 1, &n);
	size_t kn = 0;
	while (kn < n && !is_space(body[kn]))
		kn++;
	size_t rest_n = n - kn;
	const char *rest = btc_trim(body + kn, &rest_n);

	sec_kind kind = kind_of(body, kn);
	if (kind == SEC_NONE) {
		fail(p, p->lineno,
		     "unknown section kind '%.*s'; the kinds are farm, sql, listener, sso, server and directory "
		     "(in lower case)",
		     (int)kn, body);
		return;
	}
	memset(p->key_lines, 0, sizeof(p->key_lines));
	p->kind = kind;
	p->sec_line = p->lineno;
	p->sec_name = NULL;

	if (kind == SEC_FARM || kind == SEC_DIRECTORY) {
		if (rest_n > 0) {
			fail(p, p->lineno, "[%s] takes no name, but '%.*s' follows it", kind_names[kind], (int)rest_n,
			     rest);
			return;
		}
		if (kind == SEC_FARM) {
			if (inv->farm_line != 0) {
				fail(p, p->lineno, "a second [farm] section (the first is at line %d)", inv->farm_line);
				return;
			}
			inv->farm_line = p->lineno;
		} else {
			if (inv->directory.present) {
				fail(p, p->lineno, "a second [directory] section (the first is at line %d)",
				     inv->directory.line);
				return;
			}
			inv->directory.present = true;
			inv->directory.line = p->lineno;
		}
		return;
	}

	if (rest_n == 0) {
		fail(p, p->lineno, "[%s] needs a machine or network name: [%s NAME]", kind_names[kind], kind_names[kind]);
		return;
	}
	char *name = btc_arena_strndup(&inv->arena, rest, rest_n);
	header *h = btc_arena_alloc(&inv->arena, sizeof(*h));
	if (name == NULL || h == NULL) {
		oom(p);
		return;
	}
	if (has_space(name)) {
		fail(p, p->lineno, "'%s' is not one machine or network name (it contains white space)", name);
		return;
	}
	const header *prev = btc_strmap_get(&p->names, name, name_key_len(name));
	if (prev != NULL && btc_machine_eq(prev->name, name)) {
		fail(p, p->lineno, "the name %s is already declared by [%s %s] at line %d; declare each name once",
		     name, kind_names[prev->kind], prev->name, prev->line);
		return;
	}
	*h = (header){.name = name, .kind = kind, .line = p->lineno};
	if (prev == NULL && btc_strmap_put(&p->names, name, name_key_len(name), h) < 0) {
		oom(p);
		return;
	}
	p->sec_name = name;

	switch (kind) {
	case SEC_SQL: {
		btc_farm_sql *s = push(p, &inv->sqls, &inv->n_sqls, &inv->cap_sqls, sizeof(*s));
		if (s == NULL)
			return;
		s->name = name;
		s->line = p->lineno;
		p->index = inv->n_sqls - 1;
		break;
	}
	case SEC_LISTENER: {
		btc_farm_listener *l = push(p, &inv->listeners, &inv->n_listeners, &inv->cap_listeners, sizeof(*l));
		if (l == NULL)
			return;
		l->name = name;
		l->line = p->lineno;
		p->index = inv->n_listeners - 1;
		break;
	}
	case SEC_SSO: {
		btc_farm_sso *s = push(p, &inv->ssos, &inv->n_ssos, &inv->cap_ssos, sizeof(*s));
		if (s == NULL)
			return;
		s->name = name;
		s->line = p->lineno;
		p->index = inv->n_ssos - 1;
		break;
	}
	case SEC_SERVER: {
		btc_farm_server *s = push(p, &inv->servers, &inv->n_servers, &inv->cap_servers, sizeof(*s));
		if (s == NULL)
			return;
		s->name = name;
		s->line = p->lineno;
		s->order = (int)inv->n_servers;
		p->index = inv->n_servers - 1;
		break;
	}
	default: break;
	}
}

/* inih's reader: hands over one physical line, without its leading white
 * space, so that an indented line is never a continuation of the previous
 * value (inventory.md: values do not continue on indented lines). */
static char *reader(char *str, int num, void *stream)
{
	parser *p = stream;

	if (p->failed || p->pos >= p->len)
		return NULL;
	const char *start = p->text + p->pos;
	const char *nl = memchr(start, '\n', p->len - p->pos);
	size_t n = nl ? (size_t)(nl - start) + 1 : p->len - p->pos;
	p->pos += n;
	p->lineno++;
	if (p->lineno == 1 && n >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0) {
		start += 3;
		n -= 3;
	}
	while (n > 0 && (*start == ' ' || *start == '\t')) {
		start++;
		n--;
	}
	/* inih needs room for the line end and its terminator. */
	if (num < 4 || n + 1 > (size_t)num) {
		fail(p, p->lineno, "line too long (at most %d characters)", num > 4 ? num - 3 : 0);
		return NULL;
	}
	memcpy(str, start, n);
	str[n] = '\0';
	if (str[0] == '[')
		start_section(p, str);
	return p->failed ? NULL : str;
}

/* Splits a comma-separated list of machine names into the arena. */
static void parse_list(parser *p, btc_farm_names *out, const char *key, const char *value)
{
	size_t count = 1;
	for (const char *c = value; *c; c++)
		count += *c == ',';
	const char **items = btc_arena_alloc(&p->inv->arena, count * sizeof(*items));
	if (items == NULL) {
		oom(p);
		return;
	}
	out->count = 0;
	const char *s = value;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);
		const char *t = btc_trim(s, &n);
		if (n > 0) {
			char *item = btc_arena_strndup(&p->inv->arena, t, n);
			if (item == NULL) {
				oom(p);
				return;
			}
			if (has_space(item)) {
				fail(p, p->lineno, "'%s' in %s is not one machine name; separate names with commas", item,
				     key);
				return;
			}
			items[out->count++] = item;
		}
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	if (out->count == 0) {
		fail(p, p->lineno, "'%s' lists no machine name", key);
		return;
	}
	out->items = items;
	out->line = p->lineno;
}

/* An integer in [min, max]; false when the text is anything else. */
static bool parse_int(const char *s, long min, long max, int *out)
{
	char *end = NULL;
	errno = 0;
	if (*s == '\0' || *s == '+' || *s == '-' || is_space(*s))
		return false;
	long v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = (int)v;
	return true;
}

static bool parse_bool(const char *s, bool *out)
{
	if (btc_ieq(s, "yes") || btc_ieq(s, "true")) {
		*out = true;
		return true;
	}
	if (btc_ieq(s, "no") || btc_ieq(s, "false")) {
		*out = false;
		return true;
	}
	return false;
}

/* The inventory's folder joined with a relative path. */
static char *join_path(parser *p, const char *rel)
{
	if (rel[0] == '/' || p->dir[0] == '\0')
		return btc_arena_strdup(&p->inv->arena, rel);
	size_t dn = strlen(p->dir), rn = strlen(rel);
	bool slash = p->dir[dn - 1] == '/';
	char *out = btc_arena_alloc(&p->inv->arena, dn + rn + 2);
	if (out == NULL)
		return NULL;
	memcpy(out, p->dir, dn);
	if (!slash)
		out[dn++] = '/';
	memcpy(out + dn, rel, rn + 1);
	return out;
}

static void set_export(parser *p, btc_farm_server *s, const char *value)
{
	struct stat st;
	char *path = join_path(p, value);
	if (path == NULL) {
		oom(p);
		return;
	}
	s->export_path = path;
	s->export_line = p->lineno;
	if (stat(path, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			fail(p, p->lineno, "the export %s of [server %s] does not exist", path, s->name);
		else
			fail(p, p->lineno, "the export %s of [server %s] cannot be read: %s", path, s->name,
			     strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		fail(p, p->lineno, "the export %s of [server %s] is a folder, not a file", path, s->name);
	}
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	parser *p = user;
	btc_inventory *inv = p->inv;
	char label[160];
	(void)section; /* we track sections ourselves (inih truncates long names) */

	if (p->failed)
		return 0;
	if (p->kind == SEC_NONE) {
		fail(p, p->lineno, "'%s' comes before any section; put it under [farm] or another section", key);
		return 0;
	}
	const kind_keys *k = &kind_table[p->kind];
	size_t slot = 0;
	while (k->keys[slot] != NULL && strcmp(k->keys[slot], key) != 0)
		slot++;
	section_label(p, label, sizeof(label));
	if (k->keys[slot] == NULL) {
		char known[128] = "";
		for (size_t i = 0; k->keys[i] != NULL; i++) {
			strncat(known, i ? ", " : "", sizeof(known) - strlen(known) - 1);
			strncat(known, k->keys[i], sizeof(known) - strlen(known) - 1);
		}
		fail(p, p->lineno, "unknown key '%s' in %s; its keys are %s (in lower case)", key, label, known);
		return 0;
	}
	if (p->key_lines[slot] != 0) {
		fail(p, p->lineno, "'%s' is given twice in %s (first at line %d)", key, label, p->key_lines[slot]);
		return 0;
	}
	p->key_lines[slot] = p->lineno;
	if (value == NULL || value[0] == '\0') {
		fail(p, p->lineno, "'%s' in %s is empty; give a value or remove the line", key, label);
		return 0;
	}
	char *v = btc_arena_strdup(&inv->arena, value);
	if (v == NULL) {
		oom(p);
		return 0;
	}
	int port = 0;
	switch (p->kind) {
	case SEC_FARM:
		if (slot == 0)
			inv->name = v;
		else if (slot == 1)
			inv->domain = v;
		else if (!parse_bool(v, &inv->complete))
			fail(p, p->lineno, "complete = %s: write yes, no, true or false", v);
		break;
	case SEC_SQL: {
		btc_farm_sql *s = &inv->sqls[p->index];
		if (slot == 0)
			/* MSSQLSERVER names the default instance. */
			s->instance = btc_ieq(v, "MSSQLSERVER") ? NULL : v;
		else if (slot == 1)
			parse_list(p, &s->nodes, key, v);
		else if (slot == 2) {
			s->windows_cluster = v;
			s->windows_cluster_line = p->lineno;
		} else if (!parse_int(v, 1, 65535, &port))
			fail(p, p->lineno, "port = %s: write a TCP port number from 1 to 65535", v);
		else
			s->port = port;
		break;
	}
	case SEC_LISTENER: {
		btc_farm_listener *l = &inv->listeners[p->index];
		if (slot == 0)
			parse_list(p, &l->replicas, key, v);
		else if (slot == 1) {
			l->windows_cluster = v;
			l->windows_cluster_line = p->lineno;
		} else if (!parse_int(v, 1, 65535, &port))
			fail(p, p->lineno, "port = %s: write a TCP port number from 1 to 65535", v);
		else
			l->port = port;
		break;
	}
	case SEC_SSO: parse_list(p, &inv->ssos[p->index].nodes, key, v); break;
	case SEC_SERVER: {
		btc_farm_server *s = &inv->servers[p->index];
		if (slot == 0)
			set_export(p, s, v);
		else if (!parse_int(v, 1, 1000000, &s->order))
			fail(p, p->lineno, "order = %s: write a whole number from 1 (the first server configured)", v);
		else
			s->order_line = p->lineno;
		break;
	}
	case SEC_DIRECTORY: {
		btc_inventory_directory *d = &inv->directory;
		if (slot == 0)
			d->uri = v;
		else if (slot == 1)
			d->base = v;
		else if (slot == 2)
			d->bind = v;
		else if (slot == 3) {
			if (!parse_bool(v, &d->starttls))
				fail(p, p->lineno, "starttls = %s: write yes or no", v);
		} else if ((d->ca = join_path(p, v)) == NULL)
			oom(p);
		break;
	}
	case SEC_NONE: break;
	}
	/* Single names: a stray space means a typo or a missing comma. */
	bool one_name = (p->kind == SEC_SQL && (slot == 0 || slot == 2)) || (p->kind == SEC_LISTENER && slot == 1);
	if (one_name && has_space(v))
		fail(p, p->lineno, "'%s' in %s is not one name: '%s'", key, label, v);
	return p->failed ? 0 : 1;
}

static int compare_servers(const void *pa, const void *pb)
{
	const btc_farm_server *a = pa, *b = pb;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* order on every server or on none; never the same order twice. */
static void check_orders(parser *p)
{
	btc_inventory *inv = p->inv;
	const btc_farm_server *with = NULL, *without = NULL;

	for (size_t i = 0; i < inv->n_servers; i++) {
		const btc_farm_server *s = &inv->servers[i];
		if (s->order_line != 0 && with == NULL)
			with = s;
		if (s->order_line == 0 && without == NULL)
			without = s;
	}
	if (with != NULL && without != NULL) {
		fail(p, without->line,
		     "[server %s] has no order, but [server %s] has one (line %d); give order on every server or on "
		     "none",
		     without->name, with->name, with->order_line);
		return;
	}
	if (inv->n_servers > 1)
		qsort(inv->servers, inv->n_servers, sizeof(*inv->servers), compare_servers);
	for (size_t i = 1; i < inv->n_servers; i++) {
		const btc_farm_server *a = &inv->servers[i - 1], *b = &inv->servers[i];
		if (a->order == b->order) {
			fail(p, b->order_line, "[server %s] has order %d, like [server %s] (line %d); each server needs "
					       "its own order",
			     b->name, b->order, a->name, a->order_line);
			return;
		}
	}
}

int btc_inventory_parse(btc_inventory **out, const char *path, const char *text, btc_error *err)
{
	btc_inventory *inv = NULL;
	parser p = {.err = err};
	int rc = -1;

	*out = NULL;
	inv = calloc(1, sizeof(*inv));
	if (inv == NULL) {
		btc_error_set(err, 0, 0, "out of memory while reading the inventory");
		return -1;
	}
	p.inv = inv;
	const char *slash = strrchr(path, '/');
	char *pathc = btc_arena_strdup(&inv->arena, path);
	char *dir = slash ? btc_arena_strndup(&inv->arena, path, (size_t)(slash - path) + (slash == path))
			  : btc_arena_strdup(&inv->arena, "");
	if (pathc == NULL || dir == NULL) {
		btc_error_set(err, 0, 0, "out of memory while reading the inventory");
		goto done;
	}
	inv->path = pathc;
	p.dir = dir;
	p.text = text;
	p.len = strlen(text);

	int irc = ini_parse_stream(reader, &p, handler, &p);
	if (!p.failed && irc == -2)
		fail(&p, 0, "out of memory while reading the inventory");
	else if (!p.failed && irc > 0)
		fail(&p, irc, "not a [section] header, a key = value line or a comment");
	finish_section(&p);
	if (!p.failed)
		check_orders(&p);
	if (p.failed)
		goto done;
	*out = inv;
	inv = NULL;
	rc = 0;
done:
	btc_strmap_free(&p.names);
	btc_inventory_free(inv);
	return rc;
}

int btc_inventory_load(btc_inventory **out, const char *path, btc_error *err)
{
	FILE *f = NULL;
	char *buf = NULL;
	size_t n = 0;
	int rc = -1;

	*out = NULL;
	f = fopen(path, "rb");
	if (f == NULL) {
		btc_error_set(err, 0, 0, "cannot open the inventory: %s", strerror(errno));
		goto done;
	}
	buf = malloc(MAX_INVENTORY_SIZE + 1);
	if (buf == NULL) {
		btc_error_set(err, 0, 0, "out of memory while reading the inventory");
		goto done;
	}
	n = fread(buf, 1, MAX_INVENTORY_SIZE + 1, f);
	if (ferror(f)) {
		btc_error_set(err, 0, 0, "cannot read the inventory: %s", strerror(errno));
		goto done;
	}
	if (n > MAX_INVENTORY_SIZE) {
		btc_error_set(err, 0, 0, "the inventory is larger than 1 MiB");
		goto done;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n) != NULL) {
		btc_error_set(err, 0, 0, "the inventory holds a NUL byte: it is not a text file");
		goto done;
	}
	rc = btc_inventory_parse(out, path, buf, err);
done:
	if (f != NULL)
		fclose(f);
	free(buf);
	return rc;
}

void btc_inventory_free(btc_inventory *inv)
{
	if (inv == NULL)
		return;
	btc_arena_free(&inv->arena);
	free(inv);
}

int btc_farm_from_inventory(btc_farm *farm, const btc_inventory *inv, btc_error *err)
{
	farm->name = inv->name;
	farm->inventory_path = inv->path;
	farm->domain = inv->domain;
	farm->has_inventory = true;
	farm->complete = inv->complete;
	farm->farm_line = inv->farm_line;
	farm->sqls = inv->sqls;
	farm->n_sqls = inv->n_sqls;
	farm->listeners = inv->listeners;
	farm->n_listeners = inv->n_listeners;
	farm->ssos = inv->ssos;
	farm->n_ssos = inv->n_ssos;
	farm->decl_servers = inv->servers;
	farm->n_decl_servers = inv->n_servers;
	return btc_farm_index(farm, err);
}
