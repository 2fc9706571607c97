/* JUnit XML, for CI test dashboards (Jenkins, GitLab, Azure DevOps).
 *
 * A testsuite per input; in it a testcase "read" (an error when the input
 * could not be read) and a testcase per (input, rule) that ran, named by
 * the rule ID alone so that a dashboard's history survives a retitled rule.
 * The schema (Ant's junit.xsd) allows one failure, error or skipped element
 * per testcase, so all findings of a rule in an input share one failure: its
 * message counts them and its text lists them. A testcase whose findings are
 * all suppressed or baselined is skipped. Written with libxml2's xmlwriter,
 * which does the escaping. */
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report/report.h"
#include "rules/prb.h"
#include "util/path.h"
#include "util/text.h"
#include "util/utf8.h"

typedef struct junit {
	xmlTextWriterPtr w;
	const btc_result *r;
	/* The findings that name a file, sorted by path (then as reported), so
	 * that an input's findings are one run: looking through all of them for
	 * each testcase made 4000 exports take 48 s (docs/performance.md). */
	const btc_finding **by_path;
	size_t n_by_path;
	/* The inputs' paths, sorted: is a finding's file an input? */
	const char **input_paths;
	char timestamp[32];
	char hostname[256];
	int suite_id;
	bool failed;
} junit;

typedef struct counts {
	int tests, failures, errors, skipped;
} counts;

/* Every string from outside goes through here: XML 1.0 cannot carry every
 * byte a file name may hold. */
static void attribute(junit *j, const char *name, const char *value)
{
	char *clean = btc_utf8_clean(value ? value : "", true);
	if (clean == NULL || xmlTextWriterWriteAttribute(j->w, BAD_CAST name, BAD_CAST clean) < 0)
		j->failed = true;
	free(clean);
}

static void text(junit *j, const char *value)
{
	char *clean = btc_utf8_clean(value, true);
	if (clean == NULL || xmlTextWriterWriteString(j->w, BAD_CAST clean) < 0)
		j->failed = true;
	free(clean);
}

static void start(junit *j, const char *element)
{
	if (xmlTextWriterStartElement(j->w, BAD_CAST element) < 0)
		j->failed = true;
}

static void end(junit *j)
{
	if (xmlTextWriterEndElement(j->w) < 0)
		j->failed = true;
}

static void int_attribute(junit *j, const char *name, int value)
{
	char buf[16];
	snprintf(buf, sizeof(buf), "%d", value);
	attribute(j, name, buf);
}

/* The findings of one input: a run of j->by_path. */
typedef struct findings_of {
	const btc_finding *const *items;
	size_t n;
} findings_of;

static int by_path_order(const void *pa, const void *pb)
{
	const btc_finding *a = *(const btc_finding *const *)pa, *b = *(const btc_finding *const *)pb;
	int c = strcmp(a->path, b->path);
	if (c != 0)
		return c;
	return a < b ? -1 : a > b;
}

static int path_order(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Index of the first of the n findings (sorted by path) not before path. */
static size_t first_at_or_after(const btc_finding *const *items, size_t n, const char *path)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(items[mid]->path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static findings_of findings_about(const junit *j, const char *path)
{
	size_t first = first_at_or_after(j->by_path, j->n_by_path, path);
	size_t end = first;
	while (end < j->n_by_path && strcmp(j->by_path[end]->path, path) == 0)
		end++;
	return (findings_of){j->by_path + first, end - first};
}

static bool is_input(const junit *j, const char *path)
{
	return path != NULL && j->r->n_inputs > 0 &&
	       bsearch(&path, j->input_paths, j->r->n_inputs, sizeof(*j->input_paths), path_order) != NULL;
}

static int index_findings(junit *j)
{
	const btc_result *r = j->r;
	j->by_path = malloc((r->findings.count ? r->findings.count : 1) * sizeof(*j->by_path));
	j->input_paths = malloc((r->n_inputs ? r->n_inputs : 1) * sizeof(*j->input_paths));
	if (j->by_path == NULL || j->input_paths == NULL)
		return -1;
	for (size_t i = 0; i < r->findings.count; i++) {
		if (r->findings.items[i].path != NULL)
			j->by_path[j->n_by_path++] = &r->findings.items[i];
	}
	qsort(j->by_path, j->n_by_path, sizeof(*j->by_path), by_path_order);
	for (size_t i = 0; i < r->n_inputs; i++)
		j->input_paths[i] = r->inputs[i].path ? r->inputs[i].path : "";
	qsort(j->input_paths, r->n_inputs, sizeof(*j->input_paths), path_order);
	return 0;
}

/* Whether in's farm has no inventory: the farm of the exports given on the
 * command line has no name (report.h). Unknown farms are taken as such. */
static bool farm_without_inventory(const btc_result *r, const btc_input *in)
{
	if (r->farm_names == NULL || in->farm < 0 || (size_t)in->farm >= r->n_farms)
		return true;
	return r->farm_names[in->farm] == NULL;
}

/* Whether input i gets a testcase for rule: rules that ran and judge its kind
 * of file, and any rule with a finding there (mine: its findings). */
static bool has_case(const btc_result *r, const btc_input *in, size_t rule, findings_of mine)
{
	const btc_rule *ru = &btc_rules[rule];
	for (size_t i = 0; i < mine.n; i++) {
		if (strcmp(mine.items[i]->rule, ru->id) == 0)
			return true;
	}
	if (!in->ok || (r->not_run != NULL && r->not_run[rule]))
		return false;
	/* Without an inventory such a rule judged nothing: no passing testcase
	 * in the farm that has none (the exports given on the command line). */
	if (r->no_inventory != NULL && r->no_inventory[rule] && btc_rule_needs_inventory(ru) &&
	    farm_without_inventory(r, in))
		return false;
	bool per_export = strchr(ru->data, 'E') != NULL || strchr(ru->data, 'F') != NULL;
	switch (in->kind) {
	case BTC_INPUT_EXPORT: return per_export;
	case BTC_INPUT_INVENTORY: return !per_export && strchr(ru->data, 'I') != NULL;
	case BTC_INPUT_BASELINE: return false;
	}
	return false;
}

static void finding_line(junit *j, const btc_finding *f)
{
	char *line = NULL;
	if (f->line > 0)
		line = btc_strfmt("%s:%d: %s: %s", f->path, f->line, btc_severity_name(f->severity), f->message);
	else
		line = btc_strfmt("%s: %s: %s", f->path, btc_severity_name(f->severity), f->message);
	char *hidden = NULL;
	if (f->suppressed)
		hidden = btc_strfmt(" (suppressed: %s)", f->justification ? f->justification : "");
	else if (f->baselined)
		hidden = btc_strfmt(" (baselined)");
	if (line == NULL || ((f->suppressed || f->baselined) && hidden == NULL)) {
		j->failed = true;
	} else {
		text(j, line);
		if (hidden != NULL)
			text(j, hidden);
		text(j, "\n");
	}
	free(line);
	free(hidden);
}

/* The testcase of (in, rule); with write false it is only counted. */
static void rule_case(junit *j, findings_of mine, const char *classname, size_t rule, bool write, counts *c)
{
	const btc_rule *ru = &btc_rules[rule];
	size_t shown = 0, hidden = 0;
	btc_severity worst = BTC_SEV_NONE;
	const btc_finding *first_hidden = NULL;

	for (size_t i = 0; i < mine.n; i++) {
		const btc_finding *f = mine.items[i];
		if (strcmp(f->rule, ru->id) != 0)
			continue;
		if (btc_finding_hidden(f)) {
			hidden++;
			if (first_hidden == NULL)
				first_hidden = f;
		} else {
			shown++;
			if (f->severity > worst)
				worst = f->severity;
		}
	}
	c->tests++;
	if (shown > 0)
		c->failures++;
	else if (hidden > 0)
		c->skipped++;
	if (!write)
		return;

	start(j, "testcase");
	attribute(j, "name", ru->id);
	attribute(j, "classname", classname);
	attribute(j, "time", "0");
	if (shown > 0 || hidden > 0) {
		char *message = NULL;
		if (shown > 0) {
			start(j, "failure");
			attribute(j, "type", btc_severity_name(worst));
			message =
			    btc_strfmt("%s %s: %zu %s", ru->id, ru->title, shown, shown == 1 ? "finding" : "findings");
		} else {
			start(j, "skipped");
			if (first_hidden->suppressed)
				message = btc_strfmt("suppressed: %s",
				                     first_hidden->justification ? first_hidden->justification : "");
			else
				message = btc_strfmt("baselined: %zu %s", hidden, hidden == 1 ? "finding" : "findings");
		}
		if (message == NULL)
			j->failed = true;
		else
			attribute(j, "message", message);
		free(message);
		for (size_t i = 0; i < mine.n; i++) {
			if (strcmp(mine.items[i]->rule, ru->id) == 0)
				finding_line(j, mine.items[i]);
		}
		end(j);
	}
	end(j);
}

/* The testcase "read": an error when the input could not be checked. */
static void read_case(junit *j, const btc_input *in, const char *classname, bool write, counts *c)
{
	c->tests++;
	if (!in->ok)
		c->errors++;
	if (!write)
		return;
	start(j, "testcase");
	attribute(j, "name", "read");
	attribute(j, "classname", classname);
	attribute(j, "time", "0");
	if (!in->ok) {
		start(j, "error");
		attribute(j, "type", "input");
		attribute(j, "message", in->error ? in->error : "could not be read");
		text(j, in->error ? in->error : "could not be read");
		end(j);
	}
	end(j);
}

static void suite_start(junit *j, const char *name, const counts *c)
{
	start(j, "testsuite");
	attribute(j, "name", name);
	attribute(j, "package", "btclint");
	int_attribute(j, "id", j->suite_id++);
	attribute(j, "timestamp", j->timestamp);
	attribute(j, "hostname", j->hostname);
	int_attribute(j, "tests", c->tests);
	int_attribute(j, "failures", c->failures);
	int_attribute(j, "errors", c->errors);
	int_attribute(j, "skipped", c->skipped);
	attribute(j, "time", "0");
}

/* The schema requires system-out and system-err, after the testcases. */
static void suite_end(junit *j)
{
	start(j, "system-out");
	end(j);
	start(j, "system-err");
	end(j);
	end(j);
}

static void property(junit *j, const char *name, const char *value)
{
	start(j, "property");
	attribute(j, "name", name);
	attribute(j, "value", value);
	end(j);
}

static void input_suite(junit *j, const btc_input *in)
{
	char *classname = btc_path_portable(in->path);
	counts c = {0};
	findings_of mine = in->path ? findings_about(j, in->path) : (findings_of){NULL, 0};
	if (classname == NULL) {
		j->failed = true;
		return;
	}
	for (int pass = 0; pass < 2; pass++) {
		bool write = pass == 1;
		if (write) {
			suite_start(j, classname, &c);
			start(j, "properties");
			property(j, "kind", btc_input_kind_name(in->kind));
			if (in->server != NULL)
				property(j, "server", in->server);
			end(j);
		}
		read_case(j, in, classname, write, &c);
		for (size_t rule = 0; rule < btc_rule_count; rule++) {
			if (has_case(j->r, in, rule, mine))
				rule_case(j, mine, classname, rule, write, &c);
		}
	}
	suite_end(j);
	free(classname);
}

/* `btclint probe`: no input, so the endpoints are the suite "probe", with a
 * testcase per (endpoint, PRB rule), named by the rule ID, classname the
 * server string. Their findings have no file. */
static bool has_probe_suite(const btc_result *r)
{
	return r->probes != NULL && r->probes->standalone && r->probes->count > 0;
}

static void probe_suite(junit *j)
{
	const btc_result *r = j->r;
	counts c = {0};

	if (!has_probe_suite(r))
		return;
	for (int pass = 0; pass < 2; pass++) {
		bool write = pass == 1;
		if (write) {
			suite_start(j, "probe", &c);
			start(j, "properties");
			property(j, "kind", "probe");
			end(j);
		}
		for (size_t e = 0; e < r->probes->count; e++) {
			const char *name = r->probes->items[e].name;
			for (size_t rule = 0; rule < btc_rule_count; rule++) {
				const btc_rule *ru = &btc_rules[rule];
				if (!btc_rule_needs_probe(ru) || (r->not_run != NULL && r->not_run[rule]))
					continue;
				size_t shown = 0;
				btc_severity worst = BTC_SEV_NONE;
				for (size_t i = 0; i < r->findings.count; i++) {
					const btc_finding *f = &r->findings.items[i];
					if (f->path != NULL || strcmp(f->rule, ru->id) != 0 || f->subject == NULL ||
					    strcmp(f->subject, name) != 0 || btc_finding_hidden(f))
						continue;
					shown++;
					worst = f->severity > worst ? f->severity : worst;
				}
				c.tests += !write;
				c.failures += !write && shown > 0;
				if (!write)
					continue;
				start(j, "testcase");
				attribute(j, "name", ru->id);
				attribute(j, "classname", name);
				attribute(j, "time", "0");
				if (shown > 0) {
					char *message = btc_strfmt("%s %s: %zu %s", ru->id, ru->title, shown,
								   shown == 1 ? "finding" : "findings");
					start(j, "failure");
					attribute(j, "type", btc_severity_name(worst));
					if (message == NULL)
						j->failed = true;
					else
						attribute(j, "message", message);
					free(message);
					for (size_t i = 0; i < r->findings.count; i++) {
						const btc_finding *f = &r->findings.items[i];
						if (f->path == NULL && strcmp(f->rule, ru->id) == 0 && f->subject != NULL &&
						    strcmp(f->subject, name) == 0 && !btc_finding_hidden(f)) {
							char *line = btc_strfmt("%s: %s: %s\n", name,
										btc_severity_name(f->severity), f->message);
							if (line == NULL)
								j->failed = true;
							else
								text(j, line);
							free(line);
						}
					}
					end(j);
				}
				end(j);
			}
		}
	}
	suite_end(j);
}

/* A directory that could not be used: an input error of its farm, so an
 * error testcase, like an export that could not be read. */
static void directory_suites(junit *j)
{
	const btc_result *r = j->r;

	for (size_t k = 0; r->directories != NULL && k < r->n_farms; k++) {
		const btc_farm_directory *d = r->directories[k];
		if (d == NULL || d->error == NULL)
			continue;
		const char *farm = r->farm_names && r->farm_names[k] ? r->farm_names[k] : "command line";
		counts c = {.tests = 1, .errors = 1};
		suite_start(j, "directory", &c);
		start(j, "properties");
		property(j, "farm", farm);
		property(j, "uri", d->uri ? d->uri : "");
		end(j);
		start(j, "testcase");
		attribute(j, "name", "lookup");
		attribute(j, "classname", "directory");
		attribute(j, "time", "0");
		start(j, "error");
		attribute(j, "type", "directory");
		attribute(j, "message", d->error);
		text(j, d->error);
		end(j);
		end(j);
		suite_end(j);
	}
}

/* Findings that name no input, and an internal error: nothing is lost. */
static void run_suite(junit *j)
{
	const btc_result *r = j->r;
	bool orphans = false;
	for (size_t i = 0; i < r->findings.count && !orphans; i++) {
		if (r->findings.items[i].path == NULL && has_probe_suite(r))
			continue; /* in the suite "probe" */
		orphans = !is_input(j, r->findings.items[i].path);
	}
	if (!orphans && !r->internal_error && (r->n_inputs > 0 || has_probe_suite(r)))
		return;

	counts c = {.tests = 1, .errors = r->internal_error ? 1 : 0};
	suite_start(j, "btclint", &c);
	start(j, "properties");
	end(j);
	start(j, "testcase");
	attribute(j, "name", "run");
	attribute(j, "classname", "btclint");
	attribute(j, "time", "0");
	if (r->internal_error) {
		start(j, "error");
		attribute(j, "type", "internal");
		attribute(j, "message", "internal error: the run is incomplete");
		end(j);
	}
	end(j);
	if (orphans) {
		/* Rare enough to list in system-out rather than invent testcases. */
		start(j, "system-out");
		for (size_t i = 0; i < r->findings.count; i++) {
			const btc_finding *f = &r->findings.items[i];
			bool found = (f->path == NULL && has_probe_suite(r)) || is_input(j, f->path);
			if (!found && !btc_finding_hidden(f))
				finding_line(j, f);
		}
		end(j);
		start(j, "system-err");
		end(j);
		end(j);
	} else {
		suite_end(j);
	}
}

static void set_time_and_host(junit *j)
{
	/* SOURCE_DATE_EPOCH makes reports reproducible (reproducible-builds.org). */
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	time_t now = time(NULL);
	if (epoch != NULL && epoch[0] != '\0') {
		long long v = strtoll(epoch, &end, 10);
		if (*end == '\0' && v >= 0)
			now = (time_t)v;
	}
	struct tm tm;
	if (gmtime_r(&now, &tm) == NULL || strftime(j->timestamp, sizeof(j->timestamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(j->timestamp, sizeof(j->timestamp), "1970-01-01T00:00:00");
	if (gethostname(j->hostname, sizeof(j->hostname)) != 0 || j->hostname[0] == '\0')
		snprintf(j->hostname, sizeof(j->hostname), "localhost");
	j->hostname[sizeof(j->hostname) - 1] = '\0';
}

int btc_report_junit(FILE *out, const btc_result *r)
{
	junit j = {.r = r};
	int rc = -1;

	/* Straight to out, not into a buffer first: the document of 16 000
	 * exports is 30 MB. xmlFreeTextWriter flushes it; out stays open. */
	xmlOutputBufferPtr buf = xmlOutputBufferCreateFile(out, NULL);
	if (buf == NULL)
		return -1;
	if ((j.w = xmlNewTextWriter(buf)) == NULL) {
		xmlOutputBufferClose(buf);
		return -1;
	}
	if (index_findings(&j) < 0)
		goto done;
	set_time_and_host(&j);
	xmlTextWriterSetIndent(j.w, 1);
	xmlTextWriterSetIndentString(j.w, BAD_CAST "  ");
	if (xmlTextWriterStartDocument(j.w, NULL, "UTF-8", NULL) < 0)
		goto done;
	start(&j, "testsuites");
	for (size_t i = 0; i < r->n_inputs; i++)
		input_suite(&j, &r->inputs[i]);
	probe_suite(&j);
	directory_suites(&j);
	run_suite(&j);
	end(&j);
	if (!j.failed && xmlTextWriterEndDocument(j.w) >= 0)
		rc = 0;
done:
	xmlFreeTextWriter(j.w);
	free(j.by_path);
	free(j.input_paths);
	return rc == 0 && fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
